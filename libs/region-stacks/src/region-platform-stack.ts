import { ConfigError, outsideWindowSchedule } from '@platform/config';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ADDON_SERVICE_ACCOUNTS } from '@platform/eks-cluster';
import { PlatformAddons, type MarketIntelligenceEndpoints } from '@platform/platform';
import { globalFoundationContract, readOutputs, regionDataContract, regionInfraContract, stackNames } from '@platform/stack-contracts';
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
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', infra.clusterName, '--region', region.awsRegion],
    };
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
      outsideMaintenance: outsideWindowSchedule(region.maintenanceWindow),
      karpenterLimits: config.kubernetes.karpenter,
      hasGpuNodes: region.nodeGroups.some((g) => g.gpu),
      serviceAccounts: ADDON_SERVICE_ACCOUNTS,
    });

    if (config.workloads.marketIntelligence.enabled) {
      // The data stores come from the data contracts: Aurora's global writer endpoint and this
      // region's readers; Redis writes go to the member in the primary region (the datastore's
      // writable one after a switchover too, since the operator moves `primary` with it).
      // Read here so the contract wiring is typed and synthesized the day the release is enabled.
      const data = readOutputs(this, 'data', regionDataContract, props, region.name);
      const primaryData =
        region.name === config.primaryRegion.name ? data : readOutputs(this, 'primary-data', regionDataContract, props, config.primaryRegion.name);
      // The target group its TargetGroupBinding attaches to comes from this region's infra (the edge).
      const fromContracts: Omit<MarketIntelligenceEndpoints, 'clickhouse'> = {
        auroraWriter: data.auroraWriterEndpoint,
        auroraReader: data.auroraReaderEndpoint,
        redis: primaryData.redisEndpoint,
        targetGroupArn: infra.originTargetGroupArn,
      };
      // Still published by no stack: refuse rather than release the app with placeholders.
      const missing = ['the in-cluster ClickHouse installation (its service endpoint)'];
      throw new ConfigError(config.environment, [
        {
          field: 'workloads.marketIntelligence.enabled',
          value: 'true',
          problem: `market-intelligence in ${region.name} has ${Object.keys(fromContracts).join(', ')} (from the data and infra contracts) but still needs ${missing.join(' and ')}, which no stack publishes yet`,
          fix: 'keep enabled: false until those land (MarketIntelligenceRelease takes them from their contracts)',
        },
      ]);
    }
  }
}
