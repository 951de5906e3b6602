import { toolchainOrLoudSkip } from '@platform/terraform-check';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkout, rehearseJob, startRehearsal, type HeadEdit, type JobOptions, type JobRun, type Rehearsal } from './rehearse-job';

/**
 * What the workflow rehearsal's spec files share: the workflows, the tools they need (a loud skip,
 * or a failure in CI, when one is missing), and a pull request with the stand-in secrets its jobs
 * run with. The specs are split so that jest can run them side by side; each builds its own.
 */
const workflows = resolve(__dirname, '../../../../.github/workflows');
export const workflowText = (file: string) => readFileSync(join(workflows, file), 'utf8');

const AWS_VERSION = '5.100.0';
export const tools = toolchainOrLoudSkip(process.env, AWS_VERSION, 'workflow rehearsal (plan.yml -> apply.yml -> apply-stack.yml)');
const missing = ['jq', 'openssl', 'tar', 'git'].filter((tool) => spawnSync('bash', ['-c', `command -v ${tool}`]).status !== 0);
if (missing.length && process.env['TERRAFORM_CHECK_REQUIRED'] === '1')
  throw new Error(`workflow rehearsal NOT RUN: ${missing.join(', ')} missing (the workflows use them; .ci/run installs them)`);
if (missing.length) console.warn(`${'!'.repeat(80)}\nworkflow rehearsal NOT RUN: ${missing.join(', ')} missing\n${'!'.repeat(80)}`);
/** `describe` when terraform, its mirror and the workflows' tools are here; `describe.skip` (announced above) otherwise. */
export const describeWithTools = tools && missing.length === 0 ? describe : describe.skip;
/** `describe` when the workflows' shell tools are here (jobs that need no terraform). */
export const describeWithShellTools = missing.length === 0 ? describe : describe.skip;

/** A change to the bootstrap stack's JSON (its state key's description): plan.yml plans what changed. */
export const HEAD_EDIT: HeadEdit = {
  file: 'libs/state-store/src/state-store.ts',
  replace: ['Encrypts Terraform state in', 'Encrypts the Terraform state in'],
};
export const SECRETS = {
  PLAN_ROLE_ARN: 'arn:aws:iam::111111111111:role/254carbon-prod-ci-plan',
  APPLY_ROLE_ARN: 'arn:aws:iam::111111111111:role/254carbon-prod-ci-apply',
  PLAN_ARTIFACT_KEY: 'rehearsal-key',
};
export const BOOTSTRAP = { app: 'bootstrap', stack: 'bootstrap', dir: 'dist/prod/bootstrap/stacks/bootstrap', 'runs-on': 'ubuntu-latest' };

/** A fresh set of stand-ins and an empty artifact store. */
export const newRehearsal = (): Rehearsal => startRehearsal({ mirror: tools?.mirror ?? '', terraform: tools?.terraform ?? '' });

/** `ok`, or the job's transcript, so a failed expectation shows what the steps printed. */
export const explain = (run: { ok: boolean; transcript: string }) => (run.ok ? 'ok' : run.transcript);

/** Pull request 7, which makes HEAD_EDIT, and the jobs that run for it. */
export function pullRequest(rehearsal: Rehearsal = newRehearsal()) {
  const pr = checkout(HEAD_EDIT);
  const github = { event: { pull_request: { number: 7, base: { sha: pr.baseSha } } }, sha: pr.headSha };
  const planJob = (text: string, secrets: Record<string, string> = SECRETS, into: Rehearsal = rehearsal, run: Partial<JobOptions> = {}): JobRun =>
    rehearseJob(into, {
      workflowText: text,
      job: 'plan',
      // A resumed job works in a copy of its snapshot's checkout: no new checkout to make.
      workspace: run.resume ? run.resume.workspace : checkout(HEAD_EDIT).dir,
      github,
      matrix: BOOTSTRAP,
      secrets,
      ...run,
    });
  const applyStack = (workspace: string, into: Rehearsal = rehearsal, run: Partial<JobOptions> = {}): JobRun =>
    rehearseJob(into, {
      workflowText: workflowText('apply-stack.yml'),
      job: 'apply',
      workspace,
      github: { sha: pr.headSha },
      inputs: { stack: 'bootstrap', environment: 'prod-bootstrap', 'run-id': '4242', 'runs-on': '"ubuntu-latest"' },
      secrets: SECRETS,
      ...run,
    });
  return { rehearsal, pr, github, planJob, applyStack };
}
