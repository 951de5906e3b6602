import { RECOMMENDED_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from './kubernetes-versions';
import { CACHE_ENGINE_VERSIONS } from './cache-versions';
import { CREATABLE_AURORA_POSTGRES_VERSIONS, RECOMMENDED_AURORA_POSTGRES_VERSION, RETIRED_AURORA_POSTGRES_VERSIONS } from './aurora-versions';
import { isKnownAwsRegion } from './aws-regions';
import { showValue, type ConfigIssue } from './config-error';
import { parseCidr, rangesOverlap, type Ipv4Range } from './cidr';
import { globalDatastoreNodeTypeProblem, isNvidiaGpuInstanceType, NVIDIA_GPU_FAMILIES } from './instance-types';
import {
  dailyWindowOverlapsWeekly,
  formatAwsWeeklyWindow,
  isValidTimeZone,
  parseClock,
  toUtcDailyWindow,
  toUtcWeeklyWindow,
  weeklyWindowsOverlap,
} from './maintenance-window';
import { CLOUDWATCH_LOG_RETENTION_DAYS, nextAcceptedLogRetention } from './log-retention';
import { recoveryBudget } from './recovery-budget';
import type { ParsedPlatformConfig } from './schema';

/** AWS caps: a global datastore has at most two secondaries; Aurora windows are at least 30 minutes. */
export const MAX_REDIS_SECONDARY_REGIONS = 2;
const MIN_WINDOW_MINUTES = 30;
/** The platform's floor for every backup and snapshot retention: a week of points to restore to. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/**
 * Rules that need more than one field, or knowledge of AWS, to check. Each returns issues rather
 * than throwing so that one synth run reports every problem at once.
 */
export function checkRules(config: ParsedPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const issue = (field: string, value: unknown, problem: string, fix: string) => issues.push({ field, value: showValue(value), problem, fix });

  checkRegions(config, issue);
  checkAurora(config, issue);
  checkRedis(config, issue);
  checkData(config, issue);
  checkKubernetes(config, issue);
  checkRecovery(config, issue);
  checkEdge(config, issue);
  checkLogRetention(config, issue);
  if (!isKnownAwsRegion(config.state.region)) {
    issue('state.region', config.state.region, 'not a known AWS region', 'use the region that holds the state bucket, e.g. us-east-1');
  }
  return issues;
}

type Report = (field: string, value: unknown, problem: string, fix: string) => void;

function checkRegions(config: ParsedPlatformConfig, issue: Report): void {
  const seenNames = new Map<string, number>();
  const seenAwsRegions = new Map<string, number>();
  const ranges: { index: number; range: Ipv4Range }[] = [];

  config.regions.forEach((region, i) => {
    const at = `regions[${i}]`;
    const firstWithName = seenNames.get(region.name);
    if (firstWithName !== undefined) {
      issue(`${at}.name`, region.name, `duplicates regions[${firstWithName}].name`, 'give every region a unique name');
    } else seenNames.set(region.name, i);

    if (!isKnownAwsRegion(region.awsRegion)) {
      issue(
        `${at}.awsRegion`,
        region.awsRegion,
        'not a known AWS region',
        'use a region code such as us-east-1, eu-west-1 or ap-southeast-1 (the list is libs/config/src/aws-regions.ts)',
      );
    } else {
      const firstInRegion = seenAwsRegions.get(region.awsRegion);
      if (firstInRegion !== undefined) {
        issue(
          `${at}.awsRegion`,
          region.awsRegion,
          `duplicates regions[${firstInRegion}].awsRegion; each AWS region may appear once`,
          'remove the duplicate or pick another AWS region',
        );
      } else seenAwsRegions.set(region.awsRegion, i);
      region.availabilityZones.forEach((az, j) => {
        if (!new RegExp(`^${region.awsRegion}[a-z]$`).test(az)) {
          issue(
            `${at}.availabilityZones[${j}]`,
            az,
            `not an availability zone of ${region.awsRegion}`,
            `use names such as ${region.awsRegion}a, ${region.awsRegion}b, ${region.awsRegion}c`,
          );
        }
      });
      if (new Set(region.availabilityZones).size !== region.availabilityZones.length) {
        issue(`${at}.availabilityZones`, region.availabilityZones, 'lists an availability zone twice', 'list three different zones');
      }
    }

    const parsed = parseCidr(region.vpcCidr);
    if (typeof parsed === 'string') {
      issue(`${at}.vpcCidr`, region.vpcCidr, parsed, 'use a private IPv4 network such as 10.10.0.0/16');
    } else if (parsed.prefixLength < 16) {
      issue(
        `${at}.vpcCidr`,
        region.vpcCidr,
        `a /${parsed.prefixLength} is larger than a VPC can be (AWS takes /16 to /28)`,
        'use a /16 to /20 network',
      );
    } else if (parsed.prefixLength > 20) {
      issue(
        `${at}.vpcCidr`,
        region.vpcCidr,
        `a /${parsed.prefixLength} leaves too little room for three subnet tiers in three zones (its public and data subnets would be /${parsed.prefixLength + 5}s; libs/network/src/subnet-plan.ts)`,
        'use a /16 to /20 network',
      );
    } else {
      for (const other of ranges) {
        if (rangesOverlap(parsed, other.range)) {
          issue(
            `${at}.vpcCidr`,
            region.vpcCidr,
            `overlaps regions[${other.index}].vpcCidr ${other.range.cidr}; peered VPCs need disjoint ranges`,
            'give every region its own range, e.g. 10.10.0.0/16, 10.20.0.0/16, 10.30.0.0/16',
          );
        }
      }
      ranges.push({ index: i, range: parsed });
    }

    if (!isValidTimeZone(region.timeZone)) {
      issue(`${at}.timeZone`, region.timeZone, 'not an IANA time zone', 'use a zone name such as America/New_York, Europe/Dublin or Asia/Singapore');
    }

    checkNodeGroups(region.nodeGroups, at, issue);
  });

  const primaries = config.regions.flatMap((region, i) => (region.primary ? [i] : []));
  if (primaries.length === 0) {
    issue(
      'regions',
      config.regions.map((r) => r.name),
      'no region is primary',
      'set primary: true on exactly one region (it holds the Aurora writer and the Redis primary)',
    );
  }
  for (const extra of primaries.slice(1)) {
    issue(
      `regions[${extra}].primary`,
      true,
      `regions[${primaries[0]}] is already primary; Aurora Global and Redis Global Datastore have exactly one writer region`,
      'set primary: true on one region only',
    );
  }

  checkWindows(config, issue);
}

function checkNodeGroups(groups: ParsedPlatformConfig['regions'][number]['nodeGroups'], at: string, issue: Report): void {
  const names = new Set<string>();
  groups.forEach((group, k) => {
    const field = `${at}.nodeGroups[${k}]`;
    if (names.has(group.name))
      issue(`${field}.name`, group.name, 'another node group in this region has the same name', 'give each node group a unique name');
    names.add(group.name);
    if (group.gpu) {
      group.instanceTypes.forEach((type, t) => {
        if (!isNvidiaGpuInstanceType(type)) {
          issue(
            `${field}.instanceTypes[${t}]`,
            type,
            'a GPU node group needs an NVIDIA GPU instance type (it runs the AL2023_x86_64_NVIDIA AMI)',
            `use a type from the ${NVIDIA_GPU_FAMILIES.join('/')} families, e.g. g5.2xlarge, or set gpu: false`,
          );
        }
      });
    }
    if (group.minSize > group.maxSize) {
      issue(`${field}.minSize`, group.minSize, `is greater than maxSize ${group.maxSize}`, 'make minSize <= desiredSize <= maxSize');
    } else if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
      issue(
        `${field}.desiredSize`,
        group.desiredSize,
        `is outside minSize..maxSize (${group.minSize}..${group.maxSize})`,
        'make minSize <= desiredSize <= maxSize',
      );
    }
    if (group.maxSize < 1) issue(`${field}.maxSize`, group.maxSize, 'a node group needs room for at least one node', 'set maxSize to 1 or more');
    if (group.offPeakMinSize !== undefined && group.offPeakMinSize > group.minSize) {
      issue(
        `${field}.offPeakMinSize`,
        group.offPeakMinSize,
        `is above minSize ${group.minSize}; off-peak may only lower the floor`,
        'set offPeakMinSize <= minSize, or remove it',
      );
    }
  });
}

