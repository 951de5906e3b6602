import { PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { GithubDeployRoles } from './github-deploy-roles';
import { MfaRole } from './mfa-role';
import { evaluatePolicy, type PolicyDocument } from './policy-evaluator';

const BOUNDARY = 'arn:aws:iam::111111111111:policy/p-workload-boundary';

describe('access roles', () => {
  const stack = new PlatformStack(Testing.app(), 'global-access', testContext());
  new MfaRole(stack, 'admin', { roleName: 'p-admin', accountId: '111111111111', managedPolicies: ['AdministratorAccess'] });
  new GithubDeployRoles(stack, 'ci', {
    namePrefix: 'p',
    planRoleName: 'p-ci-plan',
    applyRoleName: 'p-ci-apply',
    accountId: '111111111111',
    repository: 'org/repo',
    environments: ['prod-global', 'prod-us-east'],
    stateRegion: 'us-east-1',
    stateBucketName: 'state',
    protectedRoleNames: ['p-admin'],
    workloadBoundaryArn: BOUNDARY,
  });
  const json = synthesizeStack(stack);
  const roles = Object.fromEntries(
    Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => [r['name'] as string, JSON.parse(r['assume_role_policy'] as string).Statement[0]]),
  );
  const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy')).map(
    (p) =>
      JSON.parse(p['policy'] as string) as {
        Statement: { Sid: string; Effect: string; Action?: string | string[]; NotAction?: string[]; Resource: string | string[] }[];
      },
  );

  it('lets people assume the admin role only with a fresh MFA sign-in, for an hour, with exactly the policies named', () => {
    const admin = Object.values(resourcesOf(json, 'aws_iam_role')).find((r) => r['name'] === 'p-admin')!;
    expect(admin['max_session_duration']).toBe(3600);
    expect(JSON.parse(String(admin['assume_role_policy']))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountPrincipalsWithMfa',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
        },
      ],
    });
    const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).filter((a) => String(a['role']).includes('admin_role'));
    expect(attachments.map((a) => a['policy_arn'])).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
  });

  it('pins the CI roles to the repository: plan for pull requests and main, apply for the environment only', () => {
    const sub = (role: string) => roles[role].Condition.StringEquals['token.actions.githubusercontent.com:sub'];
    expect(sub('p-ci-plan')).toEqual(['repo:org/repo:pull_request', 'repo:org/repo:ref:refs/heads/main']);
    expect(sub('p-ci-apply')).toEqual(['repo:org/repo:environment:prod-global', 'repo:org/repo:environment:prod-us-east']);
    expect(roles['p-ci-apply'].Condition.StringEquals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
  });

  it('never grants every action on every resource', () => {
    for (const policy of policies) {
      for (const statement of policy.Statement.filter((s) => s.Effect === 'Allow')) {
        expect({ sid: statement.Sid, action: [statement.Action].flat() }).not.toEqual({ sid: statement.Sid, action: expect.arrayContaining(['*']) });
      }
    }
  });

  it('keeps destructive calls and the access roles themselves away from CI', () => {
    const apply = policies.find((p) => p.Statement.some((s) => s.Sid === 'ManagePlatformServices'))!;
    expect(apply.Statement.find((s) => s.Sid === 'DestructionNeedsAHumanWithMfa')).toMatchObject({
      Effect: 'Deny',
      Action: expect.arrayContaining(['kms:ScheduleKeyDeletion', 'rds:DeleteGlobalCluster']),
    });
    expect(apply.Statement.find((s) => s.Sid === 'AccessRolesAreHumanManaged')).toMatchObject({
      Effect: 'Deny',
      Resource: ['arn:aws:iam::111111111111:role/p-admin', 'arn:aws:iam::111111111111:role/p-ci-plan', 'arn:aws:iam::111111111111:role/p-ci-apply'],
    });
  });
});

describe('the CI apply role cannot make itself (or anything it uses) more powerful', () => {
  const stack = new PlatformStack(Testing.app(), 'global-access', testContext());
  new GithubDeployRoles(stack, 'ci', {
    namePrefix: 'p',
    planRoleName: 'p-ci-plan',
    applyRoleName: 'p-ci-apply',
    accountId: '111111111111',
    repository: 'org/repo',
    environments: ['prod-global'],
    stateRegion: 'us-east-1',
    stateBucketName: 'state',
    protectedRoleNames: ['p-admin'],
    workloadBoundaryArn: BOUNDARY,
  });
  const json = synthesizeStack(stack);
  const apply = Object.values(resourcesOf(json, 'aws_iam_role_policy'))
    .map((p) => JSON.parse(p['policy'] as string) as PolicyDocument)
    .find((p) => JSON.stringify(p).includes('ManagePlatformServices'))!;
  const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
  const may = (action: string, resource: string, context: Record<string, string> = {}) => evaluatePolicy(apply, { action, resource, context });

  it.each([
    ['iam:CreateRole', role('p-anything'), {}, 'a role without the boundary'],
    [
      'iam:CreateRole',
      role('p-anything'),
      { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' },
      'a role with another boundary',
    ],
    ['iam:AttachRolePolicy', role('p-node'), { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'admin on an unbounded role'],
    ['iam:DeleteRolePermissionsBoundary', role('p-node'), { 'iam:PermissionsBoundary': BOUNDARY }, 'lifting a boundary'],
    ['iam:PutRolePolicy', role('p-ci-apply'), { 'iam:PermissionsBoundary': BOUNDARY }, 'its own inline policy'],
    ['iam:AttachRolePolicy', role('p-ci-apply'), { 'iam:PermissionsBoundary': BOUNDARY }, 'its own managed policies'],
    ['iam:UpdateAssumeRolePolicy', role('p-admin'), {}, 'the trust of the admin role'],
    ['iam:PassRole', role('p-admin'), {}, 'passing the admin role to EC2'],
    ['iam:CreatePolicyVersion', BOUNDARY, {}, 'rewriting the boundary'],
    ['iam:CreateUser', 'arn:aws:iam::111111111111:user/p-backdoor', {}, 'a user'],
    ['iam:CreateAccessKey', 'arn:aws:iam::111111111111:user/p-backdoor', {}, 'access keys'],
    ['kms:ScheduleKeyDeletion', 'arn:aws:kms:us-east-1:111111111111:key/k', {}, 'deleting a key'],
  ])('refuses %s on %s (%s: %s)', (action, resource, context, _why) => {
    expect(may(action, resource, context)).not.toBe('allow');
  });

  it('still creates and empowers platform roles that carry the boundary, and manages the services its stacks use', () => {
    expect(may('iam:CreateRole', role('p-us-east-node'), { 'iam:PermissionsBoundary': BOUNDARY })).toBe('allow');
    expect(may('iam:AttachRolePolicy', role('p-us-east-node'), { 'iam:PermissionsBoundary': BOUNDARY })).toBe('allow');
    expect(may('iam:PassRole', role('p-us-east-node'))).toBe('allow');
    expect(
      may('iam:CreateServiceLinkedRole', 'arn:aws:iam::111111111111:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot', {
        'iam:AWSServiceName': 'spot.amazonaws.com',
      }),
    ).toBe('allow');
    for (const action of ['sqs:CreateQueue', 'events:PutRule', 'eks:CreateCluster', 'ec2:RunInstances']) expect(may(action, '*')).toBe('allow');
  });
});
