import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lazy, type App } from 'cdktf';
import { PlatformStack } from './platform-stack';
import type { AppContext } from './run-app';
import { entrypointSettings, EntrypointError, runApp } from './run-app';
import { configureTokenCreationStacks, TOKEN_STACK_OFF } from './token-creation-stacks';

/** A workspace in a temporary folder with one app, `apps/demo`, whose cdktf.json names prod's folder. */
function appDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'run-app-'));
  const dir = join(root, 'apps/demo');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ output: '../../dist/prod/demo' }));
  return dir;
}
const out = (dir: string, environment = 'prod') => join(dir, '../../dist', environment, 'demo');

describe('app entrypoints', () => {
  let errors: string[];
  let warnings: string[];
  beforeEach(() => {
    errors = [];
    warnings = [];
    jest.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
    jest.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message));
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('defaults to prod on S3 state in dist/prod/<app>; every other environment gets a folder of its own', () => {
    const dir = appDir();
    expect(entrypointSettings({ appDir: dir, env: {} })).toEqual({ environment: 'prod', backend: 's3', outdir: out(dir) });
    expect(entrypointSettings({ appDir: dir, env: {}, argv: ['--env=staging'] })).toEqual({
      environment: 'staging',
      backend: 's3',
      outdir: out(dir, 'staging'),
    });
    expect(entrypointSettings({ appDir: dir, env: { PLATFORM_ENV: 'staging' } }).outdir).toBe(out(dir, 'staging'));
    expect(entrypointSettings({ appDir: dir, env: { PLATFORM_BACKEND: 'local', CDKTF_OUTDIR: '/x' }, defaultBackend: 's3' })).toMatchObject({
      backend: 'local',
      outdir: '/x',
    });
  });

  it("refuses an environment variable that contradicts the task's environment, and cdktf's prod folder for staging", () => {
    const dir = appDir();
    expect(() => entrypointSettings({ appDir: dir, env: { PLATFORM_ENV: 'staging' }, argv: ['--env=prod'] })).toThrow(
      new EntrypointError(
        'PLATFORM_ENV = "staging" but this synth was started for "prod"; fix: npm run synth (it synthesizes for PLATFORM_ENV), or nx run-many -t synth -c staging',
      ),
    );
    expect(() => entrypointSettings({ appDir: dir, env: { PLATFORM_ENV: 'staging', CDKTF_OUTDIR: out(dir) } })).toThrow(
      `is the prod output, not staging's; fix: cdktf synth --output ../../dist/staging/demo, or nx run <app>:synth -c staging`,
    );
  });

  it("refuses a cdktf.json whose output is not prod's folder of the app", () => {
    const dir = appDir();
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ output: 'cdktf.out' }));
    expect(() => entrypointSettings({ appDir: dir, env: {} })).toThrow(
      /output = "cdktf.out"; fix: set it to the prod folder of the app, \.\.\/\.\.\/dist\/prod\/demo$/,
    );
  });

  it('refuses an unknown backend with the fix', () => {
    expect(() => entrypointSettings({ appDir: appDir(), env: { PLATFORM_BACKEND: 'consul' } })).toThrow(
      new EntrypointError('PLATFORM_BACKEND = "consul": unknown backend; fix: use one of s3, local (local is for offline work only)'),
    );
  });

  it('synthesizes, and removes stack folders that no longer exist', () => {
    const dir = appDir();
    mkdirSync(join(out(dir), 'stacks/renamed-stack'), { recursive: true });
    // Specs start with the stacks off (jest.token-creation-stacks.js): on here, so runApp must turn them off.
    configureTokenCreationStacks({ CDKTF_TOKEN_STACK_TRACES: '1' });
    let creationStack: readonly string[] = [];
    runApp({
      appDir: dir,
      env: {},
      build: (app, context) => {
        new PlatformStack(app, 'only-stack', context);
        creationStack = (Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] }).creationStack;
      },
    });
    expect(process.exitCode).toBeUndefined();
    expect(creationStack).toBe(TOKEN_STACK_OFF); // entrypoints skip cdktf's per-token stack traces
    expect(readdirSync(join(out(dir), 'stacks'))).toEqual(['only-stack']);
    expect(JSON.parse(readFileSync(join(out(dir), 'stacks/only-stack/cdk.tf.json'), 'utf8')).terraform.backend.s3.key).toBe(
      'prod/only-stack/terraform.tfstate',
    );
  });

  it("synthesizing staging leaves prod's output untouched, and records which environment (and account) each is", () => {
    const dir = appDir();
    const build = (name: string) => (app: App, context: AppContext) => void new PlatformStack(app, name, context);
    runApp({ appDir: dir, env: {}, build: build('only-stack') });
    const prodJson = readFileSync(join(out(dir), 'stacks/only-stack/cdk.tf.json'), 'utf8');
    runApp({ appDir: dir, env: { PLATFORM_ENV: 'staging' }, build: build('only-stack') });
    expect(readFileSync(join(out(dir), 'stacks/only-stack/cdk.tf.json'), 'utf8')).toBe(prodJson);
    expect(JSON.parse(readFileSync(join(out(dir), 'synth-environment.json'), 'utf8')).environment).toBe('prod');
    expect(JSON.parse(readFileSync(join(out(dir, 'staging'), 'stacks/only-stack/cdk.tf.json'), 'utf8')).terraform.backend.s3.key).toBe(
      'staging/only-stack/terraform.tfstate',
    );
    expect(JSON.parse(readFileSync(join(out(dir, 'staging'), 'synth-environment.json'), 'utf8'))).toMatchObject({
      environment: 'staging',
      accountId: '222222222222',
      backend: 's3',
    });
  });

  it('warns about placeholders itself when run alone, and only records the note when Nx runs it (printed once per run)', () => {
    const dir = appDir();
    const build = (app: App, context: AppContext) => void new PlatformStack(app, 'only-stack', context);
    const note = /^note: config "prod" still uses placeholders \(.*accountId 111111111111.*\); fine for synth, validate and offline plans/;
    runApp({ appDir: dir, env: {}, build });
    expect(warnings).toEqual([expect.stringMatching(note)]);
    runApp({ appDir: dir, env: { NX_TASK_TARGET_PROJECT: 'demo' }, build });
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(out(dir), 'synth-environment.json'), 'utf8')).notes).toEqual([expect.stringMatching(note)]);
    expect(errors).toEqual([]);
  });

  it('on a bad environment prints the config error, exits 1 and writes nothing', () => {
    const dir = appDir();
    runApp({ appDir: dir, env: { PLATFORM_ENV: 'qa' }, build: () => undefined });
    expect(process.exitCode).toBe(1);
    expect(errors.join('\n')).toMatch(/synth failed: invalid platform config "qa".*\n.*PLATFORM_ENV = "qa": no environment has this name/);
    expect(existsSync(join(dir, '../../dist'))).toBe(false);
  });

  it('lets programming errors surface with their stack trace', () => {
    expect(() =>
      runApp({
        appDir: appDir(),
        env: {},
        build: () => {
          throw new TypeError('bug');
        },
      }),
    ).toThrow(TypeError);
  });
});
