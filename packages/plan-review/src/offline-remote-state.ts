// The remote state an offline environment plan serves its consumers, without terraform: which
// stacks plan together (the remote-state graph), what each consumer reads (a producer's planned
// outputs, else fakes shaped by the contract), and a failed read explained by contract. Pure, so
// unit-tested (offline-remote-state.spec.ts) and mutation-tested; offline-environment.ts runs terraform.
import type { PlatformConfig } from '@platform/config';
import { regionalContracts, singletonContracts, type OutputSpec } from '@platform/stack-contracts';
import type { OfflinePlanResult, SynthesizedStack } from '@platform/terraform-check';

type PlanJson = { planned_values?: { outputs?: Record<string, { value?: unknown }> } };

/** Every producer stack's declared outputs, by stack name. */
export function declaredOutputs(config: PlatformConfig): Map<string, Record<string, OutputSpec>> {
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

/** A state (format 4) holding only outputs: what terraform_remote_state reads. */
export function outputsState(producer: string, outputs: Record<string, unknown>): object {
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: `offline-${producer}`,
    outputs: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, { value, type: terraformType(value) }])),
    resources: [],
  };
}

/**
 * What a consumer is served of a producer's outputs: every declared output, with the value the
 * producer's offline plan knows, else a fake shaped by its declared kind (an output AWS only
 * assigns on apply, or a producer not planned in this run).
 */
export function servedOutputs(
  producer: string,
  declared: Record<string, OutputSpec>,
  planned: OfflinePlanResult | undefined,
  config: PlatformConfig,
): Record<string, unknown> {
  const known = planned?.status === 'planned' ? ((planned.planJson as PlanJson).planned_values?.outputs ?? {}) : {};
  return Object.fromEntries(
    Object.entries(declared).map(([output, spec]) => [
      output,
      known[output] && 'value' in known[output]! ? known[output]!.value : fakeOutput(producer, output, spec, config),
    ]),
  );
}

/** `prod/us-east-infra/terraform.tfstate` → `us-east-infra`. */
export function producerOf(remoteState: Record<string, unknown>): string | undefined {
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

/**
 * The outputs `consumer` reads of its remote state `name`, or undefined when it also uses the
 * outputs object whole (passes it on, or looks a name up in it): then every output counts as read.
 */
export function outputsRead(consumer: SynthesizedStack, name: string): string[] | undefined {
  const text = JSON.stringify(consumer.json);
  const prefix = `data.terraform_remote_state.${name}.outputs`;
  const read = new Set<string>();
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + prefix.length)) {
    const attribute = /^\.([A-Za-z_][\w-]*)/.exec(text.slice(at + prefix.length));
    if (!attribute) return undefined;
    read.add(attribute[1]!);
  }
  return [...read].sort();
}

/**
 * Whether `producer`'s configuration says its output is known when the producer is planned: true
 * unless its value names only attributes of its managed resources that their configuration leaves
 * to AWS (an ARN, an id), which a plan shows as "known after apply". A guess from configuration,
 * never trusted alone: the environment plan checks what each consumer was served once its
 * producers are planned (offline-environment.ts), so a wrong guess costs a second plan, never a
 * wrong one.
 */
export function knownAtPlan(producer: SynthesizedStack, output: string): boolean {
  const value = (producer.json.output?.[output] as { value?: unknown } | undefined)?.value;
  if (value === undefined) return true; // not published: the read fails either way
  const text = JSON.stringify(value);
  const references = [...text.matchAll(/(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[\d+\])?(\.[a-z0-9_]+)?/g)];
  if (references.length === 0 || /\b(var|local|module|data)\./.test(text)) return true;
  return references.some(([, type, name, attribute]) => {
    const config = (producer.json.resource?.[type!] as Record<string, Record<string, unknown>> | undefined)?.[name!];
    return !config || !attribute || attribute.slice(1) in config;
  });
}

/**
 * The stacks among `stacks` whose state `stack` reads; with `knownReadsOnly`, only those it reads an
 * output of that is known at plan (knownAtPlan), which it must plan after. A producer it reads only
 * AWS-assigned outputs of may plan in the same run or later: it would be served contract-shaped
 * fakes for those either way.
 */
function producersWithin(stack: SynthesizedStack, stacks: ReadonlyMap<string, SynthesizedStack>, knownReadsOnly: boolean): SynthesizedStack[] {
  return Object.entries(stack.json.data?.['terraform_remote_state'] ?? {}).flatMap(([name, remote]) => {
    const producer = stacks.get(producerOf(remote) ?? '');
    if (producer === undefined || producer === stack) return [];
    const read = outputsRead(stack, name);
    return !knownReadsOnly || read === undefined || read.some((output) => knownAtPlan(producer, output)) ? [producer] : [];
  });
}

/** The depth of each stack in the read graph (0: reads none of `ordered`), refusing a cycle. */
function depths(ordered: readonly SynthesizedStack[], knownReadsOnly: boolean): Map<SynthesizedStack, number> {
  const byName = new Map(ordered.map((s) => [s.name, s]));
  const depthOf = new Map<SynthesizedStack, number>();
  const depth = (stack: SynthesizedStack, path: readonly string[]): number => {
    if (path.includes(stack.name))
      throw new Error(
        `stacks read each other's state in a cycle: ${[...path, stack.name].join(' -> ')}; fix: break the cycle in libs/stack-contracts`,
      );
    if (!depthOf.has(stack))
      depthOf.set(stack, Math.max(-1, ...producersWithin(stack, byName, knownReadsOnly).map((p) => depth(p, [...path, stack.name]))) + 1);
    return depthOf.get(stack)!;
  };
  for (const stack of ordered) depth(stack, []);
  return depthOf;
}

/**
 * The terraform runs of an environment plan: a stack runs after every stack it reads a known-at-plan
 * output of (so it is served their planned values), and stacks with no such tie share a run. Any
 * cycle of state reads is refused (no order could deploy it). `ordered` is in rollout order, and so
 * is each run.
 */
export function planningPhases(ordered: readonly SynthesizedStack[]): SynthesizedStack[][] {
  depths(ordered, false);
  const phaseOf = depths(ordered, true);
  const phases: SynthesizedStack[][] = [];
  for (const stack of ordered) (phases[phaseOf.get(stack)!] ??= []).push(stack);
  return phases;
}
