// The bench's growth scenario (issue 14): the same platform with N regions, generated here at bench
// time and never shipped as a config. `node growth.ts <n> <outdir>` synthesizes bootstrap, global and
// every region app of that platform in this one process into <outdir>, then prints one JSON line:
// stacks, resources, peering connections and, when terraform and the mirror are present, the
// combined `terraform validate` time of the AWS-only stacks. bench.ts runs it for 3, 6 and 12.
import { resolveConfig, seedRegionsInput, type PlatformConfig, type PlatformConfigInput } from '@platform/config';
import { buildRegionApp } from '@platform/region-stacks';
import { buildApp, type AppContext } from '@platform/stack-kit';
import { findToolchain, readSynthesizedOutput, validateStacks } from '@platform/terraform-check';
import type { App } from 'cdktf';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The bench drives the apps' own builders (what the entrypoints run), measuring only; nothing ships from here.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildBootstrapApp } from '../../../apps/bootstrap/src/bootstrap-app';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildGlobalApp } from '../../../apps/global/src/global-app';
// The invariants' security-group check, run on the grown platform: where the rules quota is reached.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { securityGroupRuleFindings } from '../../invariants/src/security-group-rules';

/**
 * Regions added after the seed's three, in this order: AWS regions whose edge facts
 * (libs/edge/src/aws-edge-facts.ts) are recorded, each with its three zones.
 */
const EXTRA_REGIONS: readonly { name: string; awsRegion: string; zones: string }[] = [
  { name: 'us-west', awsRegion: 'us-west-2', zones: 'abc' },
  { name: 'eu-central', awsRegion: 'eu-central-1', zones: 'abc' },
  { name: 'ap-ne', awsRegion: 'ap-northeast-1', zones: 'acd' },
  { name: 'us-east-2', awsRegion: 'us-east-2', zones: 'abc' },
  { name: 'eu-west-2', awsRegion: 'eu-west-2', zones: 'abc' },
  { name: 'ap-se-2', awsRegion: 'ap-southeast-2', zones: 'abc' },
  { name: 'ca-central', awsRegion: 'ca-central-1', zones: 'abd' },
  { name: 'eu-north', awsRegion: 'eu-north-1', zones: 'abc' },
  { name: 'sa-east', awsRegion: 'sa-east-1', zones: 'abc' },
];

/**
 * The seed's regions plus `n - 3` more: a /16 each after the seed's (10.40, 10.50, ...), zone names
 * of the region, weight 0, and UTC maintenance windows on weekdays (two per day, 4 h apart) so no
 * two overlap. Time zone UTC for the added ones keeps the window arithmetic obvious.
 */
export function growthConfig(n: number): PlatformConfig {
  const seed = seedRegionsInput();
  if (!Number.isInteger(n) || n < seed.regions.length || n > seed.regions.length + EXTRA_REGIONS.length)
    throw new Error(`growth scenario: ${n} regions; fix: pick ${seed.regions.length} to ${seed.regions.length + EXTRA_REGIONS.length}`);
  const days = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  const added = EXTRA_REGIONS.slice(0, n - seed.regions.length).map((extra, i) => ({
    name: extra.name,
    awsRegion: extra.awsRegion,
    vpcCidr: `10.${40 + i * 10}.0.0/16`,
    availabilityZones: [...extra.zones].map((zone) => `${extra.awsRegion}${zone}`),
    timeZone: 'UTC',
    maintenance: { day: days[Math.floor(i / 2)]!, start: i % 2 === 0 ? '02:00' : '08:00', end: i % 2 === 0 ? '06:00' : '12:00' },
    backupWindow: { start: '14:00', end: '15:00' },
    nodeGroups: [{ name: 'general', instanceTypes: ['m6i.2xlarge', 'm6a.2xlarge'], minSize: 2, desiredSize: 2, maxSize: 6, offPeakMinSize: 2 }],
    traffic: { weightPercent: 0 },
  }));
  const input: PlatformConfigInput = {
    ...seed,
    regions: [...seed.regions, ...added],
    // The Global Datastore takes at most two secondaries; the added regions read from their nearest member.
    redis: { ...seed.redis, secondaryRegions: ['eu-west', 'apac'] },
  };
  return resolveConfig(input);
}

