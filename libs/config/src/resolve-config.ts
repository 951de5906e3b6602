import type { z } from 'zod';
import { ConfigError, formatPath, showValue, valueAt, type ConfigIssue } from './config-error';
import { formatAwsWeeklyWindow, toUtcDailyWindow, toUtcWeeklyWindow, type UtcWeeklyWindow } from './maintenance-window';
import { checkRules } from './rules';
import { platformConfigSchema, type ParsedPlatformConfig, type ParsedRegion } from './schema';

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type RegionConfig = DeepReadonly<ParsedRegion> & {
  /** `ddd:hh24:mi-ddd:hh24:mi` in UTC, for RDS and ElastiCache. */
  readonly maintenanceWindowUtc: string;
  readonly maintenanceWindow: UtcWeeklyWindow;
  /** `hh24:mi-hh24:mi` in UTC, for Aurora backups. */
  readonly backupWindowUtc: string;
};

/** A validated environment config with derived values filled in. Deeply frozen. */
export type PlatformConfig = DeepReadonly<Omit<ParsedPlatformConfig, 'regions' | 'redis' | 'clickhouse'>> & {
  readonly regions: readonly RegionConfig[];
  readonly primaryRegion: RegionConfig;
  /** data.homeRegion, resolved. */
  readonly homeRegion: RegionConfig;
  readonly redis: DeepReadonly<Omit<ParsedPlatformConfig['redis'], 'secondaryRegions'>> & { readonly secondaryRegions: readonly string[] };
  readonly clickhouse: DeepReadonly<Omit<ParsedPlatformConfig['clickhouse'], 'backupReplicaRegions'>> & {
    readonly backupReplicaRegions: Readonly<Record<string, string>>;
  };
};

/** Fixes for the type/format errors the schema can raise, by field name. */
const FIELD_FIXES: Readonly<Record<string, string>> = {
  accountId: 'set the 12-digit id of the AWS account this environment deploys to',
  domain: 'set the public DNS name the edge serves, e.g. app.example.com',
  vpcCidr: 'use a private IPv4 network such as 10.10.0.0/16',
  availabilityZones: 'list three zones of the region, e.g. ["us-east-1a", "us-east-1b", "us-east-1c"]',
  maintenance: 'write it as { day: "sun", start: "02:00", end: "06:00" } in local time',
  instanceTypes: 'list EC2 instance types such as ["m6i.2xlarge"]',
  day: `use one of sun, mon, tue, wed, thu, fri, sat`,
  healthCheckIntervalSeconds: "use 10 or 30: the only intervals Route 53 health checks take (10 keeps failover under the seed's 2 minutes)",
  geoproximityBias: 'use a whole number from -99 (shrink the area routed here) to 99 (grow it); 0 is neutral',
  weightPercent: "use 0 (not live), 1-99 (share of this region's nearest users during migration) or 100 (fully live)",
};

function fromZodIssue(input: unknown, issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: formatPath([...issue.path, key]),
      value: showValue(valueAt(input, [...issue.path, key])),
      problem: 'is not a known setting',
      fix: 'remove it or correct its spelling (see libs/config/src/schema.ts)',
    }));
  }
  const lastKey = [...issue.path].reverse().find((k) => typeof k === 'string');
  return [
    {
      field: formatPath(issue.path) || '(root)',
      value: showValue(valueAt(input, issue.path)),
      problem: issue.message.charAt(0).toLowerCase() + issue.message.slice(1),
      fix: (typeof lastKey === 'string' && FIELD_FIXES[lastKey]) || 'correct the value as libs/config/src/schema.ts describes',
    },
  ];
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

interface Typo {
  readonly issue: ConfigIssue;
  /** The fields whose schema issues this typo explains: the unknown key and the required key it left missing. */
  readonly covers: readonly string[];
}

/**
 * Unknown keys that are a near miss (edit distance 2 or less) of a key the schema expects at the
 * same place and that is missing there: each becomes one issue with "did you mean", and a copy of
 * the input with the spelling corrected lets the rules run. Undefined `corrected` when any unknown
 * key is not such a near miss.
 */