function checkWindows(config: ParsedPlatformConfig, issue: Report): void {
  const windows: { index: number; utc: ReturnType<typeof toUtcWeeklyWindow> }[] = [];
  config.regions.forEach((region, i) => {
    if (!isValidTimeZone(region.timeZone)) return; // reported above
    const at = `regions[${i}]`;
    const utc = toUtcWeeklyWindow(region.maintenance, region.timeZone);
    if (utc.durationMinutes < MIN_WINDOW_MINUTES) {
      issue(
        `${at}.maintenance`,
        region.maintenance,
        `lasts ${utc.durationMinutes} minutes; AWS requires at least ${MIN_WINDOW_MINUTES}`,
        'widen the window (the seed uses 02:00-06:00)',
      );
    }
    for (const other of windows) {
      if (weeklyWindowsOverlap(utc, other.utc)) {
        issue(
          `${at}.maintenance`,
          region.maintenance,
          `in UTC this is ${formatAwsWeeklyWindow(utc)}, which overlaps regions[${other.index}] (${formatAwsWeeklyWindow(other.utc)}); two regions could be down at once`,
          'stagger the windows so that no two overlap in UTC (at least two regions must stay up)',
        );
      }
    }
    windows.push({ index: i, utc });

    const backupStart = parseClock(region.backupWindow.start);
    const backupEnd = parseClock(region.backupWindow.end);
    if (backupStart === undefined || backupEnd === undefined) return;
    const backup = toUtcDailyWindow(region.backupWindow.start, region.backupWindow.end, region.timeZone);
    if (backup.durationMinutes < MIN_WINDOW_MINUTES) {
      issue(
        `${at}.backupWindow`,
        region.backupWindow,
        `lasts ${backup.durationMinutes} minutes; Aurora requires at least ${MIN_WINDOW_MINUTES}`,
        'widen the backup window',
      );
    } else if (dailyWindowOverlapsWeekly(backup, utc)) {
      issue(
        `${at}.backupWindow`,
        region.backupWindow,
        `overlaps this region's maintenance window (${formatAwsWeeklyWindow(utc)} UTC); Aurora refuses overlapping windows`,
        'move the backup window outside the maintenance window',
      );
    }
  });
}

