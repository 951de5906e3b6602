// What `eslint --max-warnings=0 <root> && prettier --check <root>` does for one project, for many
// projects in one process: eslint's config and plugins (typescript-eslint, @nx/eslint-plugin and its
// project graph) and prettier load once instead of once per project (~2 s of process start-up each).
import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { prettierCheck, prettierReport } from './prettier-check';
import type { JobResult } from '../nx-batch';

export interface LintJob {
  readonly project: string;
  /** The project's directory, relative to the workspace root. */
  readonly projectRoot: string;
  /** Workspace files and directories prettier checks too (the workspace-checks project owns them). */
  readonly formatAlso?: readonly string[];
}

async function lintOne(eslint: ESLint, formatter: ESLint.Formatter, root: string, job: LintJob): Promise<JobResult<LintJob>> {
  const startTime = Date.now();
  let output = '';
  let success = true;
  try {
    const results = await eslint.lintFiles([job.projectRoot]);
    const problems = results.reduce((sum, result) => sum + result.errorCount + result.warningCount, 0);
    output += await formatter.format(results);
    // --max-warnings=0: a warning fails the task as an error does.
    if (problems > 0) success = false;
    const check = await prettierCheck(root, [job.projectRoot, ...(job.formatAlso ?? [])]);
    output += prettierReport(check);
    if (check.unformatted.length > 0 || check.errors.length > 0) success = false;
    if (success)
      output += `eslint and prettier: ${results.length} linted, ${check.checked.length} format-checked files in ${[job.projectRoot, ...(job.formatAlso ?? [])].join(' ')}, no problems\n`;
  } catch (error) {
    success = false;
    output += `lint of ${job.project} (${job.projectRoot}) failed: ${(error as Error).message}\n`;
  }
  return { job, success, output, startTime, endTime: Date.now() };
}

/**
 * Makes this process read as the eslint CLI until the returned function is called.
 * @nx/enforce-module-boundaries keeps the project graph it read only in a "terminal run", told by
 * `process.argv[1]`: the eslint CLI, jest or Nx's run-executor.js (isTerminalRun in
 * @nx/eslint-plugin's runtime-lint-utils). Nx's batch runner (run-batch.js) is none of them, so the
 * rule re-read project-graph.json, the file map and nx.json for every linted file: 1.1-1.8 of
 * 7-8.8 CPU-s of eslint over the workspace (2026-12-07; nrwl/nx#36611). A batch lints once, over
 * the graph Nx has just computed for it, as the CLI does.
 */
function asEslintCli(): () => void {
  const before = process.argv[1];
  process.argv[1] = join(dirname(require.resolve('eslint/package.json')), 'bin/eslint.js');
  return () => {
    process.argv[1] = before!;
  };
}

/** Lints each project in turn, yielding its result as soon as it is done; one failure never stops the rest. */
export async function* lintProjects(root: string, jobs: readonly LintJob[]): AsyncGenerator<JobResult<LintJob>> {
  const restore = asEslintCli();
  try {
    const eslint = new ESLint({ cwd: root });
    const formatter = await eslint.loadFormatter('stylish');
    for (const job of jobs) yield await lintOne(eslint, formatter, root, job);
  } finally {
    restore();
  }
}
