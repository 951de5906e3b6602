/** One problem in a config: where, what was there, and what to do about it. */
export interface ConfigIssue {
  /** Dotted path from the config root, e.g. `regions[1].vpcCidr`. */
  readonly field: string;
  /** The offending value as written, JSON-encoded (`undefined` when the field is missing). */
  readonly value: string;
  readonly problem: string;
  readonly fix: string;
}

/** Thrown at synth when a config is invalid; lists every problem, not just the first. */
export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `invalid platform config "${environment}" (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.field} = ${i.value}: ${i.problem}.\n    fix: ${i.fix}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined),
    root,
  );
}

export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
