import { AURORA_PORT, AuroraRegionalCluster } from '@platform/aurora-global';
import { ClickhouseBackupStore } from '@platform/clickhouse';
import { clickhouseBackupBucketName, clusterName, dataStoreIdentifier, namePrefix } from '@platform/config';
import { REDIS_PORT, RedisRegionalGroup } from '@platform/redis-global';
import { replicaSecretArn } from '@platform/secrets';
import {
  globalFoundationContract,
  publishOutputs,
  readOutputs,
  regionDataContract,
  regionInfraContract,
  stackNames,
} from '@platform/stack-contracts';
import { CacheHitRateAlarm, MetricDashboard, platformMetrics, ThresholdAlarm } from '@platform/monitoring';
import { Fn } from 'cdktf';
import { PlatformStack, regionalAwsProvider } from '@platform/stack-kit';
import type { Construct } from 'constructs';
import type { RegionStackProps } from './region-infra-stack';

/**
 * `<region>-data`: the region's data stores, in their own state so a network or EKS change never
 * plans against a database, and reviewers and the destroy guard see data changes apart. AWS only,
 * so it validates offline. Between `<region>-infra` (subnets, security group) and
 * `<region>-platform` (which reads the endpoints published here).
 *
 * The home region (data.homeRegion) creates the global stores' first members; the others join
 * them, reading the global ids from the foundation and from the home region's data contract.
 */
export class RegionDataStack extends PlatformStack {
  readonly aurora: AuroraRegionalCluster;
  readonly redis?: RedisRegionalGroup;
  readonly clickhouse: ClickhouseBackupStore;

