import { NVIDIA_GPU_FAMILIES } from '@platform/config';

export interface KarpenterPoolsInput {
  readonly clusterName: string;
  readonly nodeRoleName: string;
  /** Data key of the region, for node volumes. */
  readonly volumeKeyArn: string;
  /**
   * A dated AL2023 release (`al2023@vYYYYMMDD`): `@latest` would roll every node to each new AMI
   * the day AWS publishes it, unreviewed. Bumped in config, reviewed like any change.
   */
  readonly amiAlias: string;
  readonly generalCpuLimit: number;
  readonly batchSpotCpuLimit: number;
  /** GPUs Karpenter may add; 0 (or a region without GPU nodes) means no GPU pool. */
  readonly gpuLimit: number;
  readonly withGpuPool: boolean;
  /**
   * The region's maintenance window as "the rest of the week" (outsideWindowSchedule): Karpenter
   * replaces drifted nodes (a new AMI, a changed node class) only inside the window, so at most one
   * region rolls its nodes at a time. Consolidation of empty or underused nodes runs any time.
   */
  readonly outsideMaintenance: { readonly schedule: string; readonly duration: string };
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec: Record<string, unknown> };

const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };
const BATCH_TAINT = { key: 'workload', value: 'batch', effect: 'NoSchedule' };
const NODE_CLASS = 'default';

/** Shared requirements: x86 (the AMIs are x86_64), current generations only. */
const BASE_REQUIREMENTS = [
  { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
  { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
];

function nodePool(
  name: string,
  spec: {
    requirements: object[];
    taints?: object[];
    labels: Record<string, string>;
    limits: Record<string, string>;
    consolidateAfter: string;
    budgets: object[];
  },
  outsideMaintenance: KarpenterPoolsInput['outsideMaintenance'],
): Manifest {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: {
        metadata: { labels: spec.labels },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASS },
          requirements: [...BASE_REQUIREMENTS, ...spec.requirements],
          ...(spec.taints ? { taints: spec.taints } : {}),
          expireAfter: '720h',
        },
      },
      limits: spec.limits,
      disruption: {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: spec.consolidateAfter,
        budgets: [...spec.budgets, { nodes: '0', reasons: ['Drifted'], ...outsideMaintenance }],
      },
    },
  };
}

/**
 * Karpenter's node class and pools: `general` (on-demand, for what the managed groups cannot fit),
 * `batch-spot` (spot only, tainted so only batch jobs that tolerate reclaim land there: the seed's
 * "spot instances for batch jobs") and, where the region has GPU nodes, `gpu` (NVIDIA, tainted like
 * the managed GPU group). Plain objects: validated against the Karpenter v1 schemas in tests.
 */
export function karpenterManifests(input: KarpenterPoolsInput): Manifest[] {
  if (!/^al2023@v\d{8}$/.test(input.amiAlias))
    throw new Error(
      `karpenter node class: amiAlias = "${input.amiAlias}"; fix: pin a dated AL2023 release such as al2023@v20260903 (see awslabs/amazon-eks-ami releases)`,
    );
  const discovery = { 'karpenter.sh/discovery': input.clusterName };
  const nodeClass: Manifest = {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: NODE_CLASS },
    spec: {
      role: input.nodeRoleName,
      amiSelectorTerms: [{ alias: input.amiAlias }],
      subnetSelectorTerms: [{ tags: discovery }],
      securityGroupSelectorTerms: [{ tags: discovery }],
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: '100Gi', volumeType: 'gp3', encrypted: true, kmsKeyID: input.volumeKeyArn, deleteOnTermination: true },
        },
      ],
      tags: { 'karpenter.sh/discovery': input.clusterName },
    },
  };
  const pools = [
    nodePool(
      'general',
      {
        requirements: [
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
          { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
          { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
        ],
        labels: { 'node-pool': 'general' },
        limits: { cpu: String(input.generalCpuLimit) },
        consolidateAfter: '5m',
        budgets: [{ nodes: '10%' }],
      },
      input.outsideMaintenance,
    ),
    nodePool(
      'batch-spot',
      {
        requirements: [
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
          { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
          { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
        ],
        taints: [BATCH_TAINT],
        labels: { 'node-pool': 'batch-spot', workload: 'batch' },
        limits: { cpu: String(input.batchSpotCpuLimit) },
        consolidateAfter: '1m',
        budgets: [{ nodes: '20%' }],
      },
      input.outsideMaintenance,
    ),
  ];
  if (input.withGpuPool && input.gpuLimit > 0) {
    pools.push(
      nodePool(
        'gpu',
        {
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
            { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: [...NVIDIA_GPU_FAMILIES] },
          ],
          taints: [GPU_TAINT],
          labels: { 'node-pool': 'gpu', 'nvidia.com/gpu.present': 'true' },
          limits: { 'nvidia.com/gpu': String(input.gpuLimit) },
          consolidateAfter: '10m',
          budgets: [{ nodes: '1' }],
        },
        input.outsideMaintenance,
      ),
    );
  }
  return [nodeClass, ...pools];
}
