import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { preventDestroy } from '@platform/stack-kit';
import { Construct } from 'constructs';

export const AURORA_ENGINE = 'aurora-postgresql';

export interface AuroraGlobalClusterProps {
  readonly identifier: string;
  /** Aurora PostgreSQL version, e.g. `17.5`. */
  readonly engineVersion: string;
  /** Minor versions are applied by RDS: Terraform then ignores the drift of the exact version. */
  readonly autoMinorVersionUpgrade: boolean;
}

/**
 * The Aurora Global Database: an empty global cluster that the home region's cluster joins as the
 * first writer and every other region's as a read-only secondary. Created in global-foundation,
 * before any region, so no region's stack owns it and a switchover (which changes the writer
 * region inside AWS) never moves it between stacks. Encrypted, protected from deletion twice.
 */
export class AuroraGlobalCluster extends Construct {
  readonly globalCluster: RdsGlobalCluster;

  constructor(scope: Construct, id: string, props: AuroraGlobalClusterProps) {
    super(scope, id);
    this.globalCluster = preventDestroy(
      new RdsGlobalCluster(this, 'global-cluster', {
        globalClusterIdentifier: props.identifier,
        engine: AURORA_ENGINE,
        engineVersion: props.engineVersion,
        storageEncrypted: true,
        deletionProtection: true,
        ...(props.autoMinorVersionUpgrade ? { lifecycle: { ignoreChanges: ['engine_version'] } } : {}),
      }),
    );
  }
}
