import { assertSynthesizedFor, readSynthesizedApp, type SynthesizedStack } from '@platform/terraform-check';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const workspaceRoot = resolve(__dirname, '../../..');

/** Every app folder under apps/. */
export function appNames(): string[] {
  return readdirSync(join(workspaceRoot, 'apps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Every synthesized stack of every app, as Terraform will read it (the synth target runs first), for `environment`. */
export function allSynthesizedStacks(environment = 'prod'): SynthesizedStack[] {
  for (const app of appNames()) assertSynthesizedFor(join(workspaceRoot, 'apps', app), environment);
  return appNames().flatMap((app) => readSynthesizedApp(join(workspaceRoot, 'apps', app), environment));
}

/** [type, logical id, body] for every resource of a stack. */
export function resourcesIn(stack: SynthesizedStack): [string, string, Record<string, unknown>][] {
  return Object.entries(stack.json.resource ?? {}).flatMap(([type, byId]) =>
    Object.entries(byId).map(([id, body]) => [type, id, body] as [string, string, Record<string, unknown>]),
  );
}
