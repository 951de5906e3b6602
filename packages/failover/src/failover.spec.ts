import {
  DescribeGlobalReplicationGroupsCommand,
  ElastiCacheClient,
  FailoverGlobalReplicationGroupCommand,
  type DescribeGlobalReplicationGroupsCommandOutput,
} from '@aws-sdk/client-elasticache';
import {
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
  type DescribeGlobalClustersCommandOutput,
  type GlobalClusterMember,
} from '@aws-sdk/client-rds';
import { ListHealthChecksCommand, Route53Client, UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import type { Deps } from './commands';
import { run } from './cli';
import { setTraffic } from './commands';
import { topologyOf } from './topology';
import { resolveConfig, seedRegionsConfig, seedRegionsInput } from '@platform/config';

const rds = mockClient(RDSClient);
const elasticache = mockClient(ElastiCacheClient);
const route53 = mockClient(Route53Client);
const ARN = (awsRegion: string, region: string) => `arn:aws:rds:${awsRegion}:111111111111:cluster:aurora-254carbon-prod-${region}`;

/** The Aurora global cluster with `writer` writing and eu-west in the given sync state. */
function global(writer: string, euSync = 'connected', status = 'available'): Omit<DescribeGlobalClustersCommandOutput, '$metadata'> {
  const sync = (value: string) => value as NonNullable<GlobalClusterMember['SynchronizationStatus']>;
  return {
    GlobalClusters: [
      {
        GlobalClusterIdentifier: 'aurora-254carbon-prod',
        Status: status,
        GlobalClusterMembers: [
          { DBClusterArn: ARN('us-east-1', 'us-east'), IsWriter: writer === 'us-east' },
          { DBClusterArn: ARN('eu-west-1', 'eu-west'), IsWriter: writer === 'eu-west', SynchronizationStatus: sync(euSync) },
          { DBClusterArn: ARN('ap-southeast-1', 'apac'), IsWriter: writer === 'apac', SynchronizationStatus: sync('connected') },
        ],
      },
    ],
  };
}
function datastore(primary: string): Omit<DescribeGlobalReplicationGroupsCommandOutput, '$metadata'> {
  const member = (region: string, awsRegion: string) => ({
    ReplicationGroupId: `redis-254carbon-prod-${region}`,
    ReplicationGroupRegion: awsRegion,
    Role: region === primary ? 'PRIMARY' : 'SECONDARY',
    Status: 'associated',
  });
  return {
    GlobalReplicationGroups: [
      {
        GlobalReplicationGroupId: 'ldgnf-redis-254carbon-prod',
        Status: 'available',
        Members: [member('us-east', 'us-east-1'), member('eu-west', 'eu-west-1'), member('apac', 'ap-southeast-1')],
      },
    ],
  };
}

function harness(answer = '') {
  let clock = 0;
  const progress: string[] = [];
  const out: string[] = [];
  /** The AWS regions whose endpoints were used, in order. */
  const endpoints: string[] = [];
  const deps: Deps = {
    rds: (region) => (endpoints.push(region), new RDSClient({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })),
    elasticache: (region) => (
      endpoints.push(region),
      new ElastiCacheClient({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    ),
    route53: () => (
      endpoints.push('route53'),
      new Route53Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    ),
    sleep: async (ms) => void (clock += ms),
    now: () => clock,
    progress: (line) => void progress.push(line),
    ask: async () => answer,
  };
  return { deps, progress, out, endpoints, invoke: (...argv: string[]) => run(argv, {}, deps, (text) => void out.push(text), seedRegionsConfig) };
}

const mutations = () =>
  [
    ...rds.commandCalls(SwitchoverGlobalClusterCommand),
    ...rds.commandCalls(FailoverGlobalClusterCommand),
    ...elasticache.commandCalls(FailoverGlobalReplicationGroupCommand),
  ].length;

beforeEach(() => {
  rds.reset();
  elasticache.reset();
  route53.reset();
});

describe('status', () => {
  it('reports both writers and whether config agrees, as JSON of a stable shape', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves(global('us-east'));
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves(datastore('us-east'));
    const h = harness();
    expect(await h.invoke('status', '--json')).toBe(0);
    expect(JSON.parse(h.out[0]!)).toEqual({
      environment: 'prod',
      aurora: {
        globalClusterId: 'aurora-254carbon-prod',
        status: 'available',
        writerRegion: 'us-east',
        members: [
          { region: 'us-east', writer: true },
          { region: 'eu-west', writer: false, synchronization: 'connected' },
          { region: 'apac', writer: false, synchronization: 'connected' },
        ],
      },
      redis: {
        globalReplicationGroupId: 'ldgnf-redis-254carbon-prod',
        status: 'available',
        primaryRegion: 'us-east',
        members: [
          { region: 'us-east', role: 'PRIMARY', status: 'associated' },
          { region: 'eu-west', role: 'SECONDARY', status: 'associated' },
          { region: 'apac', role: 'SECONDARY', status: 'associated' },
        ],
      },
      configuredPrimary: 'us-east',
      consistent: true,
    });
    expect(rds.commandCalls(DescribeGlobalClustersCommand)[0]!.args[0].input).toEqual({ GlobalClusterIdentifier: 'aurora-254carbon-prod' });
  });
});

describe('switchover', () => {
  it('switches Aurora over, waits until the target writes, then fails the datastore over, in that order', async () => {
    rds
      .on(DescribeGlobalClustersCommand)
      .resolvesOnce(global('us-east'))
      .resolvesOnce(global('us-east', 'connected', 'switching-over'))
      .resolves(global('eu-west'));
    elasticache
      .on(DescribeGlobalReplicationGroupsCommand)
      .resolvesOnce(datastore('us-east'))
      .resolvesOnce(datastore('us-east'))
      .resolvesOnce(datastore('us-east'))
      .resolvesOnce(datastore('us-east'))
      .resolves(datastore('eu-west'));
    const h = harness();
    expect(await h.invoke('switchover', '--to', 'eu-west', '--json')).toBe(0);
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand).map((c) => c.args[0].input)).toEqual([
      { GlobalClusterIdentifier: 'aurora-254carbon-prod', TargetDbClusterIdentifier: ARN('eu-west-1', 'eu-west') },
    ]);
    expect(elasticache.commandCalls(FailoverGlobalReplicationGroupCommand).map((c) => c.args[0].input)).toEqual([
      {
        GlobalReplicationGroupId: 'ldgnf-redis-254carbon-prod',
        PrimaryRegion: 'eu-west-1',
        PrimaryReplicationGroupId: 'redis-254carbon-prod-eu-west',
      },
    ]);
    expect(rds.commandCalls(FailoverGlobalClusterCommand)).toEqual([]);
    // Aurora's promotion is waited on before ElastiCache is touched.
    const auroraDone = rds.commandCalls(DescribeGlobalClustersCommand).length;
    expect(auroraDone).toBeGreaterThanOrEqual(3);
    expect(h.progress.filter((l) => l.startsWith('waiting for eu-west to become the Aurora writer')).length).toBe(1);
    const result = JSON.parse(h.out[0]!);
    expect(result).toMatchObject({
      mode: 'switchover',
      to: 'eu-west',
      dryRun: false,
      configChange: expect.stringContaining(
        'move primary: true to "eu-west" in libs/config/src/environments/prod.ts (leave data.homeRegion "us-east")',
      ),
    });
  });

  it('a dry run reads the state and prints the steps, changing nothing', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves(global('us-east'));
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves(datastore('us-east'));
    const h = harness();
    expect(await h.invoke('switchover', '--to', 'apac', '--dry-run')).toBe(0);
    expect(mutations()).toBe(0);
    expect(h.out[0]).toContain(
      'dry run: would run:\n  rds switchover-global-cluster aurora-254carbon-prod -> arn:aws:rds:ap-southeast-1:111111111111:cluster:aurora-254carbon-prod-apac',
    );
  });

  it.each([
    [
      'the target already writes both stores',
      global('eu-west'),
      datastore('eu-west'),
      'eu-west already holds the Aurora writer and the Global Datastore primary: nothing to switchover',
    ],
    [
      'the target has not caught up',
      global('us-east', 'pending-resync'),
      datastore('us-east'),
      'eu-west is pending-resync, not connected: a switchover waits for it to catch up',
    ],
  ])('refuses when %s, before any change (exit 2)', async (_case, state, redisState, message) => {
    rds.on(DescribeGlobalClustersCommand).resolves(state);
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves(redisState);
    const h = harness();
    expect(await h.invoke('switchover', '--to', 'eu-west')).toBe(2);
    expect(h.progress.join('\n')).toContain(message);
    expect(mutations()).toBe(0);
  });

  it('a rerun after the Redis step failed resumes: Aurora (already moved) is skipped, the datastore fails over', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves(global('eu-west'));
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolvesOnce(datastore('us-east')).resolves(datastore('eu-west'));
    const h = harness();
    expect(await h.invoke('switchover', '--to', 'eu-west')).toBe(0);
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toEqual([]);
    expect(elasticache.commandCalls(FailoverGlobalReplicationGroupCommand).map((c) => c.args[0].input.PrimaryRegion)).toEqual(['eu-west-1']);
    expect(h.out[0]).toContain('ran:\n  skip: eu-west already holds the Aurora writer\n  elasticache failover-global-replication-group');
  });

  it('refuses an unknown region before its first API call', async () => {
    const h = harness();
    expect(await h.invoke('switchover', '--to', 'us-west')).toBe(2);
    expect(h.progress[0]).toBe('refused, nothing changed: --to us-west: no such region in prod; use one of us-east, eu-west, apac');
    expect(rds.calls().length + elasticache.calls().length).toBe(0);
  });

  it('fails (exit 1) when the promotion does not finish within the timeout, saying the operation may still finish', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves(global('us-east'));
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves(datastore('us-east'));
    const h = harness();
    expect(await h.invoke('switchover', '--to', 'eu-west', '--timeout', '1')).toBe(1);
    expect(h.progress.at(-1)).toBe(
      'failed: timed out after 1 min waiting for eu-west to become the Aurora writer; the operation may still finish: run status',
    );
    expect(elasticache.commandCalls(FailoverGlobalReplicationGroupCommand)).toEqual([]);
  });
});

