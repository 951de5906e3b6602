import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SynthesizedStack } from './synth-output';
import { combinedName, errorsByStack, moduleName, writeStacksAsModules } from './stacks-as-modules';
import { TerraformWorkdir } from './terraform-workdir';
import type { Toolchain } from './toolchain';
import { isAwsOnly } from './validate';

export type OfflinePlanResult =
  | {
      readonly stack: string;
      readonly status: 'planned';
      readonly planJson: unknown;
      readonly seconds: number;
      /** The outputs of its remote states (by data source name) taken by reference from a stack planned in the same run. */
      readonly wired?: Readonly<Record<string, readonly string[]>>;
    }
  | { readonly stack: string; readonly status: 'not-planned'; readonly reason: string }
  | { readonly stack: string; readonly status: 'failed'; readonly error: string };

export interface OfflinePlanOptions {
  /** A prior state to plan against (terraform state v4 JSON); default: none, so a create-only plan. */
  readonly priorState?: object;
  /** Extra override content merged into the offline override file, e.g. to model a code change. */
  readonly resourceOverrides?: Record<string, Record<string, object>>;
  /**
   * What to serve instead of other stacks' S3 state, by remote-state data source name (see
   * offline-environment in plan-review). @default none: a stack that reads remote state is not planned
   */
  readonly remoteStates?: Readonly<Record<string, ServedRemoteState>>;
}

/**
 * One output a stack is served of another's state: a value, and, when that value is the other
 * stack's planned output, where to take it from. `from` counts only in a run that plans that stack
 * too (planOfflineTogether): there the output is passed by reference, so it is the value terraform
 * plans for it; anywhere else the value is served.
 */
export interface ServedOutput {
  readonly value: unknown;
  readonly from?: { readonly stack: string; readonly output: string; readonly sensitive: boolean };
}

/** The outputs a remote state is served with, by output name. */
export type ServedRemoteState = Readonly<Record<string, ServedOutput>>;

/** The terraform type of a served value: what the remote state's outputs hold (strings, lists and maps of them). */
function terraformType(value: unknown): 'string' | ['list', 'string'] | ['map', 'string'] {
  if (Array.isArray(value)) return ['list', 'string'];
  if (value !== null && typeof value === 'object') return ['map', 'string'];
  return 'string';
}

/** A state (format 4) holding only outputs: what terraform_remote_state reads. */
export function outputsState(producer: string, outputs: Readonly<Record<string, unknown>>): object {
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: `offline-${producer}`,
    outputs: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, { value, type: terraformType(value) }])),
    resources: [],
  };
}

/** Data sources that call AWS while planning: a stack with one cannot be planned without an account. */
const PLAN_TIME_AWS_DATA_SOURCES = ['aws_caller_identity', 'aws_availability_zones', 'aws_ami', 'aws_ec2_managed_prefix_list'];

/**
 * Plan-time AWS calls a local stand-in answers (aws-plan-stand-in.cjs), by data source type: the
 * service endpoint pointed at it. GetRandomPassword's value is the generated credential, stored
 * on first apply and ignored after it; no reviewed value depends on it.
 */
const STAND_IN_DATA_SOURCES: Readonly<Record<string, string>> = { aws_secretsmanager_random_password: 'secretsmanager' };

/**
 * Why a stack cannot be planned without an AWS account, or undefined when it can. Remote state is
 * no obstacle when `remoteStates` serves it locally.
 */
export function whyNotPlannableOffline(stack: SynthesizedStack, remoteStateServed = false): string | undefined {
  if (!isAwsOnly(stack))
    return `uses ${stack.providers.join(', ')}; only hashicorp/aws is in the offline mirror, and these providers talk to a live cluster`;
  const calling = PLAN_TIME_AWS_DATA_SOURCES.filter((type) => Object.keys(stack.json.data?.[type] ?? {}).length > 0);
  if (calling.length) return `reads ${calling.join(', ')}, which calls AWS while planning and has no offline stand-in`;
  if (stack.readsRemoteState && !remoteStateServed) return "reads other stacks' remote state, which exists only in the S3 state bucket";
  return undefined;
}

/** The services a stack calls while planning that the stand-in answers (e.g. secretsmanager). */
function standInServices(json: SynthesizedStack['json']): string[] {
  return [
    ...new Set(
      Object.entries(STAND_IN_DATA_SOURCES)
        .filter(([type]) => Object.keys(json.data?.[type] ?? {}).length > 0)
        .map(([, service]) => service),
    ),
  ];
}

