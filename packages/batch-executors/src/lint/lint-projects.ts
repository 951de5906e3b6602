// What `eslint --max-warnings=0 <root> && prettier --check <root>` does for one project, for many
// projects in one process: eslint's config and plugins (typescript-eslint, @nx/eslint-plugin and its
// project graph) and prettier load once instead of once per project (~2 s of process start-up each).
import { ESLint } from 'eslint';
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

/** Lints each project in turn, yielding its result as soon as it is done; one failure never stops the rest. */
export async function* lintProjects(root: string, jobs: readonly LintJob[]): AsyncGenerator<JobResult<LintJob>> {
  const eslint = new ESLint({ cwd: root });
  const formatter = await eslint.loadFormatter('stylish');
  for (const job of jobs) yield await lintOne(eslint, formatter, root, job);
}
