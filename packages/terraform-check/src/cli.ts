// Offline Terraform checks over synthesized apps: `terraform-check validate <app-dir>...`.
// Reads the environment (this is an entrypoint): TERRAFORM_BIN, TF_PROVIDER_MIRROR,
// TERRAFORM_CHECK_REQUIRED=1 (CI: a missing terraform or mirror fails instead of skipping).
import { CI_RUNNER_ROLES, ciRunnerLabel, type CiRunnerRole } from '@platform/eks-cluster';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { changedStacks, removedStacks } from './changed-stacks';
import { readSynthesizedApp, readSynthesizedOutput, type SynthesizedStack } from './synth-output';
import { findToolchain } from './toolchain';
import { isAwsOnly, validateStacks, type StackCheck } from './validate';

const workspaceRoot = resolve(__dirname, '../../..');
const workRoot = join(workspaceRoot, 'tmp/terraform-check');

function loudSkip(reason: string, stacks: readonly SynthesizedStack[]): number {
  const required = process.env['TERRAFORM_CHECK_REQUIRED'] === '1';
  const names = stacks.filter(isAwsOnly).map((s) => `${s.app}/${s.name}`);
  const bar = '!'.repeat(100);
  console.error(
    `${bar}\n${required ? 'FAILED' : 'SKIPPED'}: offline terraform validate of ${names.join(', ')}\n  why: ${reason}\n${required ? '  (TERRAFORM_CHECK_REQUIRED=1, so this is an error)' : '  these stacks were NOT checked against the real provider'}\n${bar}`,
  );
  return required ? 1 : 0;
}

function report(app: string, check: StackCheck): void {
  const where = `${app}/${check.stack}`;
  if (check.status === 'not-checked') {
    console.log(`- ${where}: not validated offline (${check.note})`);
    return;
  }
  const warnings = check.diagnostics.filter((d) => d.severity === 'warning').length;
  console.log(
    `${check.status === 'valid' ? 'ok' : 'FAIL'} ${where}: terraform validate ${check.status} in ${check.seconds.toFixed(1)} s${warnings ? `, ${warnings} warning(s)` : ''}`,
  );
  for (const d of check.diagnostics) {
    const where = d.address ?? d.snippet?.context ?? undefined;
    const code = d.snippet?.code ? `\n      at: ${d.snippet.code.trim().slice(0, 300)}` : '';
    console.log(
      `    ${d.severity}: ${d.summary}${where ? ` (${where})` : ''}${d.detail ? `\n      ${d.detail.replace(/\n/g, '\n      ')}` : ''}${code}`,
    );
  }
}

function validate(appDirs: readonly string[]): number {
  const stacks = appDirs.flatMap((dir) => readSynthesizedApp(resolve(dir)));
  const awsVersions = [...new Set(stacks.filter(isAwsOnly).map((s) => s.providerVersions['aws'] ?? ''))];
  if (awsVersions.length === 0) {
    stacks.forEach((s) =>
      report(s.app, { stack: s.name, status: 'not-checked', seconds: 0, diagnostics: [], note: `uses ${s.providers.join(', ') || 'no provider'}` }),
    );
    return 0;
  }
  if (awsVersions.length > 1) {
    console.error(
      `stacks pin different hashicorp/aws versions (${awsVersions.join(', ')}); fix: keep one @cdktf/provider-aws version in package.json`,
    );
    return 1;
  }
  const found = findToolchain(process.env, awsVersions[0]!);
  if (!found.ok) return loudSkip(found.reason, stacks);
  let failed = 0;
  // One terraform run for every AWS stack of the given apps (the provider schema loads once).
  for (const [i, check] of validateStacks(workRoot, found.toolchain, stacks).entries()) {
    report(stacks[i]!.app, check);
    if (check.status === 'invalid') failed++;
  }
  return failed > 0 ? 1 : 0;
}

/**
 * Prints the synthesized stacks of the given apps as JSON, for a CI matrix. With
 * `--runners <plan|apply> --label-prefix <env>`, each entry carries `runs-on`: GitHub-hosted for
 * AWS-only stacks, and for stacks that talk to a cluster its region's self-hosted runner group
 * (`<env>-<region>-<role>`, the label CiRunnerAccess's security groups are made for).
 */
function listStacks(args: readonly string[]): number {
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
    console.error(`list-stacks: --changed-against ${baseOutput} does not exist; fix: synthesize the base branch there first (its dist/apps)`);
    return 2;
  }
  if ((role === undefined) !== (prefix === undefined) || (role !== undefined && !(CI_RUNNER_ROLES as readonly string[]).includes(role))) {
    console.error(`list-stacks: --runners takes ${CI_RUNNER_ROLES.join(' or ')} and needs --label-prefix (the GitHub environment prefix, e.g. prod)`);
    return 2;
  }
  let stacks = appDirs.flatMap((dir) => readSynthesizedApp(resolve(dir)));
  if (baseOutput !== undefined) stacks = onlyChanged(stacks, appDirs, baseOutput);
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
function onlyChanged(stacks: SynthesizedStack[], appDirs: readonly string[], baseOutput: string): SynthesizedStack[] {
  const base = appDirs.flatMap((dir) => {
    const app = basename(resolve(dir));
    return existsSync(join(baseOutput, app, 'manifest.json')) ? readSynthesizedOutput(join(baseOutput, app), app) : [];
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
  if (command === 'validate' && args.length > 0) return validate(args);
  if (command === 'list-stacks') return listStacks(args);
  console.error(
    'usage: terraform-check validate <app-dir>... | list-stacks [--runners plan|apply --label-prefix <env>] [--changed-against <base dist/apps>] [<app-dir>...]',
  );
  return 2;
}

process.exitCode = main(process.argv.slice(2));