let standIn: { readonly url: string } | undefined;

/**
 * The stand-in's URL, starting it on first use (one per process, gone when the process is: it
 * exits when its stdin, a pipe from here, closes). Waits for its port synchronously: plans run
 * through spawnSync, and the stand-in answers from its own process meanwhile.
 */
function standInUrl(): string {
  if (standIn) return standIn.url;
  const portFile = join(mkdtempSync(join(tmpdir(), 'aws-stand-in-')), 'port');
  const child = spawn(process.execPath, [join(__dirname, 'aws-plan-stand-in.cjs'), portFile], { stdio: ['pipe', 'ignore', 'inherit'] });
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  const deadline = Date.now() + 10_000;
  while (!existsSync(portFile) || readFileSync(portFile, 'utf8') === '') {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(
        `the offline AWS stand-in (aws-plan-stand-in.cjs) did not start within 10 s; fix: check that ${process.execPath} can listen on 127.0.0.1`,
      );
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  standIn = { url: `http://127.0.0.1:${readFileSync(portFile, 'utf8')}` };
  return standIn.url;
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
    // Nothing answers but the stand-in: a call that fails must fail at once, not after the SDK's
    // retries (a plan whose stand-in was gone took 35 s to say "connection refused", 2026-12-07).
    max_retries: 1,
    allowed_account_ids: null,
  };
  const services = standInServices(json);
  const endpoints = services.length ? { endpoints: [Object.fromEntries(services.map((service) => [service, standInUrl()]))] } : {};
  return {
    terraform: { backend: { local: { path: statePath } } },
    // One entry per provider block, in order, so aliased providers get the same treatment.
    provider: {
      aws: (json.provider?.['aws'] ?? [{}]).map((p) => ({ ...(p['alias'] ? { alias: p['alias'] } : {}), ...offlineProvider, ...endpoints })),
    },
  };
}

/** Why a stack cannot be planned with these options (not plannable, or remote state not served), or undefined. */
function precheck(stack: SynthesizedStack, options: OfflinePlanOptions): OfflinePlanResult | undefined {
  const reason = whyNotPlannableOffline(stack, options.remoteStates !== undefined);
  if (reason) return { stack: stack.name, status: 'not-planned', reason };
  const unserved = Object.keys(stack.json.data?.['terraform_remote_state'] ?? {}).filter((name) => !options.remoteStates?.[name]);
  if (unserved.length) return { stack: stack.name, status: 'failed', error: `no local state served for remote state ${unserved.join(', ')}` };
  return undefined;
}

/**
 * The offline override of one stack: provider, resource overrides, and each remote state read from
 * a local state file written in `dir`, holding its served values except those in `wired` (by data
 * source name), which come from the module input `offline_remote_state__<name>` instead
 * (planOfflineTogether passes them from the stacks they belong to).
 */
function stackOverride(
  stack: SynthesizedStack,
  dir: string,
  options: OfflinePlanOptions,
  wired: ReadonlyMap<string, readonly string[]> = new Map(),
): Record<string, unknown> {
  const remote = Object.keys(stack.json.data?.['terraform_remote_state'] ?? {});
  const readFrom = (name: string) => {
    const served = Object.entries(options.remoteStates![name]!).filter(([output]) => !wired.get(name)?.includes(output));
    const path = join(dir, `remote-state--${name}.tfstate`);
    writeFileSync(path, JSON.stringify(outputsState(name, Object.fromEntries(served.map(([output, { value }]) => [output, value])))));
    // A remote state's outputs are its state's, over its defaults: the two never name one output.
    return { backend: 'local', config: { path }, ...(wired.has(name) ? { defaults: `\${var.${wiredInput(name)}}` } : {}) };
  };
  return {
    ...offlineOverride(stack.json, 'offline.tfstate'),
    ...(options.resourceOverrides ? { resource: options.resourceOverrides } : {}),
    ...(remote.length ? { data: { terraform_remote_state: Object.fromEntries(remote.map((name) => [name, readFrom(name)])) } } : {}),
  };
}

/** The module input a combined run passes a remote state's wired outputs through. */
const wiredInput = (dataSource: string) => `offline_remote_state__${dataSource}`;

/**
 * The outputs of `stack`'s remote states that a run planning `inRun` takes from the stacks they
 * belong to, by data source name (none of a stack's own state: a stack may read the state it replaces).
 */
