import { ConfigError } from './config-error';
import { loadEnvironment } from './environments';
import { resolveConfig } from './resolve-config';
import type { PlatformConfigInput } from './schema';
import { SEED_REGION_NAMES, seedRegionsConfig, seedRegionsInput } from './seed-regions';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A deep copy of prod's seed regions that a test may change freely (regions a team adds do not change these tests). */
function prodCopy(): Mutable<PlatformConfigInput> {
  return seedRegionsInput() as Mutable<PlatformConfigInput>;
}

/** Resolves, expects a ConfigError, and returns its issues for precise assertions. */
function issuesOf(config: unknown) {
  try {
    resolveConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected the config to be refused');
}

function expectOneIssue(config: unknown, field: string, value: string, problem: RegExp, fix: RegExp) {
  const issues = issuesOf(config);
  expect(issues).toHaveLength(1);
  expect(issues[0]).toMatchObject({ field, value });
  expect(issues[0]?.problem).toMatch(problem);
  expect(issues[0]?.fix).toMatch(fix);
}

describe('staging', () => {
  it("deploys to an account of its own, never prod's (allowed_account_ids then catches a mix-up)", () => {
    expect(loadEnvironment('staging').accountId).not.toBe(loadEnvironment('prod').accountId);
  });
});

describe('the prod config', () => {
  const config = loadEnvironment('prod');
  // The seed's regions, with their seed values; a region a team adds is checked by its own rules.
  const seedRegions = config.regions.filter((r) => SEED_REGION_NAMES.includes(r.name));

  it('carries the seed: us-east-1 primary, eu-west-1 and ap-southeast-1 secondaries', () => {
    expect(seedRegions.map((r) => [r.awsRegion, r.primary])).toEqual([
      ['us-east-1', true],
      ['eu-west-1', false],
      ['ap-southeast-1', false],
    ]);
    expect(config.primaryRegion.name).toBe('us-east');
  });

  it('carries the seed node counts: us-east 3 general + 2 GPU, eu-west 3, apac 2', () => {
    const counts = Object.fromEntries(seedRegions.map((r) => [r.name, r.nodeGroups.map((g) => [g.name, g.desiredSize, g.gpu])]));
    expect(counts).toEqual({
      'us-east': [
        ['general', 3, false],
        ['gpu', 2, true],
      ],
      'eu-west': [['general', 3, false]],
      apac: [['general', 2, false]],
    });
  });

  it('derives the UTC maintenance windows from Sunday 02:00-06:00 local standard time', () => {
    expect(Object.fromEntries(seedRegions.map((r) => [r.awsRegion, r.maintenanceWindowUtc]))).toEqual({
      'us-east-1': 'sun:07:00-sun:11:00',
      'eu-west-1': 'sun:02:00-sun:06:00',
      'ap-southeast-1': 'sat:18:00-sat:22:00',
    });
  });

  it('defaults the redis secondaries to the non-primary regions', () => {
    expect(seedRegionsConfig().redis.secondaryRegions).toEqual(['eu-west', 'apac']);
  });

  it('is frozen so no stack can change what another stack sees', () => {
    expect(Object.isFrozen(config.regions[0]?.nodeGroups[0])).toBe(true);
  });

  it('resolves staging as well', () => {
    // 10.110, 10.120, ... in prod's region order: its own address space, one /16 per region.
    expect(
      loadEnvironment('staging')
        .regions.map((r) => r.vpcCidr)
        .slice(0, 3),
    ).toEqual(['10.110.0.0/16', '10.120.0.0/16', '10.130.0.0/16']);
    expect(loadEnvironment('staging').regions.map((r) => r.name)).toEqual(config.regions.map((r) => r.name));
  });

  it('refuses an unknown environment name and lists the known ones', () => {
    expect(() => loadEnvironment('prd')).toThrow(/PLATFORM_ENV = "prd": no environment has this name.\n.*fix: use one of prod, staging/);
  });
});

describe('bad config fails with field, value and fix', () => {
  describe('edge and rollout', () => {
    it('a cached path that allows writes (it is served by an origin group)', () => {
      const config = prodCopy();
      config.edge = { cachedPaths: [{ pattern: '/api/*', cache: 'api-read', allowedMethods: ['GET', 'HEAD', 'POST'] }] };
      expectOneIssue(
        config,
        'edge.cachedPaths[0].allowedMethods',
        '["GET","HEAD","POST"]',
        /allows POST on a path served by an origin group/,
        /^remove POST/,
      );
    });

    it('a cached path that catches everything, one without GET, and one listed twice', () => {
      const config = prodCopy();
      config.edge = {
        cachedPaths: [
          { pattern: '/*', cache: 'static', allowedMethods: ['GET', 'HEAD'] },
          { pattern: '/img/*', cache: 'static', allowedMethods: ['HEAD', 'OPTIONS'] },
          { pattern: '/img/*', cache: 'static' },
        ],
      };
      expect(issuesOf(config).map((i) => [i.field, i.problem.split(';')[0]])).toEqual([
        [
          'edge.cachedPaths[0].pattern',
          'matches every request, so the default behavior is never used and CloudFront refuses every write (the path allows only reads)',
        ],
        ['edge.cachedPaths[1].allowedMethods', 'leaves out GET'],
        ['edge.cachedPaths[2].pattern', 'duplicates edge.cachedPaths[1].pattern'],
      ]);
    });

    it('every region at weight 0', () => {
      const config = prodCopy();
      for (const region of config.regions) region.traffic = { weightPercent: 0 };
      expectOneIssue(
        config,
        'regions[*].traffic.weightPercent',
        '["us-east=0","eu-west=0","apac=0"]',
        /no region would receive user traffic/,
        /weightPercent: 100 on the home region us-east/,
      );
    });

    it("a negative weight and a geoproximity bias out of Route 53's range", () => {
      const config = prodCopy();
      config.regions[1]!.traffic = { weightPercent: -5, geoproximityBias: 120 };
      const issues = issuesOf(config);
      expect(issues.map((i) => [i.field, i.value])).toEqual([
        ['regions[1].traffic.weightPercent', '-5'],
        ['regions[1].traffic.geoproximityBias', '120'],
      ]);
      expect(issues[1]!.fix).toMatch(/-99 .* 99/);
    });

    it('a partial weight while the home region is not fully live', () => {
      const config = prodCopy();
      config.regions[0]!.traffic = { weightPercent: 50 };
      config.regions[1]!.traffic = { weightPercent: 20 };
      const issues = issuesOf(config);
      expect(issues.map((i) => i.field)).toEqual(['regions[0].traffic.weightPercent', 'regions[1].traffic.weightPercent']);
      expect(issues[1]!.problem).toMatch(/sends the other 80 % to the home region us-east, which is not fully live/);
    });

    it('a health-check interval Route 53 does not take', () => {
      const config = prodCopy();
      config.recovery = { healthCheckIntervalSeconds: 15 as 10 };
      expectOneIssue(config, 'recovery.healthCheckIntervalSeconds', '15', /10 or 30 seconds/, /use 10 or 30/);
    });

    it("no region in us-east-1, where CloudFront's certificate, ACL, logs and metrics must live", () => {
      const config = prodCopy();
      config.regions[0]!.awsRegion = 'us-east-2';
      config.regions[0]!.availabilityZones = ['us-east-2a', 'us-east-2b', 'us-east-2c'];
      expectOneIssue(config, 'regions', '["us-east-2","eu-west-1","ap-southeast-1"]', /no region is in us-east-1/, /configure a region in us-east-1/);
    });

    it('an access-log retention CloudWatch Logs does not offer', () => {
      const config = prodCopy();
      config.edge = { accessLogRetentionDays: 100 };
      expectOneIssue(config, 'edge.accessLogRetentionDays', '100', /CloudWatch Logs keeps log events only for/, /use 120/);
    });

    it('a failover origin that is not live', () => {
      const config = prodCopy();
      config.regions[2]!.traffic = { weightPercent: 0 };
      config.edge = { failoverOrigins: ['us-east', 'apac'] };
      expectOneIssue(config, 'edge.failoverOrigins[1]', '"apac"', /is not live/, /use live regions: us-east, eu-west/);
    });
  });

  it('overlapping VPC CIDRs', () => {
    const c = prodCopy();
    c.regions[1]!.vpcCidr = '10.10.128.0/17';
    expectOneIssue(c, 'regions[1].vpcCidr', '"10.10.128.0/17"', /overlaps regions\[0\]\.vpcCidr 10\.10\.0\.0\/16/, /own range/);
  });

  it('a CIDR with host bits set', () => {
    const c = prodCopy();
    c.regions[2]!.vpcCidr = '10.30.1.0/16';
    expectOneIssue(c, 'regions[2].vpcCidr', '"10.30.1.0/16"', /network address is 10\.30\.0\.0\/16/, /10\.10\.0\.0\/16/);
  });

  it('an unknown AWS region', () => {
    const c = prodCopy();
    c.regions[1]!.awsRegion = 'eu-west-9';
    expectOneIssue(c, 'regions[1].awsRegion', '"eu-west-9"', /not a known AWS region/, /eu-west-1/);
  });

  it('a duplicate AWS region', () => {
    const c = prodCopy();
    c.regions[2]!.awsRegion = 'eu-west-1';
    c.regions[2]!.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
    expectOneIssue(c, 'regions[2].awsRegion', '"eu-west-1"', /duplicates regions\[1\]\.awsRegion/, /remove the duplicate/);
  });

  it('a duplicate region name', () => {
    const c = prodCopy();
    c.regions[2]!.name = 'eu-west';
    expectOneIssue(c, 'regions[2].name', '"eu-west"', /duplicates regions\[1\]\.name/, /unique name/);
  });

  it('no primary region', () => {
    const c = prodCopy();
    c.regions[0]!.primary = false;
    expectOneIssue(c, 'regions', '["us-east","eu-west","apac"]', /no region is primary/, /primary: true on exactly one/);
  });

  it('two primary regions', () => {
    const c = prodCopy();
    c.regions[1]!.primary = true;
    expectOneIssue(c, 'regions[1].primary', 'true', /regions\[0\] is already primary/, /one region only/);
  });

  it('Aurora PostgreSQL 15.3, which can no longer be created', () => {
    const c = prodCopy();
    c.aurora.engineVersion = '15.3';
    expectOneIssue(c, 'aurora.engineVersion', '"15.3"', /15\.3 .*can no longer be created/, /17\.5/);
  });

  it('an Aurora version nobody checked', () => {
    const c = prodCopy();
    c.aurora.engineVersion = '99.1';
    expectOneIssue(c, 'aurora.engineVersion', '"99.1"', /not a version this project knows/, /aurora-versions\.ts/);
  });

  it('overlapping maintenance windows', () => {
    const c = prodCopy();
    // 02:00-06:00 in New York standard time is 07:00-11:00 UTC; 08:00-09:00 in Dublin overlaps it.
    c.regions[1]!.maintenance = { day: 'sun', start: '08:00', end: '09:00' };
    expectOneIssue(
      c,
      'regions[1].maintenance',
      '{"day":"sun","start":"08:00","end":"09:00"}',
      /sun:08:00-sun:09:00, which overlaps regions\[0\] \(sun:07:00-sun:11:00\)/,
      /no two overlap/,
    );
  });

  it('a maintenance window shorter than 30 minutes', () => {
    const c = prodCopy();
    c.regions[2]!.maintenance = { day: 'sun', start: '02:00', end: '02:15' };
    expectOneIssue(c, 'regions[2].maintenance', '{"day":"sun","start":"02:00","end":"02:15"}', /15 minutes/, /widen/);
  });

  it('a backup window inside the maintenance window', () => {
    const c = prodCopy();
    c.regions[1]!.backupWindow = { start: '03:00', end: '04:00' };
    expectOneIssue(c, 'regions[1].backupWindow', '{"start":"03:00","end":"04:00"}', /overlaps this region's maintenance window/, /outside/);
  });

  it('an unknown time zone', () => {
    const c = prodCopy();
    c.regions[0]!.timeZone = 'America/Nowhere';
    expectOneIssue(c, 'regions[0].timeZone', '"America/Nowhere"', /not an IANA time zone/, /America\/New_York/);
  });

  it('a GPU node group on a non-GPU instance type', () => {
    const c = prodCopy();
    c.regions[0]!.nodeGroups[1]!.instanceTypes = ['m6i.2xlarge'];
    expectOneIssue(c, 'regions[0].nodeGroups[1].instanceTypes[0]', '"m6i.2xlarge"', /needs an NVIDIA GPU instance type/, /g5\.2xlarge/);
  });

  it('a node group whose minimum is above its maximum', () => {
    const c = prodCopy();
    c.regions[2]!.nodeGroups[0]!.minSize = 8;
    expectOneIssue(c, 'regions[2].nodeGroups[0].minSize', '8', /greater than maxSize 6/, /minSize <= desiredSize <= maxSize/);
  });

  it('more than two secondary regions for the Redis global datastore', () => {
    const c = prodCopy();
    c.regions.push({
      ...structuredClone(c.regions[2]!),
      name: 'us-west',
      awsRegion: 'us-west-2',
      vpcCidr: '10.40.0.0/16',
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      timeZone: 'America/Los_Angeles',
      maintenance: { day: 'sat', start: '02:00', end: '06:00' },
    });
    expectOneIssue(
      c,
      'redis.secondaryRegions',
      '["eu-west","apac","us-west"]',
      /at most 2 secondary regions.*defaults to every region but the home region/,
      /at most two/,
    );
  });

  it('a home region that is not configured', () => {
    const c = prodCopy();
    c.data.homeRegion = 'us-west';
    expectOneIssue(
      c,
      'data.homeRegion',
      '"us-west"',
      /names no region of this config/,
      /\(one of us-east, eu-west, apac\); it never changes after the first apply/,
    );
  });

  it('a single region: no data secondary to replicate to', () => {
    const c = prodCopy();
    c.regions = [c.regions[0]!];
    c.redis.secondaryRegions = [];
    expectOneIssue(c, 'regions', '["us-east"]', /has one region: the data stores have no secondary/, /at least two regions/);
  });

  it('Redis secondaries outside the regions, or the home region among them', () => {
    const c = prodCopy();
    c.redis.secondaryRegions = ['eu-west', 'us-west'];
    expectOneIssue(c, 'redis.secondaryRegions[1]', '"us-west"', /names no region of this config/, /use region names: us-east, eu-west, apac/);
    c.redis.secondaryRegions = ['us-east'];
    expect(issuesOf(c).map((i) => `${i.field}: ${i.problem}`)).toContain(
      "redis.secondaryRegions[0]: is the home region (data.homeRegion), which holds the Global Datastore's first primary",
    );
  });

  it('a Redis engine version no Global Datastore takes', () => {
    const c = prodCopy();
    c.redis.engineVersion = '6.2';
    expectOneIssue(c, 'redis.engineVersion', '"6.2"', /not a valkey version ElastiCache offers/, /use one of 7\.2, 8\.0, 8\.1/);
  });

  it('backup and snapshot retention under 7 days, each named', () => {
    const c = prodCopy();
    c.aurora.backupRetentionDays = 3;
    c.redis.snapshotRetentionDays = 1;
    c.clickhouse = { ...c.clickhouse!, backupRetentionDays: 5 };
    expect(
      issuesOf(c)
        .map((i) => `${i.field} = ${i.value}: ${i.fix}`)
        .sort(),
    ).toEqual([
      'aurora.backupRetentionDays = 3: keep at least 7',
      'clickhouse.backupRetentionDays = 5: keep at least 7',
      'redis.snapshotRetentionDays = 1: keep at least 7',
    ]);
  });

  it('a backup bucket replicating into its own region, or into a region with no key', () => {
    const c = prodCopy();
    c.clickhouse = { ...c.clickhouse!, backupReplicaRegions: { 'eu-west': 'eu-west' } };
    expectOneIssue(c, 'clickhouse.backupReplicaRegions.eu-west', '"eu-west"', /into its own region/, /another region: us-east, apac/);
    c.clickhouse = { ...c.clickhouse, backupReplicaRegions: { apac: 'sa-east' } };
    expectOneIssue(c, 'clickhouse.backupReplicaRegions.apac', '"sa-east"', /no data key or bucket/, /use one of us-east, eu-west/);
  });

  it('a switchover (primary moved to a Redis secondary) is a valid config; the home region stays', () => {
    const c = prodCopy();
    c.regions[0]!.primary = false;
    c.regions[1]!.primary = true;
    const config = resolveConfig(c);
    expect([config.primaryRegion.name, config.homeRegion.name, config.redis.secondaryRegions]).toEqual(['eu-west', 'us-east', ['eu-west', 'apac']]);
    expect(config.clickhouse.backupReplicaRegions).toEqual({ 'us-east': 'eu-west', 'eu-west': 'apac', apac: 'us-east' });
  });

  it('an alarm threshold that is zero or negative', () => {
    const c = prodCopy();
    c.monitoring = { replicationLagSeconds: 0, s3ReplicationLatencySeconds: 900 };
    expectOneIssue(c, 'monitoring.replicationLagSeconds', '0', /expected a positive number of seconds/, /schema\.ts/);
  });

  it.each([
    [0, /at most once a minute/],
    [10, /15-minute p95 needs at least three runs per period: use 1 to 5 minutes/],
    [1.5, /expected whole minutes/],
  ])('a canary schedule of %p minutes', (minutes, problem) => {
    const c = prodCopy();
    c.monitoring = { canaryIntervalMinutes: minutes };
    expectOneIssue(c, 'monitoring.canaryIntervalMinutes', String(minutes), problem, /schema\.ts/);
  });

  it("a traffic failover slower than the seed's 2 minutes: 30 s checks x 3 + 60 s TTL = 150 s", () => {
    const c = prodCopy();
    c.recovery = { healthCheckIntervalSeconds: 30 };
    expectOneIssue(
      c,
      'recovery',
      '"30 s x 3 checks + 60 s TTL = 150 s"',
      /after 150 s, over recovery\.failoverTargetSeconds \(120 s\)/,
      /healthCheckIntervalSeconds to 10/,
    );
  });

  it('a log retention CloudWatch Logs does not accept, each field named, with the next accepted period', () => {
    const c = prodCopy();
    c.network.flowLogRetentionDays = 45;
    c.kubernetes.controlPlaneLogRetentionDays = 100;
    const issues = issuesOf(c);
    expect(issues.map((i) => [i.field, i.value])).toEqual([
      ['network.flowLogRetentionDays', '45'],
      ['kubernetes.controlPlaneLogRetentionDays', '100'],
    ]);
    expect(issues[0]?.problem).toContain('only for 1, 3, 5, 7, 14, 30, 60, 90, 120');
    expect(issues.map((i) => i.fix)).toEqual([expect.stringMatching(/^use 60 /), expect.stringMatching(/^use 120 /)]);
  });

  it('a health-check interval Route 53 does not offer', () => {
    const c = prodCopy();
    c.recovery = { healthCheckIntervalSeconds: 20 as 10 };
    const issues = issuesOf(c);
    expect(issues[0]?.field).toBe('recovery.healthCheckIntervalSeconds');
    expect(issues[0]?.value).toBe('20');
  });

  it('a Kubernetes version outside standard support, including 1.34 since its standard support ended on 2026-12-02', () => {
    for (const version of ['1.29', '1.34']) {
      const c = prodCopy();
      c.kubernetes.version = version;
      expectOneIssue(c, 'kubernetes.version', `"${version}"`, /^is not an EKS version in standard support$/, /^use 1\.35 \(supported: 1\.35, /);
    }
  });

  it('an off-peak minimum above the minimum', () => {
    const c = prodCopy();
    c.regions[1]!.nodeGroups[0]!.offPeakMinSize = 5;
    expectOneIssue(c, 'regions[1].nodeGroups[0].offPeakMinSize', '5', /above minSize 3/, /offPeakMinSize <= minSize/);
  });

  it('a public API endpoint open to the internet', () => {
    const c = prodCopy();
    c.kubernetes.publicAccessCidrs = ['0.0.0.0/0'];
    expectOneIssue(c, 'kubernetes.publicAccessCidrs[0]', '"0.0.0.0/0"', /whole internet/, /private endpoint only/);
  });

  it('a Redis node type below large', () => {
    const c = prodCopy();
    c.redis.nodeType = 'cache.r7g.medium';
    expectOneIssue(c, 'redis.nodeType', '"cache.r7g.medium"', /below large/, /cache\.r7g\.large/);
  });

  it('a burstable Redis node type', () => {
    const c = prodCopy();
    c.redis.nodeType = 'cache.t4g.large';
    expectOneIssue(c, 'redis.nodeType', '"cache.t4g.large"', /burstable/, /cache\.r7g\.large/);
  });

  it('a wrongly typed value, reported by the schema with the field name', () => {
    const c = prodCopy() as unknown as { accountId: unknown };
    c.accountId = 1234;
    expectOneIssue(c, 'accountId', '1234', /expected string/, /12-digit id/);
  });

  it('a misspelt key', () => {
    const c = prodCopy() as unknown as { regions: Record<string, unknown>[] };
    c.regions[0]!['vpcCIDR'] = '10.0.0.0/16';
    expectOneIssue(c, 'regions[0].vpcCIDR', '"10.0.0.0/16"', /not a known setting/, /spelling/);
  });

  it('a misspelt key names the key it means, and the other problems are reported in the same run', () => {
    const c = prodCopy() as unknown as { regions: Record<string, unknown>[]; aurora: { engineVersion: string } };
    c.regions[1]!['vpcCidrr'] = c.regions[1]!['vpcCidr'];
    delete c.regions[1]!['vpcCidr'];
    c.regions[2]!['vpcCidr'] = '10.10.0.0/16';
    c.aurora.engineVersion = '15.3';
    expect(issuesOf(c).map((i) => `${i.field}: ${i.problem} | ${i.fix}`)).toEqual([
      'regions[1].vpcCidrr: is not a known setting: vpcCidr is expected here | rename it to vpcCidr',
      expect.stringMatching(/^regions\[2\]\.vpcCidr: overlaps regions\[0\]\.vpcCidr 10\.10\.0\.0\/16/),
      expect.stringMatching(/^aurora\.engineVersion: Aurora PostgreSQL 15\.3 reached end/),
    ]);
  });

  it('an unknown key that is no near miss still blocks the rules, and says so plainly', () => {
    const c = prodCopy() as unknown as Record<string, unknown> & { aurora: { engineVersion: string } };
    c['colour'] = 'blue';
    c.aurora.engineVersion = '15.3';
    expect(issuesOf(c).map((i) => `${i.field}: ${i.problem}`)).toEqual(['colour: is not a known setting']);
  });

  it('reports every problem at once, in a message a person can act on', () => {
    const c = prodCopy();
    c.aurora.engineVersion = '15.3';
    c.redis.nodeType = 'cache.r7g.medium';
    expect(() => resolveConfig(c)).toThrow(
      /invalid platform config "prod" \(2 problems\):\n {2}- aurora\.engineVersion = "15\.3": .*\n {4}fix: .*\n {2}- redis\.nodeType = "cache\.r7g\.medium"/,
    );
  });
});
