import { accessRoleNames, githubDeployEnvironments, namePrefix, stateBucketName, workloadBoundaryArn, workloadBoundaryName } from '@platform/config';
import { GithubDeployRoles, MfaRole, WorkloadBoundary } from '@platform/access';
import { stackNames } from '@platform/stack-contracts';
import { PlatformStack, regionalAwsProvider, type AppContext } from '@platform/stack-kit';
import type { Construct } from 'constructs';

/**
 * Who may touch the environment: people through MFA-guarded roles, CI through GitHub OIDC. Applied
 * by the MFA admin (the CI apply role is denied changes to these roles).
 */
export class AccessStack extends PlatformStack {
  constructor(scope: Construct, context: AppContext) {
    super(scope, stackNames.globalAccess, { ...context, iamManagedBy: 'mfa-admin' });
    const { config } = context;
    // IAM is global; its API lives in us-east-1 whatever the primary region is.
    regionalAwsProvider(this, 'aws', { config, awsRegion: 'us-east-1', stackName: this.stackName });
    const prefix = namePrefix(config);
    const roles = accessRoleNames(config);
    // The break-glass admin has to be able to do anything (AdministratorAccess is AWS's only form
    // of that); MFA no older than an hour and one-hour sessions are what guard it.
    const admin = new MfaRole(this, 'admin', { roleName: roles.admin, accountId: config.accountId, managedPolicies: ['AdministratorAccess'] });
    const readOnly = new MfaRole(this, 'read-only', { roleName: roles.readOnly, accountId: config.accountId, managedPolicies: ['ReadOnlyAccess'] });
    new WorkloadBoundary(this, 'workload-boundary', { policyName: workloadBoundaryName(config), accountId: config.accountId, namePrefix: prefix });
    new GithubDeployRoles(this, 'ci', {
      namePrefix: prefix,
      planRoleName: roles.ciPlan,
      applyRoleName: roles.ciApply,
      accountId: config.accountId,
      repository: config.access.githubRepository,
      environments: githubDeployEnvironments(config),
      stateRegion: config.state.region,
      stateBucketName: stateBucketName(config),
      protectedRoleNames: [admin.role.name, readOnly.role.name],
      // The same literal ARN the other stacks put on their roles (the boundary is created just above).
      workloadBoundaryArn: workloadBoundaryArn(config),
    });
  }
}
