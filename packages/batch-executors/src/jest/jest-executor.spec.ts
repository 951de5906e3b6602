// The executor runs jest, so it is exercised here in a plain Node process (jest inside jest's module
// sandbox would share its globals) over a scratch workspace of small JavaScript projects.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { jestCacheDirectory } from './scratch-temp';

const workspaceRoot = resolve(__dirname, '../../../..');

const jestConfig = (name: string): string =>
  `module.exports = { rootDir: __dirname, displayName: '${name}', testEnvironment: 'node', testMatch: ['<rootDir>/*.test.js'] };\n`;

function scratchWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'jest-executor-'));
  const files: Record<string, string> = {
    'passes/jest.config.js': jestConfig('passes'),
    'passes/one.test.js': "test('adds', () => expect(1 + 1).toBe(2));\ntest('concatenates', () => expect('a' + 'b').toBe('ab'));\n",
    'passes/two.test.js': "test('compares', () => expect([1]).toEqual([1]));\n",
    'fails/jest.config.js': jestConfig('fails'),
    'fails/wrong.test.js': "test('is wrong', () => expect(2 + 2).toBe(5));\ntest('is right', () => expect(true).toBe(true));\n",
    // A suite that cannot load has no failing test, only an execution error: it must still fail.
    'broken/jest.config.js': jestConfig('broken'),
    'broken/load.test.js': "require('./missing-module');\ntest('never runs', () => {});\n",
    'empty/jest.config.js': jestConfig('empty'),
    // A project inside another: each test file counts for the deepest project holding it.
    'outer/jest.config.js': jestConfig('outer'),
    'outer/outer.test.js': "test('outer', () => {});\n",
    'outer/inner/jest.config.js': jestConfig('inner'),
    'outer/inner/inner.test.js': "test('inner', () => {});\ntest('inner too', () => {});\n",
    // Two targets of one project (like test and rehearse): one directory, two configs, two names.
    'twins/jest.unit.config.js': jestConfig('twins-unit').replace("'<rootDir>/*.test.js'", "'<rootDir>/unit.test.js'"),
    'twins/jest.e2e.config.js': jestConfig('twins-e2e').replace("'<rootDir>/*.test.js'", "'<rootDir>/e2e.test.js'"),
    'twins/unit.test.js': "test('unit', () => {});\n",
    'twins/e2e.test.js': "test('e2e', () => {});\ntest('e2e too', () => {});\n",
    // A spec that leaves a scratch folder behind, as checkouts and offline plans do; it says where.
    'scratch/jest.config.js': jestConfig('scratch'),
    'scratch/leaves.test.js': [
      "const { mkdtempSync, writeFileSync } = require('node:fs');",
      "const { join } = require('node:path');",
      "test('leaves a scratch folder', () => writeFileSync(join(__dirname, 'left.txt'), mkdtempSync(join(require('node:os').tmpdir(), 'left-'))));",
      '',
    ].join('\n'),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

interface Outcome {
  readonly success: boolean;
  readonly output: string;
}

describe('jest executor', () => {
  const root = scratchWorkspace();
  const projects: Record<string, string> = {
    passes: 'passes',
    fails: 'fails',
    broken: 'broken',
    empty: 'empty',
    outer: 'outer',
    inner: 'outer/inner',
    scratch: 'scratch',
  };
  const job = (project: string, projectRoot: string, jestConfig = `${projectRoot}/jest.config.js`) => ({
    project,
    projectRoot,
    jestConfig,
    outputFile: `results/${project}.json`,
  });
  const jobs = [
    ...Object.entries(projects).map(([project, projectRoot]) => job(project, projectRoot)),
    job('twins-unit', 'twins', 'twins/jest.unit.config.js'),
    job('twins-e2e', 'twins', 'twins/jest.e2e.config.js'),
  ];
  // TMPDIR set, so the run's temp folder goes under it (scratchParent), wherever this spec runs.
  const runTemp = mkdtempSync(join(tmpdir(), 'executor-temp-'));
  /** Runs the jobs in a Node process of their own and returns what each printed, or the error thrown. */
  const run = (runJobs: unknown[], options: { testNamePattern?: string } = {}) => {
    const script = `
      require(${JSON.stringify(join(__dirname, 'run-jest-projects.ts'))})
        .runJestProjects(${JSON.stringify(root)}, ${JSON.stringify(runJobs)}, ${JSON.stringify({ workers: 1, ...options })})
        .then((results) => console.log(JSON.stringify(Object.fromEntries(results.map((r) => [r.job.project, { success: r.success, output: r.output }])))))
        .catch((error) => console.log(JSON.stringify({ error: error.message })));`;
    return JSON.parse(
      execFileSync(process.execPath, ['--require', join(workspaceRoot, 'packages/ts-runner/register.cjs'), '-e', script], {
        cwd: workspaceRoot,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0', TMPDIR: runTemp },
      }),
    ) as Record<string, Outcome> & { error?: string };
  };
  const outcomes = run(jobs);
  const report = (project: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, `results/${project}.json`), 'utf8'));

  it("passes a project whose tests all pass, with jest's report for its files only", () => {
    expect(outcomes['passes']!.success).toBe(true);
    expect(outcomes['passes']!.output).toMatch(
      /^PASS passes\/(one|two)\.test\.js\nPASS passes\/(one|two)\.test\.js\n\nTest Suites: 2 passed, 2 total\nTests: {7}3 passed, 3 total\n/,
    );
  });

  it('fails a project with a failing test, and only that project', () => {
    expect(outcomes['fails']!.success).toBe(false);
    expect(outcomes['fails']!.output).toContain('FAIL fails/wrong.test.js');
    expect(outcomes['fails']!.output).toContain('Expected: 5\n    Received: 4');
    expect(outcomes['fails']!.output).toContain('Tests:       1 failed, 1 passed, 2 total');
  });

  it('fails a project whose test file cannot load, though no test failed', () => {
    expect(outcomes['broken']!.success).toBe(false);
    expect(outcomes['broken']!.output).toMatch(
      /^FAIL broken\/load\.test\.js\n {2}● Test suite failed to run\n\n {4}Cannot find module '\.\/missing-module' from 'load\.test\.js'/,
    );
    expect(report('broken')).toMatchObject({ success: false, numFailedTests: 0, numRuntimeErrorTestSuites: 1 });
  });

  it('fails a project where no test ran, naming its config', () => {
    expect(outcomes['empty']).toEqual({
      success: false,
      output: "No tests found for empty (empty/jest.config.js): a test target that runs nothing fails, as jest's CLI does\n",
    });
  });

  it("credits each test file to the deepest project that holds it, and writes each project's --json report", () => {
    expect(outcomes['outer']!.output).toContain('Tests:       1 passed, 1 total');
    expect(outcomes['inner']!.output).toContain('Tests:       2 passed, 2 total');
    expect(report('passes')).toMatchObject({ success: true, numPassedTests: 3, numFailedTests: 0, numTotalTestSuites: 2 });
    expect(report('fails')).toMatchObject({ success: false, numPassedTests: 1, numFailedTests: 1 });
    expect(report('inner')).toMatchObject({ success: true, numPassedTests: 2 });
  });

  it('tells two configs of one directory apart by their names, and refuses two that share one', () => {
    expect(outcomes['twins-unit']!.output).toContain('Tests:       1 passed, 1 total');
    expect(outcomes['twins-e2e']!.output).toContain('Tests:       2 passed, 2 total');
    expect(run([job('a', 'twins', 'twins/jest.unit.config.js'), job('b', 'twins', 'twins/jest.unit.config.js')])).toEqual({
      error:
        'jest: twins/jest.unit.config.js and twins/jest.unit.config.js run tests in the same directory (twins) under the same displayName; give each config a displayName of its own',
    });
  });

  const scratchLeft = () => readFileSync(join(root, 'scratch/left.txt'), 'utf8');

  it('gives the run a temp folder of its own and keeps it when a test failed, saying where in each failed project', () => {
    const left = scratchLeft();
    const runFolder = dirname(left);
    expect(runFolder).toMatch(new RegExp(`^${runTemp}/jest-run-[A-Za-z0-9]{6}$`));
    expect(existsSync(left)).toBe(true);
    expect(outcomes['fails']!.output.endsWith(`temporary files of this jest run kept for a look: ${runFolder}\n`)).toBe(true);
    expect(outcomes['passes']!.output).not.toContain('temporary files');
  });

  it("keeps jest's cache where jest puts it by default, outside the run's temp folder, so a warm cache survives the run", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest's own default, computed from this process's temp folder
    const { defaults } = require('jest-config') as { defaults: { cacheDirectory: string } };
    expect(jestCacheDirectory(tmpdir())).toBe(defaults.cacheDirectory);
  });

  it('runs only the tests whose name matches a given pattern (jest -t); a run where all passed leaves no temp folder', () => {
    const only = run([job('passes', 'passes'), job('scratch', 'scratch')], { testNamePattern: '^(concatenates|leaves a scratch folder)$' });
    expect(only['passes']!.output).toContain('Tests:       2 skipped, 1 passed, 3 total');
    const left = scratchLeft();
    expect(left).toMatch(new RegExp(`^${runTemp}/jest-run-[A-Za-z0-9]{6}/left-`));
    expect([only['scratch']!.success, existsSync(dirname(left))]).toEqual([true, false]);
  });
});
