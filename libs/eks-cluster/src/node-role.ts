import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

/** What every EKS worker needs: join the cluster, pull images, run the VPC CNI, and be reachable by SSM instead of SSH. */
const NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore'];

/** The IAM role of EC2 worker nodes. */
export class NodeRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: { readonly roleName: string }) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    for (const policy of NODE_POLICIES)
      new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: `arn:aws:iam::aws:policy/${policy}` });
  }
}
