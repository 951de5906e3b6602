import type { PlatformConfigInput } from '../schema';
import { PLACEHOLDER_STAGING_ACCOUNT_ID } from './placeholders';
import { prod } from './prod';

/**
 * Staging: prod's shape at a fraction of the size, in its own address space (10.110-10.130) so the
 * two environments can be peered with shared tooling VPCs later without renumbering.
 */
export const staging: PlatformConfigInput = {
  ...prod,
  environment: 'staging',
  accountId: PLACEHOLDER_STAGING_ACCOUNT_ID,
  regions: prod.regions.map((region, i) => ({
    ...region,
    vpcCidr: `10.${110 + i * 10}.0.0/16`,
    nodeGroups: region.nodeGroups.map((group) => ({
      ...group,
      minSize: 1,
      desiredSize: 1,
      maxSize: Math.max(2, Math.ceil(group.maxSize / 3)),
      offPeakMinSize: 0,
    })),
  })),
  network: { natGateways: 'single', flowLogRetentionDays: 30 },
  aurora: { ...prod.aurora, instanceClass: 'db.r7g.large', instancesPerRegion: 1, backupRetentionDays: 7 },
};
