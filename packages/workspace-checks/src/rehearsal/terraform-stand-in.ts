// `terraform` for workflow rehearsals: the real binary, made offline. init and plan write an override file
// (local state, placeholder credentials, the account pin lifted) and providers from the mirror;
// plan runs without refresh or lock; show is real; apply only proves the saved plan is readable,
// since there is no account to apply to. Anything else is refused, so a new call is noticed.
import { offlineOverride, offlineTerraformEnv, writeTerraformCliConfig } from '@platform/terraform-check/offline';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const real = process.env['REHEARSAL_TERRAFORM'];
const mirror = process.env['REHEARSAL_MIRROR'];
if (!real || !mirror) {
  console.error('terraform stand-in: REHEARSAL_TERRAFORM and REHEARSAL_MIRROR must be set by the rehearsal');
  process.exit(2);
}
const args = process.argv.slice(2);
const chdirArg = args[0]?.startsWith('-chdir=') ? args.shift()! : undefined;
const dir = resolve(chdirArg ? chdirArg.slice('-chdir='.length) : '.');
const [command, ...rest] = args;
const workRoot = resolve(__dirname, '../../../../tmp/terraform-check');
// One config per mirror: a stand-in started with another mirror (its own spec) never rewrites the
// config a rehearsal's terraform is reading.
const cliConfig = join(workRoot, `rehearsal-${createHash('sha256').update(mirror).digest('hex').slice(0, 12)}.terraformrc`);
// Its own plugin cache: the rehearsal runs beside the validate tasks, which share theirs under a lock.
writeTerraformCliConfig(cliConfig, mirror, join(workRoot, 'rehearsal-plugin-cache'));
const run = (terraformArgs: string[], capture = false) => {
  const result = spawnSync(real, [...(chdirArg ? [chdirArg] : []), ...terraformArgs], {
    env: offlineTerraformEnv(cliConfig),
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return result;
};

/**
 * Writes the offline override beside the stack. A stack whose plan calls AWS (GetRandomPassword)
 * gets the offline AWS stand-in's endpoint; that stand-in lives as long as this process, so the
 * override is written again by the process that plans (one written at init would name a stand-in
 * gone with init: "connection refused").
 */
const writeOverride = () => {
  const json = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
  writeFileSync(join(dir, 'zz_rehearsal_override.tf.json'), JSON.stringify(offlineOverride(json, 'rehearsal.tfstate'), null, 2));
};

switch (command) {
  case 'init': {
    writeOverride();
    process.exit(run(['init', ...rest]).status ?? 1);
    break;
  }
  case 'plan':
    writeOverride();
    process.exit(run(['plan', '-refresh=false', '-lock=false', ...rest.filter((a) => !a.startsWith('-lock-timeout'))]).status ?? 1);
    break;
  case 'show': {
    const shown = run(['show', ...rest], true);
    process.stdout.write(shown.stdout ?? '');
    process.exit(shown.status ?? 1);
    break;
  }
  case 'apply': {
    const planFile = rest.find((a) => !a.startsWith('-'));
    if (!planFile) {
      console.error('terraform stand-in: apply without a saved plan file: CI applies only reviewed plans');
      process.exit(1);
    }
    const shown = run(['show', '-json', planFile], true);
    if (shown.status !== 0) process.exit(shown.status ?? 1);
    const changes = ((JSON.parse(shown.stdout) as { resource_changes?: { change: { actions: string[] } }[] }).resource_changes ?? []).filter(
      (c) => c.change.actions.join() !== 'no-op',
    );
    console.log(`rehearsal: would apply ${planFile} (${changes.length} resource changes); no account to apply to`);
    break;
  }
  default:
    console.error(`terraform stand-in: "${command}" is not rehearsed; teach packages/workspace-checks/src/rehearsal/terraform-stand-in.ts`);
    process.exit(1);
}
