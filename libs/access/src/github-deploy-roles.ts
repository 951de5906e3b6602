import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

export interface GithubDeployRolesProps {
  /** Prefix of the IAM resources the apply role may manage. */
  readonly namePrefix: string;
  readonly planRoleName: string;
  readonly applyRoleName: string;
  readonly accountId: string;
  /** `owner/name` of the repository. */
  readonly repository: string;
  /** GitHub environments (with required reviewers) whose jobs may apply, e.g. prod-us-east. */
  readonly environments: readonly string[];
  /** Region and name of the state bucket. */
  readonly stateRegion: string;
  readonly stateBucketName: string;
  /** Roles CI may not change (the human roles); the CI roles themselves are added. */
  readonly protectedRoleNames: readonly string[];
  /** The permissions boundary (WorkloadBoundary) every role CI creates or changes must carry. */
  readonly workloadBoundaryArn: string;
}

const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/**
 * Services the platform is built from (IAM service prefixes). The apply role gets `<service>:*` on
 * them: Terraform must create, change and delete their resources, and their ARNs are not known
 * before they exist. This list is the answer to "where does the role have wildcards": nowhere
 * else. IAM is not here: it is granted below, scoped. packages/invariants fails when a synthesized
 * resource type belongs to a service this list lacks (`events` and `sqs` came in that way).
 */
export const PLATFORM_SERVICES: readonly string[] = [
  'acm',
  'autoscaling',
  'cloudfront',
  'cloudtrail',
  'cloudwatch',
  'ec2',
  'eks',
  'elasticache',
  'elasticloadbalancing',
  'events',
  'kms',
  'lambda',
  'logs',
  'rds',
  'route53',
  's3',
  'secretsmanager',
  'sns',
  'sqs',
  'synthetics',
  'wafv2',
];

/** Calls that give a role its powers: allowed only when the role carries the workload boundary. */
const ROLE_POWER_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
];

/** Destructive calls on protected resources that only the MFA admin role may make. */
const HUMAN_ONLY_ACTIONS = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'rds:DeleteGlobalCluster',
  's3:DeleteBucket',
  'cloudtrail:DeleteTrail',
  'cloudtrail:StopLogging',
  'route53:DeleteHostedZone',
];

/**
 * CI roles assumed through GitHub's OIDC provider (no long-lived keys): `ci-plan` for pull requests
 * and drift checks on main (read-only plus state locking), `ci-apply` only for jobs of the given
 * GitHub environments, so their required reviewers gate every apply.
 */
export class GithubDeployRoles extends Construct {
  readonly planRole: IamRole;
  readonly applyRole: IamRole;

  constructor(scope: Construct, id: string, props: GithubDeployRolesProps) {
    super(scope, id);
    const provider = new IamOpenidConnectProvider(this, 'github-oidc', { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: ['sts.amazonaws.com'] });
    const trust = (subjects: readonly string[]) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${props.accountId}:oidc-provider/${GITHUB_OIDC_HOST}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC_HOST}:sub`]: subjects } },
          },
        ],
      });
    const repo = `repo:${props.repository}`;
    const stateBucket = `arn:aws:s3:::${props.stateBucketName}`;

    this.planRole = new IamRole(this, 'plan-role', {
      name: props.planRoleName,
      maxSessionDuration: 3600,
      assumeRolePolicy: trust([`${repo}:pull_request`, `${repo}:ref:refs/heads/main`]),
      dependsOn: [provider],
    });
    new IamRolePolicyAttachment(this, 'plan-read-only', { role: this.planRole.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    new IamRolePolicy(this, 'plan-state-access', {
      role: this.planRole.id,
      name: 'terraform-state',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ReadState', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [stateBucket, `${stateBucket}/*`] },
          { Sid: 'TakeStateLocks', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `${stateBucket}/*.tflock` },
          // Data stacks read aws_secretsmanager_random_password on every plan (the value is ignored
          // after the first apply); GetRandomPassword is not part of ReadOnlyAccess.
          { Sid: 'GeneratePasswordsInPlans', Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
          {
            Sid: 'UseStateKeyThroughS3',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: `arn:aws:kms:${props.stateRegion}:${props.accountId}:key/*`,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${props.stateRegion}.amazonaws.com` } },
          },
        ],
      }),
    });

    this.applyRole = new IamRole(this, 'apply-role', {
      name: props.applyRoleName,
      maxSessionDuration: 3600,
      assumeRolePolicy: trust(props.environments.map((environment) => `${repo}:environment:${environment}`)),
      dependsOn: [provider],
    });
    const iamResource = (kind: string) => `arn:aws:iam::${props.accountId}:${kind}/${props.namePrefix}-*`;
    new IamRolePolicy(this, 'apply-permissions', {
      role: this.applyRole.id,
      name: 'deploy-platform',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ManagePlatformServices', Effect: 'Allow', Action: PLATFORM_SERVICES.map((s) => `${s}:*`), Resource: '*' },
          { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
          // Every role CI creates or empowers carries the boundary (iam:PermissionsBoundary is the
          // boundary of the role being changed), so no role CI touches can exceed it.
          {
            Sid: 'EmpowerPlatformRolesOnlyWithinBoundary',
            Effect: 'Allow',
            Action: ROLE_POWER_ACTIONS,
            Resource: iamResource('role'),
            Condition: { StringEquals: { 'iam:PermissionsBoundary': props.workloadBoundaryArn } },
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
            Resource: iamResource('role'),
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
            Resource: [iamResource('policy'), iamResource('instance-profile')],
          },
          {
            Sid: 'CreateServiceLinkedRoles',
            Effect: 'Allow',
            Action: 'iam:CreateServiceLinkedRole',
            Resource: '*',
            Condition: { StringLike: { 'iam:AWSServiceName': ['*.amazonaws.com'] } },
          },
          { Sid: 'DestructionNeedsAHumanWithMfa', Effect: 'Deny', Action: HUMAN_ONLY_ACTIONS, Resource: '*' },
          // The access roles (and this one) and the boundary are changed by the MFA admin only: CI must not widen its own rights.
          {
            Sid: 'AccessRolesAreHumanManaged',
            Effect: 'Deny',
            NotAction: ['iam:Get*', 'iam:List*'],
            Resource: [...props.protectedRoleNames, props.planRoleName, props.applyRoleName].map(
              (name) => `arn:aws:iam::${props.accountId}:role/${name}`,
            ),
          },
          { Sid: 'BoundaryIsHumanManaged', Effect: 'Deny', NotAction: ['iam:Get*', 'iam:List*'], Resource: props.workloadBoundaryArn },
          { Sid: 'NoRoleLosesItsBoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
        ],
      }),
    });
  }
}