  constructor(scope: Construct, props: RegionStackProps) {
    const name = stackNames.regionData(props.region.name);
    super(scope, name, props);
    const { config, region } = props;
    regionalAwsProvider(this, 'aws', { config, awsRegion: region.awsRegion, stackName: name });
    const foundation = readOutputs(this, 'global-foundation', globalFoundationContract, props);
    const infra = readOutputs(this, 'infra', regionInfraContract, props, region.name);
    const homeRegion = config.homeRegion;
    const isHome = region.name === homeRegion.name;
    const home = isHome ? undefined : readOutputs(this, 'home-data', regionDataContract, props, homeRegion.name);
    const prefix = namePrefix(config);
    const dataKeyArn = foundation.dataKeyArns[region.name]!;
    const placement = { subnetIds: infra.dataSubnetIds, securityGroupIds: [infra.dataSecurityGroupId] };
    // Credentials are written once, in the home region, and replicated to every other region.
    const secretReplicas = config.regions
      .filter((r) => r.name !== homeRegion.name)
      .map((r) => ({ awsRegion: r.awsRegion, kmsKeyArn: foundation.secretsKeyArns[r.name]! }));
    const secretsKeyArn = foundation.secretsKeyArns[region.name]!;

    this.aurora = new AuroraRegionalCluster(this, 'aurora', {
      identifier: dataStoreIdentifier(config, 'aurora', region.name),
      monitoringRoleName: `${prefix}-${region.name}-rds-monitoring`,
      globalClusterIdentifier: foundation.auroraGlobalClusterId,
      membership: isHome
        ? {
            role: 'home',
            databaseName: config.aurora.databaseName,
            masterUsername: 'platform_admin',
            secretsKeyArn,
            secretName: `${prefix}/aurora/master`,
            secretReplicas,
          }
        : { role: 'secondary', homeAwsRegion: homeRegion.awsRegion },
      engineVersion: config.aurora.engineVersion,
      instanceClass: config.aurora.instanceClass,
      instances: config.aurora.instancesPerRegion,
      availabilityZones: region.availabilityZones,
      ...placement,
      dataKeyArn,
      backupRetentionDays: config.aurora.backupRetentionDays,
      backupWindowUtc: region.backupWindowUtc,
      maintenanceWindowUtc: region.maintenanceWindowUtc,
      autoMinorVersionUpgrade: config.aurora.autoMinorVersionUpgrade,
    });

    const inDatastore = isHome || config.redis.secondaryRegions.includes(region.name);
    if (inDatastore) {
      this.redis = new RedisRegionalGroup(this, 'redis', {
        identifier: dataStoreIdentifier(config, 'redis', region.name),
        membership: isHome
          ? {
              role: 'home',
              engine: config.redis.engine,
              engineVersion: config.redis.engineVersion,
              nodeType: config.redis.nodeType,
              shards: config.redis.shards,
              secretsKeyArn,
              secretName: `${prefix}/redis/auth`,
              secretReplicas,
              globalIdSuffix: dataStoreIdentifier(config, 'redis'),
            }
          : { role: 'secondary', globalReplicationGroupId: home!.redisGlobalReplicationGroupId },
        replicasPerShard: config.redis.replicasPerShard,
        ...placement,
        dataKeyArn,
        snapshotRetentionDays: config.redis.snapshotRetentionDays,
        snapshotWindowUtc: region.backupWindowUtc,
        maintenanceWindowUtc: region.maintenanceWindowUtc,
      });
    }

    this.clickhouse = new ClickhouseBackupStore(this, 'clickhouse-backups', {
      bucketName: clickhouseBackupBucketName(config, region.name),
      awsRegion: region.awsRegion,
      accountId: config.accountId,
      dataKeyArn,
      retentionDays: config.clickhouse.backupRetentionDays,
      clusterName: clusterName(config, region.name),
      roleName: `${prefix}-${region.name}-clickhouse-backup`,
    });

    // Seed target: replication lag under a second, alarmed on every secondary (the home member is the
    // source while it writes; after a switchover the new secondaries carry these alarms' siblings).
    const lag = config.monitoring.replicationLagSeconds;
    const topicArns = [infra.alarmTopicArn];
    if (!isHome) {
      new ThresholdAlarm(this, 'aurora-replication-lag', {
        alarmName: `${prefix}-${region.name}-aurora-replication-lag`,
        description: `Aurora global database replication into ${region.name} lags more than ${lag} s (seed target)`,
        runbook: 'replicationLag',
        namespace: 'AWS/RDS',
        metricName: 'AuroraGlobalDBReplicationLag',
        dimensions: { DBClusterIdentifier: this.aurora.cluster.clusterIdentifier },
        threshold: lag * 1000, // the metric is in milliseconds
        topicArns,
      });
    }
    if (this.redis && !isHome) {
      new ThresholdAlarm(this, 'redis-replication-lag', {
        alarmName: `${prefix}-${region.name}-redis-replication-lag`,
        description: `Global Datastore replication into ${region.name} lags more than ${lag} s (seed target)`,
        runbook: 'replicationLag',
        namespace: 'AWS/ElastiCache',
        metricName: 'GlobalDatastoreReplicationLag',
        dimensions: { ReplicationGroupId: this.redis.replicationGroup.replicationGroupId },
        threshold: lag,
        topicArns,
      });
    }

    if (this.redis) {
      // Every node of the region's group, by the ids ElastiCache reports (member_clusters), shards x (replicas + 1) of them.
      const nodes = config.redis.shards * (config.redis.replicasPerShard + 1);
      const members = Fn.tolist(this.redis.replicationGroup.memberClusters);
      new CacheHitRateAlarm(this, 'redis-hit-rate', {
        alarmName: `${prefix}-${region.name}-redis-hit-rate`,
        description: `Valkey in ${region.name} answers under ${config.monitoring.redisHitRatePercent} % of lookups from cache for 15 minutes: reads fall through to Aurora`,
        nodeIds: Array.from({ length: nodes }, (_, i) => Fn.element(members, i)),
        thresholdPercent: config.monitoring.redisHitRatePercent,
        topicArns,
      });
    }

    // The region's dashboard: the seed's key metrics as this region sees them.
    const alb = (metric: Parameters<typeof platformMetrics.loadBalancer>[2], stat: string, label: string) =>
      platformMetrics.loadBalancer(infra.originLoadBalancerArnSuffix, region.awsRegion, metric, stat, label);
    const lagMetrics = isHome
      ? []
      : [
          platformMetrics.auroraReplicationLag(this.aurora.cluster.clusterIdentifier, region.awsRegion, 'Aurora (ms)'),
          ...(this.redis
            ? [platformMetrics.redisReplicationLag(this.redis.replicationGroup.replicationGroupId, region.awsRegion, 'Valkey (s)')]
            : []),
        ];
    new MetricDashboard(this, 'dashboard', {
      dashboardName: `${prefix}-${region.name}`,
      widgets: [
        {
          title: `API latency at the ${region.name} load balancer (seed: p95 < ${config.monitoring.regionalLatencyP95Ms} ms)`,
          metrics: (['p50', 'p95', 'p99'] as const).map((p) => alb('TargetResponseTime', p, p)),
          targets: [{ label: 'p95 target', value: config.monitoring.regionalLatencyP95Ms / 1000 }],
        },
        {
          title: 'Requests and 5xx',
          metrics: [
            alb('RequestCount', 'Sum', 'requests'),
            alb('HTTPCode_Target_5XX_Count', 'Sum', 'target 5xx'),
            alb('HTTPCode_ELB_5XX_Count', 'Sum', 'load balancer 5xx'),
          ],
        },
        ...(lagMetrics.length ? [{ title: `Replication lag into ${region.name} (seed: < ${lag} s)`, metrics: lagMetrics }] : []),
      ],
    });

    const secretHere = (homeArn: string) => replicaSecretArn(homeArn, homeRegion.awsRegion, region.awsRegion);
    const redisGroup = this.redis?.replicationGroup;
    publishOutputs(
      this,
      regionDataContract,
      {
        auroraWriterEndpoint: foundation.auroraWriterEndpoint,
        auroraReaderEndpoint: this.aurora.cluster.readerEndpoint,
        auroraPort: String(AURORA_PORT),
        auroraDatabaseName: config.aurora.databaseName,
        auroraSecretArn: isHome ? this.aurora.masterSecret!.secret.arn : secretHere(home!.auroraSecretArn),
        // A region outside the datastore reads (and writes) through the home region's member.
        redisEndpoint: redisGroup ? redisGroup.primaryEndpointAddress : home!.redisEndpoint,
        redisReaderEndpoint: redisGroup ? redisGroup.readerEndpointAddress : home!.redisReaderEndpoint,
        redisPort: String(REDIS_PORT),
        redisAuthSecretArn: isHome ? this.redis!.authSecret!.secret.arn : secretHere(home!.redisAuthSecretArn),
        redisGlobalReplicationGroupId: isHome ? this.redis!.globalGroup!.globalReplicationGroupId : home!.redisGlobalReplicationGroupId,
        clickhouseBackupBucket: this.clickhouse.bucket.bucket.bucket,
        clickhouseBackupRoleArn: this.clickhouse.role.arn,
      },
      region.name,
    );
  }
}
