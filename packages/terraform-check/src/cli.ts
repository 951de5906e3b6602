// Offline Terraform checks over synthesized apps: `terraform-check validate [--env=<env>] [<app-dir>...]`.
// Reads the environment (this is an entrypoint): PLATFORM_ENV (the output read is dist/<env>/<app>;
// `--env` wins and must agree), TERRAFORM_BIN, TF_PROVIDER_MIRROR, TERRAFORM_CHECK_REQUIRED=1 (CI: a
// missing terraform or mirror fails instead of skipping). No app folder given: every app under apps/.
import { CI_RUNNER_ROLES, ciRunnerLabel, type CiRunnerRole } from '@platform/eks-cluster';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { changedStacks, removedStacks } from './changed-stacks';
import { readSynthesizedApp, readSynthesizedOutput, type SynthesizedStack } from './synth-output';
import { isAwsOnly } from './validate';
import { environmentFor, validateApps } from './validate-apps';

const workspaceRoot = resolve(__dirname, '../../..');
const workRoot = join(workspaceRoot, 'tmp/terraform-check');

/** Every app folder under apps/, for commands given none. */
function allAppDirs(): string[] {
  const apps = join(workspaceRoot, 'apps');
  return readdirSync(apps, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(apps, entry.name, 'cdktf.json')))
    .map((entry) => join(apps, entry.name))
    .sort();
}

/** `--env=<env>` (what Nx passes from a target configuration), else PLATFORM_ENV, else prod; the two must agree. */
function environmentOf(args: string[]): string {
  const index = args.findIndex((arg) => arg.startsWith('--env='));
  return environmentFor(index >= 0 ? args.splice(index, 1)[0]!.slice('--env='.length) : undefined, process.env);
}

/** One terraform run for every AWS stack of the given apps (the provider schema loads once), a report per app. */
function validate(appDirs: readonly string[], environment: string): number {
  const results = validateApps(workRoot, appDirs, environment, process.env);
  for (const result of results) process.stdout.write(result.output);
  return results.every((result) => result.success) ? 0 : 1;
}

/**
 * Prints the synthesized stacks of the given apps as JSON, for a CI matrix. With
 * `--runners <plan|apply> --label-prefix <env>`, each entry carries `runs-on`: GitHub-hosted for
 * AWS-only stacks, and for stacks that talk to a cluster its region's self-hosted runner group
 * (`<env>-<region>-<role>`, the label CiRunnerAccess's security groups are made for).
 */
function listStacks(args: readonly string[], environment: string): number {
  const appDirs: string[] = [];
  let role: string | undefined;
  let prefix: string | undefined;
  let baseOutput: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runners') role = args[++i];
    else if (args[i] === '--label-prefix') prefix = args[++i];
    else if (args[i] === '--changed-against') baseOutput = args[++i];
    else appDirs.push(args[i]!);
  }
  if (baseOutput !== undefined && !existsSync(baseOutput)) {
    console.error(
      `list-stacks: --changed-against ${baseOutput} does not exist; fix: synthesize the base branch there first (its dist/${environment})`,
    );
    return 2;
  }
  if ((role === undefined) !== (prefix === undefined) || (role !== undefined && !(CI_RUNNER_ROLES as readonly string[]).includes(role))) {
    console.error(`list-stacks: --runners takes ${CI_RUNNER_ROLES.join(' or ')} and needs --label-prefix (the GitHub environment prefix, e.g. prod)`);
    return 2;
  }
  if (appDirs.length === 0) appDirs.push(...allAppDirs());
  let stacks = appDirs.flatMap((dir) => readSynthesizedApp(resolve(dir), environment));
  if (baseOutput !== undefined) stacks = onlyChanged(stacks, appDirs, baseOutput, environment);
  const runsOn = (stack: SynthesizedStack) =>
    isAwsOnly(stack) ? 'ubuntu-latest' : ['self-hosted', ciRunnerLabel(prefix!, stack.app, role as CiRunnerRole)];
  console.log(
    JSON.stringify(
      stacks.map((s) => ({ app: s.app, stack: s.name, dir: s.dir.slice(workspaceRoot.length + 1), ...(role ? { 'runs-on': runsOn(s) } : {}) })),
    ),
  );
  return 0;
}

/** Keeps the stacks whose synthesized JSON differs from the base branch's; says why on stderr. */
function onlyChanged(stacks: SynthesizedStack[], appDirs: readonly string[], baseOutput: string, environment: string): SynthesizedStack[] {
  const base = appDirs.flatMap((dir) => {
    const app = basename(resolve(dir));
    return existsSync(join(baseOutput, app, 'manifest.json')) ? readSynthesizedOutput(join(baseOutput, app), app, environment) : [];
  });
  const changes = changedStacks(stacks, base);
  for (const change of changes) console.error(`plan ${change.stack}: ${change.reason}`);
  for (const removed of removedStacks(stacks, base))
    console.error(
      `::warning::${removed} is in the base branch and not in this one: its resources stay in state, unplanned; destroy them before removing the stack`,
    );
  if (changes.length === 0) console.error("no stack's synthesized configuration changed: nothing to plan");
  const names = new Set(changes.map((c) => c.stack));
  return stacks.filter((s) => names.has(s.name));
}

function main(argv: readonly string[]): number {
  const [command, ...args] = argv;
  let environment: string;
  try {
    environment = environmentOf(args);
  } catch (error) {
    console.error(`terraform-check: ${(error as Error).message}`);
    return 2;
  }
  if (command === 'validate') return validate(args.length > 0 ? args : allAppDirs(), environment);
  if (command === 'list-stacks') return listStacks(args, environment);
  console.error(
    'usage: terraform-check validate [--env=<env>] [<app-dir>...] | list-stacks [--env=<env>] [--runners plan|apply --label-prefix <env>] [--changed-against <base dist/<env>>] [<app-dir>...]\n  (no app folder: every app under apps/)',
  );
  return 2;
}

process.exitCode = main(process.argv.slice(2));
