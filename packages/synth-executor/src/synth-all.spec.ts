import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { appJobs, synthAll } from './synth-all';

/** A workspace of stand-in apps: each entrypoint does what its name says when loaded. */
function scratchWorkspace(apps: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'synth-all-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [app, source] of Object.entries(apps)) {
    write(`apps/${app}/cdktf.json`, JSON.stringify({ output: `../../dist/prod/${app}` }));
    if (source !== undefined) write(`apps/${app}/src/main.ts`, `${source}\nexport {};\n`);
  }
  for (const [path, text] of Object.entries(extra)) write(path, text);
  return root;
}

/** An entrypoint that records a note for its environment, as runApp does. */
const recordsNote = (app: string, note: string) =>
  `const fs = require('node:fs'); const env = process.argv[2].slice('--env='.length);
   fs.mkdirSync('dist/' + env + '/${app}', { recursive: true });
   fs.writeFileSync('dist/' + env + '/${app}/synth-environment.json', JSON.stringify({ notes: [${JSON.stringify(note)}] }));
   console.log('${app} synthesized for ' + env);`;

describe('npm run synth (synth-all)', () => {
  it('finds every app: a folder under apps/ with a cdktf.json, entrypoint src/main.ts, in name order', () => {
    const root = scratchWorkspace({ zeta: '', alpha: '' }, { 'apps/not-an-app/README.md': 'no cdktf.json\n' });
    expect(appJobs(root, 'staging')).toEqual([
      { project: 'alpha', main: join(root, 'apps/alpha/src/main.ts'), environment: 'staging' },
      { project: 'zeta', main: join(root, 'apps/zeta/src/main.ts'), environment: 'staging' },
    ]);
    expect(() => appJobs(scratchWorkspace({ lost: undefined }), 'prod')).toThrow(
      'apps/lost has a cdktf.json but no src/main.ts; fix: add its entrypoint, or remove the folder',
    );
  });

  it('synthesizes every app for the environment, then prints each note once', async () => {
    const root = scratchWorkspace({ one: recordsNote('one', 'note: placeholders'), two: recordsNote('two', 'note: placeholders') });
    let printed = '';
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await synthAll(root, 'staging', [], (text) => (printed += text))).toBe(0);
      expect(warn.mock.calls).toEqual([['note: placeholders']]);
    } finally {
      warn.mockRestore();
    }
    expect(printed).toMatch(/^ok synth one \(staging\) in [0-9.]+ s\none synthesized for staging\n/m);
    expect(printed).toMatch(/^ok synth two \(staging\) in [0-9.]+ s\ntwo synthesized for staging\n/m);
    expect(printed.endsWith('synthesized 2 apps to dist/staging\n')).toBe(true);
  });

  it('fails (exit 1) when an app fails, after synthesizing the others, and prints no notes', async () => {
    const root = scratchWorkspace({ fine: recordsNote('fine', 'note: x'), broken: "console.error('config error: bad'); process.exitCode = 1;" });
    let printed = '';
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await synthAll(root, 'prod', [], (text) => (printed += text))).toBe(1);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    expect(printed).toMatch(/^FAILED synth broken \(prod\) in [0-9.]+ s\nconfig error: bad\n/m);
    expect(printed).toMatch(/^ok synth fine \(prod\)/m);
    expect(printed.endsWith('1 of 2 apps failed to synthesize (prod); see their output above\n')).toBe(true);
  });

  it('says an error that fails every app alike (an unknown environment) once, naming the apps it failed', async () => {
    const unknownEnvironment = 'console.error(\'invalid platform config "prd": no environment has this name\'); process.exitCode = 1;';
    const root = scratchWorkspace({ a: unknownEnvironment, b: unknownEnvironment, c: "console.error('another error'); process.exitCode = 1;" });
    let printed = '';
    expect(await synthAll(root, 'prd', [], (text) => (printed += text))).toBe(1);
    expect(printed.match(/no environment has this name/g)).toHaveLength(1);
    expect(printed).toMatch(/^FAILED synth (a|b) \(prd\) in [0-9.]+ s: the same error as (a|b)\n/m);
    expect(printed).toMatch(/^FAILED synth c \(prd\) in [0-9.]+ s\nanother error\n/m);
    expect(printed.endsWith('3 of 3 apps failed to synthesize (prd); see their output above\n')).toBe(true);
  });

  it('refuses arguments (exit 2), pointing at Nx for a choice of apps or options', async () => {
    let printed = '';
    expect(await synthAll(scratchWorkspace({}), 'prod', ['--skip-nx-cache'], (text) => (printed += text))).toBe(2);
    expect(printed).toBe(
      "npm run synth takes no arguments (got --skip-nx-cache): it synthesizes every app for PLATFORM_ENV (default prod); for some apps or Nx's options: npx nx run-many -t synth -c <env> -p <apps>\n",
    );
  });
});
