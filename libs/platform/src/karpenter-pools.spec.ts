import { EC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass';
import { NodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import { karpenterManifests, type KarpenterPoolsInput } from './karpenter-pools';

const input: KarpenterPoolsInput = {
  clusterName: 'p-us-east',
  nodeRoleName: 'p-us-east-karpenter-node',
  volumeKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/data',
  amiAlias: 'al2023@v20260903',
  outsideMaintenance: { schedule: '0 11 * * 0', duration: '164h' },
  generalCpuLimit: 256,
  batchSpotCpuLimit: 128,
  gpuLimit: 8,
  withGpuPool: true,
};

/** Validates each object against the Karpenter v1 schemas (the CRDs of Karpenter 1.x). */
function validateAll(manifests: ReturnType<typeof karpenterManifests>): void {
  for (const manifest of manifests) {
    const Model = manifest.kind === 'EC2NodeClass' ? EC2NodeClass : NodePool;
    new Model(manifest as never).validate();
  }
}

describe('karpenter manifests', () => {
  const manifests = karpenterManifests(input);
  const pool = (name: string) => manifests.find((m) => m.kind === 'NodePool' && m.metadata.name === name)!;

  it("replace drifted nodes only inside the region's maintenance window, in every pool", () => {
    for (const pool of manifests.filter((m) => m.kind === 'NodePool')) {
      expect((pool.spec['disruption'] as { budgets: object[] }).budgets).toContainEqual({
        nodes: '0',
        reasons: ['Drifted'],
        schedule: '0 11 * * 0',
        duration: '164h',
      });
    }
  });

  it('match the Karpenter v1 schemas', () => {
    expect(() => validateAll(manifests)).not.toThrow();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'EC2NodeClass/default',
      'NodePool/general',
      'NodePool/batch-spot',
      'NodePool/gpu',
    ]);
  });

  it('a broken pool fails the same schemas (the check can fail)', () => {
    const broken = structuredClone(manifests);
    (broken[1]!.spec['disruption'] as Record<string, unknown>)['consolidationPolicy'] = 'Sometimes';
    expect(() => validateAll(broken)).toThrow(/consolidationPolicy/);
  });

  it('node class: IMDSv2 with hop limit 1, encrypted gp3 with the region key, discovery by tag', () => {
    expect(manifests[0]!.spec).toMatchObject({
      role: 'p-us-east-karpenter-node',
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ ebs: { volumeType: 'gp3', encrypted: true, kmsKeyID: input.volumeKeyArn } }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'p-us-east' } }],
    });
  });

  it('batch work goes to a tainted spot pool; GPUs to a tainted NVIDIA pool with a GPU limit', () => {
    const spot = pool('batch-spot').spec['template'] as { spec: { requirements: { key: string; values: string[] }[]; taints: unknown[] } };
    expect(spot.spec.requirements).toContainEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] });
    expect(spot.spec.taints).toEqual([{ key: 'workload', value: 'batch', effect: 'NoSchedule' }]);
    expect(pool('gpu').spec).toMatchObject({
      limits: { 'nvidia.com/gpu': '8' },
      template: { spec: { taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] } },
    });
  });

  it('has no GPU pool where the region has no GPU nodes', () => {
    expect(karpenterManifests({ ...input, withGpuPool: false }).map((m) => m.metadata.name)).toEqual(['default', 'general', 'batch-spot']);
  });
});
