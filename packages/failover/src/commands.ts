import { DescribeGlobalReplicationGroupsCommand, ElastiCacheClient, FailoverGlobalReplicationGroupCommand } from '@aws-sdk/client-elasticache';
import { DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, RDSClient, SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { ListHealthChecksCommand, type Route53Client, UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import type { Topology } from './topology';

/** What the commands need from the world; tests give mocks and a fake clock. */
export interface Deps {
  readonly rds: (awsRegion: string) => RDSClient;
  readonly elasticache: (awsRegion: string) => ElastiCacheClient;
  /** Route 53 is global (its control plane is in us-east-1). */
  readonly route53: () => Route53Client;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Progress for people (stderr); never mixed into --json output. */
  readonly progress: (line: string) => void;
  /** Asks a person to type a word; resolves to what they typed. */
  readonly ask: (question: string) => Promise<string>;
}

/** A refusal before anything changed (exit 2), or a failure while changing (exit 1). */
export class Refusal extends Error {
  override readonly name = 'Refusal';
}

export class OperationFailed extends Error {
  override readonly name = 'OperationFailed';
}

export interface Status {
  readonly environment: string;
  readonly aurora: {
    readonly globalClusterId: string;
    readonly status: string;
    readonly writerRegion?: string;
    readonly members: readonly { readonly region: string; readonly writer: boolean; readonly synchronization?: string }[];
  };
  readonly redis: {
    readonly globalReplicationGroupId?: string;
    readonly status?: string;
    readonly primaryRegion?: string;
    readonly members: readonly { readonly region: string; readonly role: string; readonly status?: string }[];
  };
  /** Where config says writes go (`primary: true`); should equal both writers outside a switchover. */
  readonly configuredPrimary: string;
  readonly consistent: boolean;
}

const regionOfArn = (arn: string) => arn.split(':')[3] ?? '';

/**
 * Reads both global stores through one region's endpoints: the home region unless told otherwise.
 * A move reads through its target, so a failover works while another region (the writer's, the
 * home) is down; `status --region` does the same by hand.
 */
export async function status(topology: Topology, deps: Deps, readThrough: string = topology.homeRegion): Promise<Status> {
  const via = topology.regions.find((r) => r.name === readThrough);
  if (!via)
    throw new Refusal(
      `--region ${readThrough}: no such region in ${topology.environment}; use one of ${topology.regions.map((r) => r.name).join(', ')}`,
    );
  const nameOf = (awsRegion: string) => topology.regions.find((r) => r.awsRegion === awsRegion)?.name ?? awsRegion;
  const global = (await deps.rds(via.awsRegion).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: topology.auroraGlobalId })))
    .GlobalClusters?.[0];
  if (!global)
    throw new Refusal(
      `no Aurora global cluster ${topology.auroraGlobalId} in the account: is the environment deployed, and are these the right credentials?`,
    );
  const auroraMembers = (global.GlobalClusterMembers ?? []).map((m) => ({
    region: nameOf(regionOfArn(m.DBClusterArn ?? '')),
    writer: m.IsWriter === true,
    synchronization: m.SynchronizationStatus,
  }));
  const groups =
    (await deps.elasticache(via.awsRegion).send(new DescribeGlobalReplicationGroupsCommand({ ShowMemberInfo: true }))).GlobalReplicationGroups ?? [];
  const datastore = groups.find((g) => g.GlobalReplicationGroupId?.endsWith(`-${topology.redisGlobalSuffix}`));
  const redisMembers = (datastore?.Members ?? []).map((m) => ({
    region: nameOf(m.ReplicationGroupRegion ?? ''),
    role: String(m.Role ?? 'unknown'),
    status: m.Status,
  }));
  const writerRegion = auroraMembers.find((m) => m.writer)?.region;
  const primaryRegion = redisMembers.find((m) => m.role === 'PRIMARY')?.region;
  return {
    environment: topology.environment,
    aurora: { globalClusterId: topology.auroraGlobalId, status: global.Status ?? 'unknown', writerRegion, members: auroraMembers },
    redis: { globalReplicationGroupId: datastore?.GlobalReplicationGroupId, status: datastore?.Status, primaryRegion, members: redisMembers },
    configuredPrimary: topology.configuredPrimary,
    consistent: writerRegion === topology.configuredPrimary && (primaryRegion === undefined || primaryRegion === topology.configuredPrimary),
  };
}

