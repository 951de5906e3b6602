// plan-review: policy gate, destroy guard and cost estimate over synthesized stacks and plans.
// An entrypoint: reads the environment (PLATFORM_ENV, TF_PROVIDER_MIRROR, TERRAFORM_BIN).
import { loadEnvironment } from '@platform/config';
import {
  assertSynthesizedFor,
  findToolchain,
  readSynthesizedApp,
  readSynthesizedOutput,
  whyNotPlannableOffline,
  type SynthesizedStack,
} from '@platform/terraform-check';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { reviewMarkdown } from './markdown-report';
import { planEnvironmentOffline } from './offline-environment';
import { parsePlanJson, PlanFormatError, type ParsedPlan } from './plan-json';
import { loadSuppressions } from './policy-gate';
import { loadPriceTable } from './price-table';
import { reviewStacks, scopeReview, type DestroyAllowance } from './review';
import { loadUsageAssumptions } from './usage-assumptions';

const USAGE = `usage: plan-review [options]
  --apps <dir>              apps to review (default: the workspace's apps/, synthesized)
  --base-synth <dir>        another checkout's dist/<env>, for the cost diff of a pull request
  --plan <stack>=<file>     plan JSON (terraform show -json) of a stack; repeatable
  --offline-plans           plan every AWS stack without AWS, in rollout order, remote state served locally (needs terraform + mirror)
  --allow-destroy <stack>:<address>  a destructive change someone reviewed; repeatable
  --allow-destroy-file <file>  reviewed destroys as JSON: [{ "stack", "address", "reason" }] (a file in the pull request)
  --artifact-url <url>      where the full report is kept, linked when the markdown is cut to GitHub's comment limit
  --today <YYYY-MM-DD>      the day prices are judged stale against (default: today)
  --only-stack <stack>      report on one stack (the summary, its section): a pull request's sticky comment
  --markdown <file>         write the report as markdown (default: print it)
  --json <file>             write the report as JSON
  --suppressions <file> --prices <file> --usage <file>   override the files in packages/plan-review/data
exit codes: 0 pass, 1 policy findings, 2 destructive changes not allowed, 3 both, 64 bad input`;

const root = resolve(__dirname, '../../..');
const data = (file: string) => join(root, 'packages/plan-review/data', file);

interface Options {
  apps: string;
  baseSynth?: string;
  plans: [string, string][];
  offlinePlans: boolean;
  allowDestroy: DestroyAllowance[];
  artifactUrl?: string;
  today?: string;
  markdown?: string;
  json?: string;
  onlyStack?: string;
  suppressions: string;
  prices: string;
  usage: string;
}

class UsageError extends Error {}

/** The command line, through node:util's parser (strict: an unknown flag or a missing value is a usage error). */
function parseOptions(argv: readonly string[]): Options {
  let values: ReturnType<typeof parseFlags>['values'];
  try {
    ({ values } = parseFlags(argv));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const path = (value: string | undefined) => (value === undefined ? undefined : resolve(value));
  const plans = (values.plan ?? []).map((text): [string, string] => {
    const [stack, file] = text.split('=');
    if (!stack || !file) throw new UsageError('--plan takes <stack>=<file>');
    return [stack, resolve(file)];
  });
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new UsageError(`--today ${values.today}: expected YYYY-MM-DD`);
  return {
    apps: path(values.apps) ?? join(root, 'apps'),
    baseSynth: path(values['base-synth']),
    plans,
    offlinePlans: values['offline-plans'] ?? false,
    allowDestroy: [
      ...(values['allow-destroy'] ?? []).map(parseAllowance),
      ...(values['allow-destroy-file'] ?? []).flatMap((file) => loadAllowances(resolve(file))),
    ],
    artifactUrl: values['artifact-url'],
    today: values.today,
    markdown: path(values.markdown),
    json: path(values.json),
    onlyStack: values['only-stack'],
    suppressions: path(values.suppressions) ?? data('suppressions.json'),
    prices: path(values.prices) ?? data('prices.json'),
    usage: path(values.usage) ?? data('usage-assumptions.json'),
  };
}

function parseFlags(argv: readonly string[]) {
  const text = { type: 'string' } as const;
  const repeatable = { type: 'string', multiple: true } as const;
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      apps: text,
      'base-synth': text,
      plan: repeatable,
      'offline-plans': { type: 'boolean' },
      'allow-destroy': repeatable,
      'allow-destroy-file': repeatable,
      'artifact-url': text,
      today: text,
      'only-stack': text,
      markdown: text,
      json: text,
      suppressions: text,
      prices: text,
      usage: text,
    },
  });
}

