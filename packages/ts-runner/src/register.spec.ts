// register.cjs runs in a child process here, as it does under every synth: jest has its own loader.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REGISTER = resolve(__dirname, '../register.cjs');
const runWithHook = (script: string) =>
  execFileSync(process.execPath, ['--require', REGISTER, '-e', script], { cwd: resolve(__dirname, '../../..'), encoding: 'utf8' });

describe('ts-runner', () => {
  it('runs TypeScript with the workspace aliases', () => {
    expect(runWithHook("console.log(require('@platform/config').DEFAULT_ENVIRONMENT)").trim()).toBe('prod');
  });

  it("defers cdktf's archiver until it is called, and then hands over the real one", () => {
    const loaded = runWithHook(
      [
        "const Module = require('node:module');",
        "const archiverModules = () => Object.keys(require.cache).filter((file) => file.includes('/node_modules/archiver/')).length;",
        "require('cdktf');",
        'const before = archiverModules();',
        // what cdktf/lib/private/fs.js gets for require('archiver'):
        "const stub = Module._load('archiver', require.cache[require.resolve('cdktf/lib/private/fs')], false);",
        "const archive = stub('zip', { zlib: { level: 9 } });",
        'console.log(JSON.stringify({ before, after: archiverModules(), finalize: typeof archive.finalize, pipe: typeof archive.pipe }));',
      ].join('\n'),
    );
    expect(JSON.parse(loaded)).toEqual({ before: 0, after: expect.any(Number), finalize: 'function', pipe: 'function' });
    expect((JSON.parse(loaded) as { after: number }).after).toBeGreaterThan(0);
  });

  it('still makes real zips through cdktf (its archiveSync runs fs.js as a CLI of its own)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ts-runner-'));
    mkdirSync(join(folder, 'src'));
    writeFileSync(join(folder, 'src/handler.js'), 'exports.handler = () => 1;\n');
    runWithHook(`require('cdktf/lib/private/fs').archiveSync(${JSON.stringify(join(folder, 'src'))}, ${JSON.stringify(join(folder, 'out.zip'))});`);
    const zip = readFileSync(join(folder, 'out.zip'));
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a zip's local file header
    expect(zip.includes(Buffer.from('handler.js'))).toBe(true);
  });

  it('shares one transpiled copy between checkouts of the same file, and each maps its stack traces to its own path', () => {
    const token = randomUUID(); // only this test's file holds it
    const source = `// ${token}\nexport function fail(): never {\n  const where: string = 'line 4';\n  throw new Error(where);\n}\n`;
    const checkouts = ['first', 'second'].map((name) => join(mkdtempSync(join(tmpdir(), `ts-runner-${name}-`)), 'libs/x/src'));
    const traces = checkouts.map((dir) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'thrower.ts'), source);
      const script = `require(${JSON.stringify(join(dir, 'thrower.ts'))}).fail()`;
      const run = spawnSync(process.execPath, ['--enable-source-maps', '--require', REGISTER, '-e', script], { encoding: 'utf8' });
      return run.stderr
        .split('\n')
        .find((line) => line.includes('at Object.fail'))
        ?.trim();
    });
    expect(traces).toEqual(checkouts.map((dir) => `at Object.fail (${join(dir, 'thrower.ts')}:4:9)`));
    const cacheDir = resolve(__dirname, '../../../node_modules/.cache/ts-runner');
    expect(readdirSync(cacheDir).filter((file) => readFileSync(join(cacheDir, file), 'utf8').includes(token))).toHaveLength(1);
  });

  it('loads archiver normally for everyone but cdktf', () => {
    const kind = runWithHook("console.log(typeof require('node:module')._load('archiver', module, false).create)");
    expect(kind.trim()).toBe('function');
  });
});