function checkAurora(config: ParsedPlatformConfig, issue: Report): void {
  const version = config.aurora.engineVersion;
  const retired = RETIRED_AURORA_POSTGRES_VERSIONS[version];
  if (retired) {
    issue(
      'aurora.engineVersion',
      version,
      retired,
      `use a current release such as ${RECOMMENDED_AURORA_POSTGRES_VERSION} (creatable: ${CREATABLE_AURORA_POSTGRES_VERSIONS.join(', ')})`,
    );
  } else if (!(CREATABLE_AURORA_POSTGRES_VERSIONS as readonly string[]).includes(version)) {
    issue(
      'aurora.engineVersion',
      version,
      'not a version this project knows can be created with Aurora Global Database',
      `use one of ${CREATABLE_AURORA_POSTGRES_VERSIONS.join(', ')}, or add a newly released one to libs/config/src/aurora-versions.ts`,
    );
  }
}

function checkRedis(config: ParsedPlatformConfig, issue: Report): void {
  const problem = globalDatastoreNodeTypeProblem(config.redis.nodeType);
  if (problem) issue('redis.nodeType', config.redis.nodeType, problem, 'use cache.r7g.large or bigger (m/r families, size large or above)');
  const versions = CACHE_ENGINE_VERSIONS[config.redis.engine];
  if (!versions.includes(config.redis.engineVersion))
    issue(
      'redis.engineVersion',
      config.redis.engineVersion,
      `not a ${config.redis.engine} version ElastiCache offers for a Global Datastore`,
      `use one of ${versions.join(', ')} (libs/config/src/cache-versions.ts)`,
    );
  if (config.redis.snapshotRetentionDays < MIN_BACKUP_RETENTION_DAYS)
    issue(
      'redis.snapshotRetentionDays',
      config.redis.snapshotRetentionDays,
      `keeps under ${MIN_BACKUP_RETENTION_DAYS} days of snapshots`,
      `keep at least ${MIN_BACKUP_RETENTION_DAYS}`,
    );

  // Secondaries are relative to the home region (where the Global Datastore was created), not to
  // `primary`, which moves on a switchover while the datastore's members stay where they are.
  const home = config.regions.find((r) => r.name === config.data.homeRegion);
  if (!home) return; // reported by checkData
  const explicit = config.redis.secondaryRegions;
  const secondaries = explicit ?? config.regions.filter((r) => r.name !== home.name).map((r) => r.name);
  const field = 'redis.secondaryRegions';
  explicit?.forEach((name, i) => {
    if (!config.regions.some((r) => r.name === name))
      issue(`${field}[${i}]`, name, 'names no region of this config', `use region names: ${config.regions.map((r) => r.name).join(', ')}`);
    if (name === home.name)
      issue(
        `${field}[${i}]`,
        name,
        "is the home region (data.homeRegion), which holds the Global Datastore's first primary",
        'list only the other regions',
      );
  });
  if (secondaries.length > MAX_REDIS_SECONDARY_REGIONS) {
    issue(
      field,
      secondaries,
      `a Global Datastore has at most ${MAX_REDIS_SECONDARY_REGIONS} secondary regions${explicit ? '' : ' (unset, it defaults to every region but the home region)'}`,
      'list at most two regions in redis.secondaryRegions; the others read from their nearest member',
    );
  }
  const primary = config.regions.find((r) => r.primary);
  if (primary && primary.name !== home.name && !secondaries.includes(primary.name)) {
    issue(
      'redis.secondaryRegions',
      secondaries,
      `leaves out the primary region ${primary.name}: writes go to the primary region, which would have no cache member to promote`,
      `add ${primary.name}, or move primary back to a region with a member`,
    );
  }
}

