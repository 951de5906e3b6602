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
  /** Allowances (`stack:address`) that matched no destructive change: stale or mistyped. */
  readonly unusedAllowances: readonly DestroyAllowance[];
  /** Prices older than their refresh rule (a warning: totals may be off). */
  readonly stalePrices: readonly string[];
  /** The stack the review is scoped to (a pull request's per-stack comment), if any. */
  readonly onlyStack?: string;
  /** 0 pass, 1 policy findings, 2 destructive changes not allowed, 3 both. */
  readonly exitCode: number;
}

/** A reviewed, intended destroy: exactly one address in one stack (the same address exists in every region). */
export interface DestroyAllowance {
  readonly stack: string;
  readonly address: string;
  /** Why it is intended; required in allowance files, shown in the report. */
  readonly reason?: string;
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
  readonly allowedDestroys: readonly DestroyAllowance[];
  /** Day the review runs (YYYY-MM-DD), for price staleness. @default today */
  readonly today?: string;
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
      plan: plan
        ? {
            counts: countActions(plan),
            changes: plan.changes
              .filter((c) => c.mode === 'managed' && !(c.actions.length === 1 && c.actions[0] === 'no-op'))
              .map(({ address, actions }) => ({ address, actions })),
          }
        : undefined,
      planNote: plan ? undefined : (input.planNotes.get(stack.name) ?? 'no plan given'),
      destroys: plan
        ? guardDestroys(
            plan,
            input.allowedDestroys.filter((a) => a.stack === stack.name).map((a) => a.address),
          )
        : [],
      monthlyUsd: byStack.get(stack.name) ?? 0,
      baseMonthlyUsd: baseByStack ? (baseByStack.get(stack.name) ?? 0) : undefined,
    };
  });
  const unusedAllowances = input.allowedDestroys.filter(
    (a) => !stacks.some((s) => s.stack === a.stack && s.destroys.some((d) => d.address === a.address)),
  );
  const review = {
    stacks,
    policy,
    cost: { lines, baseLines, priceTableOldest: input.prices.oldestDate() },
    unusedAllowances,
    stalePrices: input.prices.staleKeys(input.today ?? new Date().toISOString().slice(0, 10)),
  };
  return { ...review, exitCode: exitCodeOf(review.stacks, review.policy.findings) };
}

function exitCodeOf(stacks: readonly StackReview[], findings: PolicyResult['findings']): number {
  const policyFailed = findings.length > 0;
  const destroyFailed = stacks.some((s) => s.destroys.some((d) => !d.allowed));
  return (policyFailed ? 1 : 0) + (destroyFailed ? 2 : 0);
}

/**
 * The review of one stack, for its pull-request comment: its findings, its destroys and its exit
 * code only, so a comment never shows FAIL for another stack's problem. Cost stays whole.
 */
export function scopeReview(review: Review, stackName: string): Review {
  const stacks = review.stacks.filter((s) => s.stack === stackName);
  const mine = <T extends { stack: string }>(items: readonly T[]) => items.filter((i) => i.stack === stackName);
  const policy = {
    ...review.policy,
    findings: mine(review.policy.findings),
    suppressed: mine(review.policy.suppressed),
    exceptions: mine(review.policy.exceptions),
    unusedSuppressions: mine(review.policy.unusedSuppressions),
  };
  return {
    ...review,
    stacks,
    policy,
    unusedAllowances: mine(review.unusedAllowances),
    onlyStack: stackName,
    exitCode: exitCodeOf(stacks, policy.findings),
  };
}
