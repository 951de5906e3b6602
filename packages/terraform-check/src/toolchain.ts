import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface Toolchain {
  readonly terraform: string;
  readonly terraformVersion: string;
  /** Root of a filesystem mirror: `<root>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`. */
  readonly mirror: string;
}

export type ToolchainResult = { readonly ok: true; readonly toolchain: Toolchain } | { readonly ok: false; readonly reason: string };

/** Terraform's own implied local mirror folders on Linux and macOS (see "Implied Local Mirror Directories"). */
function impliedMirrors(): string[] {
  return [
    join(homedir(), '.terraform.d/plugins'),
    join(homedir(), '.local/share/terraform/plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
}

function findOnPath(binary: string, path: string | undefined): string | undefined {
  return (path ?? '')
    .split(delimiter)
    .map((dir) => join(dir, binary))
    .find((candidate) => existsSync(candidate));
}

export function providerPlatform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `${process.platform}_${arch}`;
}

/**
 * True when `root` holds the provider version for this machine's platform, in either mirror layout:
 * unpacked (`<version>/<os_arch>/`) or packed (the zip that `terraform providers mirror` writes).
 */
export function mirrorHolds(root: string, provider: string, version: string): boolean {
  const dir = join(root, 'registry.terraform.io', provider);
  const type = provider.split('/')[1] ?? provider;
  return (
    existsSync(join(dir, version, providerPlatform())) || existsSync(join(dir, `terraform-provider-${type}_${version}_${providerPlatform()}.zip`))
  );
}

/**
 * Finds terraform (TERRAFORM_BIN or PATH) and a mirror holding hashicorp/aws at `awsVersion`
 * (TF_PROVIDER_MIRROR, else Terraform's implied mirror folders). Never downloads anything.
 */
export function findToolchain(env: Readonly<Record<string, string | undefined>>, awsVersion: string): ToolchainResult {
  const terraform = env['TERRAFORM_BIN'] || findOnPath('terraform', env['PATH']);
  if (!terraform) return { ok: false, reason: 'terraform is not on PATH (install terraform >= 1.10, or set TERRAFORM_BIN)' };
  const version = spawnSync(terraform, ['version', '-json'], { encoding: 'utf8', env: { ...env, TF_CLI_CONFIG_FILE: '/dev/null' } });
  if (version.error)
    return {
      ok: false,
      reason: `${terraform} cannot be run (${version.error.message}); fix: install terraform >= 1.10 or point TERRAFORM_BIN at it`,
    };
  if (version.status !== 0) return { ok: false, reason: `${terraform} version failed: ${version.stderr.trim()}` };
  const terraformVersion = (JSON.parse(version.stdout) as { terraform_version: string }).terraform_version;
  const [major = 0, minor = 0] = terraformVersion.split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 10))
    return { ok: false, reason: `terraform ${terraformVersion} is too old: the S3 backend's use_lockfile needs >= 1.10` };

  const explicit = env['TF_PROVIDER_MIRROR'];
  if (explicit) {
    if (!mirrorHolds(explicit, 'hashicorp/aws', awsVersion)) {
      const found = existsSync(join(explicit, 'registry.terraform.io/hashicorp/aws'))
        ? readdirSync(join(explicit, 'registry.terraform.io/hashicorp/aws')).join(', ')
        : 'no hashicorp/aws at all';
      return { ok: false, reason: `TF_PROVIDER_MIRROR=${explicit} holds no hashicorp/aws ${awsVersion} for ${providerPlatform()} (found: ${found})` };
    }
    return { ok: true, toolchain: { terraform, terraformVersion, mirror: explicit } };
  }
  const mirror = impliedMirrors().find((root) => mirrorHolds(root, 'hashicorp/aws', awsVersion));
  if (!mirror)
    return {
      ok: false,
      reason: `no provider mirror with hashicorp/aws ${awsVersion}: set TF_PROVIDER_MIRROR to a folder holding registry.terraform.io/hashicorp/aws/${awsVersion}/${providerPlatform()}/`,
    };
  return { ok: true, toolchain: { terraform, terraformVersion, mirror } };
}

/**
 * For tests that need the real provider: the toolchain, or a loud banner saying what did not run
 * and why. With TERRAFORM_CHECK_REQUIRED=1 (CI) a missing toolchain is an error instead.
 */
export function toolchainOrLoudSkip(env: Readonly<Record<string, string | undefined>>, awsVersion: string, what: string): Toolchain | undefined {
  const found = findToolchain(env, awsVersion);
  if (found.ok) return found.toolchain;
  const message = `${what} NOT RUN: ${found.reason}`;
  if (env['TERRAFORM_CHECK_REQUIRED'] === '1') throw new Error(message);
  console.warn(`${'!'.repeat(80)}\n${message}\n${'!'.repeat(80)}`);
  return undefined;
}