export interface GrowthResult {
  readonly regions: number;
  readonly stacks: number;
  readonly resources: number;
  readonly peeringConnections: number;
  /** Resources of the types that exist per pair of regions (the peering mesh): they grow as n(n-1). */
  readonly meshResources: number;
  readonly synthSeconds: number;
  /** Inbound rules of the largest security group (the data tier's: 4 per region), and what the security-group check finds. */
  readonly largestGroupInboundRules: number;
  readonly securityGroupFindings: readonly string[];
  readonly validateSeconds?: number;
  readonly invalid?: readonly string[];
  /** Why validate did not run (no terraform or mirror): said, never hidden. */
  readonly validateNotRun?: string;
}

/**
 * Types made per pair of regions: the peering connection, its accepter and options, the routes to the
 * peer's range in every route table, and the rules admitting the peer's range (measured: the only
 * types whose count per added region rose from 6 to 12 regions).
 */
const MESH_TYPES = [
  'aws_vpc_peering_connection',
  'aws_vpc_peering_connection_accepter',
  'aws_vpc_peering_connection_options',
  'aws_route',
  'aws_vpc_security_group_ingress_rule',
];

function synthesizeAll(config: PlatformConfig, outdir: string): void {
  const apps: [string, (app: App, context: AppContext) => unknown][] = [
    ['bootstrap', buildBootstrapApp],
    ['global', buildGlobalApp],
    ...config.regions.map((region): [string, (app: App, context: AppContext) => unknown] => [
      region.name,
      (app, context) => buildRegionApp(app, context, region.name),
    ]),
  ];
  for (const [name, build] of apps) {
    const settings = {
      environment: config.environment,
      backend: name === 'bootstrap' ? ('local' as const) : ('s3' as const),
      outdir: join(outdir, name),
    };
    buildApp(settings, config, build).synth();
  }
}

function largestGroupInboundRules(stacks: readonly { json: { resource?: Record<string, Record<string, Record<string, unknown>>> } }[]): number {
  const perGroup = new Map<string, number>();
  // Construct ids repeat in every region's stack: a group is its stack and its reference.
  stacks.forEach((stack, i) => {
    for (const rule of Object.values(stack.json.resource?.['aws_vpc_security_group_ingress_rule'] ?? {})) {
      const group = `${i} ${String(rule['security_group_id'])}`;
      if (!rule['prefix_list_id']) perGroup.set(group, (perGroup.get(group) ?? 0) + 1);
    }
  });
  return Math.max(0, ...perGroup.values());
}

function main(argv: readonly string[]): void {
  const n = Number(argv[0]);
  const outdir = resolve(argv[1] ?? mkdtempSync(join(process.cwd(), 'tmp', 'growth-')));
  mkdirSync(outdir, { recursive: true });
  const config = growthConfig(n);
  const started = process.hrtime.bigint();
  synthesizeAll(config, outdir);
  const synthSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stacks = ['bootstrap', 'global', ...config.regions.map((r) => r.name)].flatMap((app) => readSynthesizedOutput(join(outdir, app), app));
  const count = (type?: string) =>
    stacks.reduce(
      (sum, stack) =>
        sum + Object.entries(stack.json.resource ?? {}).reduce((inner, [t, byId]) => inner + (!type || t === type ? Object.keys(byId).length : 0), 0),
      0,
    );
  const result: GrowthResult = {
    regions: n,
    stacks: stacks.length,
    resources: count(),
    peeringConnections: count('aws_vpc_peering_connection'),
    meshResources: MESH_TYPES.reduce((sum, type) => sum + count(type), 0),
    synthSeconds,
    largestGroupInboundRules: largestGroupInboundRules(stacks),
    securityGroupFindings: securityGroupRuleFindings(stacks, config.project, config.environment),
  };
  const found = findToolchain(process.env, '5.100.0');
  if (!found.ok) {
    console.log(JSON.stringify({ ...result, validateNotRun: found.reason }));
    return;
  }
  const validateStarted = process.hrtime.bigint();
  const checks = validateStacks(join(outdir, '.validate'), found.toolchain, stacks);
  console.log(
    JSON.stringify({
      ...result,
      validateSeconds: Number(process.hrtime.bigint() - validateStarted) / 1e9,
      invalid: checks.filter((c) => c.status === 'invalid').map((c) => c.stack),
    }),
  );
}

if (require.main === module) main(process.argv.slice(2));
