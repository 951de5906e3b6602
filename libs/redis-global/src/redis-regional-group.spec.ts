import { PlatformStack, onlyResource, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { RedisRegionalGroup, type RedisRegionalGroupProps } from './redis-regional-group';

const base: Omit<RedisRegionalGroupProps, 'identifier' | 'membership'> = {
  replicasPerShard: 1,
  subnetIds: ['subnet-d1', 'subnet-d2', 'subnet-d3'],
  securityGroupIds: ['sg-data'],
  dataKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/data',
  snapshotRetentionDays: 7,
  snapshotWindowUtc: '05:00-06:00',
  maintenanceWindowUtc: 'sun:07:00-sun:11:00',
};
const homeMembership: RedisRegionalGroupProps['membership'] = {
  role: 'home',
  engine: 'valkey',
  engineVersion: '8.1',
  nodeType: 'cache.r7g.large',
  shards: 1,
  secretsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/secrets',
  secretName: 'p/redis/auth',
  secretReplicas: [],
  globalIdSuffix: 'redis-p',
};

function synth(membership: RedisRegionalGroupProps['membership'], overrides: Partial<RedisRegionalGroupProps> = {}) {
  const stack = new PlatformStack(Testing.app(), 'data', testContext());
  new RedisRegionalGroup(stack, 'redis', { identifier: 'redis-p-us-east', membership, ...base, ...overrides });
  return synthesizeStack(stack);
}

describe('RedisRegionalGroup', () => {
  const home = synth(homeMembership);
  const secondary = synth({ role: 'secondary', globalReplicationGroupId: 'ldgnf-redis-p' });

  it("every member is Multi-AZ with failover, encrypted with its region's key, snapshotted outside maintenance, protected", () => {
    for (const json of [home, secondary]) {
      expect(onlyResource(json, 'aws_elasticache_replication_group')).toMatchObject({
        replication_group_id: 'redis-p-us-east',
        port: 6379,
        kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/data',
        automatic_failover_enabled: true,
        multi_az_enabled: true,
        replicas_per_node_group: 1,
        snapshot_retention_limit: 7,
        snapshot_window: '05:00-06:00',
        maintenance_window: 'sun:07:00-sun:11:00',
        security_group_ids: ['sg-data'],
        lifecycle: expect.objectContaining({ prevent_destroy: true }),
      });
      expect(onlyResource(json, 'aws_elasticache_subnet_group')['subnet_ids']).toEqual(['subnet-d1', 'subnet-d2', 'subnet-d3']);
    }
  });

  it('the home member sets engine, version, size, encryption in transit (required) and AUTH, and creates the datastore', () => {
    const group = onlyResource(home, 'aws_elasticache_replication_group');
    expect(group).toMatchObject({
      engine: 'valkey',
      engine_version: '8.1',
      node_type: 'cache.r7g.large',
      num_node_groups: 1,
      cluster_mode: 'disabled',
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
    });
    expect(group['auth_token']).toMatch(/^\$\{data\.aws_secretsmanager_random_password\.redis_auth_random_[0-9A-F]+\.random_password\}$/);
    expect(onlyResource(home, 'aws_elasticache_global_replication_group')).toMatchObject({
      global_replication_group_id_suffix: 'redis-p',
      primary_replication_group_id: expect.stringMatching(/^\$\{aws_elasticache_replication_group\.redis_replication-group_[0-9A-F]+\.id\}$/),
      engine_version: '8.1',
      cache_node_type: 'cache.r7g.large',
      lifecycle: { prevent_destroy: true, ignore_changes: ['primary_replication_group_id'] },
    });
  });

  it('a secondary joins by id and sets nothing AWS makes it inherit', () => {
    const group = onlyResource(secondary, 'aws_elasticache_replication_group');
    expect(group['global_replication_group_id']).toBe('ldgnf-redis-p');
    for (const inherited of [
      'engine',
      'engine_version',
      'node_type',
      'num_node_groups',
      'parameter_group_name',
      'at_rest_encryption_enabled',
      'transit_encryption_enabled',
      'auth_token',
    ]) {
      expect({ inherited, value: group[inherited] }).toEqual({ inherited, value: undefined });
    }
    expect(resourcesOf(secondary, 'aws_elasticache_global_replication_group')).toEqual({});
  });

  it('refuses a member without a replica to fail over to, and under a week of snapshots', () => {
    expect(() => synth(homeMembership, { replicasPerShard: 0 })).toThrow('redis redis-p-us-east: replicasPerShard = 0; fix: keep at least 1 replica');
    expect(() => synth(homeMembership, { snapshotRetentionDays: 1 })).toThrow('snapshotRetentionDays = 1; fix: keep at least 7 days of snapshots');
  });
});
