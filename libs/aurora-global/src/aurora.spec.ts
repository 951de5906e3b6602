import { PlatformStack, onlyResource, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { AuroraGlobalCluster } from './aurora-global-cluster';
import { AuroraRegionalCluster, type AuroraRegionalClusterProps } from './aurora-regional-cluster';

const base: Omit<AuroraRegionalClusterProps, 'identifier' | 'membership'> = {
  monitoringRoleName: 'p-eu-west-rds-monitoring',
  globalClusterIdentifier: 'aurora-p',
  engineVersion: '17.5',
  instanceClass: 'db.r7g.xlarge',
  instances: 2,
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  subnetIds: ['subnet-d1', 'subnet-d2', 'subnet-d3'],
  securityGroupIds: ['sg-data'],
  dataKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/data',
  backupRetentionDays: 14,
  backupWindowUtc: '00:00-01:00',
  maintenanceWindowUtc: 'sun:02:00-sun:06:00',
  autoMinorVersionUpgrade: true,
};

function synth(membership: AuroraRegionalClusterProps['membership'], overrides: Partial<AuroraRegionalClusterProps> = {}) {
  const stack = new PlatformStack(Testing.app(), 'eu-west-data', testContext());
  new AuroraRegionalCluster(stack, 'aurora', { identifier: 'aurora-p-eu-west', membership, ...base, ...overrides });
  return synthesizeStack(stack);
}

const home = synth({
  role: 'home',
  databaseName: 'market',
  masterUsername: 'platform_admin',
  secretsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/secrets',
  secretName: 'p/aurora/master',
  secretReplicas: [],
});
const secondary = synth({ role: 'secondary', homeAwsRegion: 'us-east-1' });

describe('AuroraGlobalCluster', () => {
  it('is an encrypted, deletion-protected aurora-postgresql global cluster whose minor-version drift is ignored', () => {
    const stack = new PlatformStack(Testing.app(), 'global-foundation', testContext());
    new AuroraGlobalCluster(stack, 'aurora', { identifier: 'aurora-p', engineVersion: '17.5', autoMinorVersionUpgrade: true });
    expect(onlyResource(synthesizeStack(stack), 'aws_rds_global_cluster')).toMatchObject({
      global_cluster_identifier: 'aurora-p',
      engine: 'aurora-postgresql',
      engine_version: '17.5',
      storage_encrypted: true,
      deletion_protection: true,
      lifecycle: { prevent_destroy: true, ignore_changes: ['engine_version'] },
    });
  });
});

describe('AuroraRegionalCluster', () => {
  it('the home cluster joins the global cluster as first writer, with generated credentials and the database', () => {
    const cluster = onlyResource(home, 'aws_rds_cluster');
    expect(cluster).toMatchObject({
      cluster_identifier: 'aurora-p-eu-west',
      engine: 'aurora-postgresql',
      global_cluster_identifier: 'aurora-p',
      master_username: 'platform_admin',
      database_name: 'market',
      port: 5432,
      lifecycle: {
        prevent_destroy: true,
        ignore_changes: ['global_cluster_identifier', 'replication_source_identifier', 'master_password', 'engine_version'],
      },
    });
    expect(cluster['master_password']).toMatch(/^\$\{data\.aws_secretsmanager_random_password\.aurora_master_random_[0-9A-F]+\.random_password\}$/);
    expect(onlyResource(home, 'aws_secretsmanager_secret')).toMatchObject({
      name: 'p/aurora/master',
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/secrets',
    });
  });

  it('a secondary carries no credentials or database, only the global id, its own key and the source region', () => {
    const cluster = onlyResource(secondary, 'aws_rds_cluster');
    for (const attribute of ['master_username', 'master_password', 'database_name'])
      expect({ attribute, value: cluster[attribute] }).toEqual({ attribute, value: undefined });
    expect(cluster).toMatchObject({
      global_cluster_identifier: 'aurora-p',
      source_region: 'us-east-1',
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/data',
    });
    expect((cluster['lifecycle'] as { ignore_changes: string[] }).ignore_changes).toEqual([
      'global_cluster_identifier',
      'replication_source_identifier',
      'engine_version',
    ]);
    expect(resourcesOf(secondary, 'aws_secretsmanager_secret')).toEqual({});
  });

  it('encrypts, exports logs, authenticates with IAM, backs up in its window and keeps a final snapshot', () => {
    expect(onlyResource(secondary, 'aws_rds_cluster')).toMatchObject({
      storage_encrypted: true,
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/data',
      iam_database_authentication_enabled: true,
      enabled_cloudwatch_logs_exports: ['postgresql'],
      backup_retention_period: 14,
      preferred_backup_window: '00:00-01:00',
      preferred_maintenance_window: 'sun:02:00-sun:06:00',
      copy_tags_to_snapshot: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'aurora-p-eu-west-final',
      vpc_security_group_ids: ['sg-data'],
    });
    expect(onlyResource(secondary, 'aws_db_subnet_group')['subnet_ids']).toEqual(['subnet-d1', 'subnet-d2', 'subnet-d3']);
  });

  it("forces TLS at 1.3 through its own parameter group of the engine's family", () => {
    const parameters = onlyResource(secondary, 'aws_rds_cluster_parameter_group');
    expect(parameters['family']).toBe('aurora-postgresql17');
    expect(parameters['parameter']).toEqual(
      expect.arrayContaining([
        { name: 'rds.force_ssl', value: '1' },
        { name: 'ssl_min_protocol_version', value: 'TLSv1.3' },
      ]),
    );
    expect(onlyResource(secondary, 'aws_rds_cluster')['db_cluster_parameter_group_name']).toMatch(
      /aws_rds_cluster_parameter_group\.aurora_parameters_[0-9A-F]+\.name/,
    );
  });

  it('spreads private instances over the zones, with Performance Insights under the region key and enhanced monitoring', () => {
    const instances = Object.values(resourcesOf(secondary, 'aws_rds_cluster_instance'));
    expect(instances.map((i) => [i['identifier'], i['availability_zone']])).toEqual([
      ['aurora-p-eu-west-1', 'eu-west-1a'],
      ['aurora-p-eu-west-2', 'eu-west-1b'],
    ]);
    for (const instance of instances) {
      expect(instance).toMatchObject({
        instance_class: 'db.r7g.xlarge',
        publicly_accessible: false,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/data',
        monitoring_interval: 60,
        auto_minor_version_upgrade: true,
      });
    }
    expect(onlyResource(secondary, 'aws_iam_role')['name']).toBe('p-eu-west-rds-monitoring');
  });

  it('refuses no instances and under a week of backups', () => {
    expect(() => synth({ role: 'secondary', homeAwsRegion: 'us-east-1' }, { instances: 0 })).toThrow(
      'aurora aurora-p-eu-west: instances = 0; fix: run at least one instance per region',
    );
    expect(() => synth({ role: 'secondary', homeAwsRegion: 'us-east-1' }, { backupRetentionDays: 3 })).toThrow(
      'backupRetentionDays = 3; fix: keep at least 7 days of backups',
    );
  });
});
