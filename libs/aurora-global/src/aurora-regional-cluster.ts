import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { GeneratedSecret } from '@platform/secrets';
import { preventDestroy } from '@platform/stack-kit';
import { Construct } from 'constructs';
import { AURORA_ENGINE } from './aurora-global-cluster';

/** PostgreSQL's port; the data-tier security group opens it to the platform's VPCs. */
export const AURORA_PORT = 5432;

/**
 * How a regional cluster joins the global database. `home`: the first writer, created with the
 * master credentials and the database (data.homeRegion; it never changes). `secondary`: read-only,
 * inheriting both through storage replication. A switchover changes which cluster writes inside
 * AWS, not this: nothing here depends on where writes currently go.
 */
export type AuroraMembership =
  | {
      readonly role: 'home';
      readonly databaseName: string;
      readonly masterUsername: string;
      readonly secretsKeyArn: string;
      readonly secretName: string;
      readonly secretReplicas: readonly { awsRegion: string; kmsKeyArn: string }[];
    }
  | { readonly role: 'secondary'; readonly homeAwsRegion: string };

export interface AuroraRegionalClusterProps {
  /** Cluster identifier, e.g. `aurora-254carbon-prod-us-east` (RDS wants a letter first). */
  readonly identifier: string;
  /** IAM role of enhanced monitoring (inside the names the CI apply role may create). */
  readonly monitoringRoleName: string;
  readonly globalClusterIdentifier: string;
  readonly membership: AuroraMembership;
  readonly engineVersion: string;
  readonly instanceClass: string;
  /** Writer plus readers (home), readers only (secondary); spread over the zones in order. */
  readonly instances: number;
  readonly availabilityZones: readonly string[];
  /** The region's data subnets: no route to the internet. */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** The region's data key: storage, Performance Insights. */
  readonly dataKeyArn: string;
  readonly backupRetentionDays: number;
  /** `hh24:mi-hh24:mi` UTC (config converts local time). */
  readonly backupWindowUtc: string;
  /** `ddd:hh24:mi-ddd:hh24:mi` UTC. */
  readonly maintenanceWindowUtc: string;
  readonly autoMinorVersionUpgrade: boolean;
}

/**
 * One region's member of the Aurora Global Database: the cluster (encrypted with the region's data
 * key, TLS forced, IAM authentication, PostgreSQL logs exported, backups in the configured window,
 * deletion protection and a final snapshot) and its instances (Performance Insights with the same
 * key, enhanced monitoring). Drift on the global membership attributes is ignored: AWS rewrites
 * them on a switchover or failover.
 */
export class AuroraRegionalCluster extends Construct {
  readonly cluster: RdsCluster;
  readonly instances: RdsClusterInstance[];
  /** Master credentials (home only). */
  readonly masterSecret?: GeneratedSecret;

  constructor(scope: Construct, id: string, props: AuroraRegionalClusterProps) {
    super(scope, id);
    if (props.instances < 1) throw new Error(`aurora ${props.identifier}: instances = ${props.instances}; fix: run at least one instance per region`);
    if (props.backupRetentionDays < 7)
      throw new Error(`aurora ${props.identifier}: backupRetentionDays = ${props.backupRetentionDays}; fix: keep at least 7 days of backups`);
    const major = props.engineVersion.split('.')[0];

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: props.identifier,
      description: `Data subnets of ${props.identifier}`,
      subnetIds: props.subnetIds,
    });
    // TLS only, at the highest protocol floor Aurora PostgreSQL takes (from memory: TLSv1.3 is
    // accepted by ssl_min_protocol_version on 14 and later; verify with describe-db-cluster-parameters).
    const parameters = new RdsClusterParameterGroup(this, 'parameters', {
      name: `${props.identifier}-tls`,
      family: `aurora-postgresql${major}`,
      description: `TLS-only settings for ${props.identifier}`,
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        { name: 'ssl_min_protocol_version', value: 'TLSv1.3' },
        { name: 'log_connections', value: '1' },
      ],
    });
    const monitoringRole = new IamRole(this, 'monitoring-role', {
      name: props.monitoringRoleName,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    new IamRolePolicyAttachment(this, 'monitoring-policy', {
      role: monitoringRole.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    });

    const membership = props.membership;
    let credentials = {};
    if (membership.role === 'home') {
      this.masterSecret = new GeneratedSecret(this, 'master', {
        name: membership.secretName,
        description: `Master credentials of the Aurora global database (written by ${props.identifier})`,
        kmsKeyArn: membership.secretsKeyArn,
        username: membership.masterUsername,
        replicas: membership.secretReplicas,
      });
      credentials = { masterUsername: membership.masterUsername, masterPassword: this.masterSecret.password, databaseName: membership.databaseName };
    }
    const ignore = [
      'global_cluster_identifier',
      'replication_source_identifier',
      ...(membership.role === 'home' ? ['master_password'] : []),
      ...(props.autoMinorVersionUpgrade ? ['engine_version'] : []),
    ];
    this.cluster = preventDestroy(
      new RdsCluster(this, 'cluster', {
        clusterIdentifier: props.identifier,
        engine: AURORA_ENGINE,
        engineVersion: props.engineVersion,
        globalClusterIdentifier: props.globalClusterIdentifier,
        ...credentials,
        ...(membership.role === 'secondary' ? { sourceRegion: membership.homeAwsRegion } : {}),
        port: AURORA_PORT,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: props.securityGroupIds,
        dbClusterParameterGroupName: parameters.name,
        storageEncrypted: true,
        kmsKeyId: props.dataKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: ['postgresql'],
        backupRetentionPeriod: props.backupRetentionDays,
        preferredBackupWindow: props.backupWindowUtc,
        preferredMaintenanceWindow: props.maintenanceWindowUtc,
        copyTagsToSnapshot: true,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${props.identifier}-final`,
        lifecycle: { ignoreChanges: ignore },
      }),
    );
    this.instances = Array.from(
      { length: props.instances },
      (_, i) =>
        new RdsClusterInstance(this, `instance-${i + 1}`, {
          identifier: `${props.identifier}-${i + 1}`,
          clusterIdentifier: this.cluster.id,
          engine: AURORA_ENGINE,
          engineVersion: props.engineVersion,
          instanceClass: props.instanceClass,
          availabilityZone: props.availabilityZones[i % props.availabilityZones.length],
          publiclyAccessible: false,
          autoMinorVersionUpgrade: props.autoMinorVersionUpgrade,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: props.dataKeyArn,
          performanceInsightsRetentionPeriod: 7,
          monitoringInterval: 60,
          monitoringRoleArn: monitoringRole.arn,
          preferredMaintenanceWindow: props.maintenanceWindowUtc,
          ...(props.autoMinorVersionUpgrade ? { lifecycle: { ignoreChanges: ['engine_version'] } } : {}),
        }),
    );
  }
}
