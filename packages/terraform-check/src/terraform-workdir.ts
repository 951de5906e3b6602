import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedStack } from './synth-output';
import type { Toolchain } from './toolchain';

/**
 * A scratch folder per stack where terraform runs, outside the synth output so Nx's cached synth
 * outputs stay exactly what synth wrote. `.terraform/` is kept between runs; providers come from
 * the mirror through a shared plugin cache (a symlink per stack, never a 600 MB copy).
 */
export class TerraformWorkdir {
  readonly dir: string;
  private readonly cliConfig: string;

  constructor(
    private readonly root: string,
    private readonly toolchain: Toolchain,
    readonly stack: SynthesizedStack,
  ) {
    this.dir = join(root, stack.app, stack.name);
    this.cliConfig = join(root, 'terraformrc');
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(join(root, 'plugin-cache'), { recursive: true });
    writeTerraformCliConfig(this.cliConfig, toolchain.mirror, join(root, 'plugin-cache'));
    rmSync(join(this.dir, 'cdk.tf.json'), { force: true });
    rmSync(join(this.dir, 'zz_offline_override.tf.json'), { force: true });
    copyFileSync(join(stack.dir, 'cdk.tf.json'), join(this.dir, 'cdk.tf.json'));
  }

  run(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): SpawnSyncReturns<string> {
    return spawnSync(this.toolchain.terraform, args, {
      cwd: this.dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...offlineTerraformEnv(this.cliConfig), ...extraEnv },
    });
  }

  /**
   * `terraform init`, without the backend unless asked (offline plans use a local one). Serialized
   * across processes: the plugin cache is not safe for concurrent writers. The lock file it writes
   * is left without provider checksums (`dropProviderChecksums`).
   */
  init(withoutBackend = true): SpawnSyncReturns<string> {
    const args = ['init', '-input=false', '-no-color', '-reconfigure', ...(withoutBackend ? ['-backend=false'] : [])];
    const result = withFileLock(join(this.root, 'init.lock'), () => this.run(args));
    if (result.status === 0) dropProviderChecksums(join(this.dir, '.terraform.lock.hcl'));
    return result;
  }
}

/**
 * Removes the `hashes` of every provider in a lock file that `terraform init` has just written.
 * Every later validate, plan and show checks the installed provider against those checksums, which
 * means hashing the 700 MB AWS provider binary again: without them plan 3.1 -> 2.7, show 2.1 -> 1.6,
 * validate 2.6 -> 2.0 CPU-s (one small stack, terraform 1.11.4, three alternating runs each,
 * 2026-12-07, this machine).
 * Here the checksum was taken by the init just before, from the same mirror file, so the check
 * compared the binary with itself. Only these scratch folders drop them: the workflows' init, plan
 * and apply (and their rehearsal) keep the lock file the plan job bundles for the apply job.
 */
export function dropProviderChecksums(lockFile: string): void {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // a configuration without providers
    throw error;
  }
  const without = text.replace(/^[ \t]*hashes[ \t]*=[ \t]*\[[^\]]*\][ \t]*\n/gm, '');
  if (/\bhashes\b/.test(without))
    throw new Error(`${lockFile}: provider checksums in a form dropProviderChecksums does not know; fix: teach it the new lock file format`);
  writeFileSync(lockFile, without);
}

/**
 * The environment of every terraform run these checks make: the given CLI config, no prompts, no
 * version check, and the Go collector at GOGC=400 unless the caller set GOGC. terraform and the
 * provider are short-lived Go processes that spend much of their time collecting garbage while they
 * decode the AWS provider's schema; at 400 `npm run review` (twelve stacks planned) took 42-48
 * CPU-s against 55 at Go's default 100 (33-37 s against 38-39 s wall; 800 was no better), for
 * ~50 MB more per process (a show: 365 -> 410 MB). Measured 2026-12-07 on this 2-core machine.
 */
export function offlineTerraformEnv(cliConfig: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GOGC: env['GOGC'] || '400', TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
}

/**
 * A terraform CLI config where only the local mirror supplies providers (an offline check must
 * never reach a registry), through a shared plugin cache (a symlink per stack, never a 600 MB copy).
 */
export function writeTerraformCliConfig(path: string, mirror: string, pluginCache: string): void {
  mkdirSync(pluginCache, { recursive: true });
  // Written whole, then renamed: a terraform started by another process meanwhile reads the old
  // file or the new one, never a half-written one.
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(
    partial,
    [
      'provider_installation {',
      `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`,
      '}',
      `plugin_cache_dir   = ${JSON.stringify(pluginCache)}`,
      // Without this, terraform >= 1.4 re-installs into the cache on every init of a folder whose
      // lock file lacks the checksum (every fresh folder), replacing the cached provider under a
      // concurrent \`validate\` of another stack ("no package ... cached in .terraform/providers").
      // The mirror is the only source, so the lock file has nothing to protect here.
      'plugin_cache_may_break_dependency_lock_file = true',
      'disable_checkpoint = true',
      '',
    ].join('\n'),
  );
  renameSync(partial, path);
}

function withFileLock<T>(lockPath: string, action: () => T): T {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      closeSync(openSync(lockPath, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than two minutes belongs to a process that died mid-init.
      const held = statSync(lockPath, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lockPath, { force: true });
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${lockPath}; fix: remove it if no terraform-check is running`, { cause: error });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    return action();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
