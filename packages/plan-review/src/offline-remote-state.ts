// The remote state an offline environment plan serves its consumers, without terraform: what each
// consumer reads (a producer's planned outputs, by reference when both plan in one run, else fakes
// shaped by the contract), the read graph's cycles refused, and a failed read explained by
// contract. Pure, so unit-tested (offline-remote-state.spec.ts) and mutation-tested;
// offline-environment.ts runs terraform.
import type { PlatformConfig } from '@platform/config';
import { regionalContracts, singletonContracts, type OutputSpec } from '@platform/stack-contracts';
import type { OfflinePlanResult, ServedRemoteState, SynthesizedStack } from '@platform/terraform-check';

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
  const known = plannedOutputs(planned);
  return Object.fromEntries(
    Object.entries(declared).map(([output, spec]) => [output, output in known ? known[output] : fakeOutput(producer, output, spec, config)]),
  );
}

/** The output values a plan knows (an output AWS assigns on apply has none), by name. */
export function plannedOutputs(planned: OfflinePlanResult | undefined): Record<string, unknown> {
  const outputs = planned?.status === 'planned' ? ((planned.planJson as PlanJson).planned_values?.outputs ?? {}) : {};
  return Object.fromEntries(Object.entries(outputs).flatMap(([name, output]) => ('value' in output ? [[name, output.value]] : [])));
}

/**
 * The served values as a remote state, each output `producer` publishes and knows at plan
 * (knownAtPlan) also marked to be taken from it by reference, for a run that plans the producer too.
 * Without a producer (not planned in that run) the values alone.
 */
export function servedRemoteState(values: Readonly<Record<string, unknown>>, producer?: SynthesizedStack): ServedRemoteState {
  return Object.fromEntries(
    Object.entries(values).map(([output, value]) => {
      const published = producer?.json.output?.[output];
      return [
        output,
        producer && published && knownAtPlan(producer, output)
          ? { value, from: { stack: producer.name, output, sensitive: published.sensitive === true } }
          : { value },
      ];
    }),
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
 * to AWS (an ARN, an id) or sets with uuid() or timestamp(), which a plan shows as "known after
 * apply" (the foundation's origin-verify secret is two uuid()s). A guess from configuration,
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
    if (!config || !attribute) return true;
    // Configured, so known at plan - unless made by a function terraform evaluates only on apply.
    return attribute.slice(1) in config && !/\b(uuid|timestamp)\(\)/.test(JSON.stringify(config[attribute.slice(1)]));
  });
}

/** The stacks among `stacks` whose state `stack` reads (not its own: a stack may read the state it replaces). */
function producersWithin(stack: SynthesizedStack, stacks: ReadonlyMap<string, SynthesizedStack>): SynthesizedStack[] {
  return Object.values(stack.json.data?.['terraform_remote_state'] ?? {}).flatMap((remote) => {
    const producer = stacks.get(producerOf(remote) ?? '');
    return producer === undefined || producer === stack ? [] : [producer];
  });
}

/**
 * Refuses stacks that read each other's state in a cycle, naming it: no order could deploy them, and
 * an environment plan passing outputs by reference would be a cycle of modules.
 */
export function refuseReadCycles(stacks: readonly SynthesizedStack[]): void {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const settled = new Set<SynthesizedStack>();
  const visit = (stack: SynthesizedStack, path: readonly string[]): void => {
    if (path.includes(stack.name))
      throw new Error(
        `stacks read each other's state in a cycle: ${[...path, stack.name].join(' -> ')}; fix: break the cycle in libs/stack-contracts`,
      );
    if (settled.has(stack)) return;
    for (const producer of producersWithin(stack, byName)) visit(producer, [...path, stack.name]);
    settled.add(stack);
  };
  for (const stack of stacks) visit(stack, []);
}
