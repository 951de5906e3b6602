import type { PlatformConfig } from '@platform/config';
import { regionalContracts, rolloutSteps, singletonContracts, type OutputSpec } from '@platform/stack-contracts';
import {
  planOfflineTogether,
  whyNotPlannableOffline,
  type OfflinePlanResult,
  type StackToPlan,
  type SynthesizedStack,
  type Toolchain,
} from '@platform/terraform-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The whole environment planned without AWS, in rollout order. A stack that reads another's state
 * gets a local state file instead of the S3 object: the producer's planned output values where its
 * offline plan knows them, and clearly fake values shaped by the contract's declared kind where it
 * does not (ARN-, id-, CIDR-shaped, deterministic). So every AWS-only stack gets a real plan, and
 * a consumer reading what its producer does not publish fails the plan, named.
 */

export interface EnvironmentPlan {
  readonly results: ReadonlyMap<string, OfflinePlanResult>;
  /** Stacks in rollout order (stacks outside the rollout last). */
  readonly order: readonly string[];
  /** The terraform runs, in the order they ran: the plannable stacks each planned together. */
  readonly phases: readonly (readonly string[])[];
}

type PlanJson = { planned_values?: { outputs?: Record<string, { value?: unknown }> } };

/** Every producer stack's declared outputs, by stack name. */
function declaredOutputs(config: PlatformConfig): Map<string, Record<string, OutputSpec>> {
  const byStack = new Map<string, Record<string, OutputSpec>>();
  for (const contract of singletonContracts) byStack.set(contract.stackName(), contract.outputs);
  for (const contract of regionalContracts) for (const region of config.regions) byStack.set(contract.stackName(region.name), contract.outputs);
  return byStack;
}

/** A deterministic, obviously fake value of the shape an output's name and kind promise. */
export function fakeOutput(producer: string, name: string, spec: OutputSpec, config: PlatformConfig): unknown {
  const account = config.accountId;
  const one = (awsRegion: string, suffix: string): string => {
    if (/KeyArns?$/.test(name)) return `arn:aws:kms:${awsRegion}:${account}:key/offline-${producer}-${suffix}`;
    if (/SecretArn$/.test(name)) return `arn:aws:secretsmanager:${awsRegion}:${account}:secret:offline-${producer}-${suffix}-AbCdEf`;
    if (/RoleArn$/.test(name)) return `arn:aws:iam::${account}:role/offline-${producer}-${suffix}`;
    if (/Arn$/.test(name)) return `arn:aws:offline:${awsRegion}:${account}:${producer}/${suffix}`;
    if (/Cidr$/.test(name)) return '10.255.0.0/16';
    if (/Port$/.test(name)) return '443';
    if (/(Endpoint|DnsName|DomainName)$/.test(name)) return `${suffix.toLowerCase()}.offline.invalid`;
    // Route 53 zone ids are at most 32 characters (the provider checks at plan).
    if (/ZoneId$/.test(name)) return `ZOFFLINE${producer.replace(/[^a-z0-9]/g, '').toUpperCase()}`.slice(0, 32);
    return `offline-${producer}-${suffix}`;
  };
  const home = config.homeRegion.awsRegion;
  const regionOfProducer = config.regions.find((r) => producer.startsWith(`${r.name}-`))?.awsRegion ?? home;
  switch (spec.kind) {
    case 'map':
      return Object.fromEntries(config.regions.map((r) => [r.name, one(r.awsRegion, `${name}-${r.name}`)]));
    case 'list':
      return [0, 1, 2].map((i) => one(regionOfProducer, `${name}-${i}`));
    default:
      return one(regionOfProducer, name);
  }
}

function terraformType(value: unknown): unknown {
  if (Array.isArray(value)) return ['list', 'string'];
  if (value !== null && typeof value === 'object') return ['map', 'string'];
  return 'string';
}

/** A state file (format 4) holding only outputs: what terraform_remote_state reads. */
function writeOutputsState(path: string, producer: string, outputs: Record<string, unknown>): void {
  writeFileSync(
    path,
    JSON.stringify({
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: `offline-${producer}`,
      outputs: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, { value, type: terraformType(value) }])),
      resources: [],
    }),
  );
}

/** `prod/us-east-infra/terraform.tfstate` → `us-east-infra`. */
function producerOf(remoteState: Record<string, unknown>): string | undefined {
  const config = remoteState['config'] as { key?: string; path?: string } | undefined;
  return /([^/]+)\/terraform\.tfstate$/.exec(config?.key ?? '')?.[1] ?? /\/([^/]+)\.tfstate$/.exec(config?.path ?? '')?.[1];
}

/**
 * Explains a failed consumer plan in terms of the contracts it reads, one line per contract broken,
 * before terraform's own error. Terraform names the value it could not use in the line under each
 * error's snippet (`│ data.terraform_remote_state.<name>.outputs... is ...`); the snippet itself is
 * the whole one-line cdk.tf.json, so that line, not the snippet, says which read failed.
 */
