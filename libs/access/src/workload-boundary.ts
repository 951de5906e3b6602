import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';

export interface WorkloadBoundaryProps {
  readonly policyName: string;
}

/**
 * The permissions boundary of every role the platform's stacks create (node, cluster, add-on,
 * delivery roles). It is a ceiling, not a grant: whatever policy CI attaches to such a role, the
 * role can never manage IAM beyond passing platform roles and Karpenter's instance profiles, nor
 * touch Organizations or the account, nor stop the trail or delete keys. The CI apply role may
 * create and change roles only with this boundary attached, and may not change the boundary:
 * that is what keeps CI from making itself (or a role it can use) administrator.
 * Created by global-access, which only the MFA admin applies.
 */
export class WorkloadBoundary extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: WorkloadBoundaryProps & { readonly accountId: string; readonly namePrefix: string }) {
    super(scope, id);
    const platform = (kind: string) => `arn:aws:iam::${props.accountId}:${kind}/${props.namePrefix}-*`;
    this.policy = new IamPolicy(this, 'policy', {
      name: props.policyName,
      description: 'Permissions boundary of every role the platform stacks create (managed by the MFA admin)',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'CeilingOutsideIam', Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
          {
            Sid: 'ReadIam',
            Effect: 'Allow',
            Action: ['iam:GetRole', 'iam:GetInstanceProfile', 'iam:ListInstanceProfiles', 'iam:ListInstanceProfilesForRole'],
            Resource: '*',
          },
          { Sid: 'PassPlatformRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: platform('role') },
          // Karpenter makes an instance profile per EC2NodeClass for its node role.
          {
            Sid: 'KarpenterInstanceProfiles',
            Effect: 'Allow',
            Action: [
              'iam:CreateInstanceProfile',
              'iam:DeleteInstanceProfile',
              'iam:AddRoleToInstanceProfile',
              'iam:RemoveRoleFromInstanceProfile',
              'iam:TagInstanceProfile',
            ],
            Resource: `arn:aws:iam::${props.accountId}:instance-profile/*`,
          },
          {
            Sid: 'NeverTamperWithAuditOrKeys',
            Effect: 'Deny',
            Action: [
              'cloudtrail:StopLogging',
              'cloudtrail:DeleteTrail',
              'cloudtrail:UpdateTrail',
              'cloudtrail:PutEventSelectors',
              'kms:ScheduleKeyDeletion',
              'kms:DisableKey',
              'kms:PutKeyPolicy',
            ],
            Resource: '*',
          },
        ],
      }),
    });
  }
}
