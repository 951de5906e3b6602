import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newLib } from './new-lib';

const root = resolve(__dirname, '../../..');
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A workspace with the root config files, inside tmp/ so the root node_modules resolve, where a generated lib can be linted, type-checked and tested. */
function scratchWorkspace(): string {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, 'tmp', 'new-lib-'));
  scratch.push(dir);
  // jest.preset.js names the jest runtime and the setup file it uses (and what that one loads), so they come along.
  const files = [
    'tsconfig.base.json',
    '.prettierrc.json',
    'eslint.config.mjs',
    'jest.preset.js',
    'packages/batch-executors/src/jest/shared-compile-runtime.cjs',
    'jest.token-creation-stacks.js',
    'libs/stack-kit/src/token-creation-stacks.ts',
  ];
  for (const file of files) cpSync(join(root, file), join(dir, file));
  mkdirSync(join(dir, 'libs/secure-bucket'), { recursive: true });
  return dir;
}

function inside(dir: string, command: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', command), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('npm run new:lib', () => {
  it('writes a lib that lints, type-checks and runs its (todo) spec, with its path alias', () => {
    const dir = scratchWorkspace();
    expect(newLib(dir, 'scratch-lib-under-test')).toEqual([
      'libs/scratch-lib-under-test/project.json',
      'libs/scratch-lib-under-test/tsconfig.json',
      'libs/scratch-lib-under-test/jest.config.js',
      'libs/scratch-lib-under-test/README.md',
      'libs/scratch-lib-under-test/src/index.ts',
      'libs/scratch-lib-under-test/src/scratch-lib-under-test.ts',
      'libs/scratch-lib-under-test/src/scratch-lib-under-test.spec.ts',
      'tsconfig.base.json',
    ]);
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
    expect(tsconfig.compilerOptions.paths['@platform/scratch-lib-under-test']).toEqual(['./libs/scratch-lib-under-test/src/index.ts']);
    expect(JSON.parse(readFileSync(join(dir, 'libs/scratch-lib-under-test/project.json'), 'utf8'))).toMatchObject({
      name: 'scratch-lib-under-test',
      tags: ['type:lib'],
      targets: { lint: {}, typecheck: {}, test: {} },
    });
    expect(readFileSync(join(dir, 'libs/scratch-lib-under-test/src/scratch-lib-under-test.ts'), 'utf8')).toContain(
      'export class ScratchLibUnderTest extends Construct',
    );

    expect(inside(dir, 'prettier/bin/prettier.cjs', '--check', 'libs/scratch-lib-under-test', 'tsconfig.base.json')).toMatchObject({ code: 0 });
    expect(inside(dir, 'eslint/bin/eslint.js', '--max-warnings=0', 'libs/scratch-lib-under-test')).toMatchObject({ code: 0 });
    expect(inside(dir, 'typescript-native/bin/tsc', '-p', 'libs/scratch-lib-under-test/tsconfig.json')).toMatchObject({ code: 0 });
    const jest = inside(dir, 'jest/bin/jest.js', '-c', 'libs/scratch-lib-under-test/jest.config.js');
    expect(jest).toMatchObject({ code: 0 });
    // A todo is listed as such, never counted as a pass.
    expect(jest.out).toMatch(/Tests:\s+1 todo, 1 total/);
  }, 60_000);

  it('refuses a name that is not kebab-case, or taken, before writing anything', () => {
    const dir = scratchWorkspace();
    const before = readFileSync(join(dir, 'tsconfig.base.json'), 'utf8');
    expect(() => newLib(dir, 'ScratchLibUnderTest')).toThrow('lib name "ScratchLibUnderTest" is not kebab-case; fix: npm run new:lib -- <name>');
    expect(() => newLib(dir, undefined)).toThrow('lib name "" is not kebab-case');
    expect(() => newLib(dir, 'secure-bucket')).toThrow('libs/secure-bucket exists already; fix: pick another name');
    expect(() => newLib(dir, 'config')).toThrow('tsconfig.base.json already maps @platform/config; fix: pick another name');
    expect(readFileSync(join(dir, 'tsconfig.base.json'), 'utf8')).toBe(before);
  });
});