export function explainContractFailure(consumer: SynthesizedStack, error: string, declared: ReadonlyMap<string, Record<string, OutputSpec>>): string {
  const producerFor = (source: string) => producerOf((consumer.json.data?.['terraform_remote_state'] ?? {})[source] ?? {}) ?? source;
  const findings = new Set<string>();
  // An output the producer does not publish: the outputs object lacks the attribute.
  for (const [, source, output] of error.matchAll(
    /│ data\.terraform_remote_state\.([\w-]+)\.outputs is object[^\n]*\n\s*\nThis object does not have an attribute named "([^"]+)"/g,
  )) {
    const producer = producerFor(source!);
    findings.add(
      `${consumer.name} reads output "${output}" of ${producer}, which ${producer} does not publish (its contract in libs/stack-contracts declares no such output); fix: read a declared output, or declare and publish it`,
    );
  }
  // An output read as another kind than it is (a list indexed by a key, say).
  for (const [, source, output, actual, detail] of error.matchAll(
    /│ data\.terraform_remote_state\.([\w-]+)\.outputs\.(\w+) is ([^\n]+)\n\s*\n((?:(?!Error: )[^\n]+\n?)+)/g,
  )) {
    const producer = producerFor(source!);
    const kind = declared.get(producer)?.[output!]?.kind;
    findings.add(
      `${consumer.name} reads output "${output}" of ${producer} as another kind than ${producer} publishes (its contract in libs/stack-contracts declares ${kind ? `a ${kind}` : 'no such output'}; the value is ${actual}: ${detail!.replace(/\s+/g, ' ').trim()}); fix: read it as a ${kind ?? 'declared output'}, or change the contract and what ${producer} publishes`,
    );
  }
  return findings.size ? `${[...findings].join('\n')}\n${error}` : error;
}

/** The stacks among `stacks` whose state `stack` reads. */
function producersWithin(stack: SynthesizedStack, stacks: ReadonlyMap<string, SynthesizedStack>): SynthesizedStack[] {
  return Object.values(stack.json.data?.['terraform_remote_state'] ?? {})
    .map((remote) => stacks.get(producerOf(remote) ?? ''))
    .filter((producer): producer is SynthesizedStack => producer !== undefined && producer !== stack);
}

/**
 * The terraform runs of an environment plan: a stack runs after every stack whose state it reads
 * (so it is served their planned outputs), and stacks that read none of one another's state share
 * a run. `ordered` is in rollout order, and so is each run.
 */
export function planningPhases(ordered: readonly SynthesizedStack[]): SynthesizedStack[][] {
  const byName = new Map(ordered.map((s) => [s.name, s]));
  const phaseOf = new Map<SynthesizedStack, number>();
  const phase = (stack: SynthesizedStack, path: readonly string[]): number => {
    if (path.includes(stack.name))
      throw new Error(
        `stacks read each other's state in a cycle: ${[...path, stack.name].join(' -> ')}; fix: break the cycle in libs/stack-contracts`,
      );
    if (!phaseOf.has(stack)) phaseOf.set(stack, Math.max(-1, ...producersWithin(stack, byName).map((p) => phase(p, [...path, stack.name]))) + 1);
    return phaseOf.get(stack)!;
  };
  const phases: SynthesizedStack[][] = [];
  for (const stack of ordered) (phases[phase(stack, [])] ??= []).push(stack);
  return phases;
}

/**
 * Plans the given AWS stacks offline in rollout order (stacks outside the rollout last), serving
 * each remote-state read from the outputs its producer was planned with, or faked by contract.
 * Stacks that read none of one another's state are planned in one terraform run
 * (planOfflineTogether): the environment's 12 AWS stacks take 4 runs, not 12.
 */
export function planEnvironmentOffline(
  workRoot: string,
  toolchain: Toolchain,
  stacks: readonly SynthesizedStack[],
  config: PlatformConfig,
): EnvironmentPlan {
  const rollout = rolloutSteps(config).flatMap((step) => step.stacks);
  const ordered = [...stacks].sort((a, b) => (rollout.indexOf(a.name) + 1 || Infinity) - (rollout.indexOf(b.name) + 1 || Infinity));
  const outputs = declaredOutputs(config);
  const results = new Map<string, OfflinePlanResult>();
  const stateDir = join(workRoot, 'remote-state');
  mkdirSync(stateDir, { recursive: true });
  // A stack that cannot be planned offline never holds up its consumers: they read contract-shaped fakes.
  const plannable = ordered.filter((stack) => {
    const reason = whyNotPlannableOffline(stack, true);
    if (reason) results.set(stack.name, { stack: stack.name, status: 'not-planned', reason });
    return !reason;
  });
  const phases = planningPhases(plannable);
  for (const phase of phases) {
    const items: StackToPlan[] = [];
    for (const stack of phase) {
      const remoteStates: Record<string, string> = {};
      let unservable: string | undefined;
      for (const [name, remote] of Object.entries(stack.json.data?.['terraform_remote_state'] ?? {})) {
        const producer = producerOf(remote);
        const declared = producer ? outputs.get(producer) : undefined;
        if (!producer || !declared) {
          unservable = `${stack.name} reads the state of ${producer ?? name}, which publishes no contract; fix: declare one in libs/stack-contracts`;
          break;
        }
        const planned = results.get(producer);
        const known = planned?.status === 'planned' ? ((planned.planJson as PlanJson).planned_values?.outputs ?? {}) : {};
        const values = Object.fromEntries(
          Object.entries(declared).map(([output, spec]) => [
            output,
            known[output] && 'value' in known[output]! ? known[output]!.value : fakeOutput(producer, output, spec, config),
          ]),
        );
        const path = join(stateDir, `${stack.name}--${name}.tfstate`);
        writeOutputsState(path, producer, values);
        remoteStates[name] = path;
      }
      if (unservable) results.set(stack.name, { stack: stack.name, status: 'failed', error: unservable });
      else items.push({ stack, remoteStates });
    }
    for (const [i, result] of planOfflineTogether(workRoot, toolchain, items).entries())
      results.set(
        result.stack,
        result.status === 'failed' ? { ...result, error: explainContractFailure(items[i]!.stack, result.error, outputs) } : result,
      );
  }
  return { results, order: ordered.map((s) => s.name), phases: phases.map((phase) => phase.map((s) => s.name)) };
}