/** `stack:address`: the same address exists in every region's stack, so an allowance names one. */
function parseAllowance(text: string): DestroyAllowance {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1)
    throw new UsageError(
      `--allow-destroy ${text}: expected <stack>:<address>, e.g. us-east-infra:aws_eks_node_group.x (an address alone would allow it in every region)`,
    );
  return { stack: text.slice(0, at), address: text.slice(at + 1) };
}

const MIN_REASON_LENGTH = 20;

/** A reviewable allowance file: every entry names its stack, address and why the destroy is intended. */
function loadAllowances(file: string): DestroyAllowance[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new UsageError(`${file}: expected a JSON list of { stack, address, reason }`);
  return raw.map((entry: Record<string, unknown>, i) => {
    for (const field of ['stack', 'address', 'reason']) {
      if (typeof entry[field] !== 'string' || entry[field] === '')
        throw new UsageError(`${file}[${i}]: ${field} is missing; fix: every allowed destroy names stack, address and reason`);
    }
    if (String(entry['reason']).length < MIN_REASON_LENGTH)
      throw new UsageError(
        `${file}[${i}]: reason "${String(entry['reason'])}" is too short to review; fix: say why losing this resource is intended`,
      );
    return { stack: String(entry['stack']), address: String(entry['address']), reason: String(entry['reason']) };
  });
}

function appDirs(appsDir: string): string[] {
  return readdirSync(appsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(appsDir, e.name, 'cdktf.json')))
    .map((e) => join(appsDir, e.name))
    .sort();
}

/** Where the review prints: the report (stdout) and banners, warnings and errors (stderr). */
export interface ReviewOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** What --offline-plans runs: terraform found from the environment, then the environment planned. */
export interface OfflinePlanner {
  readonly findToolchain: typeof findToolchain;
  readonly planEnvironment: typeof planEnvironmentOffline;
}

const TERRAFORM: OfflinePlanner = { findToolchain, planEnvironment: planEnvironmentOffline };

