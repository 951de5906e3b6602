import { toolchainOrLoudSkip } from '@platform/terraform-check';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkout, rehearseJob, startRehearsal, type HeadEdit, type JobOptions, type Rehearsal } from './rehearsal/rehearse-job';

/**
 * The pull-request-to-production path, rehearsed job by job with the workflows' own `run:` steps:
 * plan.yml (stacks, then plan for bootstrap, the one stack that plans without other stacks' state),
 * apply.yml (reviewed-plans), apply-stack.yml (apply). Each job gets a fresh checkout, as on
 * GitHub; only artifacts travel between them. terraform really plans offline; AWS and GitHub are
 * stand-ins (rehearsal/rehearse-job.ts). Then the hand-overs are broken one at a time.
 */
const workflows = resolve(__dirname, '../../../.github/workflows');
const text = (file: string) => readFileSync(join(workflows, file), 'utf8');
const AWS_VERSION = '5.100.0';
const tools = toolchainOrLoudSkip(process.env, AWS_VERSION, 'workflow rehearsal (plan.yml -> apply.yml -> apply-stack.yml)');
const missing = ['jq', 'openssl', 'tar', 'git'].filter((tool) => spawnSync('bash', ['-c', `command -v ${tool}`]).status !== 0);
if (missing.length && process.env['TERRAFORM_CHECK_REQUIRED'] === '1')
  throw new Error(`workflow rehearsal NOT RUN: ${missing.join(', ')} missing (the workflows use them; .ci/run installs them)`);
if (missing.length) console.warn(`${'!'.repeat(80)}\nworkflow rehearsal NOT RUN: ${missing.join(', ')} missing\n${'!'.repeat(80)}`);
const runIt = tools && missing.length === 0 ? describe : describe.skip;

/** A change to the bootstrap stack's JSON (its state key's description): plan.yml plans what changed. */
const HEAD_EDIT: HeadEdit = {
  file: 'libs/state-store/src/state-store.ts',
  replace: ['Encrypts Terraform state in', 'Encrypts the Terraform state in'],
};
const SECRETS = {
  PLAN_ROLE_ARN: 'arn:aws:iam::111111111111:role/254carbon-prod-ci-plan',
  APPLY_ROLE_ARN: 'arn:aws:iam::111111111111:role/254carbon-prod-ci-apply',
  PLAN_ARTIFACT_KEY: 'rehearsal-key',
};
const BOOTSTRAP = { app: 'bootstrap', stack: 'bootstrap', dir: 'dist/prod/bootstrap/stacks/bootstrap', 'runs-on': 'ubuntu-latest' };