export interface MoveOptions {
  readonly to: string;
  readonly mode: 'switchover' | 'failover';
  readonly dryRun: boolean;
  /** Failover only: skip the typed confirmation. */
  readonly yes: boolean;
  readonly timeoutMinutes: number;
}

export interface MoveResult {
  readonly mode: 'switchover' | 'failover';
  readonly to: string;
  readonly dryRun: boolean;
  /** The AWS calls made (or, in a dry run, that would be made), in order. */
  readonly steps: readonly string[];
  /** What to change in config afterwards (README, "Switchover procedure"). */
  readonly configChange: string;
}

/**
 * Moves writes to another region: the Aurora global cluster (switchover: waits for the secondary
 * to catch up, RPO 0; failover: promotes at once and may lose what had not replicated), then the
 * Global Datastore. Every precondition is checked before the first change; each step is waited on
 * and verified, within a timeout.
 */
export async function moveWriter(topology: Topology, options: MoveOptions, deps: Deps): Promise<MoveResult> {
  const target = topology.regions.find((r) => r.name === options.to);
  if (!target)
    throw new Refusal(`--to ${options.to}: no such region in ${topology.environment}; use one of ${topology.regions.map((r) => r.name).join(', ')}`);
  const before = await status(topology, deps, target.name);
  const member = before.aurora.members.find((m) => m.region === target.name);
  if (!member) throw new Refusal(`${target.name} has no cluster in ${topology.auroraGlobalId}: it cannot become the writer`);
  const redisTarget = before.redis.members.find((m) => m.region === target.name);
  if (before.redis.globalReplicationGroupId && target.inDatastore && !redisTarget)
    throw new Refusal(`${target.name} is configured in the Global Datastore but has no member there; deploy ${target.name}-data first`);
  // A rerun after a step failed resumes: what already moved is skipped, not refused.
  const auroraMoves = before.aurora.writerRegion !== target.name;
  const redisMoves = Boolean(before.redis.globalReplicationGroupId && redisTarget && redisTarget.role !== 'PRIMARY');
  if (!auroraMoves && !redisMoves)
    throw new Refusal(
      `${target.name} already holds the Aurora writer${redisTarget ? ' and the Global Datastore primary' : ''}: nothing to ${options.mode}`,
    );
  if (auroraMoves && options.mode === 'switchover' && member.synchronization && member.synchronization !== 'connected') {
    throw new Refusal(
      `${target.name} is ${member.synchronization}, not connected: a switchover waits for it to catch up; let it resync, or use failover --allow-data-loss if the writer region is down`,
    );
  }

  const steps = [
    ...(auroraMoves
      ? [
          options.mode === 'switchover'
            ? `rds switchover-global-cluster ${topology.auroraGlobalId} -> ${target.auroraClusterArn}`
            : `rds failover-global-cluster ${topology.auroraGlobalId} -> ${target.auroraClusterArn} --allow-data-loss`,
          `wait until ${target.name} is the Aurora writer (timeout ${options.timeoutMinutes} min)`,
        ]
      : [`skip: ${target.name} already holds the Aurora writer`]),
    ...(redisMoves
      ? [
          `elasticache failover-global-replication-group ${before.redis.globalReplicationGroupId} -> ${target.redisGroupId} (${target.awsRegion})`,
          `wait until ${target.name} is the Global Datastore primary`,
        ]
      : []),
  ];
  const configChange = `move primary: true to "${target.name}" in libs/config/src/environments/${topology.environment}.ts (leave data.homeRegion "${topology.homeRegion}"), then merge: the plan changes no AWS resource, only where the app writes Redis`;
  if (options.dryRun) return { mode: options.mode, to: target.name, dryRun: true, steps, configChange };

  if (options.mode === 'failover' && !options.yes) {
    const typed = await deps.ask(`Failover may lose writes that had not replicated. Type ${target.name} to promote it: `);
    if (typed.trim() !== target.name) throw new Refusal('not confirmed: nothing changed');
  }

  if (auroraMoves) {
    const rds = deps.rds(target.awsRegion);
    deps.progress(`${options.mode}: promoting ${target.name} in ${topology.auroraGlobalId}`);
    if (options.mode === 'switchover')
      await rds.send(
        new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: topology.auroraGlobalId, TargetDbClusterIdentifier: target.auroraClusterArn }),
      );
    else
      await rds.send(
        new FailoverGlobalClusterCommand({
          GlobalClusterIdentifier: topology.auroraGlobalId,
          TargetDbClusterIdentifier: target.auroraClusterArn,
          AllowDataLoss: true,
        }),
      );
    await waitFor(deps, options.timeoutMinutes, `${target.name} to become the Aurora writer`, async () => {
      const now = await status(topology, deps, target.name);
      return now.aurora.writerRegion === target.name && now.aurora.status === 'available';
    });
  } else deps.progress(`${target.name} already holds the Aurora writer: skipped`);

  if (redisMoves) {
    deps.progress(`promoting ${target.redisGroupId} in the Global Datastore`);
    await deps.elasticache(target.awsRegion).send(
      new FailoverGlobalReplicationGroupCommand({
        GlobalReplicationGroupId: before.redis.globalReplicationGroupId,
        PrimaryRegion: target.awsRegion,
        PrimaryReplicationGroupId: target.redisGroupId,
      }),
    );
    await waitFor(
      deps,
      options.timeoutMinutes,
      `${target.name} to become the Global Datastore primary`,
      async () => (await status(topology, deps, target.name)).redis.primaryRegion === target.name,
    );
  }
  deps.progress(`done: ${target.name} writes. Next: ${configChange}`);
  return { mode: options.mode, to: target.name, dryRun: false, steps, configChange };
}