function checkData(config: ParsedPlatformConfig, issue: Report): void {
  const names = config.regions.map((r) => r.name);
  if (!names.includes(config.data.homeRegion))
    issue(
      'data.homeRegion',
      config.data.homeRegion,
      'names no region of this config',
      `use the region that created the global data stores (one of ${names.join(', ')}); it never changes after the first apply`,
    );
  if (config.regions.length < 2)
    issue(
      'regions',
      names,
      'has one region: the data stores have no secondary to replicate to, so this is not multi-region',
      'configure at least two regions',
    );
  if (config.aurora.backupRetentionDays < MIN_BACKUP_RETENTION_DAYS)
    issue(
      'aurora.backupRetentionDays',
      config.aurora.backupRetentionDays,
      `keeps under ${MIN_BACKUP_RETENTION_DAYS} days of backups`,
      `keep at least ${MIN_BACKUP_RETENTION_DAYS}`,
    );
  const clickhouse = config.clickhouse;
  if (clickhouse.backupRetentionDays < MIN_BACKUP_RETENTION_DAYS)
    issue(
      'clickhouse.backupRetentionDays',
      clickhouse.backupRetentionDays,
      `keeps under ${MIN_BACKUP_RETENTION_DAYS} days of backups`,
      `keep at least ${MIN_BACKUP_RETENTION_DAYS}`,
    );
  for (const [source, target] of Object.entries(clickhouse.backupReplicaRegions ?? {})) {
    const field = `clickhouse.backupReplicaRegions.${source}`;
    if (!names.includes(source))
      issue(field, target, `replicates from ${source}, which is no region of this config`, `use region names: ${names.join(', ')}`);
    if (!names.includes(target))
      issue(
        field,
        target,
        'names no region of this config, so the bucket would replicate into a region with no data key or bucket',
        `use one of ${names.filter((n) => n !== source).join(', ')}`,
      );
    else if (target === source)
      issue(
        field,
        target,
        'replicates a bucket into its own region: one regional outage takes both copies',
        `use another region: ${names.filter((n) => n !== source).join(', ')}`,
      );
  }
}

