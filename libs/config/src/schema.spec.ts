import { platformConfigSchema, type PlatformConfigInput } from './schema';
import { seedRegionsInput } from './seed-regions';

/**
 * The schema on its own: what each field defaults to when left out, and what each bound or format
 * refuses, with the message a person then reads (resolve-config.spec.ts checks how the messages
 * reach them: field, value and fix). Values at each bound are accepted, one past it refused.
 */

type Path = readonly (string | number)[];

/**
 * The seed config with `value` at `path`. Sections a config may leave out (monitoring, recovery,
 * edge, clickhouse) start empty, so their defaults fill in everything but the field under test.
 */
function withValue(path: Path, value: unknown): unknown {
  const input = structuredClone(seedRegionsInput()) as unknown as Record<string | number, unknown>;
  for (const section of ['monitoring', 'recovery', 'edge', 'clickhouse']) input[section] ??= {};
  if (path[0] === 'edge' && path[1] === 'cachedPaths' && path.length > 2)
    (input['edge'] as Record<string, unknown>)['cachedPaths'] = [{ pattern: '/x/*', cache: 'static' }];
  let node = input;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return input;
}

/** The problem zod reports at `path`, or undefined when the value passes. */
function problemAt(path: Path, value: unknown): string | undefined {
  const result = platformConfigSchema.safeParse(withValue(path, value));
  if (result.success) return undefined;
  const issue = result.error.issues.find((i) => i.path.join('.') === path.join('.') || i.path.join('.').startsWith(`${path.join('.')}.`));
  if (!issue) throw new Error(`no issue at ${path.join('.')}: ${JSON.stringify(result.error.issues)}`);
  return issue.message;
}