describe('failover', () => {
  it('asks for the region to be typed, and changes nothing on a wrong answer', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves(global('us-east'));
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves(datastore('us-east'));
    const h = harness('apac');
    expect(await h.invoke('failover', '--to', 'eu-west', '--allow-data-loss')).toBe(2);
    expect(mutations()).toBe(0);
  });

  it('with --yes promotes at once, allowing data loss', async () => {
    rds.on(DescribeGlobalClustersCommand).resolvesOnce(global('us-east')).resolves(global('eu-west'));
    elasticache
      .on(DescribeGlobalReplicationGroupsCommand)
      .resolvesOnce(datastore('us-east'))
      .resolvesOnce(datastore('us-east'))
      .resolves(datastore('eu-west'));
    const h = harness();
    expect(await h.invoke('failover', '--to', 'eu-west', '--allow-data-loss', '--yes')).toBe(0);
    expect(rds.commandCalls(FailoverGlobalClusterCommand).map((c) => c.args[0].input)).toEqual([
      { GlobalClusterIdentifier: 'aurora-254carbon-prod', TargetDbClusterIdentifier: ARN('eu-west-1', 'eu-west'), AllowDataLoss: true },
    ]);
    expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).toEqual([]);
  });
});

describe('while a region is down', () => {
  it('a failover reads and writes only through the target region: the lost writer region is never called', async () => {
    rds.on(DescribeGlobalClustersCommand).resolvesOnce(global('us-east')).resolves(global('eu-west'));
    elasticache
      .on(DescribeGlobalReplicationGroupsCommand)
      .resolvesOnce(datastore('us-east'))
      .resolvesOnce(datastore('us-east'))
      .resolves(datastore('eu-west'));
    const h = harness();
    expect(await h.invoke('failover', '--to', 'eu-west', '--allow-data-loss', '--yes')).toBe(0);
    expect(new Set(h.endpoints)).toEqual(new Set(['eu-west-1']));
  });

  it('status --region reads through that region instead of the home region, and refuses an unknown one before any call', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves(global('us-east'));
    elasticache.on(DescribeGlobalReplicationGroupsCommand).resolves(datastore('us-east'));
    const h = harness();
    expect(await h.invoke('status', '--region', 'apac')).toBe(0);
    expect(new Set(h.endpoints)).toEqual(new Set(['ap-southeast-1']));
    const bad = harness();
    expect(await bad.invoke('status', '--region', 'ap-southeast-1')).toBe(2);
    expect(bad.progress[0]).toBe('refused, nothing changed: --region ap-southeast-1: no such region in prod; use one of us-east, eu-west, apac');
    expect(bad.endpoints).toEqual([]);
  });
});

