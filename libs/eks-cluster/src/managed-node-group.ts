import type { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { RegionConfig } from '@platform/config';
import { Construct } from 'constructs';

export interface ManagedNodeGroupProps {
  /** The cluster's name as text (node group and template names). */
  readonly clusterName: string;
  /** The cluster resource: the group is created once it exists. */
  readonly cluster: AwsEksCluster;
  readonly group: RegionConfig['nodeGroups'][number];
  readonly nodeRoleArn: string;
  readonly subnetIds: string[];
  /** Data key of the region: root volumes are encrypted with it. */
  readonly volumeKeyArn: string;
}

/** The taint that keeps everything but GPU workloads off GPU nodes. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' } as const;
/** Label on GPU nodes; the NVIDIA device plugin and GPU workloads select on it. */
export const GPU_NODE_LABEL = 'nvidia.com/gpu.present';

/**
 * An EKS managed node group on Amazon Linux 2023 (AL2 AMIs ended 2025-11-26), from a launch template
 * that requires IMDSv2 with a hop limit of 1 (pods cannot reach the node's credentials) and an
 * encrypted gp3 root volume. GPU groups use the NVIDIA AMI, carry a label and a NoSchedule taint.
 * After creation the desired size belongs to the autoscaler: Terraform ignores its drift.
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { group } = props;
    const name = `${props.clusterName}-${group.name}`;
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${name}-`,
      description: `Nodes of ${name}`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: group.diskSizeGiB, volumeType: 'gp3', encrypted: 'true', kmsKeyId: props.volumeKeyArn, deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: name } },
        { resourceType: 'volume', tags: { Name: name } },
      ],
    });
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.cluster.name,
      nodeGroupName: name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      amiType: group.gpu ? 'AL2023_x86_64_NVIDIA' : 'AL2023_x86_64_STANDARD',
      capacityType: group.capacityType,
      instanceTypes: [...group.instanceTypes],
      scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      updateConfig: { maxUnavailable: 1 },
      labels: { 'node-group': group.name, ...(group.gpu ? { [GPU_NODE_LABEL]: 'true' } : {}) },
      taint: group.gpu ? [{ ...GPU_TAINT }] : undefined,
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
    });
  }
}
