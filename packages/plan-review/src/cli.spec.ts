import { loadEnvironment } from '@platform/config';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runReview, type OfflinePlanner } from './cli';

const root = resolve(__dirname, '../../..');
/** Every app, in rollout order: the global ones, then one per configured region (npm run sync:regions keeps apps/ in step). */
const apps = ['bootstrap', 'global', ...loadEnvironment('prod').regions.map((region) => region.name)];

/** The CLI in this process (what most tests need: exit code, report, errors). */
function review(args: string[], env: Record<string, string> = {}, planner?: OfflinePlanner) {
  let out = '';
  let err = '';
  const code = runReview(args, { ...process.env, ...env }, { out: (text) => (out += `${text}\n`), err: (text) => (err += `${text}\n`) }, planner);
  return { code, out, err };
}

/** The CLI as the workflows start it: its own node process, exit code and streams. */
function reviewProcess(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--require', join(root, 'packages/ts-runner/register.cjs'), join(root, 'packages/plan-review/src/cli.ts'), ...args],
    { encoding: 'utf8', cwd: root },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** A copy of every app's synth output in a temp apps folder, so a test can break one stack. */
function copyOfSynth(): { appsDir: string; stackFile: (app: string, stack: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'review-apps-'));
  for (const app of apps) {
    mkdirSync(join(dir, app));
    writeFileSync(join(dir, app, 'cdktf.json'), JSON.stringify({ output: 'out/prod/app' }));
    cpSync(join(root, 'dist/prod', app), join(dir, app, 'out/prod/app'), { recursive: true });
  }
  return { appsDir: dir, stackFile: (app, stack) => join(dir, app, 'out/prod/app/stacks', stack, 'cdk.tf.json') };
}

function planFile(changes: object[], formatVersion = '1.2'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'plan.json');
  writeFileSync(
    file,
    JSON.stringify({ format_version: formatVersion, terraform_version: '1.11.4', configuration: {}, planned_values: {}, resource_changes: changes }),
  );
  return file;
}
const replaceDatabase = [
  {
    address: 'aws_rds_cluster.primary',
    type: 'aws_rds_cluster',
    name: 'primary',
    mode: 'managed',
    change: { actions: ['delete', 'create'], before: {}, after: {} },
    action_reason: 'replace_because_cannot_update',
  },
];