function wiredOutputs(stack: SynthesizedStack, served: OfflinePlanOptions['remoteStates'], inRun: ReadonlySet<string>): Map<string, string[]> {
  const wired = new Map<string, string[]>();
  for (const [name, outputs] of Object.entries(served ?? {})) {
    const taken = Object.entries(outputs).filter(([, { from }]) => from && from.stack !== stack.name && inRun.has(from.stack));
    if (taken.length) wired.set(name, taken.map(([output]) => output).sort());
  }
  return wired;
}

/**
 * What a combined run adds for a stack's wired outputs: the variables its module declares (typed
 * as the served values are, so a read of the wrong kind fails as it would against a state file) and
 * the inputs the root passes, each a reference to the producing module's output. The producer's
 * sensitive marks are dropped: terraform_remote_state does not keep them either
 * (hashicorp/terraform#29544, open as of 2026-12-07).
 */
function wiring(served: NonNullable<OfflinePlanOptions['remoteStates']>, wired: ReadonlyMap<string, readonly string[]>) {
  const typeOf = (value: unknown) => {
    const type = terraformType(value);
    return typeof type === 'string' ? type : `${type[0]}(${type[1]})`;
  };
  const variable: Record<string, { type: string }> = {};
  const inputs: Record<string, Record<string, string>> = {};
  for (const [name, outputs] of wired) {
    for (const output of outputs)
      if (!/^[A-Za-z_][\w-]*$/.test(output))
        throw new Error(
          `remote state ${name}: output "${output}" cannot be passed by reference (not an identifier); fix: name contract outputs with letters, digits, _ and -`,
        );
    variable[wiredInput(name)] = { type: `object({${outputs.map((output) => `${output}=${typeOf(served[name]![output]!.value)}`).join(', ')}})` };
    inputs[wiredInput(name)] = Object.fromEntries(
      outputs.map((output) => {
        const { stack, output: produced, sensitive } = served[name]![output]!.from!;
        const reference = `module.${moduleName({ name: stack })}.${produced}`;
        return [output, sensitive ? `\${nonsensitive(${reference})}` : `\${${reference}}`];
      }),
    );
  }
  return { variable, inputs };
}

type Planned = { readonly plan?: string; readonly error?: string };

/** init (local backend), plan without refresh or lock, show -json: the plan JSON, or what failed. */
function initPlanShow(workdir: TerraformWorkdir): Planned {
  const init = workdir.init(false);
  if (init.status !== 0) return { error: `terraform init: ${(init.stderr || init.stdout).trim()}` };
  const plan = workdir.run(['plan', '-input=false', '-no-color', '-refresh=false', '-lock=false', '-out=offline.tfplan']);
  if (plan.status !== 0) return { error: `terraform plan: ${(plan.stderr || plan.stdout).trim()}` };
  const show = workdir.run(['show', '-json', 'offline.tfplan']);
  if (show.status !== 0 || !existsSync(join(workdir.dir, 'offline.tfplan'))) return { error: `terraform show: ${show.stderr.trim()}` };
  writeFileSync(join(workdir.dir, 'plan.json'), show.stdout);
  return { plan: show.stdout };
}

/**
 * `terraform plan` without AWS: the real provider, placeholder credentials with every `skip_*`
 * switch, no refresh, a local backend, and the account pin lifted (there is no account to check).
 * All of that lives in an override file beside a copy of the stack, never in the stack itself.
 */
export function planOffline(workRoot: string, toolchain: Toolchain, stack: SynthesizedStack, options: OfflinePlanOptions = {}): OfflinePlanResult {
  const refused = precheck(stack, options);
  if (refused) return refused;
  const started = Date.now();
  const workdir = new TerraformWorkdir(join(workRoot, 'plans'), toolchain, stack);
  writeFileSync(join(workdir.dir, 'zz_offline_override.tf.json'), JSON.stringify(stackOverride(stack, workdir.dir, options), null, 2));
  const statePath = join(workdir.dir, 'offline.tfstate');
  rmSync(statePath, { force: true });
  if (options.priorState) writeFileSync(statePath, JSON.stringify(options.priorState));
  const planned = initPlanShow(workdir);
  if (planned.error !== undefined) return { stack: stack.name, status: 'failed', error: planned.error };
  return { stack: stack.name, status: 'planned', planJson: JSON.parse(planned.plan!) as unknown, seconds: (Date.now() - started) / 1000 };
}

