import { parseCidr, subdivide } from '@platform/config';

export type SubnetTier = 'public' | 'private' | 'data';

export interface PlannedSubnet {
  readonly tier: SubnetTier;
  readonly availabilityZone: string;
  readonly cidr: string;
}

/**
 * Carves a VPC into three tiers over the zones. Private subnets (EKS nodes and pods, which take
 * one VPC address each) get three quarters of the range; the last quarter is cut in eighths for
 * the public (load balancers, NAT) and data (Aurora, ElastiCache, ClickHouse) subnets, with one
 * eighth of each kept free. A /16 gives /18 private, /21 public and /21 data subnets.
 */
export function planSubnets(vpcCidr: string, availabilityZones: readonly string[]): PlannedSubnet[] {
  const vpc = parseCidr(vpcCidr);
  if (typeof vpc === 'string') throw new Error(`subnet plan: vpc cidr ${vpcCidr}: ${vpc}`);
  if (availabilityZones.length < 1 || availabilityZones.length > 3) {
    throw new Error(`subnet plan: ${availabilityZones.length} zones; fix: the plan fits one to three zones`);
  }
  const quarter = vpc.prefixLength + 2;
  const eighthOfLastQuarter = quarter + 3;
  const lastQuarterStart = 3 * 8; // index of the first /eighth block inside the last quarter
  return availabilityZones.flatMap((availabilityZone, i) => [
    { tier: 'private' as const, availabilityZone, cidr: subdivide(vpc, quarter, i) },
    { tier: 'public' as const, availabilityZone, cidr: subdivide(vpc, eighthOfLastQuarter, lastQuarterStart + i) },
    { tier: 'data' as const, availabilityZone, cidr: subdivide(vpc, eighthOfLastQuarter, lastQuarterStart + 4 + i) },
  ]);
}
