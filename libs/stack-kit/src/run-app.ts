import { ConfigError, DEFAULT_ENVIRONMENT, ENVIRONMENTS, loadEnvironment, placeholdersIn, type PlatformConfig } from '@platform/config';
import { App } from 'cdktf';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { BACKEND_MODES, type BackendMode } from './backend';
import { appOutputDir } from './output-dir';
import { configureTokenCreationStacks } from './token-creation-stacks';

/** Written beside manifest.json by every synth: the environment the output was made for. */
export const SYNTH_ENVIRONMENT_FILE = 'synth-environment.json';

/** What an app's build function gets: the validated config and the backend switch. */
export interface AppContext {
  readonly config: PlatformConfig;
  readonly backend: BackendMode;
}

export interface EntrypointSettings {
  readonly environment: string;
  readonly backend: BackendMode;
  readonly outdir: string;
}

export interface RunAppOptions {
  /** The app's folder (holding its cdktf.json). */
  readonly appDir: string;
  /** The process environment; only entrypoints pass `process.env` in. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Command-line arguments: `--env=<environment>`, which Nx passes from the target's configuration. @default [] */
  readonly argv?: readonly string[];
  readonly build: (app: App, context: AppContext) => void;
  /** The bootstrap app starts on local state: its bucket does not exist yet. @default 's3' */
  readonly defaultBackend?: BackendMode;
}

/** A problem with how the app was invoked (not with the config). */
export class EntrypointError extends Error {
  override readonly name = 'EntrypointError';
}

/**
 * Reads the entrypoint switches: the environment (`--env`, which `nx run <app>:synth -c <env>`
 * passes, or PLATFORM_ENV; default prod; the two must agree), PLATFORM_BACKEND (s3 | local) and the
 * output folder: `dist/<env>/<app>` (CDKTF_OUTDIR when cdktf-cli runs us, as long as it does not
 * name another environment's folder).
 */
export function entrypointSettings(options: Omit<RunAppOptions, 'build'>): EntrypointSettings {
  const backend = (options.env['PLATFORM_BACKEND'] || options.defaultBackend || 's3') as BackendMode;
  if (!BACKEND_MODES.includes(backend)) {
    throw new EntrypointError(
      `PLATFORM_BACKEND = "${backend}": unknown backend; fix: use one of ${BACKEND_MODES.join(', ')} (local is for offline work only)`,
    );
  }
  const fromArgs = (options.argv ?? []).find((arg) => arg.startsWith('--env='))?.slice('--env='.length) || undefined;
  const fromEnv = options.env['PLATFORM_ENV'] || undefined;
  if (fromArgs && fromEnv && fromArgs !== fromEnv) {
    throw new EntrypointError(
      `PLATFORM_ENV = "${fromEnv}" but this synth was started for "${fromArgs}"; fix: npm run synth (it synthesizes for PLATFORM_ENV), or nx run-many -t synth -c ${fromEnv}`,
    );
  }
  const environment = fromArgs ?? fromEnv ?? DEFAULT_ENVIRONMENT;
  const outdir = options.env['CDKTF_OUTDIR'] || appOutputDir(options.appDir, environment);
  // `cdktf synth` in an app folder passes cdktf.json's output (prod's folder) whatever PLATFORM_ENV says.
  const outdirEnvironment = basename(dirname(outdir));
  if (outdirEnvironment in ENVIRONMENTS && outdirEnvironment !== environment) {
    throw new EntrypointError(
      `CDKTF_OUTDIR = ${outdir} is the ${outdirEnvironment} output, not ${environment}'s; fix: cdktf synth --output ${relative(options.appDir, appOutputDir(options.appDir, environment))}, or nx run <app>:synth -c ${environment}`,
    );
  }
  return { environment, backend, outdir };
}

/** Builds the app's stacks in memory (nothing is written): used by synth and by tests. */
export function buildApp(settings: EntrypointSettings, config: PlatformConfig, build: RunAppOptions['build']): App {
  mkdirSync(settings.outdir, { recursive: true }); // cdktf's App creates only the last level
  // Stack traces in the output make every synth differ and slow reviews down; they add nothing to plans.
  const app = new App({ outdir: settings.outdir, stackTraces: false });
  build(app, { config, backend: settings.backend });
  return app;
}

/**
 * The whole entrypoint: validate, build, then write. Any error before synth leaves the output
 * folder untouched; configuration errors print their message (not a stack trace) and exit 1.
 */
export function runApp(options: RunAppOptions): void {
  configureTokenCreationStacks(options.env);
  try {
    const settings = entrypointSettings(options);
    const config = loadEnvironment(settings.environment);
    const app = buildApp(settings, config, options.build);
    const placeholders = placeholdersIn(config);
    const notes =
      placeholders.length > 0
        ? [
            `note: config "${settings.environment}" still uses placeholders (${placeholders.join(', ')}); fine for synth, validate and offline plans, replace them in libs/config/src/environments/ before deploying`,
          ]
        : [];
    // Under Nx every app is a task with its own output, so a note would repeat once per app: there
    // the notes are recorded below and printed once per run (`npm run synth`) and before a deploy.
    if (!options.env['NX_TASK_TARGET_PROJECT']) notes.forEach((note) => console.warn(note));
    app.synth();
    removeStaleStacks(settings.outdir);
    // Which environment this output is, for the tools that read it later (review, invariants): a
    // folder copied or moved by hand must not be read as another environment's.
    writeFileSync(
      resolve(settings.outdir, SYNTH_ENVIRONMENT_FILE),
      `${JSON.stringify({ environment: config.environment, accountId: config.accountId, backend: settings.backend, notes }, null, 2)}\n`,
    );
  } catch (error) {
    if (error instanceof ConfigError || error instanceof EntrypointError) {
      console.error(`synth failed: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

/**
 * Removes stack folders the manifest no longer lists (a renamed or deleted stack), as `cdktf synth`
 * does, so a later `validate` or `deploy --skip-synth` never sees a stack that is gone.
 */
function removeStaleStacks(outdir: string): void {
  const manifest = JSON.parse(readFileSync(resolve(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
  const stacksDir = resolve(outdir, 'stacks');
  for (const entry of readdirSync(stacksDir)) {
    if (!(entry in manifest.stacks)) rmSync(resolve(stacksDir, entry), { recursive: true, force: true });
  }
}
