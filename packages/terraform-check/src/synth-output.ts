import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_ENVIRONMENT } from '@platform/config';
import { appOutputDir } from '@platform/stack-kit';
import { join, resolve } from 'node:path';

/** One synthesized stack as Terraform will see it. */
export interface SynthesizedStack {
  readonly app: string;
  readonly name: string;
  /** Folder holding cdk.tf.json. */
  readonly dir: string;
  readonly json: TerraformJson;
  /** Provider local names from required_providers, e.g. ["aws"]. */
  readonly providers: readonly string[];
  /** Version constraint per provider. */
  readonly providerVersions: Readonly<Record<string, string>>;
  /** True when the stack reads another stack's state (then it cannot be planned without that state). */
  readonly readsRemoteState: boolean;
}

export interface TerraformJson {
  readonly terraform?: {
    readonly required_providers?: Record<string, { source: string; version?: string }>;
    readonly backend?: Record<string, unknown>;
  };
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
}

/** Reads every stack an app synthesized for one environment (`dist/<env>/<app>`); a clear error when synth has not run. */
export function readSynthesizedApp(appDir: string, environment: string): SynthesizedStack[] {
  return readSynthesizedOutput(appOutputDir(appDir, environment), appName(appDir), environment);
}

/** Reads a synth output folder directly (e.g. another checkout's dist/<env>/<app>, for a cost diff). */
export function readSynthesizedOutput(outdir: string, app: string, environment = DEFAULT_ENVIRONMENT): SynthesizedStack[] {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    const configuration = environment === DEFAULT_ENVIRONMENT ? '' : ` -c ${environment}`;
    throw new Error(`${manifestPath} does not exist; fix: synthesize first (npx nx run ${app}:synth${configuration})`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }>;
  };
  return Object.entries(manifest.stacks).map(([name, entry]) => {
    const json = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8')) as TerraformJson;
    const required = json.terraform?.required_providers ?? {};
    return {
      app,
      name,
      dir: join(outdir, entry.workingDirectory),
      json,
      providers: Object.keys(required).sort(),
      providerVersions: Object.fromEntries(Object.entries(required).map(([p, spec]) => [p, spec.version ?? ''])),
      readsRemoteState: Object.keys(json.data?.['terraform_remote_state'] ?? {}).length > 0,
    };
  });
}

function appName(appDir: string): string {
  return resolve(appDir).split('/').pop() ?? appDir;
}

/**
 * Refuses synth output that records another environment than its folder says (a folder copied or
 * moved by hand): a review or an invariant run over it would judge it by the wrong config.
 */
export function assertSynthesizedFor(appDir: string, environment: string): void {
  const outdir = appOutputDir(appDir, environment);
  const marker = join(outdir, 'synth-environment.json');
  if (!existsSync(marker)) return; // made before the marker existed; the manifest check still applies
  const recorded = (JSON.parse(readFileSync(marker, 'utf8')) as { environment?: string }).environment;
  if (recorded !== environment) {
    throw new Error(
      `${outdir} holds the ${recorded} synth, not ${environment}; fix: synthesize ${environment} again (PLATFORM_ENV=${environment} npm run synth)`,
    );
  }
}
