import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformStack } from './platform-stack';
import { entrypointSettings, EntrypointError, runApp } from './run-app';

function appDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'run-app-'));
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ output: 'out' }));
  return dir;
}

describe('app entrypoints', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('defaults to prod on S3 state and the cdktf.json output folder', () => {
    const dir = appDir();
    expect(entrypointSettings({ appDir: dir, env: {} })).toEqual({ environment: 'prod', backend: 's3', outdir: join(dir, 'out') });
    expect(entrypointSettings({ appDir: dir, env: { PLATFORM_BACKEND: 'local', CDKTF_OUTDIR: '/x' }, defaultBackend: 's3' })).toMatchObject({
      backend: 'local',
      outdir: '/x',
    });
  });

  it('refuses an unknown backend with the fix', () => {
    expect(() => entrypointSettings({ appDir: appDir(), env: { PLATFORM_BACKEND: 'consul' } })).toThrow(
      new EntrypointError('PLATFORM_BACKEND = "consul": unknown backend; fix: use one of s3, local (local is for offline work only)'),
    );
  });

  it('synthesizes, and removes stack folders that no longer exist', () => {
    const dir = appDir();
    mkdirSync(join(dir, 'out/stacks/renamed-stack'), { recursive: true });
    runApp({ appDir: dir, env: {}, build: (app, context) => void new PlatformStack(app, 'only-stack', context) });
    expect(process.exitCode).toBeUndefined();
    expect(readdirSync(join(dir, 'out/stacks'))).toEqual(['only-stack']);
    expect(JSON.parse(readFileSync(join(dir, 'out/stacks/only-stack/cdk.tf.json'), 'utf8')).terraform.backend.s3.key).toBe(
      'prod/only-stack/terraform.tfstate',
    );
  });

  it('records which environment (and account) the output was made for', () => {
    const dir = appDir();
    runApp({ appDir: dir, env: { PLATFORM_ENV: 'staging' }, build: (app, context) => void new PlatformStack(app, 'only-stack', context) });
    expect(JSON.parse(readFileSync(join(dir, 'out/synth-environment.json'), 'utf8'))).toEqual({
      environment: 'staging',
      accountId: '222222222222',
      backend: 's3',
    });
  });

  it('on a bad environment prints the config error, exits 1 and writes nothing', () => {
    const dir = appDir();
    runApp({ appDir: dir, env: { PLATFORM_ENV: 'qa' }, build: () => undefined });
    expect(process.exitCode).toBe(1);
    expect(errors.join('\n')).toMatch(/synth failed: invalid platform config "qa".*\n.*PLATFORM_ENV = "qa": no environment has this name/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
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
