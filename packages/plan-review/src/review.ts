import type { PlatformConfig } from '@platform/config';
import type { SynthesizedStack } from '@platform/terraform-check';
import { estimateCost, totalsBy, type CostLine, type UsageAssumptions } from './cost-estimate';
import { guardDestroys, type DestroyFinding } from './destroy-guard';
import type { ParsedPlan } from './plan-json';
import { runPolicyGate, type PolicyResult, type Suppression } from './policy-gate';
import type { PriceTable } from './price-table';

/** What one stack's review says. */
export interface StackReview {
  readonly stack: string;
  readonly app: string;
  readonly resourceCount: number;
  /** Present when a plan was reviewed; `planNote` says why not otherwise. */
  readonly plan?: { readonly counts: Readonly<Record<string, number>>; readonly changes: readonly { address: string; actions: readonly string[] }[] };
  readonly planNote?: string;
  readonly destroys: readonly DestroyFinding[];
  readonly monthlyUsd: number;
  readonly baseMonthlyUsd?: number;
}

export interface Review {
  readonly stacks: readonly StackReview[];
  readonly policy: PolicyResult;
  readonly cost: { readonly lines: readonly CostLine[]; readonly baseLines?: readonly CostLine[]; readonly priceTableOldest: string };
  /** 0 pass, 1 policy findings, 2 destructive changes not allowed, 3 both. */
  readonly exitCode: number;
}

export interface ReviewInput {
  readonly stacks: readonly SynthesizedStack[];
  readonly baseStacks?: readonly SynthesizedStack[];
  readonly config: PlatformConfig;
  readonly suppressions: readonly Suppression[];
  readonly prices: PriceTable;
  readonly usage: UsageAssumptions;
  /** Plans by stack name. */
  readonly plans: ReadonlyMap<string, ParsedPlan>;
  /** Why stacks without a plan have none, by stack name. */
  readonly planNotes: ReadonlyMap<string, string>;
  readonly allowedDestroys: readonly string[];
}

function countActions(plan: ParsedPlan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const change of plan.changes.filter((c) => c.mode === 'managed')) {
    const key = change.actions.includes('delete') && change.actions.includes('create') ? 'replace' : change.actions.join('+');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function reviewStacks(input: ReviewInput): Review {
  const policy = runPolicyGate(input.stacks, input.config, input.suppressions);
  const lines = estimateCost(input.stacks, input.config, input.prices, input.usage);
  const baseLines = input.baseStacks ? estimateCost(input.baseStacks, input.config, input.prices, input.usage) : undefined;
  const byStack = totalsBy(lines, 'stack');
  const baseByStack = baseLines ? totalsBy(baseLines, 'stack') : undefined;

  const stacks = input.stacks.map((stack): StackReview => {
    const plan = input.plans.get(stack.name);
    return {
      stack: stack.name,
      app: stack.app,
      resourceCount: Object.values(stack.json.resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0),
      plan: plan ? { counts: countActions(plan), changes: plan.changes.filter((c) => c.mode === 'managed' && !(c.actions.length === 1 && c.actions[0] === 'no-op')).map(({ address, actions }) => ({ address, actions })) } : undefined,
      planNote: plan ? undefined : (input.planNotes.get(stack.name) ?? 'no plan given'),
      destroys: plan ? guardDestroys(plan, input.allowedDestroys) : [],
      monthlyUsd: byStack.get(stack.name) ?? 0,
      baseMonthlyUsd: baseByStack ? (baseByStack.get(stack.name) ?? 0) : undefined,
    };
  });
  const policyFailed = policy.findings.length > 0;
  const destroyFailed = stacks.some((s) => s.destroys.some((d) => !d.allowed));
  return { stacks, policy, cost: { lines, baseLines, priceTableOldest: input.prices.oldestDate() }, exitCode: (policyFailed ? 1 : 0) + (destroyFailed ? 2 : 0) };
}
