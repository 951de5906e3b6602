import type { PlatformConfig } from '@platform/config';
import { remoteStateOf, type BackendMode } from '@platform/stack-kit';
import { Fn, TerraformOutput, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * Terraform outputs carry strings, lists of strings, or maps of strings (one value per region, say)
 * across stacks; richer data is a smell.
 */
export type OutputKind = 'string' | 'list' | 'map';

export interface OutputSpec {
  readonly kind: OutputKind;
  readonly description: string;
  /** A secret: Terraform hides it in plans and logs (it is still in the encrypted state). @default false */
  readonly sensitive?: boolean;
}

type OutputValue<K extends OutputKind> = K extends 'list' ? string[] : K extends 'map' ? Readonly<Record<string, string>> : string;

/** The values a producer publishes: exactly the declared keys, typed by kind. */
export type OutputValues<O extends Record<string, OutputSpec>> = { readonly [K in keyof O]: OutputValue<O[K]['kind']> };

/** What a consumer reads: like OutputValues, but a map's entries are looked up lazily by key. */
export type RemoteOutputs<O extends Record<string, OutputSpec>> = OutputValues<O>;

/**
 * What one stack publishes for others to read. Producers must publish every declared output;
 * consumers can read only declared ones (a compile error, and a synth error for untyped code).
 */
export interface StackContract<O extends Record<string, OutputSpec>, A extends readonly unknown[]> {
  readonly name: string;
  /** The producing stack's name (and so its state key), from the arguments that pick the instance. */
  readonly stackName: (...args: A) => string;
  readonly outputs: O;
}

export function defineContract<const O extends Record<string, OutputSpec>, const A extends readonly unknown[]>(
  contract: StackContract<O, A>,
): StackContract<O, A> {
  return Object.freeze({ ...contract, outputs: Object.freeze({ ...contract.outputs }) });
}

/** Stacks → the contracts they publish, so tests can compare synthesized outputs with declarations. */
const published = new WeakMap<TerraformStack, string[]>();

export function publishedContracts(stack: TerraformStack): readonly string[] {
  return published.get(stack) ?? [];
}

/** Producer side: one TerraformOutput per declared output, named exactly as declared. */
export function publishOutputs<O extends Record<string, OutputSpec>, A extends readonly unknown[]>(
  stack: TerraformStack & { readonly stackName: string },
  contract: StackContract<O, A>,
  values: OutputValues<O>,
  ...args: A
): void {
  const expectedStack = contract.stackName(...args);
  if (stack.stackName !== expectedStack) {
    throw new Error(
      `contract ${contract.name} is published by stack "${expectedStack}", not "${stack.stackName}"; fix: publish it from ${expectedStack} or pass the right arguments`,
    );
  }
  const declared = Object.keys(contract.outputs);
  const given = Object.keys(values);
  const missing = declared.filter((k) => !given.includes(k));
  const extra = given.filter((k) => !declared.includes(k));
  if (missing.length || extra.length) {
    throw new Error(
      `stack ${stack.stackName} does not match contract ${contract.name}: missing [${missing.join(', ')}], undeclared [${extra.join(', ')}]; fix: declare outputs in libs/stack-contracts/src/contracts.ts and publish all of them`,
    );
  }
  for (const key of declared) {
    const spec = contract.outputs[key]!;
    new TerraformOutput(stack, key, { value: values[key as keyof O], description: spec.description, ...(spec.sensitive ? { sensitive: true } : {}) });
  }
  published.set(stack, [...publishedContracts(stack), contract.name]);
}

export interface RemoteSource {
  readonly config: PlatformConfig;
  readonly backend: BackendMode;
}

/**
 * Consumer side: a typed view over the producer's remote state. Reading a key the contract does not
 * declare fails to compile, and (for code that escapes the types) fails synth with the declared list.
 */
export function readOutputs<O extends Record<string, OutputSpec>, A extends readonly unknown[]>(
  scope: Construct,
  id: string,
  contract: StackContract<O, A>,
  source: RemoteSource,
  ...args: A
): RemoteOutputs<O> {
  const stackName = contract.stackName(...args);
  const state = remoteStateOf(scope, id, source.config, source.backend, stackName);
  const view = {} as Record<string, unknown>;
  for (const [key, spec] of Object.entries(contract.outputs)) {
    const read = spec.kind === 'list' ? () => state.getList(key) : spec.kind === 'map' ? () => mapView(state.get(key)) : () => state.getString(key);
    Object.defineProperty(view, key, { enumerable: true, get: read });
  }
  return new Proxy(Object.freeze(view), {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && key !== 'then' && key !== 'toJSON') {
        throw new Error(
          `stack ${stackName} publishes no output "${key}" (contract ${contract.name} declares: ${Object.keys(contract.outputs).join(', ') || 'nothing'}); fix: declare it in libs/stack-contracts/src/contracts.ts and publish it from ${stackName}`,
        );
      }
      return Reflect.get(target, key, receiver);
    },
  }) as RemoteOutputs<O>;
}

/** `outputs.someMap['us-east']` becomes `<remote map>["us-east"]`, which fails the plan if the key is absent. */
function mapView(map: unknown): Readonly<Record<string, string>> {
  return new Proxy({} as Record<string, string>, {
    get: (_target, key) => (typeof key === 'string' ? Fn.lookup(map, key) : undefined),
  });
}
