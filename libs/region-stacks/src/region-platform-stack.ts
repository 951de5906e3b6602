import { ConfigError } from '@platform/config';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ADDON_SERVICE_ACCOUNTS } from '@platform/eks-cluster';
import { PlatformAddons } from '@platform/platform';
import { globalFoundationContract, readOutputs, regionInfraContract, stackNames } from '@platform/stack-contracts';
import { PlatformStack } from '@platform/stack-kit';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import type { RegionStackProps } from './region-infra-stack';

/**
 * `<region>-platform`: what runs inside the region's cluster, through the kubernetes and helm
 * providers, configured from the cluster the region's infra stack publishes. Kept apart from
 * `<region>-infra` so provider configuration never depends on a cluster created in the same plan.
 */
export class RegionPlatformStack extends PlatformStack {
  readonly addons: PlatformAddons;

  constructor(scope: Construct, props: RegionStackProps) {
    super(scope, stackNames.regionPlatform(props.region.name), props);
    const { config, region } = props;
    const infra = readOutputs(this, 'infra', regionInfraContract, props, region.name);
    const foundation = readOutputs(this, 'global-foundation', globalFoundationContract, props);

    // Short-lived tokens from the caller's AWS identity; no static credentials in state or code.
    const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', infra.clusterName, '--region', region.awsRegion] };
    const connection = { host: infra.clusterEndpoint, clusterCaCertificate: Fn.base64decode(infra.clusterCertificateAuthorityData) };
    new KubernetesProvider(this, 'kubernetes', { ...connection, exec: [exec] });
    new HelmProvider(this, 'helm', { kubernetes: { ...connection, exec } });

    this.addons = new PlatformAddons(this, 'addons', {
      clusterName: infra.clusterName,
      awsRegion: region.awsRegion,
      vpcId: infra.vpcId,
      domain: config.domain,
      karpenterNodeRoleName: infra.karpenterNodeRoleName,
      karpenterInterruptionQueueName: infra.karpenterInterruptionQueueName,
      volumeKeyArn: foundation.dataKeyArns[region.name]!,
      nodeAmiAlias: config.kubernetes.nodeAmiAlias,
      karpenterLimits: config.kubernetes.karpenter,
      hasGpuNodes: region.nodeGroups.some((g) => g.gpu),
      serviceAccounts: ADDON_SERVICE_ACCOUNTS,
    });

    if (config.workloads.marketIntelligence.enabled) {
      // No stack publishes the region's data endpoints or target group yet: refuse rather than
      // release the app with placeholders. MarketIntelligenceRelease takes them once they exist.
      throw new ConfigError(config.environment, [
        {
          field: 'workloads.marketIntelligence.enabled',
          value: 'true',
          problem: `market-intelligence in ${region.name} needs the region's Aurora writer/reader, Redis and ClickHouse endpoints and its load balancer target group, and no stack publishes them yet`,
          fix: 'deploy the data-store and edge stacks first (their contracts feed MarketIntelligenceRelease), or keep enabled: false',
        },
      ]);
    }
  }
}
