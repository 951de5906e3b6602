import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { preventDestroy } from '@platform/stack-kit';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** All five control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** EKS access policies people and CI get, by what they do. */
export type ClusterAccess = 'admin' | 'admin-view' | 'view';
const ACCESS_POLICY: Record<ClusterAccess, string> = {
  admin: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
  'admin-view': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
  view: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
};

/** One access policy of a principal, cluster-wide or limited to namespaces. */
export interface ClusterAccessGrant {
  readonly policy: ClusterAccess;
  /** Limit the policy to these namespaces. @default the whole cluster */
  readonly namespaces?: readonly string[];
}

export interface EksClusterProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /** Private subnets: control-plane network interfaces and nodes. */
  readonly subnetIds: string[];
  /** CIDRs that may reach the public endpoint; empty means private endpoint only. */
  readonly publicAccessCidrs: readonly string[];
  /** Data key of the region: envelope-encrypts Kubernetes secrets. */
  readonly secretsKeyArn: string;
  /** Logs key of the region: encrypts the control-plane log group. */
  readonly logsKeyArn: string;
  readonly logRetentionDays: number;
  /** IAM role ARN → what it may do in the cluster (API authentication mode, no aws-auth ConfigMap). */
  readonly access: Readonly<Record<string, readonly ClusterAccessGrant[]>>;
}

/**
 * An EKS cluster: private API endpoint (public only for listed CIDRs), secrets encrypted with the
 * region's KMS key, all control-plane logs to a KMS log group created first (so EKS never makes an
 * unencrypted one), access entries instead of aws-auth, standard support only (no silent
 * extended-support charges), and the core add-ons managed by EKS.
 */
export class EksCluster extends Construct {
  readonly cluster: AwsEksCluster;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const role = new IamRole(this, 'cluster-role', {
      name: `${props.clusterName}-cluster`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    });
    // The control plane's audit log is evidence: protected like the trail's log group.
    const logGroup = preventDestroy(
      new CloudwatchLogGroup(this, 'log-group', {
        name: `/aws/eks/${props.clusterName}/cluster`,
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.logsKeyArn,
      }),
    );

    this.cluster = preventDestroy(
      new AwsEksCluster(this, 'cluster', {
        name: props.clusterName,
        version: props.kubernetesVersion,
        roleArn: role.arn,
        vpcConfig: {
          subnetIds: props.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: props.publicAccessCidrs.length > 0,
          publicAccessCidrs: props.publicAccessCidrs.length > 0 ? [...props.publicAccessCidrs] : undefined,
        },
        encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.secretsKeyArn } },
        enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        upgradePolicy: { supportType: 'STANDARD' },
        dependsOn: [clusterPolicy, logGroup],
      }),
    );

    // Karpenter finds the cluster security group for its nodes by this tag.
    new Ec2Tag(this, 'security-group-discovery-tag', {
      resourceId: this.cluster.vpcConfig.clusterSecurityGroupId,
      key: 'karpenter.sh/discovery',
      value: props.clusterName,
    });

    for (const [principalArn, grants] of Object.entries(props.access)) {
      // Ids from the role name, not a list position: reordering principals must not replace entries.
      const key = principalArn.split('/').pop()!;
      const entry = new EksAccessEntry(this, `access-${key}`, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      for (const grant of grants) {
        const accessScope = grant.namespaces ? { type: 'namespace', namespaces: [...grant.namespaces] } : { type: 'cluster' };
        new EksAccessPolicyAssociation(this, `access-${key}-${grant.policy}`, {
          clusterName: this.cluster.name,
          principalArn: entry.principalArn,
          policyArn: ACCESS_POLICY[grant.policy],
          accessScope,
        });
      }
    }
  }

  /**
   * EKS-managed add-ons. Versions are left to EKS's default for the cluster version (pinned by the
   * cluster version itself); CoreDNS and the EBS CSI driver need nodes, so they wait for them.
   */
  addCoreAddons(nodesReady: ITerraformDependable[], ebsCsiRoleArn: string): void {
    const addon = (name: string, extra: { dependsOn?: ITerraformDependable[]; serviceAccountRoleArn?: string; configurationValues?: string } = {}) =>
      new EksAddon(this, `addon-${name}`, {
        clusterName: this.cluster.name,
        addonName: name,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...extra,
      });
    // NetworkPolicy objects are accepted but not enforced until the VPC CNI's policy agent is on
    // (docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html, read 2026-11-25).
    addon('vpc-cni', { configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }) });
    addon('kube-proxy');
    addon('eks-pod-identity-agent');
    addon('coredns', { dependsOn: nodesReady });
    new EksAddon(this, 'addon-aws-ebs-csi-driver', {
      clusterName: this.cluster.name,
      addonName: 'aws-ebs-csi-driver',
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      podIdentityAssociation: [{ roleArn: ebsCsiRoleArn, serviceAccount: 'ebs-csi-controller-sa' }],
      dependsOn: nodesReady,
    });
  }
}
