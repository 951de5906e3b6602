// Every cross-field rule, one case each: the config change and the exact issues it must produce
// (field, value as shown, problem, fix), or none at the boundary a rule must still accept.
// The seed's three regions are the base (regions[0] us-east, the primary and home region;
// regions[1] eu-west; regions[2] apac).
import { ConfigError, type ConfigIssue } from './config-error';
import { resolveConfig } from './resolve-config';
import { seedRegionsInput } from './seed-regions';

/** The config as plain JSON a case may change anywhere (the schema, not the type, judges it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = any;

function issuesAfter(change: (config: Editable) => void): readonly ConfigIssue[] {
  const config: Editable = seedRegionsInput();
  change(config);
  try {
    resolveConfig(config);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues;
  }
}

const CASES: ReadonlyArray<[string, (c: Editable) => unknown, readonly ConfigIssue[]]> = [
  [
    'a state region AWS does not have',
    (c) => (c.state.region = 'us-east-9'),
    [
      {
        field: 'state.region',
        value: '"us-east-9"',
        problem: 'not a known AWS region',
        fix: 'use the region that holds the state bucket, e.g. us-east-1',
      },
    ],
  ],
  [
    'a zone of another region',
    (c) => (c.regions[0].availabilityZones[1] = 'eu-west-1b'),
    [
      {
        field: 'regions[0].availabilityZones[1]',
        value: '"eu-west-1b"',
        problem: 'not an availability zone of us-east-1',
        fix: 'use names such as us-east-1a, us-east-1b, us-east-1c',
      },
    ],
  ],
  [
    'a zone listed twice',
    (c) => (c.regions[0].availabilityZones = ['us-east-1a', 'us-east-1a', 'us-east-1c']),
    [
      {
        field: 'regions[0].availabilityZones',
        value: '["us-east-1a","us-east-1a","us-east-1c"]',
        problem: 'lists an availability zone twice',
        fix: 'list three different zones',
      },
    ],
  ],
  [
    'a VPC larger than AWS allows (/12)',
    (c) => (c.regions[0].vpcCidr = '10.0.0.0/12'),
    [
      {
        field: 'regions[0].vpcCidr',
        value: '"10.0.0.0/12"',
        problem: 'a /12 is larger than a VPC can be (AWS takes /16 to /28)',
        fix: 'use a /16 to /20 network',
      },
    ],
  ],
  [
    'a VPC too small for three tiers in three zones (/21)',
    (c) => (c.regions[0].vpcCidr = '10.0.0.0/21'),
    [
      {
        field: 'regions[0].vpcCidr',
        value: '"10.0.0.0/21"',
        problem:
          'a /21 leaves too little room for three subnet tiers in three zones (its public and data subnets would be /26s; libs/network/src/subnet-plan.ts)',
        fix: 'use a /16 to /20 network',
      },
    ],
  ],
  [
    'a VPC one bit larger than AWS allows (/15)',
    (c) => (c.regions[0].vpcCidr = '10.0.0.0/15'),
    [
      {
        field: 'regions[0].vpcCidr',
        value: '"10.0.0.0/15"',
        problem: 'a /15 is larger than a VPC can be (AWS takes /16 to /28)',
        fix: 'use a /16 to /20 network',
      },
    ],
  ],
  ['the smallest VPC the subnet plan takes (/20)', (c) => (c.regions[0].vpcCidr = '10.0.0.0/20'), []],
  [
    'two node groups with one name',
    (c) => (c.regions[0].nodeGroups[1].name = 'general'),
    [
      {
        field: 'regions[0].nodeGroups[1].name',
        value: '"general"',
        problem: 'another node group in this region has the same name',
        fix: 'give each node group a unique name',
      },
    ],
  ],
  [
    'a desired size above the maximum',
    (c) => (c.regions[0].nodeGroups[0].desiredSize = c.regions[0].nodeGroups[0].maxSize + 1),
    [
      {
        field: 'regions[0].nodeGroups[0].desiredSize',
        value: '10',
        problem: 'is outside minSize..maxSize (3..9)',
        fix: 'make minSize <= desiredSize <= maxSize',
      },
    ],
  ],
  [
    'a desired size below the minimum',
    (c) => (c.regions[0].nodeGroups[0].desiredSize = c.regions[0].nodeGroups[0].minSize - 1),
    [
      {
        field: 'regions[0].nodeGroups[0].desiredSize',
        value: '2',
        problem: 'is outside minSize..maxSize (3..9)',
        fix: 'make minSize <= desiredSize <= maxSize',
      },
    ],
  ],
  [
    'desired sizes at the maximum and at the minimum',
    (c) => {
      const g = c.regions[0].nodeGroups[0];
      g.desiredSize = g.maxSize;
      c.regions[1].nodeGroups[0].desiredSize = c.regions[1].nodeGroups[0].minSize;
    },
    [],
  ],
  [
    'a fixed-size node group (minimum = maximum)',
    (c) => {
      const g = c.regions[0].nodeGroups[0];
      g.minSize = g.maxSize;
      g.desiredSize = g.maxSize;
    },
    [],
  ],
  [
    'a node group with room for no node',
    (c) => {
      const g = c.regions[0].nodeGroups[0];
      g.minSize = 0;
      g.desiredSize = 0;
      g.maxSize = 0;
      delete g.offPeakMinSize;
    },
    [
      {
        field: 'regions[0].nodeGroups[0].maxSize',
        value: '0',
        problem: 'a node group needs room for at least one node',
        fix: 'set maxSize to 1 or more',
      },
    ],
  ],
  [
    'a node group with room for one node',
    (c) => {
      const g = c.regions[0].nodeGroups[0];
      g.minSize = 0;
      g.desiredSize = 0;
      g.maxSize = 1;
      delete g.offPeakMinSize;
    },
    [],
  ],
  [
    'a 20-minute backup window',
    (c) => (c.regions[0].backupWindow = { start: '08:00', end: '08:20' }),
    [
      {
        field: 'regions[0].backupWindow',
        value: '{"start":"08:00","end":"08:20"}',
        problem: 'lasts 20 minutes; Aurora requires at least 30',
        fix: 'widen the backup window',
      },
    ],
  ],
  ['a 30-minute backup window', (c) => (c.regions[0].backupWindow = { start: '08:00', end: '08:30' }), []],
  [
    'a switchover to a region with no cache member',
    (c) => {
      c.regions[0].primary = false;
      c.regions[1].primary = true;
      c.redis = { ...c.redis, secondaryRegions: ['apac'] };
    },
    [
      {
        field: 'redis.secondaryRegions',
        value: '["apac"]',
        problem: 'leaves out the primary region eu-west: writes go to the primary region, which would have no cache member to promote',
        fix: 'add eu-west, or move primary back to a region with a member',
      },
    ],
  ],
  [
    'a ClickHouse replica of a region that does not exist',
    (c) => (c.clickhouse = { ...c.clickhouse, backupReplicaRegions: { mars: 'eu-west' } }),
    [
      {
        field: 'clickhouse.backupReplicaRegions.mars',
        value: '"eu-west"',
        problem: 'replicates from mars, which is no region of this config',
        fix: 'use region names: us-east, eu-west, apac',
      },
    ],
  ],
  [
    'a public API CIDR that is no CIDR',
    (c) => (c.kubernetes = { ...c.kubernetes, publicAccessCidrs: ['10.0.0.300/32'] }),
    [
      {
        field: 'kubernetes.publicAccessCidrs[0]',
        value: '"10.0.0.300/32"',
        problem: 'an octet is above 255',
        fix: 'use an IPv4 CIDR such as 203.0.113.0/24',
      },
    ],
  ],
  [
    'an off-peak window of no length',
    (c) => (c.kubernetes = { ...c.kubernetes, offPeak: { ...c.kubernetes.offPeak, scaleUpAt: c.kubernetes.offPeak.scaleDownAt } }),
    [
      {
        field: 'kubernetes.offPeak',
        value: '{"scaleDownAt":"22:00","scaleUpAt":"22:00"}',
        problem: 'scales down and up at the same minute',
        fix: 'give the off-peak window a length, e.g. 22:00 to 06:00',
      },
    ],
  ],
  [
    'a failover origin that is no region',
    (c) => (c.edge = { ...c.edge, failoverOrigins: ['us-east', 'mars'] }),
    [{ field: 'edge.failoverOrigins[1]', value: '"mars"', problem: 'names no region of this config', fix: 'use two of us-east, eu-west, apac' }],
  ],
  [
    'a failover to the same region',
    (c) => (c.edge = { ...c.edge, failoverOrigins: ['us-east', 'us-east'] }),
    [
      {
        field: 'edge.failoverOrigins',
        value: '["us-east","us-east"]',
        problem: 'fails over to the same region: one regional outage takes both origins',
        fix: 'name two different regions',
      },
    ],
  ],
  [
    'two regions',
    (c) => {
      c.regions = c.regions.slice(0, 2);
    },
    [],
  ],
  [
    'a GPU node group on a CPU instance type',
    (c) => (c.regions[0].nodeGroups[1].instanceTypes = ['m6i.2xlarge']),
    [
      {
        field: 'regions[0].nodeGroups[1].instanceTypes[0]',
        value: '"m6i.2xlarge"',
        problem: 'a GPU node group needs an NVIDIA GPU instance type (it runs the AL2023_x86_64_NVIDIA AMI)',
        fix: 'use a type from the g4dn/g5/g6/g6e/gr6/p3/p3dn/p4d/p4de/p5/p5e/p5en families, e.g. g5.2xlarge, or set gpu: false',
      },
    ],
  ],
  [
    'a retired Aurora version',
    (c) => (c.aurora = { ...c.aurora, engineVersion: '15.3' }),
    [
      {
        field: 'aurora.engineVersion',
        value: '"15.3"',
        problem: 'Aurora PostgreSQL 15.3 reached end of its minor-version support and can no longer be created',
        fix: 'use a current release such as 17.5 (creatable: 16.6, 16.8, 16.9, 17.4, 17.5, 17.6, 17.7)',
      },
    ],
  ],
  [
    'an Aurora version nobody checked',
    (c) => (c.aurora = { ...c.aurora, engineVersion: '17.99' }),
    [
      {
        field: 'aurora.engineVersion',
        value: '"17.99"',
        problem: 'not a version this project knows can be created with Aurora Global Database',
        fix: 'use one of 16.6, 16.8, 16.9, 17.4, 17.5, 17.6, 17.7, or add a newly released one to libs/config/src/aurora-versions.ts',
      },
    ],
  ],
  [
    '6 days of Aurora backups',
    (c) => (c.aurora = { ...c.aurora, backupRetentionDays: 6 }),
    [{ field: 'aurora.backupRetentionDays', value: '6', problem: 'keeps under 7 days of backups', fix: 'keep at least 7' }],
  ],
  [
    '6 days of Redis snapshots',
    (c) => (c.redis = { ...c.redis, snapshotRetentionDays: 6 }),
    [{ field: 'redis.snapshotRetentionDays', value: '6', problem: 'keeps under 7 days of snapshots', fix: 'keep at least 7' }],
  ],
  [
    'the home region among the Redis secondaries',
    (c) => (c.redis = { ...c.redis, secondaryRegions: ['us-east', 'eu-west'] }),
    [
      {
        field: 'redis.secondaryRegions[0]',
        value: '"us-east"',
        problem: "is the home region (data.homeRegion), which holds the Global Datastore's first primary",
        fix: 'list only the other regions',
      },
    ],
  ],
  [
    '6 days of ClickHouse backups',
    (c) => (c.clickhouse = { ...c.clickhouse, backupRetentionDays: 6 }),
    [{ field: 'clickhouse.backupRetentionDays', value: '6', problem: 'keeps under 7 days of backups', fix: 'keep at least 7' }],
  ],
  ['7 days of ClickHouse backups', (c) => (c.clickhouse = { ...c.clickhouse, backupRetentionDays: 7 }), []],
  [
    'a ClickHouse replica into a region that does not exist',
    (c) => (c.clickhouse = { ...c.clickhouse, backupReplicaRegions: { 'us-east': 'mars' } }),
    [
      {
        field: 'clickhouse.backupReplicaRegions.us-east',
        value: '"mars"',
        problem: 'names no region of this config, so the bucket would replicate into a region with no data key or bucket',
        fix: 'use one of eu-west, apac',
      },
    ],
  ],
  [
    'a ClickHouse replica into its own region',
    (c) => (c.clickhouse = { ...c.clickhouse, backupReplicaRegions: { 'us-east': 'us-east' } }),
    [
      {
        field: 'clickhouse.backupReplicaRegions.us-east',
        value: '"us-east"',
        problem: 'replicates a bucket into its own region: one regional outage takes both copies',
        fix: 'use another region: eu-west, apac',
      },
    ],
  ],
  [
    'ClickHouse replicas across two regions',
    (c) => (c.clickhouse = { ...c.clickhouse, backupReplicaRegions: { 'us-east': 'eu-west', 'eu-west': 'us-east' } }),
    [],
  ],
  [
    'a home region that is not the first region, with the others as secondaries',
    (c) => {
      c.data = { homeRegion: 'eu-west' };
      c.redis = { ...c.redis, secondaryRegions: ['us-east', 'apac'] };
    },
    [],
  ],
  [
    'partial weights while the home region is partial',
    (c) => {
      c.regions[0].traffic = { weightPercent: 50 };
      c.regions[1].traffic = { weightPercent: 30 };
    },
    [
      {
        field: 'regions[0].traffic.weightPercent',
        value: '50',
        problem: 'a partial weight sends the other 50 % to the home region us-east, which is not fully live (weightPercent 50)',
        fix: 'set regions[0].traffic.weightPercent to 100 first, or give us-east 0 or 100',
      },
      {
        field: 'regions[1].traffic.weightPercent',
        value: '30',
        problem: 'a partial weight sends the other 70 % to the home region us-east, which is not fully live (weightPercent 50)',
        fix: 'set regions[0].traffic.weightPercent to 100 first, or give eu-west 0 or 100',
      },
    ],
  ],
  [
    'write methods on a cached path',
    (c) => (c.edge = { cachedPaths: [{ pattern: '/api/*', cache: 'api-read', allowedMethods: ['GET', 'HEAD', 'PUT', 'DELETE'] }] }),
    [
      {
        field: 'edge.cachedPaths[0].allowedMethods',
        value: '["GET","HEAD","PUT","DELETE"]',
        problem:
          'allows PUT, DELETE on a path served by an origin group; CloudFront refuses write methods on an origin group (failover works for GET, HEAD and OPTIONS only)',
        fix: 'remove PUT, DELETE (writes go to the latency-routed default behavior), or remove the path from edge.cachedPaths',
      },
    ],
  ],
  [
    'a cached path without GET and HEAD',
    (c) => (c.edge = { cachedPaths: [{ pattern: '/img/*', cache: 'static', allowedMethods: ['OPTIONS'] }] }),
    [
      {
        field: 'edge.cachedPaths[0].allowedMethods',
        value: '["OPTIONS"]',
        problem: "leaves out GET; CloudFront's allowed-method sets always include GET and HEAD",
        fix: 'use ["GET", "HEAD"] or ["GET", "HEAD", "OPTIONS"]',
      },
      {
        field: 'edge.cachedPaths[0].allowedMethods',
        value: '["OPTIONS"]',
        problem: "leaves out HEAD; CloudFront's allowed-method sets always include GET and HEAD",
        fix: 'use ["GET", "HEAD"] or ["GET", "HEAD", "OPTIONS"]',
      },
    ],
  ],
  [
    'a cached path listed twice',
    (c) =>
      (c.edge = {
        cachedPaths: [
          { pattern: '/a/*', cache: 'static' },
          { pattern: '/b/*', cache: 'static' },
          { pattern: '/a/*', cache: 'static' },
        ],
      }),
    [{ field: 'edge.cachedPaths[2].pattern', value: '"/a/*"', problem: 'duplicates edge.cachedPaths[0].pattern', fix: 'list each pattern once' }],
  ],
  [
    'a Kubernetes version out of standard support',
    (c) => (c.kubernetes = { ...c.kubernetes, version: '1.20' }),
    [
      {
        field: 'kubernetes.version',
        value: '"1.20"',
        problem: 'is not an EKS version in standard support',
        fix: 'use 1.35 (supported: 1.35, standard support ends 2027-03-27; 1.36, standard support until mid-2027)',
      },
    ],
  ],
  [
    'a public API open to the internet',
    (c) => (c.kubernetes = { ...c.kubernetes, publicAccessCidrs: ['0.0.0.0/0'] }),
    [
      {
        field: 'kubernetes.publicAccessCidrs[0]',
        value: '"0.0.0.0/0"',
        problem: 'opens the cluster API to the whole internet',
        fix: 'list the office or VPN ranges, or leave the list empty (private endpoint only)',
      },
    ],
  ],
  ['a public API open to one documentation range', (c) => (c.kubernetes = { ...c.kubernetes, publicAccessCidrs: ['203.0.113.0/24'] }), []],
  ['a 30-minute maintenance window', (c) => (c.regions[0].maintenance = { day: 'sun', start: '02:00', end: '02:30' }), []],
  [
    'a 29-minute maintenance window',
    (c) => (c.regions[0].maintenance = { day: 'sun', start: '02:00', end: '02:29' }),
    [
      {
        field: 'regions[0].maintenance',
        value: '{"day":"sun","start":"02:00","end":"02:29"}',
        problem: 'lasts 29 minutes; AWS requires at least 30',
        fix: 'widen the window (the seed uses 02:00-06:00)',
      },
    ],
  ],
];

describe('config rules, case by case', () => {
  it.each(CASES)('%s', (_title, change, expected) => {
    expect(issuesAfter(change)).toEqual(expected);
  });
});
