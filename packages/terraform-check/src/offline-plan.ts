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
  /**
   * Local state files to read instead of other stacks' S3 state, by remote-state data source name
   * (see offline-environment in plan-review). @default none: a stack that reads remote state is not planned
   */
  readonly remoteStates?: Readonly<Record<string, string>>;
}

/** Data sources that call AWS while planning: a stack with one cannot be planned without an account. */
const PLAN_TIME_AWS_DATA_SOURCES = [
  'aws_secretsmanager_random_password',
  'aws_caller_identity',
  'aws_availability_zones',
  'aws_ami',
  'aws_ec2_managed_prefix_list',
];

/**
 * Why a stack cannot be planned without an AWS account, or undefined when it can. Remote state is
 * no obstacle when `remoteStates` serves it locally.
 */
export function whyNotPlannableOffline(stack: SynthesizedStack, remoteStateServed = false): string | undefined {
  if (!isAwsOnly(stack))
    return `uses ${stack.providers.join(', ')}; only hashicorp/aws is in the offline mirror, and these providers talk to a live cluster`;
  const calling = PLAN_TIME_AWS_DATA_SOURCES.filter((type) => Object.keys(stack.json.data?.[type] ?? {}).length > 0);
  if (calling.length) return `reads ${calling.join(', ')}, which calls AWS while planning (a credential generated on first apply)`;
  if (stack.readsRemoteState && !remoteStateServed) return "reads other stacks' remote state, which exists only in the S3 state bucket";
  return undefined;
}

/**
 * The override file that makes a stack plannable without AWS: a local backend at `statePath`,
 * placeholder credentials with every `skip_*` switch, and the account pin lifted.
 */
export function offlineOverride(json: SynthesizedStack['json'], statePath: string): Record<string, unknown> {
  const offlineProvider = {
    access_key: 'offline',
    secret_key: 'offline',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    allowed_account_ids: null,
  };
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
  const reason = whyNotPlannableOffline(stack, options.remoteStates !== undefined);
  if (reason) return { stack: stack.name, status: 'not-planned', reason };
  const remote = Object.keys(stack.json.data?.['terraform_remote_state'] ?? {});
  const unserved = remote.filter((name) => !options.remoteStates?.[name]);
  if (unserved.length) return { stack: stack.name, status: 'failed', error: `no local state served for remote state ${unserved.join(', ')}` };
  const started = Date.now();
  const workdir = new TerraformWorkdir(join(workRoot, 'plans'), toolchain, stack);
  const override = {
    ...offlineOverride(stack.json, 'offline.tfstate'),
    ...(options.resourceOverrides ? { resource: options.resourceOverrides } : {}),
    ...(remote.length
      ? {
          data: {
            terraform_remote_state: Object.fromEntries(
              remote.map((name) => [name, { backend: 'local', config: { path: options.remoteStates![name] } }]),
            ),
          },
        }
      : {}),
  };
  writeFileSync(join(workdir.dir, 'zz_offline_override.tf.json'), JSON.stringify(override, null, 2));
  const statePath = join(workdir.dir, 'offline.tfstate');
  rmSync(statePath, { force: true });
  if (options.priorState) writeFileSync(statePath, JSON.stringify(options.priorState));

  const init = workdir.init(false);
  if (init.status !== 0) return { stack: stack.name, status: 'failed', error: `terraform init: ${(init.stderr || init.stdout).trim()}` };
  const plan = workdir.run(['plan', '-input=false', '-no-color', '-refresh=false', '-lock=false', '-out=offline.tfplan']);
  if (plan.status !== 0) return { stack: stack.name, status: 'failed', error: `terraform plan: ${(plan.stderr || plan.stdout).trim()}` };
  const show = workdir.run(['show', '-json', 'offline.tfplan']);
  if (show.status !== 0 || !existsSync(join(workdir.dir, 'offline.tfplan')))
    return { stack: stack.name, status: 'failed', error: `terraform show: ${show.stderr.trim()}` };
  writeFileSync(join(workdir.dir, 'plan.json'), show.stdout);
  return {
    stack: stack.name,
    status: 'planned',
    planJson: JSON.parse(readFileSync(join(workdir.dir, 'plan.json'), 'utf8')) as unknown,
    seconds: (Date.now() - started) / 1000,
  };
}
