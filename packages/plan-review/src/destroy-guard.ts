import { isKnownActionSet, type ParsedPlan, type ResourceChange } from './plan-json';
import { STATEFUL_HELM_RELEASES, STATEFUL_RESOURCE_TYPES } from './stateful-types';

export type DestroyKind = 'delete' | 'replace' | 'forget' | 'create-then-forget' | 'unknown-action';

export interface DestroyFinding {
  readonly address: string;
  readonly type: string;
  readonly kind: DestroyKind;
  readonly actions: readonly string[];
  /** True when an explicit allowance covers it (it is still reported). */
  readonly allowed: boolean;
  readonly why: string;
}

function kindOf(actions: readonly string[]): DestroyKind | undefined {
  if (!isKnownActionSet(actions)) return 'unknown-action';
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.includes('delete')) return 'delete';
  if (actions.includes('forget')) return actions.includes('create') ? 'create-then-forget' : 'forget';
  return undefined;
}

function isStateful(change: ResourceChange): boolean {
  if (change.type === 'helm_release') return STATEFUL_HELM_RELEASES.includes(change.releaseName ?? '');
  return STATEFUL_RESOURCE_TYPES.includes(change.type);
}

/**
 * Every change that destroys (or stops managing) a stateful resource, and every action set this
 * review does not know: both fail unless their exact address is allowed. Unknown actions fail
 * closed even for stateless resources, because nobody can say what they do.
 */
export function guardDestroys(plan: ParsedPlan, allowedAddresses: readonly string[] = []): DestroyFinding[] {
  // allowedAddresses are this stack's only: the same address exists in every region's stack.
  const findings: DestroyFinding[] = [];
  for (const change of plan.changes) {
    if (change.mode === 'data') continue;
    const kind = kindOf(change.actions);
    if (!kind) continue;
    if (kind !== 'unknown-action' && !isStateful(change)) continue;
    const why =
      kind === 'unknown-action'
        ? `unknown action set [${change.actions.join(', ')}]: the review cannot tell what it does`
        : kind === 'forget'
          ? 'Terraform stops managing it (removed block): it keeps running, unowned and unprotected'
          : kind === 'create-then-forget'
            ? 'a new object replaces it and the old one is forgotten, not destroyed: its data stays behind, unowned, and the new one starts empty'
            : `${kind === 'replace' ? 'replacing' : 'deleting'} a ${change.type}${change.actionReason ? ` (${change.actionReason})` : ''} loses its data`;
    findings.push({
      address: change.address,
      type: change.type,
      kind,
      actions: change.actions,
      allowed: allowedAddresses.includes(change.address),
      why,
    });
  }
  return findings;
}