runIt('workflow rehearsal', () => {
  const rehearsal: Rehearsal = startRehearsal({ mirror: tools?.mirror ?? '', terraform: tools?.terraform ?? '' });
  const pr = checkout(HEAD_EDIT);
  const pullRequest = { event: { pull_request: { number: 7, base: { sha: pr.baseSha } } }, sha: pr.headSha };
  const planJob = (workflowText: string, secrets: Record<string, string> = SECRETS, into: Rehearsal = rehearsal): ReturnType<typeof rehearseJob> =>
    rehearseJob(into, { workflowText, job: 'plan', workspace: checkout(HEAD_EDIT).dir, github: pullRequest, matrix: BOOTSTRAP, secrets });
  const applyStack = (workspace: string, into: Rehearsal = rehearsal, run: Partial<JobOptions> = {}) =>
    rehearseJob(into, {
      workflowText: text('apply-stack.yml'),
      job: 'apply',
      workspace,
      github: { sha: pr.headSha },
      inputs: { stack: 'bootstrap', environment: 'prod-bootstrap', 'run-id': '4242', 'runs-on': '"ubuntu-latest"' },
      secrets: SECRETS,
      ...run,
    });
  const explain = (run: { ok: boolean; transcript: string }) => (run.ok ? 'ok' : run.transcript);

  it('plan.yml stacks: lists the stacks whose JSON changed, with their runners, and leaves an index for apply', () => {
    const run = rehearseJob(rehearsal, { workflowText: text('plan.yml'), job: 'stacks', workspace: pr.dir, github: pullRequest });
    expect(explain(run)).toBe('ok');
    expect(JSON.parse(run.outputs['matrix']!)).toEqual([BOOTSTRAP]);
    expect(run.outputs['any']).toBe('true');
    expect(JSON.parse(readFileSync(join(rehearsal.store, 'plan-index/stacks.json'), 'utf8'))).toEqual([BOOTSTRAP]);
  }, 180_000);

  it("plan.yml stacks: a change that alters no stack's JSON (a comment) plans nothing", () => {
    const commentOnly = checkout({ file: 'apps/bootstrap/src/main.ts', append: '// a comment\n' });
    const run = rehearseJob(startRehearsal({ mirror: tools!.mirror, terraform: tools!.terraform }), {
      workflowText: text('plan.yml'),
      job: 'stacks',
      workspace: commentOnly.dir,
      github: { event: { pull_request: { number: 8, base: { sha: commentOnly.baseSha } } }, sha: commentOnly.headSha },
    });
    expect(explain(run)).toBe('ok');
    expect(run.outputs).toMatchObject({ matrix: '[]', any: 'false' });
  }, 180_000);

  it('plan.yml plan: plans, reviews, uploads the encrypted plan with its tree, then comments', () => {
    const run = planJob(text('plan.yml'));
    expect(explain(run)).toBe('ok');
    const summary = JSON.parse(readFileSync(join(rehearsal.store, 'plan-bootstrap/summary.json'), 'utf8'));
    const tree = spawnSync('git', ['rev-parse', 'HEAD^{tree}'], { cwd: pr.dir, encoding: 'utf8' }).stdout.trim();
    expect(summary).toEqual({ stack: 'bootstrap', tree, reviewExit: 0, changes: expect.any(Number) });
    expect(summary.changes).toBeGreaterThan(5);
    expect(existsSync(join(rehearsal.store, 'plan-bootstrap/plan.tar.gz.enc'))).toBe(true);
    // The plan leaves the runner encrypted only: no readable plan next to it.
    expect(existsSync(join(rehearsal.store, 'plan-bootstrap/plan.json'))).toBe(false);
    expect(readFileSync(rehearsal.log, 'utf8')).toMatch(/gh api repos\/owner\/repo\/issues\/7\/comments -F body=@.*review\.md/);
  }, 300_000);

  it('apply.yml reviewed-plans: finds the plan run, checks every planned stack and lists those that change', () => {
    const run = rehearseJob(rehearsal, {
      workflowText: text('apply.yml'),
      job: 'reviewed-plans',
      workspace: checkout(HEAD_EDIT).dir,
      github: { sha: pr.headSha, event: { before: pr.baseSha } },
      standInEnv: { REHEARSAL_GH_PR_HEAD: pr.headSha, REHEARSAL_GH_RUN_LIST: '4242' },
    });
    expect(explain(run)).toBe('ok');
    expect(run.outputs).toMatchObject({ 'run-id': '4242', changed: '["bootstrap"]' });
  }, 120_000);

  it("apply-stack.yml: decrypts the reviewed plan, checks the tree, re-reviews with main's code, applies exactly that plan", () => {
    const run = applyStack(checkout(HEAD_EDIT).dir);
    expect(explain(run)).toBe('ok');
    expect(run.transcript).toMatch(/rehearsal: would apply tfplan \(\d+ resource changes\)/);
  }, 300_000);

  it('catches the plan job synthesizing only its own app while the review reads every app (the defect found)', () => {
    const broken = text('plan.yml').replace(/(- name: Synthesize every app\n\s+run: )npm run synth/, '$1npx nx run "$APP:synth"');
    expect(broken).not.toBe(text('plan.yml'));
    const run = planJob(broken, SECRETS, startRehearsal({ mirror: tools!.mirror, terraform: tools!.terraform }));
    expect(run).toMatchObject({ ok: false, failedStep: 'Review the plan' });
    expect(run.transcript).toMatch(/plan-review: .*manifest\.json does not exist/);
    expect(run.transcript).toContain('plan-review exited 64 (bad input)');
  }, 300_000);

  it('fails an apply whose plan artifact expired, instead of reading it as nothing to apply', () => {
    const empty = startRehearsal({ mirror: tools!.mirror, terraform: tools!.terraform });
    const run = applyStack(checkout(HEAD_EDIT).dir, empty);
    expect(run).toMatchObject({ ok: false, failedStep: 'Fetch and decrypt the reviewed plan' });
    expect(run.transcript).toContain('the reviewed plan of bootstrap (plan run 4242) is gone');
  }, 120_000);

  it('fails an apply when main is not the tree that was planned', () => {
    const moved = checkout({ ...HEAD_EDIT, append: '// and another merge\n' });
    const run = applyStack(moved.dir);
    expect(run).toMatchObject({ ok: false, failedStep: 'Main is exactly the tree that was planned' });
  }, 120_000);

  it('fails a plan job that lost its encryption key rather than upload a readable plan', () => {
    const run = planJob(
      text('plan.yml'),
      { PLAN_ROLE_ARN: SECRETS.PLAN_ROLE_ARN },
      startRehearsal({ mirror: tools!.mirror, terraform: tools!.terraform }),
    );
    expect(run).toMatchObject({ ok: false, failedStep: 'Package the reviewed plan, encrypted' });
    expect(run.transcript).toContain('secret PLAN_ARTIFACT_KEY is not set');
  }, 300_000);
});

