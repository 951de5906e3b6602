import { resolveConfig, type PlatformConfig } from './resolve-config';
import type { PlatformConfigInput } from './schema';
import { seedRegionsInput } from './seed-regions';

/**
 * Prod's seed regions plus a fourth, `us-west` (us-west-2), as a person adding a region would write it: a
 * /16 of its own, its zones, a Sunday window that overlaps no other region's in UTC, a backup window
 * outside it, a node group, not yet live (weight 0), and the Global Datastore's two secondaries
 * named (it takes at most two). Tests use it to prove a region is a config change.
 */
export function prodWithFourthRegion(): PlatformConfig {
  const prod = seedRegionsInput();
  const input: PlatformConfigInput = {
    ...prod,
    regions: [
      ...prod.regions,
      {
        name: 'us-west',
        awsRegion: 'us-west-2',
        vpcCidr: '10.40.0.0/16',
        availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
        timeZone: 'America/Los_Angeles',
        // 06:00-10:00 PST = sun:14:00-sun:18:00 UTC, three hours after us-east's window ends.
        maintenance: { day: 'sun', start: '06:00', end: '10:00' },
        backupWindow: { start: '03:00', end: '04:00' },
        nodeGroups: [{ name: 'general', instanceTypes: ['m6i.2xlarge', 'm6a.2xlarge'], minSize: 2, desiredSize: 2, maxSize: 6, offPeakMinSize: 2 }],
        traffic: { weightPercent: 0 },
      },
    ],
    redis: { ...prod.redis, secondaryRegions: ['eu-west', 'apac'] },
  };
  return resolveConfig(input);
}
