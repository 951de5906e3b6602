import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../../..');
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A workspace under tmp/ (so the root node_modules resolve) whose jest config is the preset, with the given files. */
function workspace(files: Record<string, string>): string {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, 'tmp', 'compile-runtime-'));
  scratch.push(dir);
  const all = {
    'jest.config.js': `module.exports = { ...require(${JSON.stringify(join(root, 'jest.preset.js'))}), rootDir: __dirname };\n`,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function runJest(dir: string) {
  const run = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '-c', join(dir, 'jest.config.js'), '-i', '--ci'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

// A dependency whose first line throws (columns there are where the wrapper sits), which counts its
// own calls (module state), and which reports how its module function was compiled.
const DEPENDENCY = [
  "exports.fail = () => { throw new Error('boom'); };",
  'let calls = 0;',
  'exports.count = () => ++calls;',
  // Sloppy mode, so the module function can see itself: jest's own compile gives "function (module, ...".
  'exports.compiledAs = arguments.callee.toString().slice(0, 16);',
  '',
].join('\n');

// Two test files load the dependency; each must get its own instance, compiled by the runtime.
const USES_DEPENDENCY = `
const dependency = require('counting-dependency');
it('gets its own instance of the dependency', () => {
  expect([dependency.count(), dependency.count()]).toEqual([1, 2]);
});
it('compiles the dependency as a script, so the next file reuses the parse', () => {
  expect(dependency.compiledAs).toBe('function(module,');
});
it('reports the dependency\\'s first-line columns as in the file', () => {
  const column = ${JSON.stringify(DEPENDENCY.indexOf('new Error') + 1)};
  expect(() => dependency.fail()).toThrow('boom');
  try { dependency.fail(); } catch (error) {
    expect((error as Error).stack).toContain(\`counting-dependency/index.js:1:\${column})\`);
  }
});
`;

describe('shared-compile-runtime (jest runtime of every project, through jest.preset.js)', () => {
  it('compiles dependencies as scripts, each test file still gets its own module instances, and stack columns stay exact', () => {
    const dir = workspace({
      'node_modules/counting-dependency/index.js': DEPENDENCY,
      'src/first.spec.ts': USES_DEPENDENCY,
      'src/second.spec.ts': USES_DEPENDENCY,
    });
    const run = runJest(dir);
    expect(run.out).toMatch(/Tests:\s+6 passed, 6 total/);
    expect(run.code).toBe(0);
  }, 60_000);

  it("leaves a dependency that does not parse to jest's compile, so jest explains it as usual", () => {
    const dir = workspace({
      'node_modules/broken-dependency/index.js': 'module.exports = { value: 1;\n',
      'src/broken.spec.ts': "const { value } = require('broken-dependency');\nit('loads', () => expect(value).toBe(1));\n",
    });
    const run = runJest(dir);
    expect(run.code).toBe(1);
    expect(run.out).toContain('Jest encountered an unexpected token');
    expect(run.out).toContain('broken-dependency/index.js');
  }, 60_000);

  it('names the file and the fix when a jest upgrade removed what it hooks', () => {
    jest.isolateModules(() => {
      jest.doMock('jest-runtime', () => ({ default: class {} }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Runtime = require('./shared-compile-runtime.cjs') as new () => unknown;
      expect(() => new Runtime()).toThrow(
        /jest-runtime \d+\.\d+\.\d+ has no executor\.compile\(source, filename\) \(written for 30\.5\); fix: adapt packages\/batch-executors\/src\/jest\/shared-compile-runtime\.cjs/,
      );
    });
  });
});
