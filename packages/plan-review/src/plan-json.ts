/**
 * The parts of `terraform show -json <plan>` the review reads. Only format 1.x is understood: a
 * future major version may change meanings, so it is refused rather than misread.
 */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly mode: 'managed' | 'data';
  readonly actions: readonly string[];
  readonly actionReason?: string;
  /** For helm releases: the release name, to tell stateful releases apart. */
  readonly releaseName?: string;
}

export interface ParsedPlan {
  readonly formatVersion: string;
  readonly terraformVersion: string;
  readonly changes: readonly ResourceChange[];
}

export class PlanFormatError extends Error {
  override readonly name = 'PlanFormatError';
}

const KNOWN_ACTIONS: readonly string[] = ['no-op', 'create', 'read', 'update', 'delete', 'forget'];

export function parsePlanJson(text: string, source: string): ParsedPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlanFormatError(`${source}: not JSON (${(error as Error).message}); fix: pass the output of \`terraform show -json <planfile>\``, {
      cause: error,
    });
  }
  const plan = json as {
    format_version?: unknown;
    terraform_version?: unknown;
    resource_changes?: unknown;
    configuration?: unknown;
    planned_values?: unknown;
    errored?: unknown;
    values?: unknown;
  };
  if (typeof plan !== 'object' || plan === null || typeof plan.format_version !== 'string') {
    throw new PlanFormatError(`${source}: no format_version; fix: pass the output of \`terraform show -json <planfile>\`, not the plan file or HCL`);
  }
  if (!/^1\.\d+$/.test(plan.format_version)) {
    throw new PlanFormatError(
      `${source}: plan JSON format ${plan.format_version} is not supported (this review reads 1.x); fix: use terraform >= 1.0 < 2, or teach packages/plan-review the new format`,
    );
  }
  // `terraform show -json` of a state has format_version too, but no configuration or planned_values.
  if (typeof plan.configuration !== 'object' || plan.configuration === null || typeof plan.planned_values !== 'object') {
    throw new PlanFormatError(
      `${source}: not a plan (no configuration or planned_values${plan.values ? '; this looks like a state' : ''}); fix: pass \`terraform show -json <planfile>\` of a saved plan`,
    );
  }
  if (plan.errored === true) {
    throw new PlanFormatError(
      `${source}: the plan errored (errored: true), so its changes are incomplete; fix: resolve the plan's errors and plan again`,
    );
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    throw new PlanFormatError(`${source}: resource_changes is not a list`);
  }
  const changes = ((plan.resource_changes ?? []) as Record<string, unknown>[]).map((raw, i) => {
    const change = raw['change'] as
      { actions?: unknown; after?: Record<string, unknown> | null; before?: Record<string, unknown> | null } | undefined;
    if (typeof raw['address'] !== 'string' || typeof raw['type'] !== 'string' || !change || !Array.isArray(change.actions)) {
      throw new PlanFormatError(`${source}: resource_changes[${i}] lacks address, type or change.actions`);
    }
    const name = (change.after?.['name'] ?? change.before?.['name']) as string | undefined;
    return {
      address: raw['address'],
      type: raw['type'],
      name: String(raw['name'] ?? ''),
      mode: raw['mode'] === 'data' ? 'data' : 'managed',
      actions: change.actions.map(String),
      actionReason: typeof raw['action_reason'] === 'string' ? raw['action_reason'] : undefined,
      releaseName: raw['type'] === 'helm_release' ? name : undefined,
    } satisfies ResourceChange;
  });
  return { formatVersion: plan.format_version, terraformVersion: String(plan.terraform_version ?? 'unknown'), changes };
}

/**
 * The action lists Terraform writes (plan JSON, format 1.x): replace as delete-then-create or
 * create-then-delete, and CreateThenForget (`create`, `forget`: a new object replaces one that
 * is forgotten, not destroyed, under a `removed` block with create_before_destroy).
 */
export const KNOWN_ACTION_SETS: readonly (readonly string[])[] = [
  ['no-op'],
  ['create'],
  ['read'],
  ['update'],
  ['delete'],
  ['forget'],
  ['delete', 'create'],
  ['create', 'delete'],
  ['create', 'forget'],
];

export function isKnownActionSet(actions: readonly string[]): boolean {
  const known = KNOWN_ACTION_SETS;
  return actions.every((a) => KNOWN_ACTIONS.includes(a)) && known.some((k) => k.length === actions.length && k.every((a, i) => a === actions[i]));
}
