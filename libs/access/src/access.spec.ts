import { PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { GithubDeployRoles, type GithubDeployRolesProps } from './github-deploy-roles';
import { ServiceLinkedRoles } from './service-linked-roles';
import { WorkloadBoundary } from './workload-boundary';
import { MfaRole } from './mfa-role';
import { evaluatePolicy, type PolicyDocument } from './policy-evaluator';

const BOUNDARY = 'arn:aws:iam::111111111111:policy/p-workload-boundary';

/** The CI roles of account 111111111111, repository org/repo, platform prefix `p`. */
const ciRolesProps = (overrides: Partial<GithubDeployRolesProps> = {}): GithubDeployRolesProps => ({
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
  ...overrides,
});

describe('access roles', () => {
  const stack = new PlatformStack(Testing.app(), 'global-access', testContext());
  new MfaRole(stack, 'admin', { roleName: 'p-admin', accountId: '111111111111', managedPolicies: ['AdministratorAccess'] });
  new GithubDeployRoles(stack, 'ci', ciRolesProps({ environments: ['prod-global', 'prod-us-east'] }));
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
  new GithubDeployRoles(stack, 'ci', ciRolesProps());
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

/**
 * The CI roles' policies, whole: every action either role gets, and nothing more. The apply role's
 * services are the ones the synthesized stacks use (packages/invariants checks that list against
 * every resource type, both ways); IAM is scoped to the platform's own names.
 */
describe('the CI roles grant exactly this', () => {
  const stack = new PlatformStack(Testing.app(), 'global-access', testContext());
  new GithubDeployRoles(stack, 'ci', ciRolesProps({ stateRegion: 'eu-west-1', protectedRoleNames: ['p-admin', 'p-read-only'] }));
  const json = synthesizeStack(stack);
  const policyNamed = (name: string) =>
    JSON.parse(String(Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p) => p['name'] === name)!['policy'])) as unknown;
  const role = (name: string) => Object.values(resourcesOf(json, 'aws_iam_role')).find((r) => r['name'] === name)!;

  it('trusts only GitHub’s OIDC provider of this account, for sts.amazonaws.com, sessions of an hour', () => {
    const provider = Object.values(resourcesOf(json, 'aws_iam_openid_connect_provider'));
    expect(provider).toEqual([
      expect.objectContaining({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] }),
    ]);
    for (const name of ['p-ci-plan', 'p-ci-apply']) {
      expect(role(name)['max_session_duration']).toBe(3600);
      expect(role(name)['depends_on']).toEqual([expect.stringMatching(/^aws_iam_openid_connect_provider\.ci_github-oidc_[0-9A-F]+$/)]);
    }
    expect(JSON.parse(String(role('p-ci-apply')['assume_role_policy']))).toStrictEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': ['repo:org/repo:environment:prod-global'],
            },
          },
        },
      ],
    });
  });

  it('plan: AWS read-only, the state bucket and its locks, random passwords, the state key through S3 of its region', () => {
    const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'));
    expect(attachments.map((a) => [a['role'], a['policy_arn']])).toEqual([
      [expect.stringMatching(/^\$\{aws_iam_role\.ci_plan-role_[0-9A-F]+\.name\}$/), 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ]);
    expect(policyNamed('terraform-state')).toStrictEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadState', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::state', 'arn:aws:s3:::state/*'] },
        { Sid: 'TakeStateLocks', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::state/*.tflock' },
        { Sid: 'GeneratePasswordsInPlans', Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
        {
          Sid: 'UseStateKeyThroughS3',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: 'arn:aws:kms:eu-west-1:111111111111:key/*',
          Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
        },
      ],
    });
  });

  it('apply: the platform services, IAM only inside its prefix and boundary, and the denials that keep people in charge', () => {
    const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
    expect(policyNamed('deploy-platform')).toStrictEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ManagePlatformServices',
          Effect: 'Allow',
          Action: [
            'acm:*',
            'autoscaling:*',
            'cloudfront:*',
            'cloudtrail:*',
            'cloudwatch:*',
            'ec2:*',
            'eks:*',
            'elasticache:*',
            'elasticloadbalancing:*',
            'events:*',
            'kms:*',
            'lambda:*',
            'logs:*',
            'rds:*',
            'route53:*',
            's3:*',
            'secretsmanager:*',
            'sns:*',
            'sqs:*',
            'synthetics:*',
            'wafv2:*',
          ],
          Resource: '*',
        },
        { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
        {
          Sid: 'EmpowerPlatformRolesOnlyWithinBoundary',
          Effect: 'Allow',
          Action: [
            'iam:CreateRole',
            'iam:PutRolePolicy',
            'iam:DeleteRolePolicy',
            'iam:AttachRolePolicy',
            'iam:DetachRolePolicy',
            'iam:PutRolePermissionsBoundary',
          ],
          Resource: 'arn:aws:iam::111111111111:role/p-*',
          Condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
        },
        {
          Sid: 'ManagePlatformRoles',
          Effect: 'Allow',
          Action: [
            'iam:DeleteRole',
            'iam:TagRole',
            'iam:UntagRole',
            'iam:UpdateRole',
            'iam:UpdateRoleDescription',
            'iam:UpdateAssumeRolePolicy',
            'iam:PassRole',
          ],
          Resource: 'arn:aws:iam::111111111111:role/p-*',
        },
        {
          Sid: 'ManagePlatformPoliciesAndProfiles',
          Effect: 'Allow',
          Action: [
            'iam:CreatePolicy',
            'iam:CreatePolicyVersion',
            'iam:DeletePolicy',
            'iam:DeletePolicyVersion',
            'iam:SetDefaultPolicyVersion',
            'iam:TagPolicy',
            'iam:UntagPolicy',
            'iam:CreateInstanceProfile',
            'iam:DeleteInstanceProfile',
            'iam:AddRoleToInstanceProfile',
            'iam:RemoveRoleFromInstanceProfile',
            'iam:TagInstanceProfile',
            'iam:UntagInstanceProfile',
          ],
          Resource: ['arn:aws:iam::111111111111:policy/p-*', 'arn:aws:iam::111111111111:instance-profile/p-*'],
        },
        {
          Sid: 'CreateServiceLinkedRoles',
          Effect: 'Allow',
          Action: 'iam:CreateServiceLinkedRole',
          Resource: '*',
          Condition: { StringLike: { 'iam:AWSServiceName': ['*.amazonaws.com'] } },
        },
        {
          Sid: 'DestructionNeedsAHumanWithMfa',
          Effect: 'Deny',
          Action: [
            'kms:ScheduleKeyDeletion',
            'kms:DisableKey',
            'rds:DeleteGlobalCluster',
            's3:DeleteBucket',
            'cloudtrail:DeleteTrail',
            'cloudtrail:StopLogging',
            'route53:DeleteHostedZone',
          ],
          Resource: '*',
        },
        {
          Sid: 'AccessRolesAreHumanManaged',
          Effect: 'Deny',
          NotAction: ['iam:Get*', 'iam:List*'],
          Resource: [role('p-admin'), role('p-read-only'), role('p-ci-plan'), role('p-ci-apply')],
        },
        { Sid: 'BoundaryIsHumanManaged', Effect: 'Deny', NotAction: ['iam:Get*', 'iam:List*'], Resource: BOUNDARY },
        { Sid: 'NoRoleLosesItsBoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
      ],
    });
  });
});

describe('the workload boundary', () => {
  const stack = new PlatformStack(Testing.app(), 'global-access', testContext());
  new WorkloadBoundary(stack, 'boundary', { policyName: 'p-workload-boundary', accountId: '111111111111', namePrefix: 'p' });
  const policy = Object.values(resourcesOf(synthesizeStack(stack), 'aws_iam_policy'))[0]!;
  const document = JSON.parse(String(policy['policy'])) as PolicyDocument;
  const may = (action: string, resource = '*') => evaluatePolicy(document, { action, resource });

  it('is one managed policy under its configured name, saying who manages it, in the current policy language', () => {
    expect(policy['name']).toBe('p-workload-boundary');
    expect(policy['description']).toBe('Permissions boundary of every role the platform stacks create (managed by the MFA admin)');
    expect(document).toMatchObject({ Version: '2012-10-17' });
    // Sids are what a reviewer reads in the console and in CloudTrail's access-denied events.
    expect([document.Statement].flat().map((s) => s.Sid)).toEqual([
      'CeilingOutsideIam',
      'ReadIam',
      'PassPlatformRoles',
      'KarpenterInstanceProfiles',
      'NeverTamperWithAuditOrKeys',
    ]);
  });

  it('caps roles: anything outside IAM, Organizations and the account, except stopping the audit or deleting keys', () => {
    for (const action of ['ec2:RunInstances', 'kms:Decrypt', 'route53:ChangeResourceRecordSets', 's3:PutObject']) expect(may(action)).toBe('allow');
    for (const action of ['organizations:LeaveOrganization', 'account:CloseAccount', 'iam:CreateUser', 'iam:AttachRolePolicy', 'iam:CreateAccessKey'])
      expect(may(action)).toBe('implicit-deny');
    for (const action of [
      'cloudtrail:StopLogging',
      'cloudtrail:DeleteTrail',
      'cloudtrail:UpdateTrail',
      'cloudtrail:PutEventSelectors',
      'kms:ScheduleKeyDeletion',
      'kms:DisableKey',
      'kms:PutKeyPolicy',
    ])
      expect(may(action)).toBe('explicit-deny');
  });

  it('leaves IAM to reading roles and profiles, passing platform roles, and Karpenter’s instance profiles', () => {
    for (const action of ['iam:GetRole', 'iam:GetInstanceProfile', 'iam:ListInstanceProfiles', 'iam:ListInstanceProfilesForRole'])
      expect(may(action)).toBe('allow');
    expect(may('iam:ListRoles')).toBe('implicit-deny');
    expect(may('iam:PassRole', 'arn:aws:iam::111111111111:role/p-us-east-karpenter-node')).toBe('allow');
    expect(may('iam:PassRole', 'arn:aws:iam::111111111111:role/other-admin')).toBe('implicit-deny');
    for (const action of [
      'iam:CreateInstanceProfile',
      'iam:DeleteInstanceProfile',
      'iam:AddRoleToInstanceProfile',
      'iam:RemoveRoleFromInstanceProfile',
      'iam:TagInstanceProfile',
    ])
      expect(may(action, 'arn:aws:iam::111111111111:instance-profile/p-us-east_123')).toBe('allow');
    expect(may('iam:CreateInstanceProfile', 'arn:aws:iam::222222222222:instance-profile/x')).toBe('implicit-deny');
  });
});

describe('service-linked roles', () => {
  const build = (alreadyInAccount?: string[]) => {
    const stack = new PlatformStack(Testing.app(), 'global-foundation', testContext());
    const roles = new ServiceLinkedRoles(stack, 'slr', { accountId: '111111111111', ...(alreadyInAccount ? { alreadyInAccount } : {}) });
    return { roles, json: synthesizeStack(stack) };
  };

  it('creates the Auto Scaling and EC2 Spot roles, protected from destroy, and publishes every ARN', () => {
    const { roles, json } = build();
    expect(
      Object.values(resourcesOf(json, 'aws_iam_service_linked_role')).map((r) => [
        r['aws_service_name'],
        (r['lifecycle'] as { prevent_destroy: boolean }).prevent_destroy,
      ]),
    ).toEqual([
      ['autoscaling.amazonaws.com', true],
      ['spot.amazonaws.com', true],
    ]);
    expect(roles.roleArns).toStrictEqual({
      'autoscaling.amazonaws.com': 'arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
      'spot.amazonaws.com': 'arn:aws:iam::111111111111:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot',
    });
  });

  it('skips a role the account already has, still publishing its ARN', () => {
    const { roles, json } = build(['spot.amazonaws.com']);
    expect(Object.values(resourcesOf(json, 'aws_iam_service_linked_role')).map((r) => r['aws_service_name'])).toEqual(['autoscaling.amazonaws.com']);
    expect(Object.keys(resourcesOf(json, 'aws_iam_service_linked_role'))).toEqual([expect.stringMatching(/^slr_autoscaling_[0-9A-F]+$/)]);
    expect(roles.roleArns['spot.amazonaws.com']).toBe('arn:aws:iam::111111111111:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot');
  });

  it('refuses a service it does not create, naming it and the ones it does', () => {
    expect(() => build(['spot.amazonaws.com', 'eks.amazonaws.com'])).toThrow(
      'service-linked roles: eks.amazonaws.com is not one the platform creates; fix: list only autoscaling.amazonaws.com, spot.amazonaws.com',
    );
    expect(() => build(['rds.amazonaws.com', 'eks.amazonaws.com'])).toThrow('service-linked roles: rds.amazonaws.com, eks.amazonaws.com is not one');
  });
});
