import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkout, rehearseJob, type JobSnapshot } from './rehearsal/rehearse-job';
import { BOOTSTRAP, describeWithTools, explain, HEAD_EDIT, newRehearsal, pullRequest, SECRETS, workflowText as text } from './rehearsal/pull-request';

const PACKAGE_STEP = 'Package the reviewed plan, encrypted';

/**
 * The pull-request-to-production path, rehearsed job by job with the workflows' own `run:` steps:
 * plan.yml (stacks, then plan for bootstrap, the one stack that plans without other stacks' state),
 * apply.yml (reviewed-plans), apply-stack.yml (apply). Each job gets a fresh checkout, as on
 * GitHub; only artifacts travel between them. terraform really plans offline; AWS and GitHub are
 * stand-ins (rehearsal/rehearse-job.ts). The hand-overs this path depends on are broken here too;
 * the defects a job must catch on its own are in workflow-rehearsal-defects.spec.ts.
 */
describeWithTools('workflow rehearsal: pull request to production', () => {
  const { rehearsal, pr, github, planJob, applyStack } = pullRequest();

  it('plan.yml stacks: lists the stacks whose JSON changed, with their runners, and leaves an index for apply', () => {
    const run = rehearseJob(rehearsal, { workflowText: text('plan.yml'), job: 'stacks', workspace: pr.dir, github });
    expect(explain(run)).toBe('ok');
    expect(JSON.parse(run.outputs['matrix']!)).toEqual([BOOTSTRAP]);
    expect(run.outputs['any']).toBe('true');
    expect(JSON.parse(readFileSync(join(rehearsal.store, 'plan-index/stacks.json'), 'utf8'))).toEqual([BOOTSTRAP]);
  }, 180_000);

  let beforePackaging: JobSnapshot | undefined;

  it('plan.yml plan: plans, reviews, uploads the encrypted plan with its tree, then comments', () => {
    const run = planJob(text('plan.yml'), SECRETS, rehearsal, { snapshotBefore: PACKAGE_STEP });
    beforePackaging = run.snapshot;
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

  // The same job up to the packaging step (which alone reads the key), so it resumes there.
  it('fails a plan job that lost its encryption key rather than upload a readable plan', () => {
    const lost = newRehearsal();
    const run = planJob(text('plan.yml'), { ...SECRETS, PLAN_ARTIFACT_KEY: '' }, lost, { resume: beforePackaging });
    expect(run).toMatchObject({ ok: false, failedStep: PACKAGE_STEP });
    expect(run.transcript).toContain('secret PLAN_ARTIFACT_KEY is not set');
    expect(run.transcript.startsWith(`--- ${PACKAGE_STEP}: FAILED`)).toBe(true);
    // Nothing left the runner: the upload and the comment after the failed step were skipped.
    expect(readdirSync(lost.store)).toEqual([]);
  });

  it('resumes a job only where the steps before are the same: not when one of them reads a secret that differs, nor with another matrix', () => {
    expect(() => planJob(text('plan.yml'), { ...SECRETS, PLAN_ROLE_ARN: '' }, newRehearsal(), { resume: beforePackaging })).toThrow(
      'cannot resume plan before "Package the reviewed plan, encrypted": the steps before it read PLAN_ROLE_ARN, which differ in this run',
    );
    expect(() =>
      planJob(text('plan.yml'), SECRETS, newRehearsal(), { resume: beforePackaging, matrix: { ...BOOTSTRAP, stack: 'global-access' } }),
    ).toThrow('cannot resume plan before "Package the reviewed plan, encrypted": this run differs in matrix');
  });

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

  it('fails an apply whose plan artifact expired, instead of reading it as nothing to apply', () => {
    const run = applyStack(checkout(HEAD_EDIT).dir, newRehearsal());
    expect(run).toMatchObject({ ok: false, failedStep: 'Fetch and decrypt the reviewed plan' });
    expect(run.transcript).toContain('the reviewed plan of bootstrap (plan run 4242) is gone');
  }, 120_000);

  it('fails an apply when main is not the tree that was planned', () => {
    const moved = checkout({ ...HEAD_EDIT, append: '// and another merge\n' });
    const run = applyStack(moved.dir);
    expect(run).toMatchObject({ ok: false, failedStep: 'Main is exactly the tree that was planned' });
  }, 120_000);
});
