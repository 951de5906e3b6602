import { evaluatePolicy, keyPolicyAllows, wildcardMatch, type PolicyDocument, type PolicyStatement } from './policy-evaluator';

// The evaluator decides the whole-output checks (CI apply role, key users, escalation): each case
// here is one IAM rule it must get right (IAM User Guide, "Policy evaluation logic" and
// "IAM JSON policy elements: Condition operators", read 2026-12-04).

const doc = (...statements: PolicyStatement[]): PolicyDocument => ({ Statement: statements });
const allow = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra });

describe('wildcardMatch', () => {
  it.each([
    ['s3:Get*', 's3:GetObject', true],
    ['s3:Get*', 's3:Get', true],
    ['s3:Get*', 'xs3:GetObject', false],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:Get?bject', 's3:GetObject', true],
    ['s3:Get?bject', 's3:GetObbject', false],
    ['a.b', 'axb', false],
    ['a.b', 'a.b', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/k/x', true],
    ['arn:aws:s3:::b', 'arn:aws:s3:::b/k', false],
    ['(x)+', '(x)+', true],
    ['*', '', true],
  ])('%s against %s: %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });

  it('is case-sensitive unless told otherwise (actions are not, ARNs are)', () => {
    expect(wildcardMatch('s3:getobject', 's3:GetObject')).toBe(false);
    expect(wildcardMatch('s3:getobject', 's3:GetObject', true)).toBe(true);
  });
});

describe('evaluatePolicy', () => {
  const request = { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' };

  it('allows what an Allow covers, and denies implicitly what nothing covers', () => {
    expect(evaluatePolicy(doc(allow()), request)).toBe('allow');
    expect(evaluatePolicy(doc(allow()), { ...request, action: 's3:PutObject' })).toBe('implicit-deny');
    expect(evaluatePolicy(doc(), request)).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over any Allow, in either order', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 's3:*', Resource: '*' };
    expect(evaluatePolicy(doc(allow(), deny), request)).toBe('explicit-deny');
    expect(evaluatePolicy(doc(deny, allow()), request)).toBe('explicit-deny');
  });

  it('reads a single statement object as well as a list', () => {
    expect(evaluatePolicy({ Statement: allow() }, request)).toBe('allow');
    expect(evaluatePolicy({ Statement: { Effect: 'Deny', Action: '*', Resource: '*' } }, request)).toBe('explicit-deny');
  });

  it('matches actions case-insensitively and resources case-sensitively', () => {
    expect(evaluatePolicy(doc(allow({ Action: 'S3:getobject' })), request)).toBe('allow');
    expect(evaluatePolicy(doc(allow({ Resource: 'arn:aws:s3:::B/*' })), request)).toBe('implicit-deny');
    expect(evaluatePolicy(doc(allow({ Resource: ['arn:aws:s3:::other/*', 'arn:aws:s3:::b/*'] })), request)).toBe('allow');
  });

  it('reads NotAction and NotResource as "everything but"', () => {
    expect(evaluatePolicy(doc({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }), request)).toBe('allow');
    expect(evaluatePolicy(doc({ Effect: 'Allow', NotAction: 's3:Get*', Resource: '*' }), request)).toBe('implicit-deny');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::b/*' }), request)).toBe('implicit-deny');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: '*', NotResource: ['arn:aws:s3:::other/*'] }), request)).toBe('allow');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 's3:GetObject' }), request)).toBe('implicit-deny'); // no Resource: nothing
    // Any one entry of the list excludes: NotAction matches case-insensitively, NotResource exactly.
    expect(evaluatePolicy(doc({ Effect: 'Allow', NotAction: 'S3:GETOBJECT', Resource: '*' }), request)).toBe('implicit-deny');
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: '*', NotResource: ['arn:aws:s3:::other/*', 'arn:aws:s3:::b/*'] }), request)).toBe(
      'implicit-deny',
    );
  });

  describe('conditions', () => {
    const when = (Condition: PolicyStatement['Condition'], context?: Record<string, string>) =>
      evaluatePolicy(doc(allow({ Condition })), { ...request, ...(context ? { context } : {}) });

    it.each([
      ['StringEquals', { k: 'a' }, { k: 'a' }, 'allow'],
      ['StringEquals', { k: ['a', 'b'] }, { k: 'b' }, 'allow'],
      ['StringEquals', { k: 'a' }, { k: 'A' }, 'implicit-deny'],
      ['StringEquals', { k: 'a' }, {}, 'implicit-deny'],
      ['StringEqualsIfExists', { k: 'a' }, {}, 'allow'],
      ['StringEqualsIfExists', { k: 'a' }, { k: 'b' }, 'implicit-deny'],
      ['StringNotEquals', { k: 'a' }, { k: 'b' }, 'allow'],
      ['StringNotEquals', { k: 'a' }, { k: 'a' }, 'implicit-deny'],
      ['StringNotEquals', { k: 'a' }, {}, 'allow'],
      ['StringLike', { k: 'ec2.*.amazonaws.com' }, { k: 'ec2.eu-west-1.amazonaws.com' }, 'allow'],
      ['StringLike', { k: 'ec2.*.amazonaws.com' }, { k: 's3.eu-west-1.amazonaws.com' }, 'implicit-deny'],
      ['StringLike', { k: '*' }, {}, 'implicit-deny'],
      ['StringNotLike', { k: 'x*' }, { k: 'yz' }, 'allow'],
      ['StringNotLike', { k: 'x*' }, { k: 'xz' }, 'implicit-deny'],
      ['StringLike', { k: ['x*', 'y*'] }, { k: 'yz' }, 'allow'],
      ['StringNotLike', { k: ['x*', 'y*'] }, { k: 'yz' }, 'implicit-deny'],
      ['ArnEquals', { k: 'arn:aws:sns:us-east-1:1:t' }, { k: 'arn:aws:sns:us-east-1:1:t' }, 'allow'],
      ['ArnNotEquals', { k: 'arn:aws:sns:us-east-1:1:t' }, { k: 'arn:aws:sns:us-east-1:1:t' }, 'implicit-deny'],
      ['ArnLike', { k: 'arn:aws:cloudtrail:*:1:trail/*' }, { k: 'arn:aws:cloudtrail:us-east-1:1:trail/t' }, 'allow'],
      ['ArnLike', { k: 'arn:aws:cloudtrail:*:1:trail/*' }, { k: 'arn:aws:cloudtrail:us-east-1:2:trail/t' }, 'implicit-deny'],
      ['ArnNotLike', { k: 'arn:aws:*:*:1:*' }, { k: 'arn:aws:s3:us-east-1:2:x' }, 'allow'],
      ['ArnNotLike', { k: 'arn:aws:*:*:1:*' }, {}, 'allow'],
      ['Bool', { k: 'true' }, { k: 'true' }, 'allow'],
      ['Bool', { k: 'true' }, { k: 'false' }, 'implicit-deny'],
      ['Bool', { k: 'true' }, {}, 'implicit-deny'],
    ] as const)('%s %j with context %j: %s', (operator, keys, context, expected) => {
      expect(when({ [operator]: keys }, context)).toBe(expected);
    });

    it('needs every key of an operator and every operator to hold', () => {
      const condition = { StringEquals: { a: '1', b: '2' }, Bool: { c: 'true' } };
      expect(when(condition, { a: '1', b: '2', c: 'true' })).toBe('allow');
      expect(when(condition, { a: '1', b: '3', c: 'true' })).toBe('implicit-deny');
      expect(when(condition, { a: '1', b: '2', c: 'false' })).toBe('implicit-deny');
    });

    it('throws on an operator it does not know instead of guessing', () => {
      expect(() => when({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, {})).toThrow(
        'policy evaluator: condition operator NumericLessThan is not supported; fix: teach libs/access/src/policy-evaluator.ts before relying on it',
      );
    });

    it('does not read conditions of a statement whose action or resource does not apply', () => {
      const statement = allow({ Action: 'kms:Decrypt', Condition: { NumericLessThan: { x: '1' } } });
      expect(evaluatePolicy(doc(statement), request)).toBe('implicit-deny');
    });
  });

  describe('principals (resource policies)', () => {
    const keyPolicy = (Principal: PolicyStatement['Principal']) => doc(allow({ Principal }));

    it('an identity policy (no Principal) applies to whoever holds it', () => {
      expect(evaluatePolicy(doc(allow()), { ...request, principal: { aws: 'arn:aws:iam::1:role/r' } })).toBe('allow');
    });

    it('"*" admits anyone, an AWS list admits exactly its members', () => {
      expect(evaluatePolicy(keyPolicy('*'), { ...request, principal: { aws: 'arn:aws:iam::1:role/r' } })).toBe('allow');
      const listed = keyPolicy({ AWS: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'] });
      expect(evaluatePolicy(listed, { ...request, principal: { aws: 'arn:aws:iam::1:role/b' } })).toBe('allow');
      expect(evaluatePolicy(listed, { ...request, principal: { aws: 'arn:aws:iam::1:role/c' } })).toBe('implicit-deny');
      expect(evaluatePolicy(keyPolicy({ AWS: '*' }), { ...request, principal: { aws: 'arn:aws:iam::2:role/x' } })).toBe('allow');
    });

    it('a service is admitted only by a Service principal naming it', () => {
      const logs = { ...request, principal: { service: 'logs.us-east-1.amazonaws.com' } };
      expect(evaluatePolicy(keyPolicy({ Service: 'logs.us-east-1.amazonaws.com' }), logs)).toBe('allow');
      expect(evaluatePolicy(keyPolicy({ Service: ['logs.eu-west-1.amazonaws.com'] }), logs)).toBe('implicit-deny');
      expect(evaluatePolicy(keyPolicy({ AWS: '*' }), logs)).toBe('implicit-deny');
    });

    it('a Principal statement admits no anonymous caller, not even "AWS: *"', () => {
      expect(evaluatePolicy(keyPolicy({ AWS: 'arn:aws:iam::1:root' }), request)).toBe('implicit-deny');
      expect(evaluatePolicy(keyPolicy({ AWS: '*' }), request)).toBe('implicit-deny');
    });
  });
});

describe('keyPolicyAllows', () => {
  const accountId = '111111111111';
  const root = `arn:aws:iam::${accountId}:root`;
  const role = `arn:aws:iam::${accountId}:role/app`;
  const use = { action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:111111111111:key/k', accountId, principal: { aws: role } };
  const accountStatement: PolicyStatement = { Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' };
  const roleMayDecrypt = doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' });

  it('admits a principal the key policy names directly, without any IAM policy', () => {
    expect(keyPolicyAllows(doc({ Effect: 'Allow', Principal: { AWS: role }, Action: 'kms:Decrypt', Resource: '*' }), use)).toBe(true);
  });

  it('admits through the account statement only when the principal’s own IAM policy allows it', () => {
    expect(keyPolicyAllows(doc(accountStatement), use, [roleMayDecrypt])).toBe(true);
    expect(keyPolicyAllows(doc(accountStatement), use)).toBe(false);
    expect(keyPolicyAllows(doc(accountStatement), use, [doc({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' })])).toBe(false);
  });

  it('refuses when the principal’s IAM policies deny it, even if another allows it', () => {
    expect(keyPolicyAllows(doc(accountStatement), use, [roleMayDecrypt, doc({ Effect: 'Deny', Action: 'kms:*', Resource: '*' })])).toBe(false);
  });

  it('refuses when the key policy denies, whatever IAM says', () => {
    const denied = doc(accountStatement, { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
    expect(keyPolicyAllows(denied, use, [roleMayDecrypt])).toBe(false);
  });

  it('refuses when the key policy denies this principal by name, even though the account statement and IAM allow it', () => {
    const denied = doc(accountStatement, { Effect: 'Deny', Principal: { AWS: role }, Action: 'kms:Decrypt', Resource: '*' });
    expect(keyPolicyAllows(denied, use, [roleMayDecrypt])).toBe(false);
  });

  it('refuses a request that names no principal', () => {
    expect(keyPolicyAllows(doc(accountStatement), { action: 'kms:Decrypt', resource: '*', accountId }, [roleMayDecrypt])).toBe(false);
  });

  it('never lets a service principal in through the account statement', () => {
    expect(keyPolicyAllows(doc(accountStatement), { ...use, principal: { service: 'logs.us-east-1.amazonaws.com' } }, [roleMayDecrypt])).toBe(false);
  });

  it('refuses without an account statement, whatever IAM says', () => {
    expect(
      keyPolicyAllows(doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: '*' }), use, [
        roleMayDecrypt,
      ]),
    ).toBe(false);
  });
});
