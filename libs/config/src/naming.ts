import type { PlatformConfig } from './resolve-config';

/**
 * Names derived from config. They end up in resource names and state keys, so changing one
 * renames (and for most resources replaces) things: treat them as a contract.
 */
export function namePrefix(config: Pick<PlatformConfig, 'project' | 'environment'>): string {
  return `${config.project}-${config.environment}`;
}

/** Globally unique thanks to the account id. */
export function stateBucketName(config: Pick<PlatformConfig, 'project' | 'environment' | 'accountId'>): string {
  return `${namePrefix(config)}-tfstate-${config.accountId}`;
}

export function stateKeyAlias(config: Pick<PlatformConfig, 'project' | 'environment'>): string {
  return `alias/${namePrefix(config)}-tfstate`;
}

/** The alias ARN the S3 backend encrypts state with; known before the key exists. */
export function stateKeyAliasArn(config: Pick<PlatformConfig, 'project' | 'environment' | 'accountId' | 'state'>): string {
  return `arn:aws:kms:${config.state.region}:${config.accountId}:${stateKeyAlias(config)}`;
}

/** EKS cluster name of a region; also the kubeconfig context users know it by. */
export function clusterName(config: Pick<PlatformConfig, 'project' | 'environment'>, regionName: string): string {
  return `${namePrefix(config)}-${regionName}`;
}

/** The IAM roles of people and CI (created by global-access, granted cluster access by each region). */
export function accessRoleNames(config: Pick<PlatformConfig, 'project' | 'environment'>): {
  readonly admin: string;
  readonly readOnly: string;
  readonly ciPlan: string;
  readonly ciApply: string;
} {
  const prefix = namePrefix(config);
  return { admin: `${prefix}-admin`, readOnly: `${prefix}-read-only`, ciPlan: `${prefix}-ci-plan`, ciApply: `${prefix}-ci-apply` };
}

/** GitHub environments that gate applies, in rollout order: bootstrap, global, then each region. */
export function githubDeployEnvironments(config: Pick<PlatformConfig, 'environment' | 'access' | 'regions'>): string[] {
  const prefix = config.access.githubEnvironment ?? config.environment;
  return [`${prefix}-bootstrap`, `${prefix}-global`, ...config.regions.map((r) => `${prefix}-${r.name}`)];
}

/** The account's one multi-region trail, homed in the home region (its ARN goes into key policies before it exists). */
export function auditTrailName(config: Pick<PlatformConfig, 'project' | 'environment'>): string {
  return `${namePrefix(config)}-audit`;
}

export function auditTrailArn(config: Pick<PlatformConfig, 'project' | 'environment' | 'accountId' | 'homeRegion'>): string {
  return `arn:aws:cloudtrail:${config.homeRegion.awsRegion}:${config.accountId}:trail/${auditTrailName(config)}`;
}

/** The permissions boundary every CI-created role carries (global-access creates it; see libs/access). */
export function workloadBoundaryName(config: Pick<PlatformConfig, 'project' | 'environment'>): string {
  return `${namePrefix(config)}-workload-boundary`;
}

export function workloadBoundaryArn(config: Pick<PlatformConfig, 'project' | 'environment' | 'accountId'>): string {
  return `arn:aws:iam::${config.accountId}:policy/${workloadBoundaryName(config)}`;
}

/** A region's ClickHouse backup bucket; known before it exists, so another region's replication can name it. */
export function clickhouseBackupBucketName(config: Pick<PlatformConfig, 'project' | 'environment' | 'accountId'>, regionName: string): string {
  return `${namePrefix(config)}-clickhouse-backup-${regionName}-${config.accountId}`;
}

/**
 * Identifier of a data store (RDS global cluster or regional cluster, ElastiCache replication group
 * or Global Datastore suffix), per region or global. The engine leads because RDS and ElastiCache
 * identifiers must start with a letter (the project prefix may not) and ElastiCache's are at most 40.
 */
export function dataStoreIdentifier(
  config: Pick<PlatformConfig, 'project' | 'environment'>,
  engine: 'aurora' | 'redis',
  regionName?: string,
): string {
  return [engine, namePrefix(config), ...(regionName ? [regionName] : [])].join('-');
}

/**
 * The edge's DNS names: CloudFront serves `domain`; it reaches regions through `origin.<domain>`
 * (latency-routed) and `<region>.origin.<domain>` (one region, for origin groups and health
 * checks); `geo.origin.<domain>` is the geoproximity-routed set.
 */
export function edgeDomainNames(config: Pick<PlatformConfig, 'domain'>): {
  readonly latency: string;
  readonly geoproximity: string;
  readonly ofRegion: (regionName: string) => string;
} {
  return {
    latency: `origin.${config.domain}`,
    geoproximity: `geo.origin.${config.domain}`,
    ofRegion: (regionName) => `${regionName}.origin.${config.domain}`,
  };
}

/**
 * Name of a region's Prometheus federation endpoint (its internal load balancer, TLS with an ACM
 * certificate validated in the public zone; the name resolves to private addresses only).
 */
export function prometheusFederationDomainName(config: Pick<PlatformConfig, 'domain'>, regionName: string): string {
  return `prometheus.${regionName}.${config.domain}`;
}
