import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { condition, interpolate, type ExpressionContext } from './expressions';

/**
 * Runs one job of a workflow on this machine as GitHub would run its steps: in order, in a fresh
 * checkout, with the workflow's, job's and step's env, GITHUB_OUTPUT / GITHUB_ENV / STEP_SUMMARY
 * files, `if:` conditions and step outputs. What needs GitHub or AWS is replaced by a stand-in:
 * actions (checkout, setup-*, credentials, artifacts), `gh` (artifacts and comments from a local
 * store), `npm ci` (node_modules is linked in), and `terraform` (the real binary, planned offline
 * against the provider mirror; `apply` only checks the plan file). So a step that reads what an
 * earlier step (or job) did not produce fails here, not in the first real pull request.
 */

const workspaceRoot = resolve(__dirname, '../../../..');

export interface Rehearsal {
  /** Where artifacts uploaded by one job wait for the next (artifact name → folder). */
  readonly store: string;
  /** Where stand-ins record the calls they answered (gh api ...). */
  readonly log: string;
  /** The bin folder of stand-ins, first on PATH. */
  readonly bin: string;
  readonly mirror: string;
  readonly terraform: string;
}

export interface JobRun {
  readonly ok: boolean;
  /** The step that failed, if any. */
  readonly failedStep?: string;
  readonly outputs: Record<string, string>;
  /** Everything the steps printed, step by step. */
  readonly transcript: string;
  readonly workspace: string;
  /** The job as it stood before the step named by `snapshotBefore`, if it got there. */
  readonly snapshot?: JobSnapshot;
}

/**
 * A job stopped before one of its steps: copies of its workspace and runner temp folder, its step
 * outputs and environment. A second run of the same job that differs only from that step on (a
 * secret only that step reads, say) resumes here instead of repeating the steps before it.
 */
export interface JobSnapshot {
  readonly step: string;
  readonly index: number;
  readonly workspace: string;
  readonly runnerTemp: string;
  readonly steps: ExpressionContext['steps'];
  readonly extraEnv: Record<string, string>;
  readonly secrets: Record<string, string>;
  /** Everything else the job ran with (workflow, job, contexts, stand-ins): a resume must match it. */
  readonly basis: Record<string, string>;
}

/** What a job's steps depend on besides its secrets and workspace, per field, for comparing runs. */
function basisOf(options: JobOptions): Record<string, string> {
  const { workflowText, job, github, matrix, inputs, needs, standInEnv } = options;
  return Object.fromEntries(
    Object.entries({ workflowText, job, github, matrix, inputs, needs, standInEnv }).map(([k, v]) => [k, JSON.stringify(v ?? null)]),
  );
}

export interface JobOptions {
  readonly workflowText: string;
  readonly job: string;
  readonly workspace: string;
  readonly github: Record<string, unknown>;
  readonly matrix?: Record<string, unknown>;
  readonly inputs?: Record<string, unknown>;
  readonly secrets?: Record<string, string>;
  readonly needs?: ExpressionContext['needs'];
  /** Extra environment for the stand-ins (e.g. what `gh run list` answers). */
  readonly standInEnv?: Record<string, string>;
  /** Keep a snapshot of the job before the step with this name (see JobSnapshot). */
  readonly snapshotBefore?: string;
  /**
   * Start from a snapshot of this job instead of from its first step. Refused when a step before
   * the snapshot reads a secret whose value differs in this run: those steps would not be the same.
   */
  readonly resume?: JobSnapshot;
}

/**
 * Copies `files` (paths relative to `from`; a folder with all it holds) into `to`, symbolic links
 * kept as links, in one tar stream (GNU and BSD tar alike). fs.cpSync walks a folder in JS, a call
 * per file: a synthesized checkout (~1,600 files) took it 45-65 ms alone into /dev/shm against
 * ~30 ms for the tar stream, and 0.5-0.9 s beside the rest of `npm test` (jest workers'
 * --cpu-prof, 2026-12-07).
 */