describe('plan-review CLI', () => {
  it('passes the synthesized main branch and prints a report for every stack', () => {
    const { code, out } = reviewProcess([]);
    expect(code).toBe(0);
    // bootstrap and five global stacks, three stacks per region; one suppression per region's infra stack.
    const regions = apps.length - 2;
    expect(out).toContain(`**PASS**: ${6 + 3 * regions} stacks, 9 policy rules, 0 finding(s), ${regions} suppressed`);
    for (const stack of [
      'bootstrap',
      'global-foundation',
      'global-access',
      'global-peering',
      'global-data',
      'us-east-infra',
      'us-east-data',
      'us-east-platform',
      'eu-west-infra',
      'eu-west-data',
      'eu-west-platform',
      'apac-infra',
      'apac-data',
      'apac-platform',
      'global-edge',
    ])
      expect(out).toContain(`<!-- plan-review:${stack} -->`);
    expect(out).toMatch(/\| \*\*total\*\* \| \*\*\$[\d,]+\*\* \| \*\*\$23,500\*\* \|/);
  }, 60_000);

  it('fails a deliberately insecure change (exit 1) and names stack, address, attribute and fix', () => {
    const { appsDir, stackFile } = copyOfSynth();
    const file = stackFile('bootstrap', 'bootstrap');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    for (const block of Object.values(json.resource.aws_s3_bucket_public_access_block) as Record<string, unknown>[])
      block['block_public_policy'] = false;
    writeFileSync(file, JSON.stringify(json));
    const { code, out } = review(['--apps', appsDir]);
    expect(code).toBe(1);
    expect(out).toMatch(
      /\*\*s3-closed-and-tls-only\*\* `aws_s3_bucket\.state-store_bucket_CB7ACB61` `public_access_block\.block_public_policy`: the bucket can be made public\. Fix: attach a public access block/,
    );
  }, 60_000);

  it('fails a plan that replaces a database (exit 2), with a red destructive section', () => {
    const { code, out } = review(['--plan', `global-foundation=${planFile(replaceDatabase)}`]);
    expect(code).toBe(2);
    expect(out).toMatch(/#### 🟥 Destructive changes[\s\S]*`aws_rds_cluster\.primary` \| replace \(delete, create\) \| \*\*no\*\*/);
  }, 60_000);

  it('passes the same plan when that exact stack:address is allowed, still showing it', () => {
    const { code, out } = review([
      '--plan',
      `global-foundation=${planFile(replaceDatabase)}`,
      '--allow-destroy',
      'global-foundation:aws_rds_cluster.primary',
    ]);
    expect(code).toBe(0);
    expect(out).toContain('yes (explicitly)');
  }, 60_000);

  it('scopes allowances to their stack: allowing the address in another stack does not pass, and is reported unused', () => {
    const { code, out } = review([
      '--plan',
      `global-foundation=${planFile(replaceDatabase)}`,
      '--allow-destroy',
      'us-east-infra:aws_rds_cluster.primary',
    ]);
    expect(code).toBe(2);
    expect(out).toContain(
      'Unused destroy allowances (they match no destructive change; remove or fix them): `us-east-infra:aws_rds_cluster.primary`',
    );
    expect(review(['--allow-destroy', 'aws_rds_cluster.primary'])).toMatchObject({
      code: 64,
      err: expect.stringContaining('expected <stack>:<address>'),
    });
  }, 60_000);

  it('reads reviewed destroys from a file in the pull request, each with its reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'allow-'));
    writeFileSync(
      join(dir, 'ok.json'),
      JSON.stringify([
        { stack: 'global-foundation', address: 'aws_rds_cluster.primary', reason: 'the old cluster was restored into a new one (ticket OPS-12)' },
      ]),
    );
    writeFileSync(join(dir, 'short.json'), JSON.stringify([{ stack: 'global-foundation', address: 'aws_rds_cluster.primary', reason: 'cleanup' }]));
    expect(review(['--plan', `global-foundation=${planFile(replaceDatabase)}`, '--allow-destroy-file', join(dir, 'ok.json')]).code).toBe(0);
    expect(review(['--allow-destroy-file', join(dir, 'short.json')])).toMatchObject({
      code: 64,
      err: expect.stringContaining('reason "cleanup" is too short to review'),
    });
  }, 60_000);

  it('--only-stack judges and summarizes that stack alone', () => {
    const other = review(['--plan', `global-foundation=${planFile(replaceDatabase)}`, '--only-stack', 'bootstrap']);
    expect(other).toMatchObject({ code: 0, out: expect.stringContaining('**PASS** (stack `bootstrap`): 1 stacks') });
    expect(review(['--plan', `global-foundation=${planFile(replaceDatabase)}`, '--only-stack', 'global-foundation']).code).toBe(2);
  }, 60_000);

  it('exits 64 with a clear message on I/O errors, never 1 (policy findings) with a stack trace', () => {
    const missing = reviewProcess(['--plan', 'global-foundation=/nonexistent/plan.json']);
    expect(missing).toMatchObject({
      code: 64,
      err: expect.stringMatching(/^plan-review: cannot open \/nonexistent\/plan\.json: ENOENT; fix: check the path/),
    });
    expect(missing.err).not.toContain('    at ');
    expect(review(['--plan', `global-foundation=${tmpdir()}`])).toMatchObject({ code: 64, err: expect.stringContaining('EISDIR') });
    expect(review(['--markdown', '/nonexistent/dir/review.md'])).toMatchObject({ code: 64, err: expect.stringContaining('ENOENT') });
    // node:util parseArgs, strict: an unknown flag, a flag without its value, a bad --today.
    expect(review(['--prise', 'p.json'])).toMatchObject({
      code: 64,
      err: expect.stringMatching(/Unknown option '--prise'[\s\S]*usage: plan-review/),
    });
    expect(review(['--json'])).toMatchObject({ code: 64, err: expect.stringContaining("Option '--json <value>' argument missing") });
    expect(review(['--today', '4 Dec'])).toMatchObject({ code: 64, err: expect.stringContaining('--today 4 Dec: expected YYYY-MM-DD') });
  }, 60_000);

  it('never skips offline plans quietly: a banner without terraform, and exit 64 where they are required (CI)', () => {
    const noTerraform = { TERRAFORM_BIN: '/nonexistent/terraform', TERRAFORM_CHECK_REQUIRED: '' };
    const skipped = review(['--offline-plans', '--only-stack', 'bootstrap'], noTerraform);
    expect(skipped.code).toBe(0);
    // Every AWS stack of the environment, named (twelve), and why.
    expect(skipped.err).toMatch(/^SKIPPED: offline plans of (?:[a-z-]+, ){11}[a-z-]+: \/nonexistent\/terraform cannot be run/m);
    expect(skipped.err).toContain(' bootstrap, ');
    expect(skipped.err).toContain('these stacks are reviewed from their synthesized JSON only');
    expect(skipped.out).toContain('SKIPPED offline plan: /nonexistent/terraform cannot be run');
    const required = review(['--offline-plans'], { ...noTerraform, TERRAFORM_CHECK_REQUIRED: '1' });
    expect(required.code).toBe(64);
    expect(required.err).toMatch(
      /^plan-review: cannot make the offline plans of (?:[a-z-]+, ){11}[a-z-]+: \/nonexistent\/terraform cannot be run .*\(TERRAFORM_CHECK_REQUIRED=1, so this is an error\)/,
    );
  }, 60_000);

  it('fails closed on an unknown action (exit 2)', () => {
    const { code } = review([
      '--plan',
      `global-foundation=${planFile([{ address: 'aws_vpc.v', type: 'aws_vpc', name: 'v', mode: 'managed', change: { actions: ['relocate'] } }])}`,
    ]);
    expect(code).toBe(2);
  }, 60_000);

  it('refuses a malformed plan, an unknown format and a price without a source (exit 64)', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'plan-')), 'plan.json');
    writeFileSync(broken, 'not json');
    expect(review(['--plan', `global-foundation=${broken}`])).toMatchObject({
      code: 64,
      err: expect.stringMatching(/plan-review: .*plan\.json: not JSON/),
    });
    // The flags were right: no usage text under the message.
    expect(review(['--plan', `global-foundation=${broken}`]).err).not.toContain('usage: plan-review');
    expect(review(['--plan', `global-foundation=${planFile([], '2.0')}`])).toMatchObject({
      code: 64,
      err: expect.stringMatching(/format 2\.0 is not supported/),
    });
    const prices = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
    writeFileSync(prices, JSON.stringify({ prices: { 'eks.cluster.hour': { usd: 0.1, unit: 'hour', date: '2025-06-01' } } }));
    expect(review(['--prices', prices])).toMatchObject({ code: 64, err: expect.stringMatching(/price "eks\.cluster\.hour" has no source/) });
  }, 60_000);

  it('diffs cost against a base synth: a removed GPU group shows as a saving', () => {
    const { appsDir, stackFile } = copyOfSynth();
    const file = stackFile('us-east', 'us-east-infra');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    for (const id of Object.keys(json.resource.aws_eks_node_group)) if (id.includes('gpu')) delete json.resource.aws_eks_node_group[id];
    writeFileSync(file, JSON.stringify(json));
    const { code, out } = review(['--apps', appsDir, '--base-synth', join(root, 'dist/prod'), '--only-stack', 'us-east-infra']);
    expect(code).toBe(0);
    // Two g5.2xlarge (2 x 730 h x $1.212) less the one the off-peak schedule removes 8 h a night: -$1,475.
    expect(out).toMatch(/\| compute \| \$[\d,]+ \| \$8,000 \| [-+]\$[\d,]+ \| -\$1,475 \|/);
    // The stack also loses the two GPU nodes' 100 GiB volumes (2 x 100 x $0.08).
    expect(out).toMatch(/\(-\$1,491 vs base\)/);
  }, 60_000);

  it('refuses output whose record names another environment than its folder (exit 64, with the fix)', () => {
    const { appsDir } = copyOfSynth();
    writeFileSync(
      join(appsDir, 'apac/out/prod/app/synth-environment.json'),
      JSON.stringify({ environment: 'staging', accountId: '222222222222', backend: 's3' }),
    );
    expect(review(['--apps', appsDir])).toMatchObject({
      code: 64,
      err: expect.stringContaining(
        'apac/out/prod/app holds the staging synth, not prod; fix: synthesize prod again (PLATFORM_ENV=prod npm run synth)',
      ),
    });
  }, 60_000);

  it('writes JSON for machines', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'review-')), 'review.json');
    expect(review(['--json', out, '--markdown', join(tmpdir(), 'review.md')]).code).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json).toMatchObject({ exitCode: 0, policy: { findings: [] } });
    expect(json.stacks).toHaveLength(6 + 3 * (apps.length - 2));
  }, 60_000);

  it.each([
    [['--plan', 'global-foundation'], '--plan takes <stack>=<file>'],
    [['--plan', '=plan.json'], '--plan takes <stack>=<file>'],
    [['--plan', 'no-such-stack=plan.json'], '--plan names stack "no-such-stack", which no app synthesizes'],
    [['--only-stack', 'no-such-stack'], '--only-stack names stack "no-such-stack", which no app synthesizes'],
    [['--today', '2026-12-4'], '--today 2026-12-4: expected YYYY-MM-DD'],
    [['--today', 'x2026-12-04'], '--today x2026-12-04: expected YYYY-MM-DD'],
    [['--today', '2026-12-04x'], '--today 2026-12-04x: expected YYYY-MM-DD'],
    [['--allow-destroy', ':aws_vpc.v'], '--allow-destroy :aws_vpc.v: expected <stack>:<address>'],
    [['--allow-destroy', 'us-east-infra:'], '--allow-destroy us-east-infra:: expected <stack>:<address>'],
    [['plans.json'], "Unexpected argument 'plans.json'"],
  ])('refuses %j (exit 64) with what to fix and the usage', (args, message) => {
    const { code, out, err } = review(args);
    expect([code, out]).toEqual([64, '']);
    expect(err).toContain(`plan-review: ${message}`);
    expect(err).toContain('usage: plan-review [options]');
  });

  it('refuses an allowance file that is not a list of entries naming stack, address and a reason of at least 20 characters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'allow-'));
    const file = (name: string, entries: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(entries));
      return join(dir, name);
    };
    const entry = { stack: 'global-foundation', address: 'aws_rds_cluster.primary', reason: 'restored into a new one' };
    const refusal = (path: string) => review(['--plan', `global-foundation=${planFile(replaceDatabase)}`, '--allow-destroy-file', path]);
    expect(refusal(file('object.json', entry))).toMatchObject({
      code: 64,
      err: expect.stringContaining('object.json: expected a JSON list of { stack, address, reason }'),
    });
    for (const field of ['stack', 'address', 'reason'])
      for (const value of [undefined, '', 7])
        expect([field, value, refusal(file('entry.json', [entry, { ...entry, [field]: value }])).err]).toEqual([
          field,
          value,
          expect.stringContaining(`entry.json[1]: ${field} is missing; fix: every allowed destroy names stack, address and reason`),
        ]);
    // Twenty characters is enough; nineteen is not.
    expect(refusal(file('twenty.json', [{ ...entry, reason: 'r'.repeat(20) }])).code).toBe(0);
    expect(refusal(file('nineteen.json', [{ ...entry, reason: 'r'.repeat(19) }]))).toMatchObject({
      code: 64,
      err: expect.stringContaining(`nineteen.json[0]: reason "${'r'.repeat(19)}" is too short to review`),
    });
  });

  it('reviews only the folders of --apps that hold an app (a cdktf.json)', () => {
    const { appsDir } = copyOfSynth();
    mkdirSync(join(appsDir, 'notes'));
    writeFileSync(join(appsDir, 'README.md'), 'not an app');
    const { code, out } = review(['--apps', appsDir]);
    expect(code).toBe(0);
    expect(out).toContain(`**PASS**: ${6 + 3 * (apps.length - 2)} stacks`);
  });

  it('warns about prices older than their refresh rule on the day given, and only then', () => {
    const prices = Object.keys(JSON.parse(readFileSync(join(root, 'packages/plan-review/data/prices.json'), 'utf8')).prices);
    // No price of the table was read before 2025-06-01, and none is due for a refresh on that day...
    expect(review(['--only-stack', 'bootstrap', '--today', '2025-06-01']).err).toBe('');
    // ...and every one of them is in 2099.
    expect(review(['--only-stack', 'bootstrap', '--today', '2099-01-01']).err).toBe(
      `warning: ${prices.length} price(s) older than their refresh rule (oldest read 2025-06-01); the JSON report lists them\n`,
    );
  });

  describe('--offline-plans (terraform stood in for: the real path is offline-environment.spec)', () => {
    const bucketCreated = {
      format_version: '1.2',
      terraform_version: '1.11.4',
      configuration: {},
      planned_values: {},
      resource_changes: [
        { address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', name: 'b', mode: 'managed', change: { actions: ['create'], before: null, after: {} } },
      ],
    };
    const planned: string[] = [];
    /** A stack's section of the report. */
    const section = (report: string, stack: string) => report.split('<!-- plan-review:').find((part) => part.startsWith(`${stack} -->`)) ?? '';
    const planner = (results: Record<string, 'planned' | 'failed' | 'not-planned'>): OfflinePlanner => ({
      findToolchain: (_env, awsVersion) => ({
        ok: true,
        toolchain: { terraform: '/stand-in/terraform', terraformVersion: '1.11.4', mirror: `/mirror/${awsVersion}` },
      }),
      planEnvironment: (_workRoot, toolchain, stacks) => {
        planned.push(toolchain.mirror, ...stacks.map((s) => s.name));
        return {
          order: [],
          phases: [],
          results: new Map(
            Object.entries(results).map(([stack, status]) => [
              stack,
              status === 'planned'
                ? { stack, status, planJson: bucketCreated, seconds: 1 }
                : status === 'failed'
                  ? { stack, status, error: 'first line\nsecond line\nthird line\nfourth line' }
                  : { stack, status, reason: 'needs a live cluster' },
            ]),
          ),
        };
      },
    });

    it('plans the AWS stacks not given a plan, reviews their plans, and notes the platform stacks with the reason', () => {
      planned.length = 0;
      const { code, out } = review(
        ['--offline-plans', '--plan', `global-foundation=${planFile([])}`],
        {},
        planner({ bootstrap: 'planned', 'global-access': 'not-planned' }),
      );
      expect(code).toBe(0);
      // The mirror of the stacks' pinned hashicorp/aws; the stacks given a --plan, and the platform ones, are not planned again.
      expect(planned[0]).toBe('/mirror/5.100.0');
      expect(planned.slice(1).sort()).toEqual([
        'apac-data',
        'apac-infra',
        'bootstrap',
        'eu-west-data',
        'eu-west-infra',
        'global-access',
        'global-data',
        'global-edge',
        'global-peering',
        'us-east-data',
        'us-east-infra',
      ]);
      expect(section(out, 'bootstrap')).toMatch(/\| \d+ \| 1 create \|[\s\S]*\ncreate +aws_s3_bucket\.b\n/);
      expect(section(out, 'global-access')).toMatch(/\| \d+ \| not planned: needs a live cluster \|/);
      expect(section(out, 'us-east-platform')).toMatch(/\| \d+ \| not planned: uses helm, kubernetes; only hashicorp\/aws is in the offline mirror/);
    });

    it('lets an unexpected error through as the bug it is, instead of calling it bad input (exit 64)', () => {
      const failing = (error: Error): OfflinePlanner => ({
        ...planner({}),
        planEnvironment: () => {
          throw error;
        },
      });
      expect(() => review(['--offline-plans'], {}, failing(new TypeError('x is undefined')))).toThrow('x is undefined');
      const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
      expect(() => review(['--offline-plans'], {}, failing(reset))).toThrow('read ECONNRESET');
      // Bad input names the fix, without the usage when the flags were right.
      const missing = Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open', path: '/x/plan.json' });
      expect(review(['--offline-plans'], {}, failing(missing))).toEqual({
        code: 64,
        out: '',
        err: 'plan-review: cannot open /x/plan.json: ENOENT; fix: check the path (and that the step that writes it ran)\n',
      });
    });

    it('fails (exit 64) when a stack that should plan offline does not, naming it and the first lines of why', () => {
      const { code, out, err } = review(['--offline-plans'], {}, planner({ bootstrap: 'planned', 'global-access': 'failed' }));
      expect(code).toBe(64);
      expect(section(out, 'global-access')).toMatch(/\| \d+ \| not planned: offline plan FAILED: first line second line third line \|/);
      expect(err).toContain('plan-review: 1 offline plan(s) failed:\nglobal-access: first line\nsecond line\nthird line\nfourth line');
    });
  });
});
