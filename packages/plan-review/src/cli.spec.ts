import { loadEnvironment } from '@platform/config';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
/** Every app, in rollout order: the global ones, then one per configured region (npm run sync:regions keeps apps/ in step). */
const apps = ['bootstrap', 'global', ...loadEnvironment('prod').regions.map((region) => region.name)];

function review(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    ['--require', join(root, 'packages/ts-runner/register.cjs'), join(root, 'packages/plan-review/src/cli.ts'), ...args],
    { encoding: 'utf8', env: { ...process.env, ...env }, cwd: root },
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
    const { code, out } = review([]);
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
    const missing = review(['--plan', 'global-foundation=/nonexistent/plan.json']);
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
});
