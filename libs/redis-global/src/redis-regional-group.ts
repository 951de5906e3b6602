import { ElasticacheGlobalReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-global-replication-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { GeneratedSecret } from '@platform/secrets';
import { preventDestroy } from '@platform/stack-kit';
import { Construct } from 'constructs';

/** Valkey/Redis port with TLS; the data-tier security group opens it to the platform's VPCs. */
export const REDIS_PORT = 6379;

/**
 * How a region's replication group belongs to the Global Datastore. `home`: created first, as the
 * datastore's primary, with engine, version, encryption, AUTH and shard count, and the datastore
 * itself. `secondary`: joins by id and sets only what AWS lets a member set (its own key, subnets,
 * security groups, description, replicas, windows); the rest is inherited. Like Aurora, the roles
 * follow data.homeRegion, not `primary`, so a failover never replaces a group.
 */
export type RedisMembership =
  | {
      readonly role: 'home';
      readonly engine: 'valkey' | 'redis';
      readonly engineVersion: string;
      readonly nodeType: string;
      readonly shards: number;
      readonly secretsKeyArn: string;
      readonly secretName: string;
      readonly secretReplicas: readonly { awsRegion: string; kmsKeyArn: string }[];
      readonly globalIdSuffix: string;
    }
  | { readonly role: 'secondary'; readonly globalReplicationGroupId: string };

export interface RedisRegionalGroupProps {
  /** Replication group id, e.g. `redis-254carbon-prod-us-east` (a letter first, at most 40 characters). */
  readonly identifier: string;
  readonly membership: RedisMembership;
  /** Replicas per shard in this region (Multi-AZ needs at least one). */
  readonly replicasPerShard: number;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** The region's data key: at-rest encryption of this member. */
  readonly dataKeyArn: string;
  readonly snapshotRetentionDays: number;
  /** `hh24:mi-hh24:mi` UTC, outside the maintenance window. */
  readonly snapshotWindowUtc: string;
  /** `ddd:hh24:mi-ddd:hh24:mi` UTC. */
  readonly maintenanceWindowUtc: string;
}

/**
 * One region's member of the ElastiCache Global Datastore: Multi-AZ with automatic failover,
 * encrypted at rest with the region's data key, TLS required in transit, AUTH token from Secrets
 * Manager (home), daily snapshots. AWS gives one writable member; the others are read-only and
 * can be promoted (README, "What the seed calls active-active").
 */
export class RedisRegionalGroup extends Construct {
  readonly replicationGroup: ElasticacheReplicationGroup;
  /** The Global Datastore (home only). */
  readonly globalGroup?: ElasticacheGlobalReplicationGroup;
  /** AUTH token (home only; secondaries inherit it). */
  readonly authSecret?: GeneratedSecret;

  constructor(scope: Construct, id: string, props: RedisRegionalGroupProps) {
    super(scope, id);
    if (props.replicasPerShard < 1)
      throw new Error(
        `redis ${props.identifier}: replicasPerShard = ${props.replicasPerShard}; fix: keep at least 1 replica so Multi-AZ failover has a node to promote`,
      );
    if (props.snapshotRetentionDays < 7)
      throw new Error(`redis ${props.identifier}: snapshotRetentionDays = ${props.snapshotRetentionDays}; fix: keep at least 7 days of snapshots`);
    const subnetGroup = new ElasticacheSubnetGroup(this, 'subnet-group', {
      name: props.identifier,
      description: `Data subnets of ${props.identifier}`,
      subnetIds: props.subnetIds,
    });
    const common = {
      replicationGroupId: props.identifier,
      description: `Global Datastore member ${props.identifier}`,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: props.securityGroupIds,
      port: REDIS_PORT,
      kmsKeyId: props.dataKeyArn,
      replicasPerNodeGroup: props.replicasPerShard,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow: props.snapshotWindowUtc,
      maintenanceWindow: props.maintenanceWindowUtc,
    };
    const membership = props.membership;
    if (membership.role === 'home') {
      this.authSecret = new GeneratedSecret(this, 'auth', {
        name: membership.secretName,
        description: `AUTH token of the Global Datastore (written by ${props.identifier})`,
        kmsKeyArn: membership.secretsKeyArn,
        username: 'default',
        replicas: membership.secretReplicas,
        passwordLength: 64,
      });
      this.replicationGroup = preventDestroy(
        new ElasticacheReplicationGroup(this, 'replication-group', {
          ...common,
          engine: membership.engine,
          engineVersion: membership.engineVersion,
          nodeType: membership.nodeType,
          numNodeGroups: membership.shards,
          clusterMode: membership.shards > 1 ? 'enabled' : 'disabled',
          atRestEncryptionEnabled: 'true',
          transitEncryptionEnabled: true,
          transitEncryptionMode: 'required',
          authToken: this.authSecret.password,
          // Once in the datastore, version and size change through the global group (below);
          // the token rotates in Secrets Manager and ElastiCache, not by replacing it here.
          lifecycle: { ignoreChanges: ['engine_version', 'node_type', 'auth_token', 'global_replication_group_id'] },
        }),
      );
      this.globalGroup = preventDestroy(
        new ElasticacheGlobalReplicationGroup(this, 'global', {
          globalReplicationGroupIdSuffix: membership.globalIdSuffix,
          globalReplicationGroupDescription: `Global Datastore of ${membership.globalIdSuffix}`,
          primaryReplicationGroupId: this.replicationGroup.id,
          engineVersion: membership.engineVersion,
          cacheNodeType: membership.nodeType,
          automaticFailoverEnabled: true,
          // A failover makes another member primary inside AWS; re-creating the datastore to
          // "restore" the original primary would drop every member.
          lifecycle: { ignoreChanges: ['primary_replication_group_id'] },
        }),
      );
    } else {
      this.replicationGroup = preventDestroy(
        new ElasticacheReplicationGroup(this, 'replication-group', {
          ...common,
          globalReplicationGroupId: membership.globalReplicationGroupId,
          lifecycle: { ignoreChanges: ['global_replication_group_id'] },
        }),
      );
    }
  }
}
