import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkout, rehearseJob, startRehearsal } from './rehearsal/rehearse-job';
import {
  describeWithShellTools,
  describeWithTools,
  explain,
  newRehearsal,
  pullRequest,
  SECRETS,
  workflowText as text,
} from './rehearsal/pull-request';

/**
 * Defects each workflow job must catch on its own, rehearsed with the job's own steps (each with a
 * fresh rehearsal, so this file runs beside workflow-rehearsal.spec.ts), and ci.yml's chart check.
 */
describeWithTools('workflow rehearsal: what a plan job must refuse or skip', () => {
  const { planJob } = pullRequest();

  it("plan.yml stacks: a change that alters no stack's JSON (a comment) plans nothing", () => {
    const commentOnly = checkout({ file: 'apps/bootstrap/src/main.ts', append: '// a comment\n' });
    const run = rehearseJob(newRehearsal(), {
      workflowText: text('plan.yml'),
      job: 'stacks',
      workspace: commentOnly.dir,
      github: { event: { pull_request: { number: 8, base: { sha: commentOnly.baseSha } } }, sha: commentOnly.headSha },
    });
    expect(explain(run)).toBe('ok');
    expect(run.outputs).toMatchObject({ matrix: '[]', any: 'false' });
  }, 180_000);

  it('catches the plan job synthesizing only its own app while the review reads every app (the defect found)', () => {
    const broken = text('plan.yml').replace(/(- name: Synthesize every app\n\s+run: )npm run synth/, '$1npx nx run "$APP:synth"');
    expect(broken).not.toBe(text('plan.yml'));
    const run = planJob(broken, SECRETS, newRehearsal());
    expect(run).toMatchObject({ ok: false, failedStep: 'Review the plan' });
    expect(run.transcript).toMatch(/plan-review: .*manifest\.json does not exist/);
    expect(run.transcript).toContain('plan-review exited 64 (bad input)');
  }, 300_000);
});

// Needs jq and bash only (helm is a stand-in): runs wherever the shell tools are present.
describeWithShellTools('workflow rehearsal: ci.yml chart-versions', () => {
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
