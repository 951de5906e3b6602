import { COST_CATEGORIES, SEED_ESTIMATE, totalsBy } from './cost-estimate';
import type { Review, StackReview } from './review';

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
const signed = (n: number) => `${n >= 0 ? '+' : '-'}${usd(Math.abs(n))}`;

/** The sticky PR comment of one stack: counts, destructive changes in red, findings, cost, the plan folded. */
export function stackMarkdown(review: Review, stack: StackReview, withPlan = true): string {
  const out: string[] = [];
  const findings = review.policy.findings.filter((f) => f.stack === stack.stack);
  const suppressed = review.policy.suppressed.filter((f) => f.stack === stack.stack);
  const exceptions = review.policy.exceptions.filter((e) => e.stack === stack.stack);
  const blocked = stack.destroys.filter((d) => !d.allowed);
  const status = findings.length || blocked.length ? '❌' : '✅';
  out.push(`<!-- plan-review:${stack.stack} -->`, `### ${status} \`${stack.stack}\` (app \`${stack.app}\`)`, '');
  const counts = stack.plan
    ? Object.entries(stack.plan.counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || 'no changes'
    : `not planned: ${stack.planNote}`;
  const delta = stack.baseMonthlyUsd === undefined ? '' : ` (${signed(stack.monthlyUsd - stack.baseMonthlyUsd)} vs base)`;
  out.push(
    `| resources | plan | policy findings | suppressed | monthly cost |`,
    `|---|---|---|---|---|`,
    `| ${stack.resourceCount} | ${counts} | ${findings.length} | ${suppressed.length} | ${usd(stack.monthlyUsd)}${delta} |`,
    '',
  );
  if (stack.destroys.length) {
    out.push('#### 🟥 Destructive changes', '', '| address | action | allowed | why |', '|---|---|---|---|');
    for (const d of stack.destroys)
      out.push(`| \`${d.address}\` | ${d.kind} (${d.actions.join(', ')}) | ${d.allowed ? 'yes (explicitly)' : '**no**'} | ${d.why} |`);
    out.push('');
  }
  if (findings.length) {
    out.push('#### Policy findings', '');
    for (const f of findings) out.push(`- **${f.rule}** \`${f.address}\` \`${f.attribute}\`: ${f.why}. Fix: ${f.fix}.`);
    out.push('');
  }
  if (suppressed.length || exceptions.length) {
    out.push('#### Let through, with reasons', '');
    for (const f of suppressed) out.push(`- suppressed **${f.rule}** \`${f.address}\`: ${f.reason}`);
    for (const e of exceptions) out.push(`- AWS exception **${e.rule}** \`${e.address}\`: ${e.reason}`);
    out.push('');
  }
  if (stack.plan && withPlan) {
    out.push(
      `<details><summary>Plan: ${stack.plan.changes.length} change(s)</summary>`,
      '',
      '```',
      ...stack.plan.changes.map((c) => `${c.actions.join('+').padEnd(14)} ${c.address}`),
      '```',
      '</details>',
      '',
    );
  }
  return out.join('\n');
}

/** GitHub refuses comments longer than 65,536 characters; keep a margin for the sticky header. */
export const MAX_COMMENT_CHARS = 65_000;

/**
 * The whole review (or one stack's, after scopeReview): a summary, the cost against the seed, then
 * each stack. Longer than a GitHub comment allows, the folded plan lists go first, then the text
 * is cut, with a link to the full report in the artifact.
 */
export function reviewMarkdown(review: Review, options: { readonly artifactUrl?: string; readonly maxChars?: number } = {}): string {
  const max = options.maxChars ?? MAX_COMMENT_CHARS;
  const full = renderReview(review, true);
  if (full.length <= max) return full;
  const where = options.artifactUrl ? `the [full report](${options.artifactUrl})` : "the full report in the run's artifact";
  const note = `\n\n> ✂️ Cut to fit a GitHub comment (${full.length.toLocaleString('en-US')} characters): see ${where}.\n`;
  const withoutPlans = renderReview(review, false);
  if (withoutPlans.length + note.length <= max) return withoutPlans + note;
  return withoutPlans.slice(0, max - note.length) + note;
}

function renderReview(review: Review, withPlans: boolean): string {
  const out: string[] = ['## Plan review', ''];
  const findings = review.policy.findings.length;
  const blocked = review.stacks.flatMap((s) => s.destroys.filter((d) => !d.allowed)).length;
  const scope = review.onlyStack ? ` (stack \`${review.onlyStack}\`)` : '';
  out.push(
    `**${review.exitCode === 0 ? 'PASS' : 'FAIL'}**${scope}: ${review.stacks.length} stacks, ${review.policy.rules.length} policy rules, ${findings} finding(s), ${review.policy.suppressed.length} suppressed, ${blocked} destructive change(s) not allowed.`,
    '',
  );
  if (review.unusedAllowances.length)
    out.push(
      `Unused destroy allowances (they match no destructive change; remove or fix them): ${review.unusedAllowances.map((a) => `\`${a.stack}:${a.address}\``).join(', ')}`,
      '',
    );
  if (review.stalePrices.length)
    out.push(
      `⚠️ ${review.stalePrices.length} price(s) are older than their refresh rule (oldest read ${review.cost.priceTableOldest}), so totals may be off: refresh \`packages/plan-review/data/prices.json\` (the JSON report lists each).`,
      '',
    );
  if (review.policy.unusedSuppressions.length)
    out.push(
      `Stale suppressions (they match nothing; remove them): ${review.policy.unusedSuppressions.map((s) => `${s.rule} ${s.stack} ${s.address}`).join('; ')}`,
      '',
    );

  const byCategory = totalsBy(review.cost.lines, 'category');
  const baseByCategory = review.cost.baseLines ? totalsBy(review.cost.baseLines, 'category') : undefined;
  out.push(
    '### Monthly cost against the seed',
    '',
    `| category | estimate | seed | difference${baseByCategory ? ' | vs base' : ''} |`,
    `|---|---|---|---|${baseByCategory ? '---|' : ''}`,
  );
  let total = 0;
  let seedTotal = 0;
  for (const category of COST_CATEGORIES) {
    const value = byCategory.get(category) ?? 0;
    total += value;
    seedTotal += SEED_ESTIMATE[category];
    out.push(
      `| ${category} | ${usd(value)} | ${usd(SEED_ESTIMATE[category])} | ${signed(value - SEED_ESTIMATE[category])}${baseByCategory ? ` | ${signed(value - (baseByCategory.get(category) ?? 0))}` : ''} |`,
    );
  }
  out.push(
    `| **total** | **${usd(total)}** | **${usd(seedTotal)}** | **${signed(total - seedTotal)}** |${baseByCategory ? ` ${signed(total - [...baseByCategory.values()].reduce((a, b) => a + b, 0))} |` : ''}`,
    '',
  );
  const byRegion = totalsBy(review.cost.lines, 'region');
  out.push(
    `By region: ${[...byRegion.entries()].map(([r, v]) => `${r} ${usd(v)}`).join(', ')}. Prices from \`packages/plan-review/data/prices.json\` (oldest entry ${review.cost.priceTableOldest}); usage from \`data/usage-assumptions.json\`. Usage (CDN, replication traffic, backups) is priced only for what the stacks contain.`,
    '',
  );
  for (const stack of review.stacks) out.push(stackMarkdown(review, stack, withPlans));
  return out.join('\n');
}