function review(argv: readonly string[], env: Environment, print: ReviewOutput, planner: OfflinePlanner): number {
  const options = parseOptions(argv);
  const config = loadEnvironment(env['PLATFORM_ENV'] || 'prod');
  for (const dir of appDirs(options.apps)) assertSynthesizedFor(dir, config.environment);
  const stacks: SynthesizedStack[] = appDirs(options.apps).flatMap((dir) => readSynthesizedApp(dir, config.environment));
  const baseStacks = options.baseSynth
    ? readdirSync(options.baseSynth)
        .filter((app) => existsSync(join(options.baseSynth!, app, 'manifest.json')))
        .flatMap((app) => readSynthesizedOutput(join(options.baseSynth!, app), app, config.environment))
    : undefined;

  const plans = new Map<string, ParsedPlan>();
  const planNotes = new Map<string, string>();
  const offlineFailures: string[] = [];
  for (const [stack, file] of options.plans) {
    if (!stacks.some((s) => s.name === stack)) throw new UsageError(`--plan names stack "${stack}", which no app synthesizes`);
    plans.set(stack, parsePlanJson(readFileSync(file, 'utf8'), file));
  }
  if (options.offlinePlans) {
    const awsVersion = stacks.find((s) => s.providerVersions['aws'])?.providerVersions['aws'] ?? '';
    const toolchain = planner.findToolchain(env, awsVersion);
    const candidates = stacks.filter((s) => !plans.has(s.name));
    const plannable = candidates.filter((s) => !whyNotPlannableOffline(s, true));
    for (const stack of candidates.filter((s) => whyNotPlannableOffline(s, true))) planNotes.set(stack.name, whyNotPlannableOffline(stack, true)!);
    if (!toolchain.ok) {
      // Never a quiet skip: CI (TERRAFORM_CHECK_REQUIRED=1) fails, anywhere else a banner says what was not planned.
      const what = `offline plans of ${plannable.map((s) => s.name).join(', ')}: ${toolchain.reason}`;
      if (env['TERRAFORM_CHECK_REQUIRED'] === '1') throw new UsageError(`cannot make the ${what} (TERRAFORM_CHECK_REQUIRED=1, so this is an error)`);
      print.err(`${'!'.repeat(100)}\nSKIPPED: ${what}\n  these stacks are reviewed from their synthesized JSON only\n${'!'.repeat(100)}`);
      for (const stack of plannable) planNotes.set(stack.name, `SKIPPED offline plan: ${toolchain.reason}`);
    } else {
      // In rollout order, each consumer reading its producers' planned (or contract-shaped) outputs.
      const environment = planner.planEnvironment(join(root, 'tmp/terraform-check'), toolchain.toolchain, plannable, config);
      for (const [name, result] of environment.results) {
        if (result.status === 'planned') plans.set(name, parsePlanJson(JSON.stringify(result.planJson), `${name} offline plan`));
        else
          planNotes.set(name, result.status === 'failed' ? `offline plan FAILED: ${result.error.split('\n').slice(0, 3).join(' ')}` : result.reason);
      }
      offlineFailures.push(
        ...[...environment.results.values()].filter((r) => r.status === 'failed').map((r) => `${r.stack}: ${r.status === 'failed' ? r.error : ''}`),
      );
    }
  }

  const review = reviewStacks({
    stacks,
    baseStacks,
    config,
    suppressions: loadSuppressions(options.suppressions),
    prices: loadPriceTable(options.prices),
    usage: loadUsageAssumptions(options.usage),
    plans,
    planNotes,
    allowedDestroys: options.allowDestroy,
    today: options.today,
  });
  if (options.onlyStack && !review.stacks.some((s) => s.stack === options.onlyStack))
    throw new UsageError(`--only-stack names stack "${options.onlyStack}", which no app synthesizes`);
  const scoped = options.onlyStack ? scopeReview(review, options.onlyStack) : review;
  const markdown = reviewMarkdown(scoped, { artifactUrl: options.artifactUrl });
  if (options.markdown) writeFileSync(options.markdown, markdown);
  else print.out(markdown);
  if (options.json) writeFileSync(options.json, JSON.stringify(scoped, null, 2));
  // A stack that should plan offline and does not is a failure (bad input to the review), never a note.
  if (offlineFailures.length) {
    print.err(`plan-review: ${offlineFailures.length} offline plan(s) failed:\n${offlineFailures.join('\n')}`);
    return 64;
  }
  if (scoped.stalePrices.length)
    print.err(
      `warning: ${scoped.stalePrices.length} price(s) older than their refresh rule (oldest read ${scoped.cost.priceTableOldest}); the JSON report lists them`,
    );
  return scoped.exitCode;
}

/**
 * The command line: the exit code, the report on `print.out`, everything else on `print.err`.
 * Bad input (a missing file, a bad flag, a malformed plan) is exit 64 with one line saying what to
 * fix, never a stack trace; anything else is a bug and is thrown.
 */
export function runReview(argv: readonly string[], env: Environment, print: ReviewOutput, planner: OfflinePlanner = TERRAFORM): number {
  try {
    return review(argv, env, print, planner);
  } catch (error) {
    const io = (error as NodeJS.ErrnoException).code;
    if (io && ['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS'].includes(io)) {
      // Bad input, not a finding: a missing plan, a folder where a file belongs, an unwritable report.
      const path = (error as NodeJS.ErrnoException).path ?? '';
      print.err(
        `plan-review: cannot ${(error as NodeJS.ErrnoException).syscall ?? 'use'} ${path}: ${io}; fix: check the path (and that the step that writes it ran)`,
      );
      return 64;
    }
    if (
      error instanceof UsageError ||
      error instanceof PlanFormatError ||
      error instanceof SyntaxError ||
      (error instanceof Error && /fix:|does not exist/.test(error.message))
    ) {
      print.err(`plan-review: ${error.message}`);
      if (error instanceof UsageError) print.err(USAGE);
      return 64;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = runReview(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