function copyFiles(from: string, files: readonly string[], to: string): void {
  if (!existsSync(from)) throw new Error(`rehearsal: cannot copy from ${from}: it does not exist`);
  const result = spawnSync('bash', ['-c', 'set -o pipefail; tar -cf - --null -T - | tar -xf - -C "$1"', 'copy', to], {
    cwd: from,
    input: files.join('\0'),
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`rehearsal: copying ${files.length} files from ${from} to ${to} failed: ${result.stderr || result.error?.message}`);
}

/** A copy of a folder (symbolic links kept as links, as node_modules is linked in). */
function copyOf(dir: string, prefix: string): string {
  const copy = mkdtempSync(join(tmpdir(), prefix));
  copyFiles(dir, ['.'], copy);
  return copy;
}

/** A folder of stand-ins and an artifact store shared by the jobs of one rehearsal. */
export function startRehearsal(toolchain: { mirror: string; terraform: string }): Rehearsal {
  const dir = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  const rehearsal = { store: join(dir, 'artifacts'), log: join(dir, 'calls.log'), bin: join(dir, 'bin'), ...toolchain };
  mkdirSync(rehearsal.store, { recursive: true });
  mkdirSync(rehearsal.bin, { recursive: true });
  const realNpm = spawnSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  const standIns: Record<string, string> = {
    npm: `#!/usr/bin/env bash\nif [ "$1" = ci ]; then echo "rehearsal: npm ci skipped (node_modules is linked in)"; exit 0; fi\nexec ${JSON.stringify(realNpm)} "$@"\n`,
    gh: [
      '#!/usr/bin/env bash',
      `echo "gh $*" >> ${JSON.stringify(rehearsal.log)}`,
      'if [ "$1 $2" = "run download" ]; then',
      '  name=""; dest="."; shift 3',
      '  while [ $# -gt 0 ]; do case "$1" in -n) name="$2"; shift 2;; -D) dest="$2"; shift 2;; *) shift;; esac; done',
      `  src=${JSON.stringify(rehearsal.store)}/"$name"`,
      '  if [ ! -d "$src" ]; then echo "no artifact named $name" >&2; exit 1; fi',
      '  mkdir -p "$dest" && cp -R "$src"/. "$dest"/ && exit 0',
      'fi',
      'if [ "$1 $2" = "run list" ]; then echo "${REHEARSAL_GH_RUN_LIST:-}"; exit 0; fi',
      'if [ "$1" = api ]; then',
      '  case "$2" in */pulls) echo "${REHEARSAL_GH_PR_HEAD:-}";; esac',
      '  exit 0',
      'fi',
      'echo "rehearsal: no stand-in for gh $*" >&2; exit 1',
      '',
    ].join('\n'),
    // `helm show chart`, answered from REHEARSAL_HELM_CHARTS: one "<oci ref> <version>" or
    // "<repository> <chart> <version>" per line, the charts the repositories hold.
    helm: [
      '#!/usr/bin/env bash',
      `echo "helm $*" >> ${JSON.stringify(rehearsal.log)}`,
      'if [ "$1 $2" != "show chart" ]; then echo "rehearsal: no stand-in for helm $*" >&2; exit 1; fi',
      'shift 2; repo=""; version=""; ref=""',
      'while [ $# -gt 0 ]; do case "$1" in --repo) repo="$2"; shift 2;; --version) version="$2"; shift 2;; *) ref="$1"; shift;; esac; done',
      'if printf "%s\\n" "${REHEARSAL_HELM_CHARTS:-}" | grep -qxF "${repo:+$repo }$ref $version"; then',
      '  printf "apiVersion: v2\\nname: %s\\nversion: %s\\n" "${ref##*/}" "$version"; exit 0',
      'fi',
      'echo "Error: chart \\"${ref##*/}\\" version \\"$version\\" not found in ${repo:-$ref} repository" >&2; exit 1',
      '',
    ].join('\n'),
    terraform: `#!/usr/bin/env bash\nexec ${JSON.stringify(process.execPath)} --require ${JSON.stringify(join(workspaceRoot, 'packages/ts-runner/register.cjs'))} ${JSON.stringify(join(__dirname, 'terraform-stand-in.ts'))} "$@"\n`,
  };
  for (const [name, script] of Object.entries(standIns)) {
    writeFileSync(join(rehearsal.bin, name), script);
    chmodSync(join(rehearsal.bin, name), 0o755);
  }
  return rehearsal;
}

/**
 * A fresh "checkout" of this working tree (tracked and new files, as they are now) as a git
 * repository with two commits: base, and head = base plus `headEdit`, so `nx affected` and
 * `git rev-parse HEAD^{tree}` behave as in a pull request. node_modules is linked, not copied.
 */
/** A pull request's change to one file: a text replaced (must occur), then text appended. */
export interface HeadEdit {
  readonly file: string;
  readonly replace?: readonly [string, string];
  readonly append?: string;
}

export function checkout(headEdit?: HeadEdit): { dir: string; baseSha: string; headSha: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rehearsal-checkout-'));
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: workspaceRoot, encoding: 'utf8' })
    .stdout.split('\0')
    .filter(Boolean);
  copyFiles(
    workspaceRoot,
    files.filter((file) => existsSync(join(workspaceRoot, file))),
    dir,
  );
  spawnSync('ln', ['-s', join(workspaceRoot, 'node_modules'), join(dir, 'node_modules')]);
  // Fixed dates: the same content gives the same commits in every checkout, as one repository would.
  const dates = { GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=rehearsal', '-c', 'user.email=rehearsal@localhost', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...dates },
    }).stdout.trim();
  git('init', '-q', '-b', 'main');
  // The link is not a folder, so .gitignore's `node_modules/` misses it; a real checkout has none.
  appendFileSync(join(dir, '.git/info/exclude'), '\nnode_modules\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const baseSha = git('rev-parse', 'HEAD');
  if (headEdit) {
    const path = join(dir, headEdit.file);
    if (headEdit.replace) {
      const before = readFileSync(path, 'utf8');
      if (!before.includes(headEdit.replace[0]))
        throw new Error(`rehearsal: ${headEdit.file} no longer contains "${headEdit.replace[0]}"; update the rehearsal's edit`);
      writeFileSync(path, before.replace(headEdit.replace[0], headEdit.replace[1]));
    }
    if (headEdit.append) appendFileSync(path, headEdit.append);
    git('commit', '-q', '-am', 'head');
  }
  return { dir, baseSha, headSha: git('rev-parse', 'HEAD') };
}

