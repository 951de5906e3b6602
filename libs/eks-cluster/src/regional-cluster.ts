import { accessRoleNames, clusterName, type PlatformConfig, type RegionConfig } from '@platform/config';
import { Construct } from 'constructs';
import { externalDnsPolicy, loadBalancerControllerPolicy } from './addon-policies';
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
 * A region's Kubernetes: the cluster, the seed's managed node groups with their off-peak floors,
 * Karpenter's AWS side, and one Pod Identity role per add-on that calls AWS.
 */
export class RegionalCluster extends Construct {
  readonly cluster: EksCluster;
  readonly nodeGroups: ManagedNodeGroup[];
  readonly karpenter: KarpenterInfra;

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
      // CI plans read releases (secrets included): admin-view; applies install them: admin.
      access: { [roleArn(roles.admin)]: 'admin', [roleArn(roles.readOnly)]: 'view', [roleArn(roles.ciPlan)]: 'admin-view', [roleArn(roles.ciApply)]: 'admin' },
    });
    const clusterRef = this.cluster.cluster.name; // a reference, so associations wait for the cluster

    const nodeRole = new NodeRole(this, 'node-role', { roleName: `${name}-node` });
    this.nodeGroups = region.nodeGroups.map((group) => {
      const nodeGroup = new ManagedNodeGroup(this, `node-group-${group.name}`, { clusterName: name, cluster: this.cluster.cluster, group, nodeRoleArn: nodeRole.role.arn, subnetIds: props.privateSubnetIds, volumeKeyArn: props.dataKeyArn });
      if (group.offPeakMinSize !== undefined && group.offPeakMinSize < group.minSize) {
        new OffPeakSchedule(this, `off-peak-${group.name}`, { nodeGroup: nodeGroup.nodeGroup, name: `${name}-${group.name}`, timeZone: region.timeZone, ...config.kubernetes.offPeak, offPeakMinSize: group.offPeakMinSize, minSize: group.minSize });
      }
      return nodeGroup;
    });

    this.karpenter = new KarpenterInfra(this, 'karpenter', { clusterName: name, cluster: this.cluster.cluster, accountId: config.accountId, awsRegion: region.awsRegion });
    const podRole = (id: string, roleSuffix: string, account: { namespace: string; name: string }, extra: { policy?: string; managedPolicyArns?: string[] }) =>
      new PodIdentityRole(this, id, { roleName: `${name}-${roleSuffix}`, accountId: config.accountId, clusterName: clusterRef, namespace: account.namespace, serviceAccount: account.name, ...extra });
    podRole('load-balancer-controller', 'aws-load-balancer-controller', ADDON_SERVICE_ACCOUNTS.loadBalancerController, { policy: loadBalancerControllerPolicy(name) });
    podRole('external-dns', 'external-dns', ADDON_SERVICE_ACCOUNTS.externalDns, { policy: externalDnsPolicy(props.hostedZoneId) });
    // The EBS CSI driver's association is made by its EKS add-on; the role is plain.
    const ebsCsi = new PodIdentityRole(this, 'ebs-csi', {
      roleName: `${name}-ebs-csi`,
      accountId: config.accountId,
      clusterName: clusterRef,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
    });
    this.cluster.addCoreAddons(this.nodeGroups.map((g) => g.nodeGroup), ebsCsi.role.arn);
  }
}
