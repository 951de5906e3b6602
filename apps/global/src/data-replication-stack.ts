import { clickhouseBackupBucketName, namePrefix } from '@platform/config';
import { BucketReplication } from '@platform/clickhouse';
import { globalFoundationContract, readOutputs, stackNames } from '@platform/stack-contracts';
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
      new BucketReplication(this, `clickhouse-backups-${region.name}`, {
        roleName: `${namePrefix(config)}-${region.name}-backup-replication`,
        source: { bucketName: clickhouseBackupBucketName(config, region.name), awsRegion: region.awsRegion, keyArn: foundation.dataKeyArns[region.name]!, provider: providers.get(region.name)! },
        destination: { bucketName: clickhouseBackupBucketName(config, target.name), awsRegion: target.awsRegion, keyArn: foundation.dataKeyArns[target.name]! },
      });
    }
  }
}
