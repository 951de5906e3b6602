import { dataStoreIdentifier, edgeDomainNames, type PlatformConfig, type RegionConfig } from '@platform/config';

/** What the CLI acts on, derived from config exactly as the data stacks name it (never typed by hand). */
export interface Topology {
  readonly environment: string;
  readonly auroraGlobalId: string;
  /** Suffix of the Global Datastore id (AWS puts a region-specific prefix before it). */
  readonly redisGlobalSuffix: string;
  readonly regions: readonly {
    readonly name: string;
    readonly awsRegion: string;
    readonly auroraClusterArn: string;
    readonly redisGroupId: string;
    readonly inDatastore: boolean;
  }[];
  readonly configuredPrimary: string;
  readonly homeRegion: string;
  /** Regions that take user traffic (traffic.weightPercent > 0). */
  readonly liveRegions: readonly string[];
  /** A region's own origin name, which its Route 53 health check checks. */
  readonly originDomainName: (region: string) => string;
}

export function topologyOf(config: PlatformConfig): Topology {
  const member = (r: RegionConfig) => r.name === config.homeRegion.name || config.redis.secondaryRegions.includes(r.name);
  return {
    environment: config.environment,
    auroraGlobalId: dataStoreIdentifier(config, 'aurora'),
    redisGlobalSuffix: dataStoreIdentifier(config, 'redis'),
    regions: config.regions.map((r) => ({
      name: r.name,
      awsRegion: r.awsRegion,
      auroraClusterArn: `arn:aws:rds:${r.awsRegion}:${config.accountId}:cluster:${dataStoreIdentifier(config, 'aurora', r.name)}`,
      redisGroupId: dataStoreIdentifier(config, 'redis', r.name),
      inDatastore: member(r),
    })),
    configuredPrimary: config.primaryRegion.name,
    homeRegion: config.homeRegion.name,
    liveRegions: config.regions.filter((r) => r.traffic.weightPercent > 0).map((r) => r.name),
    originDomainName: edgeDomainNames(config).ofRegion,
  };
}
