// What `jest -c <config> --json --outputFile=<file>` does for one project, for many projects in one
// jest run (jest's multi-project mode): jest, its config resolution and its worker processes start
// once instead of once per project (`jest -c libs/config/jest.config.js`: 1.6 s wall for 1.1 s of
// tests, 2026-12-06), and the test files of every project share the workers, longest first where
// known. Each project still gets its own verdict, terminal report and --json file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { utils } from '@jest/reporters';
import { addResult, formatTestResults, makeEmptyAggregatedTestResult, type AggregatedResult, type TestResult } from '@jest/test-result';
import { runCLI } from 'jest';
import type { JobResult } from '../nx-batch';
import { inScratchTemp, jestCacheDirectory } from './scratch-temp';

export interface JestJob {
  readonly project: string;
  /** The project's directory, relative to the workspace root: its test files are under it. */
  readonly projectRoot: string;
  /** Its jest config, relative to the workspace root. */
  readonly jestConfig: string;
  /** Where its results go in jest's --json format, relative to the workspace root. */
  readonly outputFile: string;
}

/** The jest CLI's verdict for one project: no failing test, no suite that failed to run, and some test ran. */
export function projectSucceeded(results: AggregatedResult): boolean {
  return (
    results.numTotalTestSuites > 0 && results.numFailedTests === 0 && results.numFailedTestSuites === 0 && results.numRuntimeErrorTestSuites === 0
  );
}

/** A jest config's displayName (a string, or `{ name, color }`), read the way jest reads a CommonJS config. */
function displayNameOf(root: string, job: JestJob): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const name = (require(join(root, job.jestConfig)) as { displayName?: string | { name: string } }).displayName;
  return typeof name === 'string' ? name : name?.name;
}

/**
 * The job a test file belongs to: the one whose config it ran under (jest records the config's
 * displayName on each result; two targets of one project, such as test and rehearse, share a
 * directory), else the one whose project directory holds it (the deepest, if nested).
 */
function jobOf(jobs: readonly JestJob[], names: ReadonlyMap<JestJob, string | undefined>, root: string, file: TestResult): JestJob | undefined {
  const ranUnder = typeof file.displayName === 'string' ? file.displayName : file.displayName?.name;
  const byName = jobs.filter((job) => ranUnder !== undefined && names.get(job) === ranUnder);
  if (byName.length === 1) return byName[0];
  return jobs
    .filter((job) => file.testFilePath.startsWith(join(root, job.projectRoot) + sep))
    .sort((a, b) => b.projectRoot.length - a.projectRoot.length)[0];
}

/** Two jobs of one directory are told apart only by their configs' names. */
function checkDistinguishable(jobs: readonly JestJob[], names: ReadonlyMap<JestJob, string | undefined>): void {
  for (const [i, a] of jobs.entries()) {
    for (const b of jobs.slice(i + 1)) {
      if (a.projectRoot === b.projectRoot && (names.get(a) === undefined || names.get(a) === names.get(b)))
        throw new Error(
          `jest: ${a.jestConfig} and ${b.jestConfig} run tests in the same directory (${a.projectRoot}) under the same displayName; give each config a displayName of its own`,
        );
    }
  }
}

/** `globalConfig.rootDir` is the workspace root, so test files are named from there. */
function report(job: JestJob, results: AggregatedResult, globalConfig: Parameters<typeof utils.getResultHeader>[1]): string {
  if (results.numTotalTestSuites === 0)
    return `No tests found for ${job.project} (${job.jestConfig}): a test target that runs nothing fails, as jest's CLI does\n`;
  const files = results.testResults.map(
    (file) => utils.getResultHeader(file, globalConfig) + '\n' + (file.failureMessage ? `${file.failureMessage}\n` : ''),
  );
  return `${files.join('')}\n${utils.getSummary(results)}\n`;
}

/**
 * Runs every job's jest config in one jest run and splits the outcome per job. The run's temporary
 * files go to a folder of their own, removed when every job passed (inScratchTemp).
 */
export async function runJestProjects(
  root: string,
  jobs: readonly JestJob[],
  { workers = availableParallelism(), testNamePattern }: { workers?: number; testNamePattern?: string } = {},
): Promise<JobResult<JestJob>[]> {
  const names = new Map(jobs.map((job) => [job, displayNameOf(root, job)]));
  checkDistinguishable(jobs, names);
  const startTime = Date.now();
  // Jest's cache stays where it would be without the scratch folder: a warm run stays warm.
  const cacheDirectory = jestCacheDirectory(tmpdir());
  const { result: ran, keptAt } = await inScratchTemp(
    () =>
      runCLI(
        {
          $0: 'jest',
          _: [],
          cacheDirectory,
          ci: process.env['CI'] === 'true',
          maxWorkers: workers,
          // The per-project reports below replace jest's console reporter (its output would interleave projects).
          reporters: [join(__dirname, 'silent-reporter.cjs')],
          testSequencer: join(__dirname, 'tools-first-sequencer.cjs'),
          watchman: false,
          ...(testNamePattern === undefined ? {} : { testNamePattern }),
        },
        jobs.map((job) => join(root, job.jestConfig)),
      ),
    (run) => !run.results.success,
  );
  const { results, globalConfig } = ran;
  const byJob = new Map<JestJob, AggregatedResult>(jobs.map((job) => [job, makeEmptyAggregatedTestResult()]));
  const unclaimed: TestResult[] = [];
  for (const file of results.testResults) {
    const job = jobOf(jobs, names, root, file);
    if (job) addResult(byJob.get(job)!, file);
    else unclaimed.push(file);
  }
  if (unclaimed.length > 0)
    throw new Error(`jest ran test files outside every project's directory: ${unclaimed.map((file) => file.testFilePath).join(', ')}`);
  return jobs.map((job) => {
    const jobResults = byJob.get(job)!;
    jobResults.numTotalTestSuites = jobResults.testResults.length;
    const starts = jobResults.testResults.map((file) => file.perfStats.start);
    const ends = jobResults.testResults.map((file) => file.perfStats.end);
    jobResults.startTime = starts.length > 0 ? Math.min(...starts) : startTime;
    jobResults.success = projectSucceeded(jobResults);
    const output = join(root, job.outputFile);
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, JSON.stringify(formatTestResults(jobResults)));
    const scratchNote =
      keptAt && !jobResults.success && jobResults.numTotalTestSuites > 0 ? `temporary files of this jest run kept for a look: ${keptAt}\n` : '';
    return {
      job,
      success: jobResults.success,
      output: report(job, jobResults, { ...globalConfig, rootDir: root }) + scratchNote,
      startTime: jobResults.startTime,
      endTime: ends.length > 0 ? Math.max(...ends) : Date.now(),
    };
  });
}
