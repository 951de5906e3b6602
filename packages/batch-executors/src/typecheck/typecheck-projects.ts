// What `tsc -p <project>/tsconfig.json` (TypeScript 7, native) does for one project, for many: the
// projects whose tsconfig only extends the workspace base and lists its own sources are checked as
// one program, so the compiler, the lib and node_modules declarations and the shared libs are read
// and checked once instead of once per project (one run over every project ~2.5 s; 33 runs ~20 s).
// Each diagnostic is charged to the project whose directory holds its file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { JobResult } from '../nx-batch';

export interface TypecheckJob {
  readonly project: string;
  /** The project's directory, relative to the workspace root. */
  readonly projectRoot: string;
  /** Its tsconfig, relative to the workspace root. */
  readonly tsConfig: string;
}

/** The workspace's compiler options; a project tsconfig that only extends it can share a program. */
const BASE_TSCONFIG = 'tsconfig.base.json';
/** TypeScript 7's compiler (the workspace's typecheck runs it, never the TypeScript 6 JS API). */
const TSC = join(dirname(require.resolve('typescript-native/package.json')), 'bin/tsc');

/** The project's source globs (relative to the root) when its tsconfig is exactly `{ extends: base, include }`. */
export function sharedProgramSources(root: string, job: TypecheckJob): string[] | undefined {
  const path = join(root, job.tsConfig);
  const config = JSON.parse(readFileSync(path, 'utf8')) as { extends?: unknown; include?: unknown };
  const keys = Object.keys(config).sort().join(',');
  if (keys !== 'extends,include' || typeof config.extends !== 'string' || !Array.isArray(config.include)) return undefined;
  if (resolve(dirname(path), config.extends) !== join(root, BASE_TSCONFIG)) return undefined;
  return config.include.map((glob) => relative(root, resolve(dirname(path), String(glob))));
}

interface Diagnostic {
  /** The file as tsc names it (relative to the root), or undefined for a diagnostic about the run itself. */
  readonly file: string | undefined;
  readonly text: string;
}

/** tsc's `--pretty false` output: `file(line,col): error TSnnnn: message`, continuation lines indented. */
export function parseDiagnostics(output: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const located = /^(.+?)\(\d+,\d+\): (?:error|warning) TS\d+: /.exec(line);
    const previous = diagnostics[diagnostics.length - 1];
    if (!located && /^\s/.test(line) && previous) diagnostics[diagnostics.length - 1] = { ...previous, text: `${previous.text}\n${line}` };
    else diagnostics.push({ file: located?.[1], text: line });
  }
  return diagnostics;
}

function runTsc(root: string, tsConfig: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [TSC, '-p', tsConfig, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

/** Checks `jobs` as one tsc run over `tsConfig` and charges each diagnostic to its project. */
function checkTogether(root: string, tsConfig: string, jobs: readonly TypecheckJob[]): JobResult<TypecheckJob>[] {
  const startTime = Date.now();
  const { status, output } = runTsc(root, tsConfig);
  const endTime = Date.now();
  const diagnostics = parseDiagnostics(output);
  const ownerOf = (file: string | undefined) =>
    file === undefined ? undefined : jobs.find((job) => resolve(root, file).startsWith(join(root, job.projectRoot) + sep));
  return jobs.map((job) => {
    // A diagnostic no project of the run holds (about the run, or in a file outside them) fails every one of them.
    const charged = diagnostics.filter((d) => ownerOf(d.file) === job || ownerOf(d.file) === undefined);
    const crashed = status !== 0 && diagnostics.length === 0;
    const success = charged.length === 0 && !crashed;
    const together = jobs.length > 1 ? ` (checked in one program with ${jobs.length - 1} other project${jobs.length === 2 ? '' : 's'})` : '';
    const text = success
      ? `typecheck: no errors in ${job.projectRoot}${together}\n`
      : `${charged.map((d) => d.text).join('\n')}${crashed ? `tsc exited ${status} without a diagnostic:\n${output}` : ''}\n`;
    return { job, success, output: text, startTime, endTime };
  });
}

/** Type-checks every job: the combinable ones in one program, the others each with its own tsconfig. */
export function typecheckProjects(root: string, jobs: readonly TypecheckJob[]): JobResult<TypecheckJob>[] {
  const combined = jobs.map((job) => ({ job, sources: sharedProgramSources(root, job) }));
  const together = combined.filter((c) => c.sources !== undefined);
  const results = new Map<TypecheckJob, JobResult<TypecheckJob>>();
  if (together.length > 0) {
    mkdirSync(join(root, 'tmp/typecheck'), { recursive: true });
    const dir = mkdtempSync(join(root, 'tmp/typecheck/run-'));
    try {
      const tsConfig = join(dir, 'tsconfig.json');
      const fromDir = (path: string) => relative(dir, join(root, path));
      writeFileSync(
        tsConfig,
        JSON.stringify({ extends: fromDir(BASE_TSCONFIG), include: together.flatMap((c) => c.sources!.map(fromDir)) }, null, 2),
      );
      const jobsTogether = together.map((c) => c.job);
      for (const result of checkTogether(root, tsConfig, jobsTogether)) results.set(result.job, result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const { job } of combined.filter((c) => c.sources === undefined)) {
    const [result] = checkTogether(root, join(root, job.tsConfig), [job]);
    results.set(job, result!);
  }
  return jobs.map((job) => results.get(job)!);
}
