import { resolveConfig, seedRegionsInput, type PlatformConfig, type PlatformConfigInput } from '@platform/config';
import { buildRegionApp } from '@platform/region-stacks';
import { synthesizeStack, testContext, type PlatformStack } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { buildGlobalApp } from './global-app';

/**
 * After a planned switchover (or an unplanned failover) the operator moves `primary: true` in config
 * to the new writer region. That must plan no replacement, indeed no change, of any AWS resource:
 * the data stores, keys, trail and providers are placed by data.homeRegion, which never moves, and
 * the global ids are ignored where AWS rewrites them. Only the platform stacks (where the app's
 * writes go) may change. The switchover procedure (docs/data-layer.md) relies on this.
 */
function configWith(edit: (input: PlatformConfigInput & { regions: { primary?: boolean }[]; data: { homeRegion: string } }) => void): PlatformConfig {
  const input = seedRegionsInput() as PlatformConfigInput & { regions: { primary?: boolean }[]; data: { homeRegion: string } };
  edit(input);
  return resolveConfig(input);
}

/** Every stack of every app that uses config regions, synthesized, by stack name. */
function synthesizeAll(config: PlatformConfig): Map<string, { json: unknown; awsOnly: boolean }> {
  const context = testContext({}, config);
  const app = Testing.app();
  const global = buildGlobalApp(app, context);
  const stacks: PlatformStack[] = [global.foundation, global.access, global.peering, global.dataReplication];
  for (const region of config.regions) {
    const built = buildRegionApp(app, context, region.name);
    stacks.push(built.infra, built.data, built.platform);
  }
  return new Map(
    stacks.map((stack) => {
      const json = synthesizeStack(stack) as { terraform?: { required_providers?: Record<string, unknown> } };
      return [stack.stackName, { json, awsOnly: Object.keys(json.terraform?.required_providers ?? {}).join() === 'aws' }];
    }),
  );
}

/** `stack: type.id` of every resource whose body differs between two syntheses (or exists in one only). */
function changedResources(
  before: Map<string, { json: unknown }>,
  after: Map<string, { json: unknown }>,
  stackFilter: (name: string) => boolean,
): string[] {
  const changed: string[] = [];
  for (const [name, { json }] of before) {
    if (!stackFilter(name)) continue;
    const a = (json as { resource?: Record<string, Record<string, unknown>> }).resource ?? {};
    const b = ((after.get(name)?.json ?? {}) as { resource?: Record<string, Record<string, unknown>> }).resource ?? {};
    for (const type of new Set([...Object.keys(a), ...Object.keys(b)])) {
      for (const id of new Set([...Object.keys(a[type] ?? {}), ...Object.keys(b[type] ?? {})])) {
        if (
          JSON.stringify((a[type] as Record<string, unknown> | undefined)?.[id]) !==
          JSON.stringify((b[type] as Record<string, unknown> | undefined)?.[id])
        )
          changed.push(`${name}: ${type}.${id}`);
      }
    }
  }
  return changed.sort();
}

describe('a switchover in config (primary: true moved from us-east to eu-west)', () => {
  const prod = configWith(() => undefined);
  const switched = configWith((c) => {
    c.regions.forEach((r, i) => (r.primary = i === 1));
  });
  const before = synthesizeAll(prod);
  const after = synthesizeAll(switched);

  it('is a valid config with the same stacks', () => {
    expect([switched.primaryRegion.name, switched.homeRegion.name]).toEqual(['eu-west', 'us-east']);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  });

  it('changes no resource of any AWS stack: no cluster, replication group, bucket, key or trail is replaced', () => {
    const awsStacks = [...before].filter(([, s]) => s.awsOnly).map(([name]) => name);
    expect(awsStacks).toEqual(
      expect.arrayContaining(['global-foundation', 'us-east-data', 'eu-west-data', 'apac-data', 'global-data', 'us-east-infra']),
    );
    expect(changedResources(before, after, (name) => awsStacks.includes(name))).toEqual([]);
  });

  it('the comparison does see a change of the home region (so the previous test can fail)', () => {
    const rehomed = synthesizeAll(
      configWith((c) => {
        c.data.homeRegion = 'eu-west';
      }),
    );
    const changed = changedResources(before, rehomed, (name) => rehomed.get(name)?.awsOnly ?? false);
    expect(changed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^us-east-data: aws_rds_cluster\.aurora_cluster_/),
        expect.stringMatching(/^eu-west-data: aws_elasticache_replication_group\.redis_replication-group_/),
        expect.stringMatching(/^global-foundation: aws_kms_key\.keys_data_primary_/),
      ]),
    );
  });
});
