import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  // Snippets linted as if they sat in a library, with the real workspace config: all of them in one
  // eslint process (its API's lintText, as `--stdin --stdin-filename` does), since each process
  // loads eslint, typescript-eslint and the Nx plugin again (~1.3 CPU-s; five processes before).
  // Package names spelled through a helper, so greps for root imports in the workspace skip these inputs.
  const provider = (name: string) => `@cdktf/provider-${name}`;
  const snippets = {
    rootImport: `import { Vpc } from '${provider('aws')}';\nexport const v = Vpc;\n`,
    rootRequire: `export const k = require('${provider('kubernetes')}');\n`,
    rootDynamicImport: `export const h = import('${provider('helm')}');\n`,
    deepImport: "import { Vpc } from '@cdktf/provider-aws/lib/vpc';\nexport const v = Vpc;\n",
    libraryImportsApp: "import { buildGlobalApp } from '../../../apps/global/src/global-app';\nexport const b = buildGlobalApp;\n",
  };
  // The rule ids go to a file: the Nx plugin prints to stdout (its warnings).
  const LINT_SNIPPETS = `
    const { ESLint } = require('eslint');
    const fs = require('node:fs');
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const rules = {};
      for (const [name, code] of Object.entries(JSON.parse(fs.readFileSync(0, 'utf8')))) {
        const [result] = await eslint.lintText(code, { filePath: 'libs/config/src/snippet.ts' });
        rules[name] = result.messages.map((message) => message.ruleId);
      }
      fs.writeFileSync(process.argv[1], JSON.stringify(rules));
    })();`;
  let ruleIds: Record<keyof typeof snippets, string[]>;
  beforeAll(() => {
    // enforce-module-boundaries reads Nx's cached project graph and skips itself when there is none
    // (npm test's Nx run leaves one; a lone `npx jest` may run before any nx command): make it first.
    const workspaceData = process.env['NX_WORKSPACE_DATA_DIRECTORY'] ?? join(root, '.nx/workspace-data');
    if (!existsSync(join(workspaceData, 'project-graph.json')))
      spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
        cwd: root,
        env: { ...process.env, NX_DAEMON: 'false' },
      });
    const out = join(mkdtempSync(join(tmpdir(), 'lint-snippets-')), 'rules.json');
    const result = spawnSync(process.execPath, ['-e', LINT_SNIPPETS, out], { cwd: root, input: JSON.stringify(snippets), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`linting the snippets failed: ${result.stderr}`);
    if (result.stdout.includes('No cached ProjectGraph'))
      throw new Error(`the Nx lint plugin found no project graph, so it skipped @nx/enforce-module-boundaries: ${result.stdout.trim()}`);
    ruleIds = JSON.parse(readFileSync(out, 'utf8')) as typeof ruleIds;
  }, 30_000);

  it('forbid importing a provider package root, in every form', () => {
    expect(ruleIds.rootImport).toContain('no-restricted-imports');
    expect(ruleIds.rootRequire).toContain('no-restricted-syntax');
    expect(ruleIds.rootDynamicImport).toContain('no-restricted-syntax');
  });

  it('allow deep imports', () => {
    expect(ruleIds.deepImport).toEqual([]);
  });

  it('forbid a library importing an app', () => {
    expect(ruleIds.libraryImportsApp).toContain('@nx/enforce-module-boundaries');
  });
});

describe('format check', () => {
  /** Of the files named on stdin, those prettier would format (not ignored, a parser known), as JSON. */
  const PRETTIER_FILE_INFO = `
    const prettier = require('prettier');
    (async () => {
      const ignorePath = ['.gitignore', '.prettierignore'];
      const formatted = [];
      for (const file of JSON.parse(require('node:fs').readFileSync(0, 'utf8'))) {
        const info = await prettier.getFileInfo(file, { ignorePath });
        if (!info.ignored && info.inferredParser !== null) formatted.push(file);
      }
      process.stdout.write(JSON.stringify(formatted));
    })();`;

  it("reaches every tracked file prettier formats: each lies in a linted project or a lint target's formatAlso", () => {
    const tracked = spawnSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' });
    if (tracked.status !== 0) throw new Error(`git ls-files failed: ${tracked.stderr}`);
    const files = tracked.stdout.trim().split('\n');
    const projects = files.filter((file) => file.endsWith('/project.json'));
    expect(projects.length).toBeGreaterThan(30);
    // A project's lint target checks its folder and its formatAlso; a project without one checks nothing.
    const covered = projects.flatMap((file) => {
      const lint = (readJson(file) as { targets?: { lint?: { options?: { formatAlso?: string[] } } } }).targets?.lint;
      return lint ? [file.slice(0, -'/project.json'.length), ...(lint.options?.formatAlso ?? [])] : [];
    });
    const outside = files.filter((file) => !covered.some((path) => file === path || file.startsWith(`${path}/`)));
    // Prettier's own verdict (ignore files, known parsers), in a process of its own: it loads its
    // parsers with import(), which jest's module sandbox refuses.
    const verdict = spawnSync(process.execPath, ['-e', PRETTIER_FILE_INFO], { cwd: root, input: JSON.stringify(outside), encoding: 'utf8' });
    if (verdict.status !== 0) throw new Error(`prettier's file info failed: ${verdict.stderr}`);
    const unchecked = JSON.parse(verdict.stdout) as string[];
    // Fix: add the file (or its folder) to workspace-checks' lint formatAlso and inputs, or to .prettierignore.
    expect(unchecked).toEqual([]);
  });
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