type Step = {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
};
type Job = { env?: Record<string, unknown>; steps?: Step[]; outputs?: Record<string, string> };

function readKeyValues(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (!existsSync(file)) return values;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      values[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) values[lines[i]!.slice(0, lines[i]!.indexOf('='))] = lines[i]!.slice(lines[i]!.indexOf('=') + 1);
  }
  return values;
}

/** Runs one job; returns whether it succeeded, its outputs and what it printed. */
export function rehearseJob(rehearsal: Rehearsal, options: JobOptions): JobRun {
  const workflow = parse(options.workflowText) as { env?: Record<string, unknown>; jobs: Record<string, Job> };
  const job = workflow.jobs[options.job];
  if (!job) throw new Error(`no job ${options.job} in the workflow`);
  const resume = options.resume;
  if (resume) {
    const basis = basisOf(options);
    const changed = Object.keys(basis).filter((field) => basis[field] !== resume.basis[field]);
    if (changed.length) throw new Error(`cannot resume ${options.job} before "${resume.step}": this run differs in ${changed.join(', ')}`);
    const before = JSON.stringify([workflow.env, job.env, (job.steps ?? []).slice(0, resume.index)]);
    const differing = [...before.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)]
      .map((m) => m[1]!)
      .filter((name) => (options.secrets ?? {})[name] !== resume.secrets[name]);
    if (differing.length)
      throw new Error(
        `cannot resume ${options.job} before "${resume.step}": the steps before it read ${[...new Set(differing)].join(', ')}, which differ in this run`,
      );
  }
  const workspace = resume ? copyOf(resume.workspace, 'rehearsal-resumed-') : options.workspace;
  const runnerTemp = resume ? copyOf(resume.runnerTemp, 'runner-temp-') : mkdtempSync(join(tmpdir(), 'runner-temp-'));
  const files = { output: join(runnerTemp, '_output'), env: join(runnerTemp, '_env'), summary: join(runnerTemp, '_summary') };
  const steps: ExpressionContext['steps'] = resume ? structuredClone(resume.steps) : {};
  let jobFailed = false;
  let failedStep: string | undefined;
  let snapshot: JobSnapshot | undefined;
  const extraEnv: Record<string, string> = resume ? { ...resume.extraEnv } : {};
  const transcript: string[] = [];
  const context = (env: Record<string, string>): ExpressionContext => ({
    github: { token: 'rehearsal-token', repository: 'owner/repo', server_url: 'https://github.com', run_id: '4242', ...options.github },
    env,
    steps,
    matrix: options.matrix ?? {},
    inputs: options.inputs ?? {},
    secrets: options.secrets ?? {},
    needs: options.needs ?? {},
    runner: { temp: runnerTemp, os: 'Linux' },
    jobFailed,
  });
  const stringsOf = (record: Record<string, unknown> | undefined, env: Record<string, string>) =>
    Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, interpolate(String(v), context(env))]));
  const workflowEnv = stringsOf(workflow.env, {});
  const jobEnv = { ...workflowEnv, ...stringsOf(job.env, workflowEnv) };

  for (const [index, step] of (job.steps ?? []).entries()) {
    const label = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index + 1}`;
    if (resume && index < resume.index) continue;
    if (label === options.snapshotBefore && !jobFailed)
      snapshot = {
        step: label,
        index,
        workspace: copyOf(workspace, 'rehearsal-snapshot-'),
        runnerTemp: copyOf(runnerTemp, 'runner-temp-snapshot-'),
        steps: structuredClone(steps),
        extraEnv: { ...extraEnv },
        secrets: { ...(options.secrets ?? {}) },
        basis: basisOf(options),
      };
    const baseEnv = { ...jobEnv, ...extraEnv };
    if (!condition(step.if, context(baseEnv))) {
      transcript.push(`--- ${label}: skipped (if: ${step.if ?? 'success()'})`);
      continue;
    }
    const env = { ...baseEnv, ...stringsOf(step.env, baseEnv) };
    const withValues = stringsOf(step.with, env);
    let ok = true;
    let printed = '';
    for (const file of Object.values(files)) writeFileSync(file, '', { flag: 'a' });
    writeFileSync(files.output, '');
    if (step.uses) {
      const action = step.uses.split('@')[0]!;
      const result = runAction(rehearsal, action, withValues, workspace);
      ok = result.ok;
      printed = result.printed;
      Object.assign(extraEnv, result.env ?? {});
    } else if (step.run) {
      const script = join(runnerTemp, `step-${index}.sh`);
      writeFileSync(script, interpolate(step.run, context(env)));
      const processEnv = {
        ...process.env,
        ...options.standInEnv,
        ...env,
        PATH: `${rehearsal.bin}:${process.env['PATH']}`,
        REHEARSAL_STORE: rehearsal.store,
        REHEARSAL_MIRROR: rehearsal.mirror,
        REHEARSAL_TERRAFORM: rehearsal.terraform,
        GITHUB_OUTPUT: files.output,
        GITHUB_ENV: files.env,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runnerTemp,
        CI: 'true',
        // A rehearsal must build, not replay: the checkout may carry an Nx cache of earlier runs.
        NX_SKIP_NX_CACHE: 'true',
      };
      const cwd = step['working-directory'] ? join(workspace, interpolate(step['working-directory'], context(env))) : workspace;
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd,
        env: processEnv,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      ok = result.status === 0;
      printed = `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}`;
      Object.assign(extraEnv, readKeyValues(files.env));
    }
    if (step.id) steps[step.id] = { outputs: readKeyValues(files.output), outcome: ok ? 'success' : 'failure' };
    transcript.push(`--- ${label}: ${ok ? 'ok' : 'FAILED'}\n${printed.trim()}`);
    if (!ok && !step['continue-on-error']) {
      jobFailed = true;
      failedStep ??= label;
    }
  }
  const outputs = stringsOf(job.outputs, jobEnv);
  return { ok: !jobFailed, failedStep, outputs, transcript: transcript.join('\n'), workspace, snapshot };
}

function runAction(
  rehearsal: Rehearsal,
  action: string,
  values: Record<string, string>,
  workspace: string,
): { ok: boolean; printed: string; env?: Record<string, string> } {
  switch (action) {
    case 'actions/checkout':
    case 'actions/setup-node':
    case 'hashicorp/setup-terraform':
    case 'azure/setup-helm':
      return { ok: true, printed: `rehearsal: ${action} stands in as the prepared checkout, this machine's node/terraform, the helm stand-in` };
    case 'aws-actions/configure-aws-credentials':
      // An empty role (a secret that was never passed) fails as it would on GitHub.
      if (!values['role-to-assume']) return { ok: false, printed: 'role-to-assume is empty: the secret was not passed to this job' };
      return {
        ok: true,
        printed: `rehearsal: would assume ${values['role-to-assume']}`,
        env: { AWS_ACCESS_KEY_ID: 'rehearsal', AWS_SECRET_ACCESS_KEY: 'rehearsal', AWS_REGION: values['aws-region'] ?? '' },
      };
    case 'actions/upload-artifact': {
      const source = resolve(workspace, values['path'] ?? '');
      // Stricter than GitHub's default (a warning): an upload of nothing is a broken hand-over.
      if (!values['name'] || !existsSync(source)) return { ok: false, printed: `upload-artifact: nothing at ${source}` };
      cpSync(source, join(rehearsal.store, values['name']), { recursive: true });
      return { ok: true, printed: `rehearsal: stored artifact ${values['name']}` };
    }
    default:
      return { ok: false, printed: `rehearsal: no stand-in for ${action}; add one to packages/workspace-checks/src/rehearsal/rehearse-job.ts` };
  }
}