function checkKubernetes(config: ParsedPlatformConfig, issue: Report): void {
  const version = config.kubernetes.version;
  if (!(version in SUPPORTED_KUBERNETES_VERSIONS)) {
    issue(
      'kubernetes.version',
      version,
      'is not an EKS version in standard support',
      `use ${RECOMMENDED_KUBERNETES_VERSION} (supported: ${Object.entries(SUPPORTED_KUBERNETES_VERSIONS)
        .map(([v, note]) => `${v}, ${note}`)
        .join('; ')})`,
    );
  }
  config.kubernetes.publicAccessCidrs.forEach((cidr, i) => {
    const parsed = parseCidr(cidr);
    if (typeof parsed === 'string') issue(`kubernetes.publicAccessCidrs[${i}]`, cidr, parsed, 'use an IPv4 CIDR such as 203.0.113.0/24');
    else if (parsed.prefixLength === 0)
      issue(
        `kubernetes.publicAccessCidrs[${i}]`,
        cidr,
        'opens the cluster API to the whole internet',
        'list the office or VPN ranges, or leave the list empty (private endpoint only)',
      );
  });
  if (config.kubernetes.offPeak.scaleDownAt === config.kubernetes.offPeak.scaleUpAt) {
    issue(
      'kubernetes.offPeak',
      config.kubernetes.offPeak,
      'scales down and up at the same minute',
      'give the off-peak window a length, e.g. 22:00 to 06:00',
    );
  }
}

/** Traffic failover is automatic, so it must fit the target; the writer's move is manual and only reported. */
function checkRecovery(config: ParsedPlatformConfig, issue: Report): void {
  const r = config.recovery;
  const budget = recoveryBudget(r);
  if (!budget.trafficWithinTarget) {
    issue(
      'recovery',
      `${r.healthCheckIntervalSeconds} s x ${r.healthCheckFailureThreshold} checks + ${r.dnsTtlSeconds} s TTL = ${budget.trafficSeconds} s`,
      `traffic would leave a lost region after ${budget.trafficSeconds} s, over recovery.failoverTargetSeconds (${r.failoverTargetSeconds} s)`,
      'lower recovery.healthCheckIntervalSeconds to 10, recovery.healthCheckFailureThreshold or recovery.dnsTtlSeconds, or raise the target knowingly',
    );
  }
}

/** CloudFront takes its certificate and web ACL from, and publishes its metrics in, us-east-1 only. */
const CLOUDFRONT_REGION = 'us-east-1';