/** A stack to plan with others, and what its remote-state reads are served. */
export interface StackToPlan {
  readonly stack: SynthesizedStack;
  readonly remoteStates?: OfflinePlanOptions['remoteStates'];
}

/**
 * Plans many stacks in one terraform run: each stack a module of a generated root
 * (stacks-as-modules.ts) with its own offline override, so the provider schema loads twice (plan,
 * show) for all of them instead of twice per stack (3 stacks: 8.2 s together against 19.4 s one by
 * one, measured 2026-12-07). A remote-state output served `from` a stack in the run is passed by
 * reference to that stack's module (so terraform plans the producer first); the planned result
 * lists those outputs (`wired`). The plan is split back into one plan JSON per
 * stack, as `terraform show -json` of that stack alone would give (addresses without the module
 * prefix; outputs re-exported by the root). If the combined run fails, a stack whose folder an
 * error names fails with its own errors and the others are planned again together; an error that
 * names no stack has every stack planned alone. Either way each error is the stack's own and a
 * broken stack never hides the others' plans. Create-only: no prior state (planOffline takes one).
 */
export function planOfflineTogether(workRoot: string, toolchain: Toolchain, items: readonly StackToPlan[]): OfflinePlanResult[] {
  const results = new Map<string, OfflinePlanResult>();
  const plannable = items.filter((item) => {
    const refused = precheck(item.stack, { remoteStates: item.remoteStates });
    if (refused) results.set(item.stack.name, refused);
    return !refused;
  });
  const alone = (item: StackToPlan) => planOffline(workRoot, toolchain, item.stack, { remoteStates: item.remoteStates });
  if (plannable.length === 1) results.set(plannable[0]!.stack.name, alone(plannable[0]!));
  if (plannable.length > 1) {
    const started = Date.now();
    const stacks = plannable.map((item) => item.stack);
    const workdir = new TerraformWorkdir(join(workRoot, 'plans'), toolchain, {
      ...stacks[0]!,
      app: 'combined',
      name: combinedName(stacks),
      json: {},
    });
    rmSync(join(workdir.dir, 'cdk.tf.json'), { force: true });
    rmSync(join(workdir.dir, 'offline.tfstate'), { force: true });
    const outputs = Object.fromEntries(
      stacks.flatMap((stack) =>
        Object.entries(stack.json.output ?? {}).map(([name, spec]) => [
          `${moduleName(stack)}__${name}`,
          { value: `\${module.${moduleName(stack)}.${name}}`, sensitive: spec.sensitive === true },
        ]),
      ),
    );
    const remoteStatesOf = new Map(plannable.map((item) => [item.stack, item.remoteStates]));
    const inRun = new Set(stacks.map((stack) => stack.name));
    const wiredOf = new Map(stacks.map((stack) => [stack, wiredOutputs(stack, remoteStatesOf.get(stack), inRun)]));
    writeStacksAsModules(
      workdir.dir,
      stacks,
      { terraform: { backend: { local: { path: 'offline.tfstate' } } }, output: outputs },
      (stack) => {
        // Only the root module has a backend; each module keeps its provider and remote-state overrides.
        const remoteStates = remoteStatesOf.get(stack);
        const { terraform: _backend, ...override } = stackOverride(stack, join(workdir.dir, stack.name), { remoteStates }, wiredOf.get(stack));
        void _backend;
        return override;
      },
      (stack) => {
        const wired = wiredOf.get(stack)!;
        return wired.size ? wiring(remoteStatesOf.get(stack)!, wired) : undefined;
      },
    );
    const planned = initPlanShow(workdir);
    const blamed = planned.error?.startsWith('terraform plan: ') ? errorsByStack(planned.error.slice('terraform plan: '.length), stacks) : undefined;
    if (blamed) {
      // Each error names its stack's folder: those stacks fail with their own errors, the others
      // are planned again together, without them.
      for (const [name, error] of blamed) results.set(name, { stack: name, status: 'failed', error: `terraform plan: ${error}` });
      for (const result of planOfflineTogether(
        workRoot,
        toolchain,
        plannable.filter((item) => !blamed.has(item.stack.name)),
      ))
        results.set(result.stack, result);
    } else if (planned.error !== undefined) for (const item of plannable) results.set(item.stack.name, alone(item));
    else {
      const combined = JSON.parse(planned.plan!) as CombinedPlanJson;
      const seconds = (Date.now() - started) / 1000 / stacks.length;
      for (const stack of stacks) {
        const wired = wiredOf.get(stack)!;
        results.set(stack.name, {
          stack: stack.name,
          status: 'planned',
          planJson: planOfModule(combined, stack),
          seconds,
          ...(wired.size ? { wired: Object.fromEntries(wired) } : {}),
        });
      }
    }
  }
  return items.map((item) => results.get(item.stack.name)!);
}

