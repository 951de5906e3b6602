import { accessRoleNames, clusterName, type PlatformConfig, type RegionConfig } from '@platform/config';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ebsCsiKmsStatements, externalDnsPolicy, loadBalancerControllerPolicy, targetRegistrationPolicy } from './addon-policies';
import { CiRunnerAccess } from './ci-runner-access';
import { EksCluster } from './eks-cluster';
import { KarpenterInfra } from './karpenter-infra';
import { ManagedNodeGroup } from './managed-node-group';
import { NodeRole } from './node-role';
import { OffPeakSchedule } from './off-peak-schedule';
import { PodIdentityRole } from './pod-identity-role';

export interface RegionalClusterProps {
  readonly config: PlatformConfig;
  readonly region: RegionConfig;
  readonly privateSubnetIds: string[];
  /** The region's VPC (CI runner security groups live there). */
  readonly vpcId: string;
  /** Keys of this region. */
  readonly dataKeyArn: string;
  readonly logsKeyArn: string;
  /** The platform zone external-dns may write to. */
  readonly hostedZoneId: string;
}

/** Service accounts of the add-ons, shared with the platform stack's Helm values. */
export const ADDON_SERVICE_ACCOUNTS = {
  karpenter: { namespace: 'kube-system', name: 'karpenter' },
  loadBalancerController: { namespace: 'kube-system', name: 'aws-load-balancer-controller' },
  externalDns: { namespace: 'external-dns', name: 'external-dns' },
} as const;

/**
 * Namespaces that hold the platform's Helm releases (and so Helm's release Secrets, which CI's plan
 * role must read). An invariant checks every helm_release of the output against this list.
 */
export const HELM_RELEASE_NAMESPACES: readonly string[] = [
  ...new Set([
    ...Object.values(ADDON_SERVICE_ACCOUNTS).map((a) => a.namespace),
    'kube-system',
    'cert-manager',
    'clickhouse',
    'clickhouse-operator',
    'monitoring',
    'market-intelligence',
  ]),
].sort();

/**
 * A region's Kubernetes: the cluster, the seed's managed node groups with their off-peak floors,
 * Karpenter's AWS side, and one Pod Identity role per add-on that calls AWS.
 */
export class RegionalCluster extends Construct {
  readonly cluster: EksCluster;
  /** Registers pods in the target groups `allowTargetRegistration` names, and nowhere else. */
  readonly loadBalancerControllerRole: IamRole;
  readonly nodeGroups: ManagedNodeGroup[];
  readonly karpenter: KarpenterInfra;
  readonly ciRunners: CiRunnerAccess;

