/**
 * GitHub Actions expressions (`${{ ... }}`) for the rehearsal: contexts as plain objects, the
 * operators and functions the workflows here use. Property names with dashes (`inputs.run-id`) are
 * read as GitHub reads them. A missing property is '' as on GitHub, never an error.
 */
export interface ExpressionContext {
  readonly github: Record<string, unknown>;
  readonly env: Record<string, string>;
  readonly steps: Record<string, { outputs: Record<string, string>; outcome?: string }>;
  readonly matrix: Record<string, unknown>;
  readonly inputs: Record<string, unknown>;
  readonly secrets: Record<string, string>;
  readonly needs: Record<string, { outputs: Record<string, string>; result?: string }>;
  readonly runner: Record<string, string>;
  /** The job's status so far, for success(), failure() and always(). */
  readonly jobFailed: boolean;
}

const FUNCTIONS = {
  contains: (haystack: unknown, needle: unknown) =>
    Array.isArray(haystack) ? haystack.includes(needle) : String(haystack).toLowerCase().includes(String(needle).toLowerCase()),
  startsWith: (text: unknown, prefix: unknown) => String(text).toLowerCase().startsWith(String(prefix).toLowerCase()),
  endsWith: (text: unknown, suffix: unknown) => String(text).toLowerCase().endsWith(String(suffix).toLowerCase()),
  fromJSON: (text: unknown) => JSON.parse(String(text)) as unknown,
  toJSON: (value: unknown) => JSON.stringify(value),
  format: (template: unknown, ...args: unknown[]) => String(template).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? '')),
};

/** Evaluates one expression (without the `${{ }}`). */
export function evaluate(expression: string, context: ExpressionContext): unknown {
  // a.b-c.d → a["b-c"].d; GitHub's '' strings are JS strings already.
  const js = expression.replace(/\.([A-Za-z_][\w]*(?:-[\w]+)+)/g, (_, name: string) => `[${JSON.stringify(name)}]`);
  // A missing property reads as '' however deep the path goes (steps.skipped.outputs.x is '').
  const missing: object = new Proxy(() => '', {
    get: (_, key) => (key === Symbol.toPrimitive || key === 'toString' || key === 'valueOf' ? () => '' : missing),
  });
  const missingIsEmpty = (value: object): object =>
    new Proxy(value, {
      get: (target, key) =>
        typeof key === 'string' && !(key in target) ? missing : missingIsEmptyValue((target as Record<string, unknown>)[key as string]),
    });
  const missingIsEmptyValue = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? missingIsEmpty(value) : value;
  const status = {
    always: () => true,
    success: () => !context.jobFailed,
    failure: () => context.jobFailed,
    cancelled: () => false,
  };
  const names = ['github', 'env', 'steps', 'matrix', 'inputs', 'secrets', 'needs', 'runner', ...Object.keys(FUNCTIONS), ...Object.keys(status)];
  const values = [context.github, context.env, context.steps, context.matrix, context.inputs, context.secrets, context.needs, context.runner].map(
    (v) => missingIsEmpty(v as object),
  );
  const fn = new Function(...names, `return (${js});`) as (...args: unknown[]) => unknown;
  return fn(...values, ...Object.values(FUNCTIONS), ...Object.values(status));
}

/** Replaces every `${{ ... }}` in a string with its value, as GitHub does before a step runs. */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression.trim(), context);
    if (typeof value === 'function') return ''; // a missing property
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
  });
}

/** A step's or job's `if:` (bare or wrapped), with GitHub's default of success(). */
export function condition(text: string | undefined, context: ExpressionContext): boolean {
  if (text === undefined) return !context.jobFailed;
  const bare = text
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .trim();
  const usesStatus = /\b(always|success|failure|cancelled)\(/.test(bare);
  const value = Boolean(evaluate(bare, context));
  return usesStatus ? value : value && !context.jobFailed;
}
