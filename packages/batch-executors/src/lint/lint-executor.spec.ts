// eslint and prettier load their config and plugins with import(), which jest's module sandbox
// cannot run; the executor therefore runs here in a plain Node process, as Nx runs it, over a
// scratch workspace with a config of its own.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const workspaceRoot = resolve(__dirname, '../../../..');

function scratchWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lint-executor-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Runs `script` (which sees `root` and the executor's modules) in Node and returns what it printed as JSON. */
function inNode<T>(root: string, script: string): T {
  const preamble = `
    const root = ${JSON.stringify(root)};
    const { lintProjects } = require(${JSON.stringify(join(__dirname, 'lint-projects.ts'))});
    const { lintBatch } = require(${JSON.stringify(join(__dirname, 'lint-executor.ts'))});
    const { prettierCheck } = require(${JSON.stringify(join(__dirname, 'prettier-check.ts'))});`;
  const out = execFileSync(process.execPath, ['--require', join(workspaceRoot, 'packages/ts-runner/register.cjs'), '-e', preamble + script], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    // Nx forces colour on for its tasks; the assertions read eslint's report as plain text.
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return JSON.parse(out) as T;
}

const FORMATTED = "export const answer = 'forty-two';\n";

describe('lint executor', () => {
  const root = scratchWorkspace({
    'eslint.config.mjs': "export default [{ files: ['**/*.js'], rules: { 'no-console': 'warn', 'no-unused-vars': 'error' } }];\n",
    '.prettierrc.json': '{ "singleQuote": true }\n',
    '.prettierignore': 'clean/ignored.js\n',
    '.gitignore': 'generated/\n',
    'clean/src/answer.js': FORMATTED,
    'clean/README.md': '# Clean\n\nA project with nothing to report.\n',
    'clean/notes.txt': 'prettier has no parser for this "file"\n',
    // Never checked: ignored by .prettierignore, by .gitignore, and node_modules is never entered.
    'clean/ignored.js': 'export const   ignored="x"\n',
    'clean/generated/out.js': 'export const   generated="x"\n',
    'clean/node_modules/dep/index.js': 'module.exports="x"\n',
    'warns/src/log.js': "console.log('hello');\n",
    'unused/src/unused.js': 'const unused = 1;\n',
    'unformatted/src/quotes.js': 'export const quotes = "double";\n',
    'unformatted/config.json': '{"a":1,\n"b":2}\n',
    'unparsable/src/index.js': FORMATTED,
    'unparsable/data.json': '{ "a": 1,, }\n',
  });
  const results = inNode<Record<string, { success: boolean; output: string }>>(
    root,
    `(async () => {
      const results = {};
      const jobs = ['unformatted', 'warns', 'unused', 'unparsable', 'clean', 'missing'].map((project) => ({ project, projectRoot: project }));
      for await (const r of lintProjects(root, jobs)) results[r.job.project] = { success: r.success, output: r.output };
      console.log(JSON.stringify(results));
    })();`,
  );

  it('passes a clean project, naming what it checked, and checks the files the prettier CLI would', () => {
    expect(results['clean']).toEqual({
      success: true,
      // eslint has ignores of its own (none here), so it lints the three .js files prettier skips two of.
      output: 'eslint and prettier: 3 linted, 2 format-checked files in clean, no problems\n',
    });
    const check = inNode<{ checked: string[] }>(root, `prettierCheck(root, ['clean']).then((c) => console.log(JSON.stringify(c)));`);
    // Not notes.txt (no parser), ignored.js (.prettierignore), generated/ (.gitignore), node_modules.
    expect(check.checked).toEqual(['clean/README.md', 'clean/src/answer.js']);
  });

  it('fails on an eslint warning as on an error (--max-warnings=0), with eslint’s report', () => {
    expect(results['warns']!.success).toBe(false);
    expect(results['warns']!.output).toContain('1:1  warning  Unexpected console statement  no-console');
    expect(results['unused']!.success).toBe(false);
    expect(results['unused']!.output).toContain("1:7  error  'unused' is assigned a value but never used  no-unused-vars");
  });

  it('fails on every file prettier would rewrite, and on a file it cannot parse', () => {
    expect(results['unformatted']).toEqual({
      success: false,
      output:
        '[warn] unformatted/config.json\n[warn] unformatted/src/quotes.js\n[warn] Code style issues found in 2 files. Run Prettier with --write to fix.\n',
    });
    expect(results['unparsable']!.success).toBe(false);
    expect(results['unparsable']!.output).toMatch(/^\[error\] unparsable\/data\.json: /);
  });

  it('reports a project eslint finds no files in as a failure naming the project, as the CLI does', () => {
    expect(results['missing']!.success).toBe(false);
    expect(results['missing']!.output).toMatch(/^lint of missing \(missing\) failed: No files matching 'missing' were found\.\n$/);
  });

  it("hands Nx each task's own result in batch mode, keyed by the task's id", () => {
    const batch = inNode<Array<{ task: string; result: { success: boolean; terminalOutput: string } }>>(
      root,
      `(async () => {
        const task = (project) => ({ id: project + ':lint', target: { project, target: 'lint' } });
        const taskGraph = { tasks: { 'clean:lint': task('clean'), 'warns:lint': task('warns') } };
        const context = { root, projectsConfigurations: { projects: { clean: { root: 'clean' }, warns: { root: 'warns' } } } };
        const out = [];
        for await (const r of lintBatch(taskGraph, { 'clean:lint': {}, 'warns:lint': {} }, {}, context)) out.push({ task: r.task, result: { success: r.result.success, terminalOutput: r.result.terminalOutput } });
        console.log(JSON.stringify(out));
      })();`,
    );
    expect(batch.map(({ task, result }) => [task, result.success])).toEqual([
      ['clean:lint', true],
      ['warns:lint', false],
    ]);
    expect(batch[1]!.result.terminalOutput).toContain('no-console');
  });

  it('lints as the eslint CLI would, so @nx/enforce-module-boundaries reads the project graph once, not per file', () => {
    // A rule that fails every file @nx/eslint-plugin would not count as a terminal run (where the
    // boundaries rule re-reads the project graph for each file, nrwl/nx#36611).
    const runtimeLintUtils = join(workspaceRoot, 'node_modules/@nx/eslint-plugin/dist/src/utils/runtime-lint-utils.js');
    const terminal = scratchWorkspace({
      'eslint.config.mjs': `import { createRequire } from 'node:module';
        const { isTerminalRun } = createRequire(import.meta.url)(${JSON.stringify(runtimeLintUtils)});
        const rule = { create: (context) => ({ Program: (node) => { if (!isTerminalRun()) context.report({ node, message: 'not a terminal run for @nx/eslint-plugin' }); } }) };
        export default [{ files: ['**/*.js'], plugins: { nx: { rules: { terminal: rule } } }, rules: { 'nx/terminal': 'error' } }];\n`,
      '.prettierrc.json': '{ "singleQuote": true }\n',
      'one/src/a.js': FORMATTED,
      'one/src/b.js': FORMATTED,
    });
    const run = inNode<{ success: boolean; output: string; argvBefore: string; argvAfter: string }>(
      terminal,
      `(async () => {
        const argvBefore = process.argv[1];
        let result;
        for await (const r of lintProjects(root, [{ project: 'one', projectRoot: 'one' }])) result = r;
        console.log(JSON.stringify({ success: result.success, output: result.output, argvBefore, argvAfter: process.argv[1] }));
      })();`,
    );
    expect(run.output).toBe('eslint and prettier: 2 linted, 2 format-checked files in one, no problems\n');
    expect(run.success).toBe(true);
    // The process is itself again once the projects are linted.
    expect(run.argvAfter).toBe(run.argvBefore);
  });
});
