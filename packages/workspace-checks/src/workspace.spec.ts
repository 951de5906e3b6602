import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Checks on the workspace itself: the rules that keep synth fast and the apps consistent. */
const root = resolve(__dirname, '../../..');
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const apps = readdirSync(join(root, 'apps')).sort();

describe('dependencies', () => {
  const pkg = readJson('package.json') as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

  it('are pinned exactly (CDKTF is archived: nothing may float); only our own packages link to the workspace', () => {
    const floating = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      ([name, v]) =>
        !/^(npm:[@a-z0-9/-]+@)?\d+\.\d+\.\d+$/.test(v) && !(name.startsWith('@platform/') && /^file:packages\/[a-z-]+\/[a-z-]+$/.test(v)),
    );
    expect(floating).toEqual([]);
  });

  it('use the provider versions the offline mirror and the brief agree on', () => {
    expect(pkg.dependencies).toMatchObject({
      cdktf: '0.21.0',
      '@cdktf/provider-aws': '20.1.0',
      '@cdktf/provider-kubernetes': '12.1.1',
      '@cdktf/provider-helm': '12.1.2',
    });
  });
});

describe('cdktf.json', () => {
  const workspace = readJson('cdktf.json');

  it.each(apps)('of app %s follows the workspace defaults and has its own output folder', (app) => {
    const own = readJson(`apps/${app}/cdktf.json`);
    expect(own).toMatchObject({
      language: workspace.language,
      sendCrashReports: workspace.sendCrashReports,
      output: `../../dist/prod/${app}`,
      app: 'node --require ../../packages/ts-runner/register.cjs src/main.ts',
    });
  });

  it('gives every app its own project id', () => {
    expect(new Set(apps.map((app) => readJson(`apps/${app}/cdktf.json`).projectId)).size).toBe(apps.length);
  });
});

describe('lint rules', () => {
  // Lints snippets as if they sat in a library, with the real workspace config.
  function lint(code: string, file = 'libs/config/src/snippet.ts'): string[] {
    const result = spawnSync(
      process.execPath,
      [join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', file],
      { cwd: root, input: code, encoding: 'utf8' },
    );
    return (JSON.parse(result.stdout) as { messages: { ruleId: string }[] }[])[0]!.messages.map((m) => m.ruleId);
  }

  it('forbid importing a provider package root, in every form', () => {
    expect(lint("import { Vpc } from '@cdktf/provider-aws';\nexport const v = Vpc;\n")).toContain('no-restricted-imports');
    expect(lint("export const k = require('@cdktf/provider-kubernetes');\n")).toContain('no-restricted-syntax');
    expect(lint("export const h = import('@cdktf/provider-helm');\n")).toContain('no-restricted-syntax');
  }, 30_000);

  it('allow deep imports', () => {
    expect(lint("import { Vpc } from '@cdktf/provider-aws/lib/vpc';\nexport const v = Vpc;\n")).toEqual([]);
  }, 30_000);

  it('forbid a library importing an app', () => {
    expect(lint("import { buildGlobalApp } from '../../../apps/global/src/global-app';\nexport const b = buildGlobalApp;\n")).toContain(
      '@nx/enforce-module-boundaries',
    );
  }, 30_000);
});

describe('the ts-runner hook', () => {
  it('runs TypeScript with workspace aliases, from a cold and a warm cache', () => {
    mkdirSync(join(root, 'tmp'), { recursive: true });
    const dir = mkdtempSync(join(root, 'tmp/ts-runner-'));
    try {
      const file = join(dir, 'probe.ts');
      writeFileSync(
        file,
        `import { namePrefix } from '@platform/config';\nconst n: string = namePrefix({ project: 'p', environment: ${JSON.stringify(String(Date.now()))} });\nconsole.log(n);\n`,
      );
      const run = () => spawnSync(process.execPath, ['--require', join(root, 'packages/ts-runner/register.cjs'), file], { encoding: 'utf8' });
      const cold = run();
      const warm = run();
      expect([cold.status, cold.stderr]).toEqual([0, '']);
      expect(warm.stdout).toBe(cold.stdout);
      expect(cold.stdout).toMatch(/^p-\d+\n$/);
    } finally {
      spawnSync('rm', ['-rf', dir]);
    }
  });
});