async function waitFor(deps: Deps, timeoutMinutes: number, what: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = deps.now() + timeoutMinutes * 60_000;
  for (let attempt = 1; ; attempt++) {
    if (await done()) return;
    if (deps.now() >= deadline)
      throw new OperationFailed(`timed out after ${timeoutMinutes} min waiting for ${what}; the operation may still finish: run status`);
    deps.progress(`waiting for ${what} (check ${attempt})`);
    await deps.sleep(15_000);
  }
}

export interface TrafficResult {
  readonly region: string;
  readonly healthCheckId: string;
  /** The health check's name (the region's origin name). */
  readonly origin: string;
  /** `drained`: Route 53 now treats the region as unhealthy and answers with the others. */
  readonly state: 'drained' | 'restored';
  readonly changed: boolean;
  readonly dryRun: boolean;
}

/**
 * Takes a region out of user traffic (`drain`) or puts it back (`restore`) by inverting its Route 53
 * health check: the latency records carry it, so within `interval x threshold` + the 60 s TTL users
 * go to the other regions, and back after a restore. Route 53 is global; the call goes through us-east-1.
 * The edge stack ignores drift on the inversion, so an apply does not undo a drain; the durable way
 * out of routing is `traffic.weightPercent: 0` in config.
 */
export async function setTraffic(
  topology: Topology,
  target: string,
  state: 'drained' | 'restored',
  dryRun: boolean,
  deps: Deps,
): Promise<TrafficResult> {
  const region = topology.regions.find((r) => r.name === target);
  if (!region)
    throw new Refusal(`--region ${target}: no such region in ${topology.environment}; use one of ${topology.regions.map((r) => r.name).join(', ')}`);
  if (state === 'drained' && !topology.liveRegions.some((name) => name !== target)) {
    throw new Refusal(
      `${target} is the only live region: draining it leaves users nothing (Route 53 would ignore an all-unhealthy set and keep answering); raise another region's traffic.weightPercent first`,
    );
  }
  const origin = topology.originDomainName(target);
  const route53 = deps.route53();
  let marker: string | undefined;
  let check: { Id?: string; HealthCheckVersion?: number; HealthCheckConfig?: { FullyQualifiedDomainName?: string; Inverted?: boolean } } | undefined;
  do {
    const page = await route53.send(new ListHealthChecksCommand({ Marker: marker }));
    check = page.HealthChecks?.find((c) => c.HealthCheckConfig?.FullyQualifiedDomainName === origin);
    marker = page.IsTruncated ? page.NextMarker : undefined;
  } while (!check && marker);
  if (!check?.Id) throw new Refusal(`no Route 53 health check checks ${origin}; fix: apply global-edge (it creates one per region) or check --env`);
  const inverted = state === 'drained';
  const changed = (check.HealthCheckConfig?.Inverted ?? false) !== inverted;
  if (changed && !dryRun) {
    deps.progress(`${state === 'drained' ? 'draining' : 'restoring'} ${target}: health check ${check.Id} inverted=${inverted}`);
    // HealthCheckVersion makes the update fail if someone changed the check since we read it.
    await route53.send(new UpdateHealthCheckCommand({ HealthCheckId: check.Id, HealthCheckVersion: check.HealthCheckVersion, Inverted: inverted }));
  }
  return { region: target, healthCheckId: check.Id, origin, state, changed, dryRun };
}
