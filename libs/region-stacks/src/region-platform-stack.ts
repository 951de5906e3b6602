import { outsideWindowSchedule } from '@platform/config';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ADDON_SERVICE_ACCOUNTS } from '@platform/eks-cluster';
import { CLICKHOUSE_SERVICE_HOST, ClickhouseCluster } from '@platform/clickhouse';
import { GlobalPrometheus, GrafanaRelease, REGIONAL_PROMETHEUS_ADDRESS, RegionalPrometheus } from '@platform/monitoring';
import { IN_CLUSTER_CA_ISSUER, MARKET_INTELLIGENCE_NAMESPACE, MarketIntelligenceRelease, PlatformAddons } from '@platform/platform';
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
  readonly clickhouse: ClickhouseCluster;
  readonly prometheus: RegionalPrometheus;
  readonly globalPrometheus?: GlobalPrometheus;
  readonly grafana?: GrafanaRelease;
  readonly marketIntelligence?: MarketIntelligenceRelease;

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

    // Metrics: every region its own Prometheus (alerts on itself even when the others are gone); the
    // primary region also the global Prometheus federating all of them, and Grafana.
    const { monitoring } = config;
    this.prometheus = new RegionalPrometheus(this, 'prometheus', {
      region: region.name,
      clusterName: infra.clusterName,
      volumeKeyArn: foundation.dataKeyArns[region.name]!,
      retentionDays: monitoring.prometheusRetentionDays,
      storageGiB: monitoring.prometheusStorageGiB,
      federationTargetGroupArn: infra.prometheusTargetGroupArn,
      slo: { availabilitySloPercent: monitoring.availabilitySloPercent, latencyP95Ms: monitoring.regionalLatencyP95Ms },
      awsRegion: region.awsRegion,
      alarmTopicArn: infra.alarmTopicArn,
      dependsOn: this.addons.releases.map((r) => r.release),
    });
    if (region.name === config.primaryRegion.name) {
      const regions = Object.fromEntries(
        config.regions.map((r) => [
          r.name,
          r.name === region.name
            ? { address: REGIONAL_PROMETHEUS_ADDRESS, tls: false }
            : { address: readOutputs(this, `${r.name}-infra`, regionInfraContract, props, r.name).prometheusFederationAddress, tls: true },
        ]),
      );
      this.globalPrometheus = new GlobalPrometheus(this, 'global-prometheus', {
        regions,
        retentionDays: monitoring.prometheusRetentionDays,
        storageGiB: monitoring.prometheusStorageGiB,
        dependsOn: [this.prometheus.stack.release],
      });
      this.grafana = new GrafanaRelease(this, 'grafana', {
        regions,
        storageGiB: monitoring.grafanaStorageGiB,
        dependsOn: [this.globalPrometheus.release.release],
      });
    }

    const data = readOutputs(this, 'data', regionDataContract, props, region.name);
    this.clickhouse = new ClickhouseCluster(this, 'clickhouse', {
      shards: config.clickhouse.shards,
      replicasPerShard: config.clickhouse.replicasPerShard,
      storageGiB: config.clickhouse.storageGiB,
      serverResources: config.clickhouse.serverResources,
      volumeKeyArn: foundation.dataKeyArns[region.name]!,
      backup: {
        bucket: data.clickhouseBackupBucket,
        awsRegion: region.awsRegion,
        retentionDays: config.clickhouse.backupRetentionDays,
        windowUtc: region.backupWindowUtc,
      },
      issuer: IN_CLUSTER_CA_ISSUER,
      clientNamespaces: [MARKET_INTELLIGENCE_NAMESPACE],
      dependsOn: [this.addons.inClusterCa.release],
    });

    if (config.workloads.marketIntelligence.enabled) {
      // Aurora's global writer endpoint and this region's readers; Redis writes go to the member in
      // the primary region (the datastore's writable one after a switchover too, since the operator
      // moves `primary` with it); ClickHouse is this region's own; the target group its
      // TargetGroupBinding attaches to is this region's origin (infra).
      const primaryData =
        region.name === config.primaryRegion.name ? data : readOutputs(this, 'primary-data', regionDataContract, props, config.primaryRegion.name);
      this.marketIntelligence = new MarketIntelligenceRelease(this, 'market-intelligence', {
        region: region.name,
        primaryRegion: config.primaryRegion.name,
        image: config.workloads.marketIntelligence.image,
        endpoints: {
          auroraWriter: data.auroraWriterEndpoint,
          auroraReader: data.auroraReaderEndpoint,
          redis: primaryData.redisEndpoint,
          clickhouse: CLICKHOUSE_SERVICE_HOST,
          targetGroupArn: infra.originTargetGroupArn,
        },
        dependsOn: [this.clickhouse.installation.release],
      });
    }
  }
}
