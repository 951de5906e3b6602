import { PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { CHARTS } from './charts';
import { PlatformAddons, type PlatformAddonsProps } from './platform-addons';

const props: PlatformAddonsProps = {
  clusterName: 'p-eu-west',
  awsRegion: 'eu-west-1',
  vpcId: 'vpc-1',
  domain: 'platform.example.com',
  karpenterNodeRoleName: 'node-role',
  karpenterInterruptionQueueName: 'queue',
  volumeKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/data',
  nodeAmiAlias: 'al2023@v20260903',
  outsideMaintenance: { schedule: '0 11 * * 0', duration: '164h' },
  karpenterLimits: { generalCpuLimit: 64, batchSpotCpuLimit: 64, gpuLimit: 4 },
  hasGpuNodes: false,
  serviceAccounts: {
    karpenter: { namespace: 'kube-system', name: 'karpenter' },
    loadBalancerController: { namespace: 'kube-system', name: 'aws-load-balancer-controller' },
    externalDns: { namespace: 'external-dns', name: 'external-dns' },
  },
};

function releases(overrides: Partial<PlatformAddonsProps> = {}) {
  const stack = new PlatformStack(Testing.app(), 'eu-west-platform', testContext());
  new PlatformAddons(stack, 'addons', { ...props, ...overrides });
  return Object.values(resourcesOf(synthesizeStack(stack), 'helm_release'));
}

describe('PlatformAddons', () => {
  const all = releases();
  const byName = (name: string) => all.find((r) => r['name'] === name)!;

  it('pins every repository chart to the catalog version, and local charts to their Chart.yaml', () => {
    expect(Object.fromEntries(all.map((r) => [r['name'], r['version']]))).toEqual({
      karpenter: CHARTS.karpenter.version,
      'karpenter-crd': CHARTS.karpenterCrd.version,
      'karpenter-pools': '1.0.0',
      'aws-load-balancer-controller': CHARTS.awsLoadBalancerController.version,
      'metrics-server': CHARTS.metricsServer.version,
      'external-dns': CHARTS.externalDns.version,
      'cert-manager': CHARTS.certManager.version,
      'in-cluster-ca': '1.0.0',
    });
    expect(byName('karpenter-pools')['chart']).toMatch(/^assets\//);
  });

  it("installs cert-manager with its CRDs kept on uninstall, then the CA in cert-manager's namespace", () => {
    expect(byName('cert-manager')).toMatchObject({ chart: 'cert-manager', repository: 'https://charts.jetstack.io', namespace: 'cert-manager' });
    expect(byName('cert-manager')['values']).toEqual([expect.stringContaining('"crds" = {"enabled" = true, "keep" = true}')]);
    expect(byName('in-cluster-ca')).toMatchObject({
      namespace: 'cert-manager',
      depends_on: [expect.stringMatching(/^helm_release\.addons_cert-manager_release_/)],
    });
  });

  it('makes every release atomic and waiting', () => {
    for (const release of all) expect(release).toMatchObject({ atomic: true, wait: true, cleanup_on_fail: true, max_history: 10 });
  });

  it('installs the pools after the Karpenter chart (its CRDs)', () => {
    expect(byName('karpenter-pools')['depends_on']).toEqual([expect.stringMatching(/^helm_release\.addons_karpenter_release_/)]);
  });

  it("upgrades Karpenter's CRDs with Karpenter: karpenter-crd at the same version first, the controller skips its own crds/", () => {
    expect(CHARTS.karpenterCrd.version).toBe(CHARTS.karpenter.version);
    expect(byName('karpenter-crd')).toMatchObject({ chart: 'karpenter-crd', repository: 'oci://public.ecr.aws/karpenter', namespace: 'kube-system' });
    expect(byName('karpenter')).toMatchObject({
      skip_crds: true,
      depends_on: [expect.stringMatching(/^helm_release\.addons_karpenter-crd_release_/)],
    });
  });

  it("runs Karpenter's nodes on the pinned AL2023 release, never @latest", () => {
    expect(byName('karpenter-pools')['values']).toEqual([expect.stringContaining('"alias" = "al2023@v20260903"')]);
    expect(() => releases({ nodeAmiAlias: 'al2023@latest' })).toThrow(
      'karpenter node class: amiAlias = "al2023@latest"; fix: pin a dated AL2023 release',
    );
  });

  it('gives external-dns the cluster as its own TXT owner and the platform domain only', () => {
    expect(byName('external-dns')['values']).toEqual([expect.stringContaining('"txtOwnerId" = "p-eu-west"')]);
    expect(byName('external-dns')['values']).toEqual([expect.stringContaining('"domainFilters" = ["platform.example.com"]')]);
  });

  it('installs the NVIDIA device plugin only where GPU nodes exist, tolerating their taint', () => {
    expect(all.map((r) => r['name'])).not.toContain('nvidia-device-plugin');
    const plugin = releases({ hasGpuNodes: true }).find((r) => r['name'] === 'nvidia-device-plugin')!;
    expect(plugin['version']).toBe(CHARTS.nvidiaDevicePlugin.version);
    expect(plugin['values']).toEqual([expect.stringContaining('"key" = "nvidia.com/gpu"')]);
  });
});
