import type { AppContext } from '@platform/stack-kit';
import type { App } from 'cdktf';
import { AccessStack } from './access-stack';
import { DataReplicationStack } from './data-replication-stack';
import { EdgeStack } from './edge-stack';
import { FoundationStack } from './foundation-stack';
import { PeeringStack } from './peering-stack';

/**
 * The global app: access and foundation first (before any region), the peering mesh after the
 * regions' infra (it reads their VPCs), the data replication after their data stores, the edge
 * last (after every region's platform, so users reach only released applications).
 */
export function buildGlobalApp(
  app: App,
  context: AppContext,
): { foundation: FoundationStack; access: AccessStack; peering: PeeringStack; dataReplication: DataReplicationStack; edge: EdgeStack } {
  return {
    foundation: new FoundationStack(app, context),
    access: new AccessStack(app, context),
    peering: new PeeringStack(app, context),
    dataReplication: new DataReplicationStack(app, context),
    edge: new EdgeStack(app, context),
  };
}
