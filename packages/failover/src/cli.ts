// platform-failover: status of the global data stores, and moving their writer to another region.
// An entrypoint: reads PLATFORM_ENV and the AWS credentials of the environment (the SDK's chain).
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { loadEnvironment, type PlatformConfig } from '@platform/config';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { moveWriter, OperationFailed, Refusal, setTraffic, status, type Deps } from './commands';
import { topologyOf } from './topology';

export const USAGE = `usage: platform-failover <command> [options]

commands:
  status [--region <region>]          Aurora global cluster and Global Datastore members, who writes, and
                                      whether that matches config's primary region; read through the home
                                      region's endpoints, or --region's when the home region is down
  switchover --to <region>            planned: Aurora switchover (waits for the secondary, RPO 0), then the
                                      Global Datastore failover; prints the config change to make
  failover --to <region> --allow-data-loss
                                      unplanned: promotes at once and may lose what had not replicated;
                                      asks to type the region unless --yes
  (switchover and failover read through --to's endpoints, so they work while other regions are down)
  drain --region <region>             take a region out of user traffic now: inverts its Route 53 health
                                      check (refused for the only live region); lasting: weightPercent 0
  restore --region <region>           put a drained region back into routing

options:
  --env <name>          environment (default: PLATFORM_ENV or prod)
  --dry-run             read the state and print the steps; change nothing
  --json                print the result as JSON on stdout (progress goes to stderr)
  --timeout <minutes>   how long each step may take (default 30)
  --yes                 failover without the typed confirmation
  -h, --help            this text

exit codes: 0 done, 1 a step failed or timed out, 2 refused before any change, 64 bad usage`;

class UsageError extends Error {}

export interface Parsed {
  readonly command: 'status' | 'switchover' | 'failover' | 'drain' | 'restore' | 'help';
  readonly env: string;
  readonly to?: string;
  readonly region?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly yes: boolean;
  readonly timeoutMinutes: number;
}

