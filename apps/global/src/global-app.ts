import { PublicZone } from '@platform/foundation';
import { globalFoundationContract, publishOutputs, stackNames } from '@platform/stack-contracts';
import { PlatformStack, regionalAwsProvider, type AppContext } from '@platform/stack-kit';
import type { App } from 'cdktf';

/**
 * Global resources: the foundation every region refers to (DNS zone now; keys, trail and the Aurora
 * global cluster as they arrive), later the peering mesh and the edge.
 */
export function buildGlobalApp(app: App, context: AppContext): { foundation: PlatformStack } {
  const { config } = context;
  const foundation = new PlatformStack(app, stackNames.globalFoundation, context);
  regionalAwsProvider(foundation, 'aws', { config, awsRegion: config.primaryRegion.awsRegion, stackName: foundation.stackName });
  const zone = new PublicZone(foundation, 'public-zone', { domain: config.domain });
  publishOutputs(foundation, globalFoundationContract, {
    hostedZoneId: zone.zone.zoneId,
    hostedZoneName: zone.zone.name,
    hostedZoneNameServers: zone.zone.nameServers,
  });
  return { foundation };
}