  constructor(scope: Construct, id: string, props: RegionalClusterProps) {
    super(scope, id);
    const { config, region } = props;
    const name = clusterName(config, region.name);
    const roleArn = (roleName: string) => `arn:aws:iam::${config.accountId}:role/${roleName}`;
    const roles = accessRoleNames(config);

    this.cluster = new EksCluster(this, 'cluster', {
      clusterName: name,
      kubernetesVersion: config.kubernetes.version,
      subnetIds: props.privateSubnetIds,
      publicAccessCidrs: config.kubernetes.publicAccessCidrs,
      secretsKeyArn: props.dataKeyArn,
      logsKeyArn: props.logsKeyArn,
      logRetentionDays: config.kubernetes.controlPlaneLogRetentionDays,
      // CI plans see the cluster (no Secrets) and read Helm's release state, which Helm keeps in
      // Secrets, only in the namespaces that hold releases; applies install them: admin.
      access: {
        [roleArn(roles.admin)]: [{ policy: 'admin' }],
        [roleArn(roles.readOnly)]: [{ policy: 'view' }],
        [roleArn(roles.ciPlan)]: [{ policy: 'view' }, { policy: 'admin-view', namespaces: HELM_RELEASE_NAMESPACES }],
        [roleArn(roles.ciApply)]: [{ policy: 'admin' }],
      },
    });
    this.ciRunners = new CiRunnerAccess(this, 'ci-runners', {
      name,
      vpcId: props.vpcId,
      clusterSecurityGroupId: this.cluster.cluster.vpcConfig.clusterSecurityGroupId,
    });
    const clusterRef = this.cluster.cluster.name; // a reference, so associations wait for the cluster

    const nodeRole = new NodeRole(this, 'node-role', { roleName: `${name}-node` });
    this.nodeGroups = region.nodeGroups.map((group) => {
      const nodeGroup = new ManagedNodeGroup(this, `node-group-${group.name}`, {
        clusterName: name,
        cluster: this.cluster.cluster,
        group,
        nodeRoleArn: nodeRole.role.arn,
        subnetIds: props.privateSubnetIds,
        volumeKeyArn: props.dataKeyArn,
      });
      if (group.offPeakMinSize !== undefined && group.offPeakMinSize < group.minSize) {
        new OffPeakSchedule(this, `off-peak-${group.name}`, {
          nodeGroup: nodeGroup.nodeGroup,
          name: `${name}-${group.name}`,
          timeZone: region.timeZone,
          ...config.kubernetes.offPeak,
          offPeakSize: group.offPeakMinSize,
          minSize: group.minSize,
          desiredSize: group.desiredSize,
        });
      }
      return nodeGroup;
    });

    this.karpenter = new KarpenterInfra(this, 'karpenter', {
      clusterName: name,
      cluster: this.cluster.cluster,
      accountId: config.accountId,
      awsRegion: region.awsRegion,
      volumeKeyArn: props.dataKeyArn,
    });
    const podRole = (
      id: string,
      roleSuffix: string,
      account: { namespace: string; name: string },
      extra: { policy?: string; managedPolicyArns?: string[] },
    ) =>
      new PodIdentityRole(this, id, {
        roleName: `${name}-${roleSuffix}`,
        accountId: config.accountId,
        clusterName: clusterRef,
        namespace: account.namespace,
        serviceAccount: account.name,
        ...extra,
      });
    this.loadBalancerControllerRole = podRole(
      'load-balancer-controller',
      'aws-load-balancer-controller',
      ADDON_SERVICE_ACCOUNTS.loadBalancerController,
      {
        policy: loadBalancerControllerPolicy(name),
      },
    ).role;
    podRole('external-dns', 'external-dns', ADDON_SERVICE_ACCOUNTS.externalDns, { policy: externalDnsPolicy(props.hostedZoneId) });
    // The EBS CSI driver's association is made by its EKS add-on (pod_identity_association), not here.
    const ebsCsi = new PodIdentityRole(this, 'ebs-csi', {
      roleName: `${name}-ebs-csi`,
      accountId: config.accountId,
      clusterName: clusterRef,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
      // The managed policy has no KMS rights: volumes a StorageClass encrypts with the region's data
      // key (ClickHouse) need these, as AWS's EBS CSI guide gives them for a customer managed key
      // (docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html, "custom KMS key", read 2026-11-25).
      // jsonencode: the key ARN is a remote-state reference, resolved by Terraform.
      policy: Fn.jsonencode({ Version: '2012-10-17', Statement: ebsCsiKmsStatements(props.dataKeyArn) }),
      associatedBy: 'eks-addon',
    });
    this.cluster.addCoreAddons(
      this.nodeGroups.map((g) => g.nodeGroup),
      ebsCsi.role.arn,
    );
  }

  /** Lets the load balancer controller register pods in this target group (the TargetGroupBinding's). */
  allowTargetRegistration(id: string, targetGroupArn: string): void {
    new IamRolePolicy(this, `register-${id}`, {
      role: this.loadBalancerControllerRole.id,
      name: `register-${id}`,
      policy: targetRegistrationPolicy(targetGroupArn),
    });
  }
}
