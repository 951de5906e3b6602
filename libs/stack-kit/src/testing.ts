import { seedRegionsConfig, type PlatformConfig } from '@platform/config';
import { Testing, type TerraformStack } from 'cdktf';
import type { AppContext } from './run-app';

/** A synthesized stack as JSON, with the snake_case keys Terraform sees. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly terraform?: { backend?: Record<string, Record<string, unknown>>; required_providers?: Record<string, unknown> };
}

/** Synthesizes one stack (without writing files) for assertions in construct tests. */
export function synthesizeStack(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** The resources of one type, by logical id. */
export function resourcesOf(json: StackJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type; fails loudly when there are none or several. */
export function onlyResource(json: StackJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** An AppContext on prod's seed regions (see seedRegionsConfig), for tests. */
export function testContext(overrides: Partial<AppContext> = {}, config: PlatformConfig = seedRegionsConfig()): AppContext {
  return { config, backend: 's3', ...overrides };
}