/** Methods a CloudFront origin group serves: failover happens only for these (CloudFront developer guide, "Optimize high availability with CloudFront origin failover", read 2026-11-25). */
export const ORIGIN_GROUP_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/** The rollout weights and the edge's paths: a region is live with weight > 0; partial weights fall back to the home region. */
function checkEdge(config: ParsedPlatformConfig, issue: Report): void {
  const live = config.regions.filter((r) => r.traffic.weightPercent > 0).map((r) => r.name);
  if (live.length === 0) {
    issue(
      'regions[*].traffic.weightPercent',
      config.regions.map((r) => `${r.name}=${r.traffic.weightPercent}`),
      'every region has weight 0, so no region would receive user traffic',
      `set weightPercent: 100 on the home region ${config.data.homeRegion} (rollout week 1)`,
    );
  }
  const homeIndex = config.regions.findIndex((r) => r.name === config.data.homeRegion);
  const home = config.regions[homeIndex];
  config.regions.forEach((region, i) => {
    const weight = region.traffic.weightPercent;
    if (weight > 0 && weight < 100 && home && home.traffic.weightPercent !== 100) {
      issue(
        `regions[${i}].traffic.weightPercent`,
        weight,
        `a partial weight sends the other ${100 - weight} % to the home region ${home.name}, which is not fully live (weightPercent ${home.traffic.weightPercent})`,
        `set regions[${homeIndex}].traffic.weightPercent to 100 first, or give ${region.name} 0 or 100`,
      );
    }
  });
  if (!config.regions.some((r) => r.awsRegion === CLOUDFRONT_REGION)) {
    issue(
      'regions',
      config.regions.map((r) => r.awsRegion),
      `no region is in ${CLOUDFRONT_REGION}, where CloudFront's certificate, web ACL, logs and metrics live (they use that region's logs key and alarm topic)`,
      `configure a region in ${CLOUDFRONT_REGION}`,
    );
  }
  const failover = config.edge.failoverOrigins;
  failover?.forEach((name, i) => {
    const region = config.regions.find((r) => r.name === name);
    if (!region)
      issue(`edge.failoverOrigins[${i}]`, name, 'names no region of this config', `use two of ${config.regions.map((r) => r.name).join(', ')}`);
    else if (region.traffic.weightPercent === 0)
      issue(
        `edge.failoverOrigins[${i}]`,
        name,
        'is not live (traffic.weightPercent 0): cached paths would be served by a region that takes no traffic',
        `use live regions: ${live.join(', ') || 'none yet'}`,
      );
  });
  if (failover && failover[0] === failover[1])
    issue('edge.failoverOrigins', failover, 'fails over to the same region: one regional outage takes both origins', 'name two different regions');
  const patterns = new Map<string, number>();
  config.edge.cachedPaths.forEach((path, i) => {
    const field = `edge.cachedPaths[${i}]`;
    const writes = path.allowedMethods.filter((m) => !(ORIGIN_GROUP_METHODS as readonly string[]).includes(m));
    if (writes.length) {
      issue(
        `${field}.allowedMethods`,
        path.allowedMethods,
        `allows ${writes.join(', ')} on a path served by an origin group; CloudFront refuses write methods on an origin group (failover works for GET, HEAD and OPTIONS only)`,
        `remove ${writes.join(', ')} (writes go to the latency-routed default behavior), or remove the path from edge.cachedPaths`,
      );
    }
    for (const m of ['GET', 'HEAD'] as const) {
      if (!path.allowedMethods.includes(m))
        issue(
          `${field}.allowedMethods`,
          path.allowedMethods,
          `leaves out ${m}; CloudFront's allowed-method sets always include GET and HEAD`,
          'use ["GET", "HEAD"] or ["GET", "HEAD", "OPTIONS"]',
        );
    }
    // The schema already refuses patterns that do not start with /, so '*' never gets here.
    if (path.pattern === '/*')
      issue(
        `${field}.pattern`,
        path.pattern,
        'matches every request, so the default behavior is never used and CloudFront refuses every write (the path allows only reads)',
        'use a narrower pattern such as /static/*; the default behavior already covers the rest',
      );
    const first = patterns.get(path.pattern);
    if (first !== undefined) issue(`${field}.pattern`, path.pattern, `duplicates edge.cachedPaths[${first}].pattern`, 'list each pattern once');
    else patterns.set(path.pattern, i);
  });
}

/** CloudWatch Logs takes retention only from a fixed list; other values fail at apply, not at validate. */
function checkLogRetention(config: ParsedPlatformConfig, issue: Report): void {
  const fields: [string, number][] = [
    ['network.flowLogRetentionDays', config.network.flowLogRetentionDays],
    ['audit.trailLogRetentionDays', config.audit.trailLogRetentionDays],
    ['kubernetes.controlPlaneLogRetentionDays', config.kubernetes.controlPlaneLogRetentionDays],
    ['edge.accessLogRetentionDays', config.edge.accessLogRetentionDays],
  ];
  for (const [field, days] of fields) {
    if (!(CLOUDWATCH_LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
      issue(
        field,
        days,
        `CloudWatch Logs keeps log events only for ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')} days`,
        `use ${nextAcceptedLogRetention(days)} (the next accepted period, so nothing is kept shorter than asked)`,
      );
    }
  }
}
