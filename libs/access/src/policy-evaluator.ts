/**
 * A small evaluator of IAM policy documents, for checks that ask "may principal P call A on R?"
 * over synthesized output (no AWS call). It knows Allow/Deny, Action/NotAction, Resource/NotResource,
 * Principal (`*`, AWS ARNs, account root, services) and the condition operators this platform writes
 * (String*, Arn*, Bool, with IfExists); any other operator throws, so an unknown construct never
 * reads as "allowed". Not a replacement for the IAM policy simulator: no SCPs, sessions or grants.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

export interface PolicyRequest {
  readonly action: string;
  readonly resource: string;
  /** Request context: condition keys and their values (`iam:PermissionsBoundary`, `kms:ViaService`...). */
  readonly context?: Readonly<Record<string, string>>;
  /** For resource policies (key policies): who calls. */
  readonly principal?: { readonly aws?: string; readonly service?: string };
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** IAM's wildcard match: `*` any run, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function principalMatches(statement: PolicyStatement, request: PolicyRequest): boolean {
  if (statement.Principal === undefined) return true; // identity policy: the principal is whoever holds it
  if (statement.Principal === '*') return true;
  const aws = list(statement.Principal['AWS']);
  const services = list(statement.Principal['Service']);
  if (request.principal?.service) return services.includes(request.principal.service);
  const caller = request.principal?.aws;
  if (!caller) return false;
  // An account root principal stands for the account: IAM policies then decide (see allowsThroughIam).
  return aws.some((p) => p === '*' || p === caller);
}

const KNOWN_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Bool',
];

function conditionHolds(operator: string, key: string, expected: readonly string[], context: Readonly<Record<string, string>>): boolean {
  const ifExists = operator.endsWith('IfExists');
  const op = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  // Checked before the key's absence: an unknown operator on a Deny must not read as "does not apply".
  if (!KNOWN_OPERATORS.includes(op))
    throw new Error(
      `policy evaluator: condition operator ${operator} is not supported; fix: teach libs/access/src/policy-evaluator.ts before relying on it`,
    );
  const actual = context[key];
  if (actual === undefined) return ifExists || op.startsWith('StringNot') || op.startsWith('ArnNot');
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.includes(actual);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !expected.includes(actual);
    case 'StringLike':
    case 'ArnLike':
      return expected.some((p) => wildcardMatch(p, actual));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !expected.some((p) => wildcardMatch(p, actual));
    default: // Bool
      return expected.includes(actual);
  }
}

function statementApplies(statement: PolicyStatement, request: PolicyRequest): boolean {
  if (!principalMatches(statement, request)) return false;
  const actionHit =
    statement.NotAction !== undefined
      ? !list(statement.NotAction).some((a) => wildcardMatch(a, request.action, true))
      : list(statement.Action).some((a) => wildcardMatch(a, request.action, true));
  if (!actionHit) return false;
  const resourceHit =
    statement.NotResource !== undefined
      ? !list(statement.NotResource).some((r) => wildcardMatch(r, request.resource))
      : list(statement.Resource).some((r) => wildcardMatch(r, request.resource));
  if (!resourceHit) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => conditionHolds(operator, key, list(values), request.context ?? {})),
  );
}

/** One policy's decision: an explicit Deny wins, then any Allow, else implicit deny. */
export function evaluatePolicy(document: PolicyDocument, request: PolicyRequest): Decision {
  const statements: readonly PolicyStatement[] = Array.isArray(document.Statement)
    ? (document.Statement as readonly PolicyStatement[])
    : [document.Statement as PolicyStatement];
  const applying = statements.filter((s) => statementApplies(s, request));
  if (applying.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  return applying.some((s) => s.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}

/**
 * Whether a key policy lets an IAM principal of the account use a key: directly (a statement names
 * it, or `*` with conditions that hold), or through the account root statement together with the
 * principal's own IAM policy. Service principals only ever get in directly.
 */
export function keyPolicyAllows(
  keyPolicy: PolicyDocument,
  request: PolicyRequest & { readonly accountId: string },
  identityPolicies: readonly PolicyDocument[] = [],
): boolean {
  const direct = evaluatePolicy(keyPolicy, request);
  if (direct === 'explicit-deny') return false;
  if (direct === 'allow') return true;
  if (!request.principal?.aws) return false;
  const throughRoot = evaluatePolicy(keyPolicy, { ...request, principal: { aws: `arn:aws:iam::${request.accountId}:root` } }) === 'allow';
  return (
    throughRoot &&
    identityPolicies.some((p) => evaluatePolicy(p, request) === 'allow') &&
    !identityPolicies.some((p) => evaluatePolicy(p, request) === 'explicit-deny')
  );
}