describe('usage', () => {
  it.each([
    [['switchover'], 'switchover needs --to <region>'],
    [['failover', '--to', 'eu-west'], 'failover may lose writes that had not replicated: say so with --allow-data-loss'],
    [['switchover', '--to', 'eu-west', '--yes'], '--allow-data-loss and --yes belong to failover, not switchover'],
    [['status', '--to', 'eu-west'], 'status takes no --to'],
    [['switchover', '--to', 'eu-west', '--region', 'apac'], "switchover reads through --to's region; --region belongs to status"],
    [['switchover', '--to', 'eu-west', '--timeout', '0'], '--timeout 0: expected a positive number of minutes'],
    [['promote'], 'unknown command promote'],
  ])('%j is refused with exit 64 before anything is read', async (argv, message) => {
    const h = harness();
    expect(await h.invoke(...argv)).toBe(64);
    expect(h.progress[0]).toContain(`platform-failover: ${message}`);
    expect(rds.calls().length).toBe(0);
  });

  it('reports missing credentials and AWS errors as one line with the fix, exit 1, not a stack trace', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    rds.on(DescribeGlobalClustersCommand).rejects(noCredentials);
    const h = harness();
    expect(await h.invoke('switchover', '--to', 'eu-west', '--dry-run')).toBe(1);
    expect(h.progress.at(-1)).toBe(
      'failed: no AWS credentials (Could not load credentials from any providers); nothing was changed. fix: export AWS_PROFILE (or assume the admin role) and run again',
    );
    const denied = Object.assign(new Error('not authorized to perform rds:DescribeGlobalClusters'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    rds.on(DescribeGlobalClustersCommand).rejects(denied);
    const h2 = harness();
    expect(await h2.invoke('status')).toBe(1);
    expect(h2.progress.at(-1)).toMatch(/^failed: AWS answered AccessDenied \(HTTP 403\): not authorized to perform rds:DescribeGlobalClusters\. /);
    expect(mutations()).toBe(0);
  });

  it('prints its help', async () => {
    const h = harness();
    expect(await h.invoke('--help')).toBe(0);
    expect(h.out[0]).toMatch(
      /^usage: platform-failover <command>[\s\S]*exit codes: 0 done, 1 a step failed or timed out, 2 refused before any change, 64 bad usage$/,
    );
  });
});

describe("drain and restore a region's user traffic", () => {
  // Two pages, as Route 53 lists them: the region's check is on the second.
  const checks = (inverted: boolean) => {
    route53
      .on(ListHealthChecksCommand, { Marker: undefined })
      .resolves({
        HealthChecks: [
          {
            Id: 'hc-us',
            CallerReference: 'a',
            HealthCheckVersion: 1,
            HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'us-east.origin.platform.example.com' },
          },
        ],
        IsTruncated: true,
        NextMarker: 'page-2',
        Marker: '',
        MaxItems: 1,
      })
      .on(ListHealthChecksCommand, { Marker: 'page-2' })
      .resolves({
        HealthChecks: [
          {
            Id: 'hc-eu',
            CallerReference: 'b',
            HealthCheckVersion: 7,
            HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'eu-west.origin.platform.example.com', Inverted: inverted },
          },
        ],
        IsTruncated: false,
        Marker: 'page-2',
        MaxItems: 1,
      });
    route53.on(UpdateHealthCheckCommand).resolves({});
  };

  it("drains by inverting the region's own health check, guarded by its version", async () => {
    checks(false);
    const h = harness();
    expect(await h.invoke('drain', '--region', 'eu-west')).toBe(0);
    expect(route53.commandCalls(UpdateHealthCheckCommand).map((c) => c.args[0].input)).toEqual([
      { HealthCheckId: 'hc-eu', HealthCheckVersion: 7, Inverted: true },
    ]);
    expect(h.out).toEqual(['eu-west is now drained (health check hc-eu of eu-west.origin.platform.example.com)']);
  });

  it('restores by turning the inversion off, and changes nothing when already restored', async () => {
    checks(true);
    const h = harness();
    expect(await h.invoke('restore', '--region', 'eu-west')).toBe(0);
    expect(route53.commandCalls(UpdateHealthCheckCommand).map((c) => c.args[0].input.Inverted)).toEqual([false]);
    route53.reset();
    checks(false);
    expect(await harness().invoke('restore', '--region', 'eu-west')).toBe(0);
    expect(route53.commandCalls(UpdateHealthCheckCommand)).toHaveLength(0);
  });

  it('changes nothing on a dry run', async () => {
    checks(false);
    const h = harness();
    expect(await h.invoke('drain', '--region', 'eu-west', '--dry-run', '--json')).toBe(0);
    expect(route53.commandCalls(UpdateHealthCheckCommand)).toHaveLength(0);
    expect(JSON.parse(h.out[0]!)).toEqual({
      region: 'eu-west',
      healthCheckId: 'hc-eu',
      origin: 'eu-west.origin.platform.example.com',
      state: 'drained',
      changed: true,
      dryRun: true,
    });
  });

  it('refuses a region without a health check, an unknown region, and usage mistakes, changing nothing', async () => {
    route53.on(ListHealthChecksCommand).resolves({ HealthChecks: [], IsTruncated: false, Marker: '', MaxItems: 100 });
    const h = harness();
    expect(await h.invoke('drain', '--region', 'apac')).toBe(2);
    expect(h.progress.at(-1)).toMatch(/no Route 53 health check checks apac\.origin\.platform\.example\.com; fix: apply global-edge/);
    expect(await h.invoke('drain', '--region', 'mars')).toBe(2);
    expect(await h.invoke('drain')).toBe(64);
    expect(await h.invoke('drain', '--to', 'eu-west')).toBe(64);
    expect(route53.commandCalls(UpdateHealthCheckCommand)).toHaveLength(0);
  });
});

it('refuses to drain the only live region (Route 53 ignores an all-unhealthy set and keeps answering)', async () => {
  const input = seedRegionsInput() as { regions: { name: string; traffic?: { weightPercent: number } }[] };
  for (const region of input.regions) region.traffic = { weightPercent: region.name === 'us-east' ? 100 : 0 };
  const topology = topologyOf(resolveConfig(input));
  await expect(setTraffic(topology, 'us-east', 'drained', false, harness().deps)).rejects.toThrow('us-east is the only live region');
  expect(route53.commandCalls(ListHealthChecksCommand)).toHaveLength(0);
});
