import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

export interface PodIdentityRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Inline policy document (JSON). @default none */
  readonly policy?: string;
  /** AWS managed policy ARNs. @default none */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Who makes the (one) Pod Identity association of this service account: this construct, or an
   * EKS add-on's `pod_identity_association`. EKS allows one per namespace and service account, so
   * never both. @default 'this-construct'
   */
  readonly associatedBy?: 'this-construct' | 'eks-addon';
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: no OIDC provider, no
 * annotations, and the role can only be assumed by the EKS Pod Identity agent of this account.
 */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
        ],
      }),
    });
    if (props.policy) new IamRolePolicy(this, 'policy', { role: this.role.id, name: props.roleName, policy: props.policy });
    // Ids from the policy name, not the list position: reordering the list must not replace attachments.
    for (const arn of props.managedPolicyArns ?? [])
      new IamRolePolicyAttachment(this, `managed-${arn.split('/').pop()}`, { role: this.role.name, policyArn: arn });
    if ((props.associatedBy ?? 'this-construct') === 'this-construct')
      new EksPodIdentityAssociation(this, 'association', {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
      });
  }
}
