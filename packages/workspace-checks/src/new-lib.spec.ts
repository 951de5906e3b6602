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
  for (const file of ['tsconfig.base.json', '.prettierrc.json', 'eslint.config.mjs', 'jest.preset.js']) cpSync(join(root, file), join(dir, file));
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
    expect(newLib(dir, 'dns-records')).toEqual([
      'libs/dns-records/project.json',
      'libs/dns-records/tsconfig.json',
      'libs/dns-records/jest.config.js',
      'libs/dns-records/README.md',
      'libs/dns-records/src/index.ts',
      'libs/dns-records/src/dns-records.ts',
      'libs/dns-records/src/dns-records.spec.ts',
      'tsconfig.base.json',
    ]);
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
    expect(tsconfig.compilerOptions.paths['@platform/dns-records']).toEqual(['./libs/dns-records/src/index.ts']);
    expect(JSON.parse(readFileSync(join(dir, 'libs/dns-records/project.json'), 'utf8'))).toMatchObject({
      name: 'dns-records',
      tags: ['type:lib'],
      targets: { lint: {}, typecheck: {}, test: {} },
    });
    expect(readFileSync(join(dir, 'libs/dns-records/src/dns-records.ts'), 'utf8')).toContain('export class DnsRecords extends Construct');

    expect(inside(dir, 'prettier/bin/prettier.cjs', '--check', 'libs/dns-records', 'tsconfig.base.json')).toMatchObject({ code: 0 });
    expect(inside(dir, 'eslint/bin/eslint.js', '--max-warnings=0', 'libs/dns-records')).toMatchObject({ code: 0 });
    expect(inside(dir, 'typescript-native/bin/tsc', '-p', 'libs/dns-records/tsconfig.json')).toMatchObject({ code: 0 });
    const jest = inside(dir, 'jest/bin/jest.js', '-c', 'libs/dns-records/jest.config.js');
    expect(jest).toMatchObject({ code: 0 });
    // A todo is listed as such, never counted as a pass.
    expect(jest.out).toMatch(/Tests:\s+1 todo, 1 total/);
  }, 60_000);

  it('refuses a name that is not kebab-case, or taken, before writing anything', () => {
    const dir = scratchWorkspace();
    const before = readFileSync(join(dir, 'tsconfig.base.json'), 'utf8');
    expect(() => newLib(dir, 'DnsRecords')).toThrow('lib name "DnsRecords" is not kebab-case; fix: npm run new:lib -- <name>');
    expect(() => newLib(dir, undefined)).toThrow('lib name "" is not kebab-case');
    expect(() => newLib(dir, 'secure-bucket')).toThrow('libs/secure-bucket exists already; fix: pick another name');
    expect(() => newLib(dir, 'config')).toThrow('tsconfig.base.json already maps @platform/config; fix: pick another name');
    expect(readFileSync(join(dir, 'tsconfig.base.json'), 'utf8')).toBe(before);
  });
});