// Needs jq and bash only (helm is a stand-in): runs wherever the tools above are present.
(missing.length === 0 ? describe : describe.skip)('workflow rehearsal: ci.yml chart-versions', () => {
  const workspaceRoot = resolve(__dirname, '../../..');
  const lock = JSON.parse(readFileSync(join(workspaceRoot, 'libs/platform/charts.lock.json'), 'utf8')) as {
    charts: Record<string, { repository: string; chart: string; version: string }>;
  };
  /** What `helm show chart` finds, in the stand-in's format: every locked chart, minus `except`. */
  const repositoriesHolding = (except?: string) =>
    Object.values(lock.charts)
      .filter(({ chart }) => chart !== except)
      .map(({ repository, chart, version }) =>
        repository.startsWith('oci://') ? `${repository}/${chart} ${version}` : `${repository} ${chart} ${version}`,
      )
      .join('\n');
  const run = (holding: string) =>
    rehearseJob(startRehearsal({ mirror: '', terraform: '' }), {
      workflowText: text('ci.yml'),
      job: 'chart-versions',
      workspace: workspaceRoot,
      github: {},
      standInEnv: { REHEARSAL_HELM_CHARTS: holding },
    });

  it('asks each repository for each pinned chart at its version (OCI by reference, others with --repo)', () => {
    const result = run(repositoriesHolding());
    expect(result.transcript).toContain('ok karpenter 1.14.1 (oci://public.ecr.aws/karpenter)');
    expect(result.transcript).toContain('ok grafana 12.11.1 (https://grafana-community.github.io/helm-charts)');
    expect(result.transcript.match(/^ok /gm)).toHaveLength(Object.keys(lock.charts).length);
    expect(result.ok).toBe(true);
  });

  it('fails, naming the chart and repository, when a pinned version does not exist', () => {
    const result = run(repositoriesHolding('kube-prometheus-stack'));
    expect(result).toMatchObject({ ok: false, failedStep: 'Every pinned chart exists at its version' });
    expect(result.transcript).toContain(
      '::error::kube-prometheus-stack 88.5.3 is not in https://prometheus-community.github.io/helm-charts: Error: chart "kube-prometheus-stack" version "88.5.3" not found',
    );
  });
});
