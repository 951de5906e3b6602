import { isDeepStrictEqual } from 'node:util';
import type { SynthesizedStack } from './synth-output';

/** Why a stack needs a plan in a pull request. */
export interface StackChange {
  readonly stack: string;
  readonly reason: 'new' | 'configuration' | `reads ${string}`;
}

/** The stack a remote-state data source reads: `<env>/<stack>/terraform.tfstate` (s3) or `.../<stack>/terraform.tfstate` (local). */
function stacksRead(stack: SynthesizedStack): string[] {
  return Object.values(stack.json.data?.['terraform_remote_state'] ?? {}).flatMap((source) => {
    const config = (source['config'] ?? {}) as { key?: string; path?: string };
    const location = config.key ?? config.path ?? '';
    const match = /([^/]+)\/terraform\.tfstate$/.exec(location);
    return match ? [match[1]!] : [];
  });
}

/** cdktf's `//` metadata (its version, the stack's construct path) is not configuration. */
function configurationOf(stack: SynthesizedStack): unknown {
  const { ['//']: _metadata, ...rest } = stack.json as Record<string, unknown>;
  return rest;
}

/**
 * The stacks a pull request must plan: those whose synthesized configuration differs from the base
 * branch's (or that are new), and, transitively, the stacks that read the outputs of a stack whose
 * outputs changed (their plan depends on values the change moves). A change that alters no
 * stack's JSON (docs, tests, a refactor) plans nothing. Stacks are returned in `head`'s order.
 */
export function changedStacks(head: readonly SynthesizedStack[], base: readonly SynthesizedStack[]): StackChange[] {
  const baseByName = new Map(base.map((s) => [s.name, s]));
  const reasons = new Map<string, StackChange['reason']>();
  const outputsChanged = new Set<string>();
  for (const stack of head) {
    const before = baseByName.get(stack.name);
    if (!before) {
      reasons.set(stack.name, 'new');
      outputsChanged.add(stack.name);
    } else if (!isDeepStrictEqual(configurationOf(stack), configurationOf(before))) {
      reasons.set(stack.name, 'configuration');
      if (!isDeepStrictEqual(stack.json.output ?? {}, before.json.output ?? {})) outputsChanged.add(stack.name);
    }
  }
  // Readers of changed outputs, until nothing new is added (a reader's outputs may pass values on).
  for (let grew = true; grew;) {
    grew = false;
    for (const stack of head) {
      if (reasons.has(stack.name)) continue;
      const upstream = stacksRead(stack).find((name) => outputsChanged.has(name));
      if (upstream) {
        reasons.set(stack.name, `reads ${upstream}`);
        outputsChanged.add(stack.name);
        grew = true;
      }
    }
  }
  return head.filter((s) => reasons.has(s.name)).map((s) => ({ stack: s.name, reason: reasons.get(s.name)! }));
}

/** Stacks the base branch has and the head does not: their resources stay in state, unplanned. */
export function removedStacks(head: readonly SynthesizedStack[], base: readonly SynthesizedStack[]): string[] {
  const names = new Set(head.map((s) => s.name));
  return base.filter((s) => !names.has(s.name)).map((s) => s.name);
}
