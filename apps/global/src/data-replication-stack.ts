import { clickhouseBackupBucketName, namePrefix } from '@platform/config';
import { BucketReplication } from '@platform/clickhouse';
import { ThresholdAlarm } from '@platform/monitoring';
import { globalFoundationContract, readOutputs, regionInfraContract, stackNames } from '@platform/stack-contracts';
import { awsProvidersByRegion, PlatformStack, type AppContext } from '@platform/stack-kit';
import type { Construct } from 'constructs';

/**
 * `global-data`: the cross-region wiring of the data stores, applied after every region's data
 * stack, because S3 refuses a replication rule whose destination bucket does not exist yet, and
 * the regions replicate in a ring (each to `clickhouse.backupReplicaRegions`), which no order of
 * the regional stacks alone could satisfy.
 */
export class DataReplicationStack extends PlatformStack {
  constructor(scope: Construct, context: AppContext) {
    super(scope, stackNames.globalData, context);
    const { config } = context;
    const providers = awsProvidersByRegion(this, config, this.stackName);
    const foundation = readOutputs(this, 'global-foundation', globalFoundationContract, context);
    for (const region of config.regions) {
      const target = config.regions.find((r) => r.name === config.clickhouse.backupReplicaRegions[region.name])!;
      const infra = readOutputs(this, `${region.name}-infra`, regionInfraContract, context, region.name);
      const replication = new BucketReplication(this, `clickhouse-backups-${region.name}`, {
        roleName: `${namePrefix(config)}-${region.name}-backup-replication`,
        source: {
          bucketName: clickhouseBackupBucketName(config, region.name),
          awsRegion: region.awsRegion,
          keyArn: foundation.dataKeyArns[region.name]!,
          provider: providers.get(region.name)!,
        },
        destination: {
          bucketName: clickhouseBackupBucketName(config, target.name),
          awsRegion: target.awsRegion,
          keyArn: foundation.dataKeyArns[target.name]!,
        },
      });
      new ThresholdAlarm(this, `clickhouse-backups-${region.name}-replication-latency`, {
        alarmName: `${namePrefix(config)}-${region.name}-backup-replication-latency`,
        description: `ClickHouse backups of ${region.name} reach ${target.name} later than ${config.monitoring.s3ReplicationLatencySeconds} s`,
        runbook: 'replicationLag',
        namespace: 'AWS/S3',
        metricName: 'ReplicationLatency',
        dimensions: {
          SourceBucket: clickhouseBackupBucketName(config, region.name),
          DestinationBucket: clickhouseBackupBucketName(config, target.name),
          RuleId: replication.ruleId,
        },
        threshold: config.monitoring.s3ReplicationLatencySeconds,
        // S3 reports latency only while objects replicate: no data means nothing to replicate.
        treatMissingData: 'notBreaching',
        topicArns: [infra.alarmTopicArn],
        provider: providers.get(region.name)!,
      });
    }
  }
}