function misspeltKeys(input: unknown, zodIssues: readonly z.core.$ZodIssue[]): { issues: Typo[]; corrected: unknown } {
  const corrected = structuredClone(input) as Record<string, unknown>;
  const missing = zodIssues.filter((i) => i.code === 'invalid_type' && valueAt(input, i.path) === undefined);
  const typos: Typo[] = [];
  let allNearMisses = true;
  for (const issue of zodIssues.filter((i) => i.code === 'unrecognized_keys')) {
    for (const key of (issue as { keys: string[] }).keys) {
      const candidates = missing.filter(
        (m) =>
          m.path.length === issue.path.length + 1 && formatPath(m.path.slice(0, -1)) === formatPath(issue.path) && typeof m.path.at(-1) === 'string',
      );
      const best = candidates
        .map((m) => ({ name: String(m.path.at(-1)), path: m.path, d: distance(key, String(m.path.at(-1))) }))
        .sort((a, b) => a.d - b.d)[0];
      const field = formatPath([...issue.path, key]);
      if (!best || best.d > 2) {
        allNearMisses = false; // reported as is by fromZodIssue
        continue;
      }
      const parent = valueAt(corrected, issue.path) as Record<string, unknown>;
      parent[best.name] = parent[key];
      delete parent[key];
      typos.push({
        issue: {
          field,
          value: showValue(valueAt(input, [...issue.path, key])),
          problem: `is not a known setting: ${best.name} is expected here`,
          fix: `rename it to ${best.name}`,
        },
        covers: [field, formatPath(best.path)],
      });
    }
  }
  return { issues: typos, corrected: allNearMisses && typos.length > 0 ? corrected : undefined };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates a config and derives the values stacks need. Throws a ConfigError that lists every
 * problem with its field, the bad value and the fix; never returns a half-valid config.
 */
export function resolveConfig(input: unknown): PlatformConfig {
  const label = (input as { environment?: unknown } | null)?.environment;
  const environment = typeof label === 'string' ? label : '(unnamed)';
  const parsed = platformConfigSchema.safeParse(input);
  if (!parsed.success) {
    // Report every problem at once: a misspelt key is shown with the key it most likely means, and
    // the rules still run on the config read as if the spelling were right, so an overlapping CIDR
    // or a retired version does not wait for the typo to be fixed.
    const { issues: typos, corrected } = misspeltKeys(input, parsed.error.issues);
    const reparsed = corrected === undefined ? undefined : platformConfigSchema.safeParse(corrected);
    const explained = new Set(typos.flatMap((t) => t.covers));
    const shapeIssues =
      reparsed?.success === false
        ? reparsed.error.issues.flatMap((i) => fromZodIssue(corrected, i))
        : parsed.error.issues.flatMap((i) => fromZodIssue(input, i)).filter((i) => !explained.has(i.field));
    const ruleIssues = reparsed?.success ? checkRules(reparsed.data) : [];
    throw new ConfigError(environment, [...typos.map((t) => t.issue), ...(reparsed?.success ? [] : shapeIssues), ...ruleIssues]);
  }
  const issues = checkRules(parsed.data);
  if (issues.length > 0) throw new ConfigError(environment, issues);

  const config = parsed.data;
  const regions: RegionConfig[] = config.regions.map((region) => {
    const maintenanceWindow = toUtcWeeklyWindow(region.maintenance, region.timeZone);
    return {
      ...region,
      maintenanceWindow,
      maintenanceWindowUtc: formatAwsWeeklyWindow(maintenanceWindow),
      backupWindowUtc: toUtcDailyWindow(region.backupWindow.start, region.backupWindow.end, region.timeZone).aws,
    };
  });
  const primaryRegion = regions.find((r) => r.primary);
  if (!primaryRegion) throw new Error('unreachable: checkRules guarantees one primary region');
  const homeRegion = regions.find((r) => r.name === config.data.homeRegion);
  if (!homeRegion) throw new Error('unreachable: checkRules guarantees the home region exists');
  // Unset replica regions: the next region in the list (the last wraps to the first).
  const backupReplicaRegions = Object.fromEntries(
    regions.map((r, i) => [r.name, config.clickhouse.backupReplicaRegions?.[r.name] ?? regions[(i + 1) % regions.length]!.name]),
  );
  return deepFreeze({
    ...config,
    regions,
    primaryRegion,
    homeRegion,
    redis: {
      ...config.redis,
      secondaryRegions: config.redis.secondaryRegions ?? regions.filter((r) => r.name !== homeRegion.name).map((r) => r.name),
    },
    clickhouse: { ...config.clickhouse, backupReplicaRegions },
  });
}

/** The region an app is for; a clear error when the config has no such region. */
export function regionNamed(config: PlatformConfig, name: string): RegionConfig {
  const region = config.regions.find((r) => r.name === name);
  if (!region) {
    throw new ConfigError(config.environment, [
      {
        field: 'regions',
        value: showValue(config.regions.map((r) => r.name)),
        problem: `has no region named "${name}", which this app deploys`,
        fix: `add a region named "${name}" or stop deploying this app for ${config.environment}`,
      },
    ]);
  }
  return region;
}
