import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedStack } from './synth-output';
import { TerraformWorkdir } from './terraform-workdir';
import type { Toolchain } from './toolchain';
import { isAwsOnly } from './validate';

export type OfflinePlanResult =
  | { readonly stack: string; readonly status: 'planned'; readonly planJson: unknown; readonly seconds: number }
  | { readonly stack: string; readonly status: 'not-planned'; readonly reason: string }
  | { readonly stack: string; readonly status: 'failed'; readonly error: string };

export interface OfflinePlanOptions {
  /** A prior state to plan against (terraform state v4 JSON); default: none, so a create-only plan. */
  readonly priorState?: object;
  /** Extra override content merged into the offline override file, e.g. to model a code change. */
  readonly resourceOverrides?: Record<string, Record<string, object>>;
}

/** Why a stack cannot be planned without an AWS account, or undefined when it can. */
export function whyNotPlannableOffline(stack: SynthesizedStack): string | undefined {
  if (!isAwsOnly(stack)) return `uses ${stack.providers.join(', ')}; only hashicorp/aws is in the offline mirror, and these providers talk to a live cluster`;
  if (stack.readsRemoteState) return 'reads other stacks\' remote state, which exists only in the S3 state bucket';
  return undefined;
}

/**
 * The override file that makes a stack plannable without AWS: a local backend at `statePath`,
 * placeholder credentials with every `skip_*` switch, and the account pin lifted.
 */
export function offlineOverride(json: SynthesizedStack['json'], statePath: string): Record<string, unknown> {
  const offlineProvider = { access_key: 'offline', secret_key: 'offline', skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true, allowed_account_ids: null };
  return {
    terraform: { backend: { local: { path: statePath } } },
    // One entry per provider block, in order, so aliased providers get the same treatment.
    provider: { aws: (json.provider?.['aws'] ?? [{}]).map((p) => ({ ...(p['alias'] ? { alias: p['alias'] } : {}), ...offlineProvider })) },
  };
}

/**
 * `terraform plan` without AWS: the real provider, placeholder credentials with every `skip_*`
 * switch, no refresh, a local backend, and the account pin lifted (there is no account to check).
 * All of that lives in an override file beside a copy of the stack, never in the stack itself.
 */
export function planOffline(workRoot: string, toolchain: Toolchain, stack: SynthesizedStack, options: OfflinePlanOptions = {}): OfflinePlanResult {
  const reason = whyNotPlannableOffline(stack);
  if (reason) return { stack: stack.name, status: 'not-planned', reason };
  const started = Date.now();
  const workdir = new TerraformWorkdir(join(workRoot, 'plans'), toolchain, stack);
  const override = { ...offlineOverride(stack.json, 'offline.tfstate'), ...(options.resourceOverrides ? { resource: options.resourceOverrides } : {}) };
  writeFileSync(join(workdir.dir, 'zz_offline_override.tf.json'), JSON.stringify(override, null, 2));
  const statePath = join(workdir.dir, 'offline.tfstate');
  rmSync(statePath, { force: true });
  if (options.priorState) writeFileSync(statePath, JSON.stringify(options.priorState));

  const init = workdir.init(false);
  if (init.status !== 0) return { stack: stack.name, status: 'failed', error: `terraform init: ${(init.stderr || init.stdout).trim()}` };
  const plan = workdir.run(['plan', '-input=false', '-no-color', '-refresh=false', '-lock=false', '-out=offline.tfplan']);
  if (plan.status !== 0) return { stack: stack.name, status: 'failed', error: `terraform plan: ${(plan.stderr || plan.stdout).trim()}` };
  const show = workdir.run(['show', '-json', 'offline.tfplan']);
  if (show.status !== 0 || !existsSync(join(workdir.dir, 'offline.tfplan'))) return { stack: stack.name, status: 'failed', error: `terraform show: ${show.stderr.trim()}` };
  writeFileSync(join(workdir.dir, 'plan.json'), show.stdout);
  return { stack: stack.name, status: 'planned', planJson: JSON.parse(readFileSync(join(workdir.dir, 'plan.json'), 'utf8')) as unknown, seconds: (Date.now() - started) / 1000 };
}