type Change = { readonly address?: string; readonly resource?: string; readonly [key: string]: unknown };
type ModuleValues = {
  readonly outputs?: Record<string, unknown>;
  readonly root_module?: { readonly child_modules?: readonly { address: string }[] };
};

interface CombinedPlanJson {
  readonly [key: string]: unknown;
  readonly resource_changes?: readonly Change[];
  readonly resource_drift?: readonly Change[];
  readonly relevant_attributes?: readonly Change[];
  readonly output_changes?: Record<string, unknown>;
  readonly planned_values?: ModuleValues;
  readonly prior_state?: { readonly values?: ModuleValues; readonly [key: string]: unknown };
  readonly configuration?: {
    readonly provider_config?: Record<string, unknown>;
    readonly root_module?: { readonly module_calls?: Record<string, { module?: unknown }> };
  };
}

/**
 * One stack's plan JSON out of a combined plan: what `terraform show -json` of that stack alone
 * holds (its changes, values, outputs and configuration, addresses without `module.<stack>.`, and
 * the keys terraform leaves out when empty left out), so the review reads it as it reads any plan.
 */
export function planOfModule(combined: CombinedPlanJson, stack: Pick<SynthesizedStack, 'name'>): unknown {
  const name = moduleName(stack);
  const prefix = `module.${name}.`;
  const providerPrefix = `module.${name}:`;
  // Addresses and provider keys as they read in the stack alone; its own module_address disappears.
  const rebase = <T>(value: T): T =>
    JSON.parse(JSON.stringify(value), (key, v: unknown) => {
      if (typeof v !== 'string') return v;
      if (key === 'module_address' && v === `module.${name}`) return undefined;
      if (['address', 'module_address', 'resource', 'previous_address'].includes(key) && v.startsWith(prefix)) return v.slice(prefix.length);
      if (key === 'provider_config_key' && v.startsWith(providerPrefix)) return v.slice(providerPrefix.length);
      return v;
    }) as T;
  const own = (changes: readonly Change[] | undefined) => {
    const mine = (changes ?? []).filter((c) => (c.address ?? c.resource ?? '').startsWith(prefix));
    return mine.length ? rebase(mine) : undefined;
  };
  const outputsOf = (outputs: Record<string, unknown> | undefined) => {
    const mine = Object.entries(outputs ?? {}).filter(([key]) => key.startsWith(`${name}__`));
    return mine.length ? Object.fromEntries(mine.map(([key, value]) => [key.slice(name.length + 2), value])) : undefined;
  };
  const valuesOf = (values: ModuleValues | undefined) => {
    const module = values?.root_module?.child_modules?.find((m) => m.address === `module.${name}`);
    const { address: _address, ...rootModule } = rebase(module ?? { address: '' });
    void _address;
    const outputs = outputsOf(values?.outputs);
    return { ...(outputs ? { outputs } : {}), root_module: rootModule };
  };
  // Terraform writes a prior state only when it holds something (offline plans start from none).
  const prior = combined.prior_state ? valuesOf(combined.prior_state.values) : undefined;
  const { prior_state: _combinedPrior, ...plan } = combined;
  void _combinedPrior;
  return {
    ...plan,
    resource_changes: own(combined.resource_changes) ?? [],
    resource_drift: own(combined.resource_drift),
    relevant_attributes: own(combined.relevant_attributes),
    output_changes: outputsOf(combined.output_changes),
    planned_values: valuesOf(combined.planned_values),
    ...(prior && (prior.outputs || Object.keys(prior.root_module).length) ? { prior_state: { ...combined.prior_state, values: prior } } : {}),
    configuration: {
      provider_config: rebase(
        Object.fromEntries(
          Object.entries(combined.configuration?.provider_config ?? {})
            .filter(([key]) => key.startsWith(providerPrefix))
            .map(([key, value]) => [key.slice(providerPrefix.length), value]),
        ),
      ),
      root_module: rebase(combined.configuration?.root_module?.module_calls?.[name]?.module ?? {}),
    },
  };
}