export function parse(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Parsed {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        env: { type: 'string' },
        to: { type: 'string' },
        region: { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        yes: { type: 'boolean' },
        'allow-data-loss': { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values['help'] || positionals.length === 0) return { command: 'help', env: 'prod', dryRun: false, json: false, yes: false, timeoutMinutes: 30 };
  const [command, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  if (command !== 'status' && command !== 'switchover' && command !== 'failover' && command !== 'drain' && command !== 'restore')
    throw new UsageError(`unknown command ${command}`);
  const traffic = command === 'drain' || command === 'restore';
  const timeout = values['timeout'] === undefined ? 30 : Number(values['timeout']);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new UsageError(`--timeout ${String(values['timeout'])}: expected a positive number of minutes`);
  if (traffic && !values['region']) throw new UsageError(`${command} needs --region <region>`);
  if (traffic && values['to']) throw new UsageError(`${command} takes --region, not --to`);
  if (!traffic && command !== 'status' && !values['to']) throw new UsageError(`${command} needs --to <region>`);
  if (command === 'status' && values['to']) throw new UsageError('status takes no --to');
  if (!traffic && command !== 'status' && values['region'])
    throw new UsageError(`${command} reads through --to's region; --region belongs to status, drain and restore`);
  if (command === 'failover' && !values['allow-data-loss'])
    throw new UsageError('failover may lose writes that had not replicated: say so with --allow-data-loss (or use switchover, which loses nothing)');
  if (command !== 'failover' && (values['allow-data-loss'] || values['yes']))
    throw new UsageError(`--allow-data-loss and --yes belong to failover, not ${command}`);
  return {
    command,
    env: String(values['env'] ?? env['PLATFORM_ENV'] ?? 'prod'),
    to: values['to'] as string | undefined,
    region: values['region'] as string | undefined,
    dryRun: values['dry-run'] === true,
    json: values['json'] === true,
    yes: values['yes'] === true,
    timeoutMinutes: timeout,
  };
}

function humanStatus(s: Awaited<ReturnType<typeof status>>): string {
  return [
    `environment ${s.environment}: config sends writes to ${s.configuredPrimary}${s.consistent ? '' : '  << does not match the writers below'}`,
    `aurora ${s.aurora.globalClusterId} (${s.aurora.status}): ${s.aurora.members.map((m) => `${m.region}${m.writer ? ' WRITER' : ''}${m.synchronization ? ` ${m.synchronization}` : ''}`).join(', ')}`,
    `redis ${s.redis.globalReplicationGroupId ?? '(no Global Datastore)'}: ${s.redis.members.map((m) => `${m.region} ${m.role}`).join(', ')}`,
  ].join('\n');
}

/** Runs one invocation; returns the exit code. Output goes through `out` (stdout) and `deps.progress` (stderr). */
export async function run(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: Deps,
  out: (text: string) => void,
  /** The environment's config; tests pass a fixed one so a region added to prod does not change them. */
  loadConfig: (environment: string) => PlatformConfig = loadEnvironment,
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    deps.progress(`platform-failover: ${error.message}\n${USAGE}`);
    return 64;
  }
  if (parsed.command === 'help') {
    out(USAGE);
    return 0;
  }
  try {
    const topology = topologyOf(loadConfig(parsed.env));
    if (parsed.command === 'status') {
      const result = await status(topology, deps, parsed.region);
      out(parsed.json ? JSON.stringify(result, null, 2) : humanStatus(result));
      return 0;
    }
    if (parsed.command === 'drain' || parsed.command === 'restore') {
      const result = await setTraffic(topology, parsed.region!, parsed.command === 'drain' ? 'drained' : 'restored', parsed.dryRun, deps);
      const verb = result.changed ? (result.dryRun ? 'would be' : 'is now') : 'was already';
      out(
        parsed.json
          ? JSON.stringify(result, null, 2)
          : `${result.region} ${verb} ${result.state} (health check ${result.healthCheckId} of ${result.origin})`,
      );
      return 0;
    }
    const result = await moveWriter(
      topology,
      { to: parsed.to!, mode: parsed.command, dryRun: parsed.dryRun, yes: parsed.yes, timeoutMinutes: parsed.timeoutMinutes },
      deps,
    );
    out(
      parsed.json
        ? JSON.stringify(result, null, 2)
        : [`${result.dryRun ? 'dry run: would run' : 'ran'}:`, ...result.steps.map((s) => `  ${s}`), `then: ${result.configChange}`].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof Refusal) {
      deps.progress(`refused, nothing changed: ${error.message}`);
      return 2;
    }
    if (error instanceof OperationFailed) {
      deps.progress(`failed: ${error.message}`);
      return 1;
    }
    if (error instanceof Error && error.name === 'ConfigError') {
      deps.progress(error.message);
      return 64;
    }
    const aws = awsFailure(error);
    if (aws) {
      deps.progress(`failed: ${aws}`);
      return 1;
    }
    throw error;
  }
}

/**
 * An AWS SDK error (no credentials, access denied, throttling, an unreachable endpoint) as one line
 * with its fix, instead of a stack trace. Steps before it finished; nothing after it was attempted.
 */
export function awsFailure(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'CredentialsProviderError') {
    return `no AWS credentials (${error.message}); nothing was changed. fix: export AWS_PROFILE (or assume the admin role) and run again`;
  }
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const network = (error as { code?: string }).code;
  if (metadata === undefined && !['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'].includes(network ?? '')) return undefined;
  const where = metadata?.httpStatusCode ? `HTTP ${metadata.httpStatusCode}` : network;
  return `AWS answered ${error.name} (${where}): ${error.message}. Steps shown above finished; nothing after them was attempted. fix: check the role's permissions and the region's endpoint, then rerun (a rerun resumes)`;
}

function realDeps(): Deps {
  return {
    rds: (region) => new RDSClient({ region }),
    elasticache: (region) => new ElastiCacheClient({ region }),
    route53: () => new Route53Client({ region: 'us-east-1' }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    progress: (line) => process.stderr.write(`${line}\n`),
    ask: async (question) => {
      if (!process.stdin.isTTY) throw new Refusal('no terminal to confirm on: pass --yes to fail over without the prompt');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

if (require.main === module) {
  void run(process.argv.slice(2), process.env, realDeps(), (text) => process.stdout.write(`${text}\n`)).then((code) => (process.exitCode = code));
}
