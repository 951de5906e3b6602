import type { PlatformConfig } from '@platform/config';
import type { SynthesizedStack } from '@platform/terraform-check';
import { readFileSync } from 'node:fs';
import { policyContext, POLICY_RULES, type PolicyException, type PolicyFinding } from './policy-rules';

/**
 * A reviewed decision to let one finding through; it always shows in the report. `stack` is a stack
 * name or a region stack kind (`<region>-infra`), which stands for that stack of every configured
 * region, so a region added to the config needs no new suppression.
 */
export interface Suppression {
  readonly rule: string;
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
}

export interface PolicyResult {
  readonly findings: readonly PolicyFinding[];
  readonly suppressed: readonly (PolicyFinding & { readonly reason: string })[];
  readonly exceptions: readonly PolicyException[];
  /** Suppressions that matched nothing: stale, to be removed. */
  readonly unusedSuppressions: readonly Suppression[];
  readonly rules: readonly { readonly id: string; readonly title: string }[];
}

const MIN_REASON_LENGTH = 20;
/** `<region>-infra` in a suppression means the infra stack of every configured region. */
const REGION_KIND_PREFIX = '<region>-';

/** Reads suppressions; each needs a rule, stack, address and a written reason. */
export function loadSuppressions(path: string): Suppression[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${path}: expected a JSON list of { rule, stack, address, reason }`);
  const ruleIds = POLICY_RULES.map((r) => r.id);
  return raw.map((entry: Record<string, unknown>, i) => {
    for (const field of ['rule', 'stack', 'address', 'reason']) {
      if (typeof entry[field] !== 'string' || entry[field] === '')
        throw new Error(`${path}[${i}]: ${field} is missing; fix: every suppression names rule, stack, address and the reason`);
    }
    if (!ruleIds.includes(entry['rule'] as string))
      throw new Error(`${path}[${i}]: rule "${String(entry['rule'])}" does not exist; fix: use one of ${ruleIds.join(', ')}`);
    if ((entry['reason'] as string).length < MIN_REASON_LENGTH)
      throw new Error(
        `${path}[${i}]: reason "${String(entry['reason'])}" is too short to review; fix: say why the risk is acceptable (at least ${MIN_REASON_LENGTH} characters)`,
      );
    return entry as unknown as Suppression;
  });
}

/** Runs every rule over every stack; a finding passes only through a matching suppression. */
export function runPolicyGate(stacks: readonly SynthesizedStack[], config: PlatformConfig, suppressions: readonly Suppression[]): PolicyResult {
  const context = policyContext(stacks, config);
  const all = POLICY_RULES.map((rule) => rule.check(context));
  const stacksOf = (s: Suppression) =>
    s.stack.startsWith(REGION_KIND_PREFIX) ? config.regions.map((r) => r.name + s.stack.slice(REGION_KIND_PREFIX.length - 1)) : [s.stack];
  const matches = (f: PolicyFinding, s: Suppression) => s.rule === f.rule && stacksOf(s).includes(f.stack) && s.address === f.address;
  const findings: PolicyFinding[] = [];
  const suppressed: (PolicyFinding & { reason: string })[] = [];
  for (const f of all.flatMap((r) => r.findings)) {
    const suppression = suppressions.find((s) => matches(f, s));
    if (suppression) suppressed.push({ ...f, reason: suppression.reason });
    else findings.push(f);
  }
  return {
    findings,
    suppressed,
    exceptions: all.flatMap((r) => r.exceptions ?? []),
    unusedSuppressions: suppressions.filter((s) => !suppressed.some((f) => matches(f, s))),
    rules: POLICY_RULES.map(({ id, title }) => ({ id, title })),
  };
}