describe('defaults', () => {
  const minimal = (): PlatformConfigInput => {
    const input = structuredClone(seedRegionsInput()) as PlatformConfigInput & Record<string, unknown>;
    for (const section of ['monitoring', 'recovery', 'edge', 'clickhouse']) delete input[section];
    const { engine: _e, engineVersion: _v, snapshotRetentionDays: _s, ...redis } = input.redis;
    const { databaseName: _d, autoMinorVersionUpgrade: _a, ...aurora } = input.aurora;
    const { publicAccessCidrs: _p, ...kubernetes } = input.kubernetes;
    const { serviceLinkedRolesInAccount: _l, ...access } = input.access;
    const regions = input.regions.map(({ primary, traffic: _t, ...region }) => ({
      ...region,
      ...(primary ? { primary } : {}),
      nodeGroups: region.nodeGroups.map(({ gpu, capacityType: _c, diskSizeGiB: _g, ...group }) => ({ ...group, ...(gpu ? { gpu } : {}) })),
    }));
    return { ...input, redis, aurora, kubernetes, access, regions };
  };
  const parsed = platformConfigSchema.parse(minimal());

  it('of the sections a config may leave out', () => {
    expect(parsed.monitoring).toStrictEqual({
      replicationLagSeconds: 1,
      s3ReplicationLatencySeconds: 900,
      regionalLatencyP95Ms: 50,
      error5xxRatePercent: 1,
      cacheHitRatePercent: 50,
      redisHitRatePercent: 80,
      availabilitySloPercent: 99.99,
      globalLatencyP95Ms: 150,
      canaryIntervalMinutes: 1,
      prometheusRetentionDays: 15,
      prometheusStorageGiB: 100,
      grafanaStorageGiB: 10,
    });
    expect(parsed.recovery).toStrictEqual({
      healthCheckIntervalSeconds: 10,
      healthCheckFailureThreshold: 3,
      dnsTtlSeconds: 60,
      failoverTargetSeconds: 120,
      databasePromotionSeconds: 60,
      operatorResponseSeconds: 300,
    });
    expect(parsed.edge).toStrictEqual({
      healthCheckPath: '/healthz',
      rateLimitPerFiveMinutes: 2000,
      cachedPaths: [
        { pattern: '/static/*', cache: 'static', allowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
        { pattern: '/api/v1/market-data/*', cache: 'api-read', allowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
      ],
      priceClass: 'PriceClass_All',
      accessLogRetentionDays: 90,
    });
    expect(parsed.clickhouse).toStrictEqual({
      backupRetentionDays: 30,
      shards: 1,
      replicasPerShard: 2,
      storageGiB: 200,
      serverResources: { cpu: 4, memoryGiB: 16 },
    });
  });

  it('of each field inside a section that is present', () => {
    const input = minimal() as PlatformConfigInput & Record<string, unknown>;
    const sections = platformConfigSchema.parse({ ...input, monitoring: {}, recovery: {}, edge: {}, clickhouse: {} });
    expect(sections.monitoring).toStrictEqual(parsed.monitoring);
    expect(sections.recovery).toStrictEqual(parsed.recovery);
    expect(sections.edge).toStrictEqual(parsed.edge);
    expect(sections.clickhouse).toStrictEqual(parsed.clickhouse);
    const paths = platformConfigSchema.parse({ ...input, edge: { cachedPaths: [{ pattern: '/x/*', cache: 'static' }] } });
    expect(paths.edge.cachedPaths).toStrictEqual([{ pattern: '/x/*', cache: 'static', allowedMethods: ['GET', 'HEAD', 'OPTIONS'] }]);
  });

  it('of the data stores, Kubernetes and access', () => {
    expect(parsed.redis).toMatchObject({ engine: 'valkey', engineVersion: '8.1', snapshotRetentionDays: 7 });
    expect(parsed.aurora).toMatchObject({ databaseName: 'market', autoMinorVersionUpgrade: true });
    expect(parsed.kubernetes.publicAccessCidrs).toStrictEqual([]);
    expect(parsed.access.serviceLinkedRolesInAccount).toStrictEqual([]);
  });

  it('of regions and node groups: not primary, fully live, on-demand, 100 GiB, not GPU', () => {
    const [home, eu] = parsed.regions;
    expect([home!.primary, eu!.primary]).toEqual([true, false]);
    expect(eu!.traffic).toStrictEqual({ weightPercent: 100, geoproximityBias: 0 });
    expect(platformConfigSchema.parse(withValue(['regions', 1, 'traffic'], {})).regions[1]!.traffic).toStrictEqual({
      weightPercent: 100,
      geoproximityBias: 0,
    });
    expect(home!.nodeGroups.map((g) => [g.name, g.gpu, g.capacityType, g.diskSizeGiB])).toEqual([
      ['general', false, 'ON_DEMAND', 100],
      ['gpu', true, 'ON_DEMAND', 100],
    ]);
  });
});

describe('bounds and formats', () => {
  const group = ['regions', 0, 'nodeGroups', 0] as const;
  const region = ['regions', 0] as const;
  // [path, accepted values, refused value, message]
  const cases: [Path, unknown[], unknown, string][] = [
    [['environment'], ['qa', 'a-very-long-env1'], 'Prod', 'expected a short lowercase name such as prod'],
    [['environment'], [], 'a-very-long-env12', 'expected a short lowercase name such as prod'],
    [['project'], ['ab', '254carbon'], 'a', 'expected lowercase letters, digits and dashes'],
    [['accountId'], ['000000000000'], '12345678901', 'expected a 12-digit AWS account id'],
    [['accountId'], [], '1234567890123', 'expected a 12-digit AWS account id'],
    [['domain'], ['a.io', 'app.example.com'], 'App.example.com', 'expected a lowercase DNS name such as app.example.com'],
    [['domain'], [], 'localhost', 'expected a lowercase DNS name such as app.example.com'],
    [['owner'], ['t'], '', 'expected a team name'],
    [[...group, 'name'], ['g', 'a'.repeat(31)], 'a'.repeat(32), 'expected lowercase letters, digits and dashes, starting with a letter'],
    [[...group, 'name'], [], '1gpu', 'expected lowercase letters, digits and dashes, starting with a letter'],
    [[...group, 'instanceTypes'], [['c7g.large']], [], 'expected at least one instance type'],
    [[...group, 'instanceTypes', 0], ['m7i-flex.large'], 'm6i', 'expected an EC2 instance type such as m6i.2xlarge'],
    [[...group, 'minSize'], [0], -1, 'expected zero or more'],
    [[...group, 'minSize'], [], 1.5, 'expected a whole number'],
    [[...group, 'diskSizeGiB'], [20, 16384], 19, 'Too small: expected number to be >=20'],
    [[...group, 'diskSizeGiB'], [], 16385, 'Too big: expected number to be <=16384'],
    [[...region, 'name'], ['us', 'a'.repeat(21)], 'a'.repeat(22), 'expected a short lowercase name such as us-east'],
    [[...region, 'availabilityZones'], [], ['a', 'b'], 'expected exactly three availability zones'],
    [[...region, 'nodeGroups'], [], [], 'expected at least one node group'],
    [[...region, 'maintenance', 'start'], ['00:00', '23:59', '19:30'], '24:00', 'expected a 24-hour clock time "HH:MM"'],
    [[...region, 'maintenance', 'start'], [], '9:30', 'expected a 24-hour clock time "HH:MM"'],
    [[...region, 'maintenance', 'start'], [], '12:60', 'expected a 24-hour clock time "HH:MM"'],
    [[...region, 'traffic'], [{ weightPercent: 0 }, { weightPercent: 100 }], { weightPercent: 101 }, 'expected 0 to 100'],
    [[...region, 'traffic', 'weightPercent'], [], -1, 'expected 0 to 100'],
    [[...region, 'traffic', 'weightPercent'], [], 50.5, 'expected a whole percentage'],
    [[...region, 'traffic', 'geoproximityBias'], [-99, 99], 100, 'Route 53 takes a bias from -99 to 99'],
    [[...region, 'traffic', 'geoproximityBias'], [], -100, 'Route 53 takes a bias from -99 to 99'],
    [['regions'], [], [], 'expected at least one region'],
    [['network', 'flowLogRetentionDays'], [1, 3653], 3654, 'Too big: expected number to be <=3653'],
    [['audit', 'trailRetentionDays'], [90, 3653], 89, 'Too small: expected number to be >=90'],
    [['access', 'githubRepository'], ['o/r', 'my.org/infra_repo-2'], 'repo', 'expected owner/name of a GitHub repository'],
    [['access', 'serviceLinkedRolesInAccount'], [['spot.amazonaws.com']], ['spot'], 'expected a service principal such as autoscaling.amazonaws.com'],
    [['kubernetes', 'nodeAmiAlias'], ['al2023@v20261101'], 'al2023@latest', 'expected a dated AL2023 release such as al2023@v20260903 (not @latest)'],
    [
      ['workloads', 'marketIntelligence', 'image'],
      ['ghcr.io/o/app:1.2.3', `r/app@sha256:${'a'.repeat(64)}`],
      'ghcr.io/o/app',
      'expected an image reference with a tag or digest',
    ],
    [['aurora', 'databaseName'], ['m', 'market_2'], 'Market', 'expected a PostgreSQL identifier: lowercase letters, digits, underscores'],
    [['aurora', 'instanceClass'], ['db.t4g.medium'], 'r7g.xlarge', 'expected an RDS instance class such as db.r7g.xlarge'],
    [['aurora', 'backupRetentionDays'], [1, 35], 36, 'Too big: expected number to be <=35'],
    [['redis', 'replicasPerShard'], [0, 5], 6, 'Too big: expected number to be <=5'],
    [
      ['monitoring'],
      [{ availabilitySloPercent: 99.999 }],
      { availabilitySloPercent: 100 },
      'expected an objective below 100 % (100 % leaves no error budget)',
    ],
    [['monitoring', 'availabilitySloPercent'], [], 90, 'expected an objective above 90 %'],
    [['monitoring', 'replicationLagSeconds'], [0.5], 0, 'expected a positive number of seconds'],
    [['monitoring', 'regionalLatencyP95Ms'], [1], 0, 'expected a positive number of milliseconds'],
    [
      ['monitoring', 'canaryIntervalMinutes'],
      [1, 5],
      6,
      "the latency alarm's 15-minute p95 needs at least three runs per period: use 1 to 5 minutes",
    ],
    [['monitoring', 'canaryIntervalMinutes'], [], 0, 'Synthetics runs a canary at most once a minute (rate(1 minute))'],
    [['monitoring', 'canaryIntervalMinutes'], [], 1.5, 'expected whole minutes: Synthetics schedules take rate(<n> minutes)'],
    [['recovery', 'healthCheckIntervalSeconds'], [10, 30], 20, 'Route 53 health checks take an interval of 10 or 30 seconds'],
    [['recovery', 'failoverTargetSeconds'], [1], 0, 'expected a positive number of seconds'],
    [['edge', 'healthCheckPath'], ['/', '/health/live'], 'healthz', 'expected an absolute path such as /healthz'],
    [['edge', 'rateLimitPerFiveMinutes'], [10], 9, 'WAF takes a rate limit of at least 10'],
    [
      ['edge', 'cachedPaths', 0, 'pattern'],
      ['/*', '/api/v1/*.json'],
      'static/*',
      'expected a CloudFront path pattern starting with /, such as /static/*',
    ],
    [
      ['edge', 'failoverOrigins'],
      [['us-east', 'eu-west']],
      ['us-east'],
      'expected two region names: the preferred origin and the one it fails over to',
    ],
    [['clickhouse', 'replicasPerShard'], [1, 3], 4, 'Too big: expected number to be <=3'],
  ];

  it.each(cases)('%j: accepts %j, refuses %j with "%s"', (path, accepted, refused, message) => {
    for (const value of accepted) expect({ value, problem: problemAt(path, value) }).toEqual({ value, problem: undefined });
    expect(problemAt(path, refused)).toBe(message);
  });
});
