import { PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { GithubDeployRoles } from './github-deploy-roles';
import { MfaRole } from './mfa-role';

describe('access roles', () => {
  const stack = new PlatformStack(Testing.app(), 'global-access', testContext());
  new MfaRole(stack, 'admin', { roleName: 'p-admin', accountId: '111111111111', managedPolicies: ['AdministratorAccess'] });
  new GithubDeployRoles(stack, 'ci', { namePrefix: 'p', planRoleName: 'p-ci-plan', applyRoleName: 'p-ci-apply', accountId: '111111111111', repository: 'org/repo', environments: ['prod-global', 'prod-us-east'], stateRegion: 'us-east-1', stateBucketName: 'state', protectedRoleNames: ['p-admin'] });
  const json = synthesizeStack(stack);
  const roles = Object.fromEntries(Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => [r['name'] as string, JSON.parse(r['assume_role_policy'] as string).Statement[0]]));
  const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy')).map((p) => JSON.parse(p['policy'] as string) as { Statement: { Sid: string; Effect: string; Action?: string | string[]; NotAction?: string[]; Resource: string | string[] }[] });

  it('lets people assume the admin role only with a fresh MFA sign-in', () => {
    expect(roles['p-admin']).toMatchObject({ Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } });
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
    expect(apply.Statement.find((s) => s.Sid === 'DestructionNeedsAHumanWithMfa')).toMatchObject({ Effect: 'Deny', Action: expect.arrayContaining(['kms:ScheduleKeyDeletion', 'rds:DeleteGlobalCluster']) });
    expect(apply.Statement.find((s) => s.Sid === 'AccessRolesAreHumanManaged')).toMatchObject({ Effect: 'Deny', Resource: ['arn:aws:iam::111111111111:role/p-admin', 'arn:aws:iam::111111111111:role/p-ci-plan', 'arn:aws:iam::111111111111:role/p-ci-apply'] });
  });
});
