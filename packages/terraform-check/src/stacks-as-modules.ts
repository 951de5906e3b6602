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

/**
 * Writes the stacks as modules under `dir` plus `main.tf.json` calling each, with `root` merged in
 * (backend, outputs). `overrideFor` gives a stack's override file content (terraform reads
 * `*_override.tf.json` in each module's own folder), or undefined for none.
 */
export function writeStacksAsModules(
  dir: string,
  stacks: readonly SynthesizedStack[],
  root: Record<string, unknown> = {},
  overrideFor?: (stack: SynthesizedStack) => Record<string, unknown> | undefined,
): void {
  for (const stack of stacks) {
    const { backend: _backend, ...terraform } = stack.json.terraform ?? {};
    void _backend;
    rmSync(join(dir, stack.name), { recursive: true, force: true });
    mkdirSync(join(dir, stack.name), { recursive: true });
    writeFileSync(join(dir, stack.name, 'cdk.tf.json'), JSON.stringify({ ...stack.json, terraform }));
    const override = overrideFor?.(stack);
    if (override) writeFileSync(join(dir, stack.name, 'zz_offline_override.tf.json'), JSON.stringify(override));
  }
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({ ...root, module: Object.fromEntries(stacks.map((s) => [moduleName(s), { source: `./${s.name}` }])) }),
  );
}
