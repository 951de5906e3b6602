import { existsSync, readFileSync } from 'node:fs';
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
  readonly output?: Record<string, { value: unknown; description?: string }>;
}

/** The output folder an app's cdktf.json names, resolved from the app folder. */
export function appOutputDir(appDir: string): string {
  const cdktfJson = JSON.parse(readFileSync(join(appDir, 'cdktf.json'), 'utf8')) as { output: string };
  return resolve(appDir, cdktfJson.output);
}

/** Reads every stack of a synthesized app; a clear error when synth has not run. */
export function readSynthesizedApp(appDir: string): SynthesizedStack[] {
  return readSynthesizedOutput(appOutputDir(appDir), appName(appDir));
}

/** Reads a synth output folder directly (e.g. another checkout's dist/apps/<app>, for a cost diff). */
export function readSynthesizedOutput(outdir: string, app: string): SynthesizedStack[] {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} does not exist; fix: synthesize first (npx nx run ${app}:synth)`);
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
 * Refuses synth output made for another environment (prod and staging share `dist/apps/<app>`):
 * a review or an invariant run over the wrong environment would judge it by the wrong config.
 */
export function assertSynthesizedFor(appDir: string, environment: string): void {
  const marker = join(appOutputDir(appDir), 'synth-environment.json');
  if (!existsSync(marker)) return; // made before the marker existed; the manifest check still applies
  const recorded = (JSON.parse(readFileSync(marker, 'utf8')) as { environment?: string }).environment;
  if (recorded !== environment) {
    throw new Error(
      `${appOutputDir(appDir)} holds the ${recorded} synth, not ${environment}; fix: PLATFORM_ENV=${recorded} to read it as ${recorded}, or synthesize ${environment} again (PLATFORM_ENV=${environment} npm run synth)`,
    );
  }
}
