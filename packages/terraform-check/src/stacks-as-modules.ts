import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedStack } from './synth-output';

/**
 * Many stacks as modules of one generated root module, so one terraform run (one provider schema
 * load, most of a run's cost) checks or plans them all. Each stack's JSON goes to `<dir>/<stack>/`
 * without its backend (only a root module has one); diagnostics then name `<stack>/cdk.tf.json`,
 * and plan addresses `module.<moduleName>.`, so results stay attributable to their stack.
 */

/** The module name a stack gets in a combined root (`eu-west-data` → `eu_west_data`). */
export const moduleName = (stack: Pick<SynthesizedStack, 'name'>): string => stack.name.replace(/[^A-Za-z0-9_]/g, '_');

/** A folder name per set of stacks: their names joined outgrow a file name (255 bytes) at ~30 stacks. */
export function combinedName(stacks: readonly Pick<SynthesizedStack, 'name'>[]): string {
  return `${stacks.length}-stacks-${createHash('sha256')
    .update(stacks.map((s) => s.name).join('+'))
    .digest('hex')
    .slice(0, 12)}`;
}

/** Variables a stack's module declares besides its own, and the inputs the root passes them. */
export interface ModuleInputs {
  readonly variable: Readonly<Record<string, { readonly type: string }>>;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * Writes the stacks as modules under `dir` plus `main.tf.json` calling each, with `root` merged in
 * (backend, outputs). `overrideFor` gives a stack's override file content (terraform reads
 * `*_override.tf.json` in each module's own folder), or undefined for none; `inputsFor` the
 * variables a module gets in a file of their own (an override file may only change what exists)
 * and the values the root passes them.
 */
export function writeStacksAsModules(
  dir: string,
  stacks: readonly SynthesizedStack[],
  root: Record<string, unknown> = {},
  overrideFor?: (stack: SynthesizedStack) => Record<string, unknown> | undefined,
  inputsFor?: (stack: SynthesizedStack) => ModuleInputs | undefined,
): void {
  const inputs = new Map<SynthesizedStack, Readonly<Record<string, unknown>>>();
  for (const stack of stacks) {
    const { backend: _backend, ...terraform } = stack.json.terraform ?? {};
    void _backend;
    rmSync(join(dir, stack.name), { recursive: true, force: true });
    mkdirSync(join(dir, stack.name), { recursive: true });
    writeFileSync(join(dir, stack.name, 'cdk.tf.json'), JSON.stringify({ ...stack.json, terraform }));
    const override = overrideFor?.(stack);
    if (override) writeFileSync(join(dir, stack.name, 'zz_offline_override.tf.json'), JSON.stringify(override));
    const extra = inputsFor?.(stack);
    if (extra) {
      writeFileSync(join(dir, stack.name, 'offline_inputs.tf.json'), JSON.stringify({ variable: extra.variable }));
      inputs.set(stack, extra.inputs);
    }
  }
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({
      ...root,
      module: Object.fromEntries(stacks.map((s) => [moduleName(s), { source: `./${s.name}`, ...inputs.get(s) }])),
    }),
  );
}

/**
 * A failed combined run's errors, each given to the stack whose folder it names
 * (`  on <stack>/cdk.tf.json line 1, ...`, or that stack's override file): stack name -> its error
 * blocks, as terraform printed them (-no-color). Undefined when any error names no stack (a
 * provider that failed to start, a root-module problem): then no error may be charged to a stack.
 */
export function errorsByStack(output: string, stacks: readonly Pick<SynthesizedStack, 'name'>[]): Map<string, string> | undefined {
  const names = new Set(stacks.map((s) => s.name));
  const blocks = output.split(/^(?=(?:Error|Warning): )/m).filter((block) => block.startsWith('Error: '));
  if (blocks.length === 0) return undefined;
  const byStack = new Map<string, string[]>();
  for (const block of blocks) {
    const stack = /^\s+on ([^/\s]+)\/[^/\s]+\.tf\.json line \d+/m.exec(block)?.[1];
    if (!stack || !names.has(stack)) return undefined;
    byStack.set(stack, [...(byStack.get(stack) ?? []), block.trimEnd()]);
  }
  return new Map([...byStack].map(([stack, own]) => [stack, own.join('\n\n')]));
}
