// Offline `terraform validate` of whole synthesized apps, with a report per app: what the CLI's
// `validate` and the Nx validate executor (packages/batch-executors) share. All the apps given are
// validated by one terraform run (validateStacks: the provider's schema loads once), and each app
// still gets its own verdict and report, as if it had been validated alone.
import { DEFAULT_ENVIRONMENT } from '@platform/config';
import { basename, resolve } from 'node:path';
import { readSynthesizedApp, type SynthesizedStack } from './synth-output';
import { findToolchain } from './toolchain';
import { isAwsOnly, validateStacks, type StackCheck } from './validate';

export interface AppValidation {
  /** The app folder, as given. */
  readonly appDir: string;
  readonly success: boolean;
  /** What to print for this app: a line per stack, terraform's diagnostics, or why nothing was checked. */
  readonly output: string;
}

/** The report line(s) of one stack, as `terraform-check validate` prints them. */
function stackReport(app: string, check: StackCheck): string {
  const where = `${app}/${check.stack}`;
  if (check.status === 'not-checked') return `- ${where}: not validated offline (${check.note})\n`;
  const warnings = check.diagnostics.filter((d) => d.severity === 'warning').length;
  let text = `${check.status === 'valid' ? 'ok' : 'FAIL'} ${where}: terraform validate ${check.status} in ${check.seconds.toFixed(1)} s${warnings ? `, ${warnings} warning(s)` : ''}\n`;
  for (const d of check.diagnostics) {
    const at = d.address ?? d.snippet?.context ?? undefined;
    const code = d.snippet?.code ? `\n      at: ${d.snippet.code.trim().slice(0, 300)}` : '';
    text += `    ${d.severity}: ${d.summary}${at ? ` (${at})` : ''}${d.detail ? `\n      ${d.detail.replace(/\n/g, '\n      ')}` : ''}${code}\n`;
  }
  return text;
}

/** The banner for stacks nobody could check: SKIPPED, or FAILED when the check is required (CI). */
function loudSkip(reason: string, stacks: readonly SynthesizedStack[], required: boolean): string {
  const names = stacks.filter(isAwsOnly).map((s) => `${s.app}/${s.name}`);
  const bar = '!'.repeat(100);
  return `${bar}\n${required ? 'FAILED' : 'SKIPPED'}: offline terraform validate of ${names.join(', ')}\n  why: ${reason}\n${required ? '  (TERRAFORM_CHECK_REQUIRED=1, so this is an error)' : '  these stacks were NOT checked against the real provider'}\n${bar}\n`;
}

/**
 * The environment a run is for: the one the task or command names, else PLATFORM_ENV, else prod.
 * A named one that disagrees with PLATFORM_ENV is refused (the output folder read would not be the
 * one the user means).
 */
export function environmentFor(named: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = env['PLATFORM_ENV'] || undefined;
  if (named && fromEnv && named !== fromEnv)
    throw new Error(`PLATFORM_ENV = "${fromEnv}" but --env=${named}; fix: run the task with -c ${fromEnv}, or unset PLATFORM_ENV`);
  return named ?? fromEnv ?? DEFAULT_ENVIRONMENT;
}

/**
 * Validates every AWS-only stack of `appDirs` (synthesized for `environment`) in one terraform run
 * under `workRoot`, and reports per app. A missing terraform or mirror is a loud skip, or a failure
 * of every app with AWS stacks when `TERRAFORM_CHECK_REQUIRED=1`. An app that has not been
 * synthesized fails alone, with the fix; the others are still validated.
 */
export function validateApps(workRoot: string, appDirs: readonly string[], environment: string, env: NodeJS.ProcessEnv): AppValidation[] {
  const read = appDirs.map((appDir) => {
    try {
      return { appDir, stacks: readSynthesizedApp(resolve(appDir), environment) };
    } catch (error) {
      return { appDir, stacks: [] as SynthesizedStack[], error: (error as Error).message };
    }
  });
  const all = read.flatMap((app) => app.stacks);
  const failedToRead = (app: (typeof read)[number]) =>
    app.error === undefined ? undefined : { appDir: app.appDir, success: false, output: `${basename(resolve(app.appDir))}: ${app.error}\n` };
  const awsVersions = [...new Set(all.filter(isAwsOnly).map((s) => s.providerVersions['aws'] ?? ''))];
  if (awsVersions.length === 0) {
    return read.map(
      (app) =>
        failedToRead(app) ?? {
          appDir: app.appDir,
          success: true,
          output: app.stacks
            .map((s) =>
              stackReport(s.app, {
                stack: s.name,
                status: 'not-checked',
                seconds: 0,
                diagnostics: [],
                note: `uses ${s.providers.join(', ') || 'no provider'}`,
              }),
            )
            .join(''),
        },
    );
  }
  if (awsVersions.length > 1) {
    const message = `stacks pin different hashicorp/aws versions (${awsVersions.join(', ')}); fix: keep one @cdktf/provider-aws version in package.json\n`;
    return read.map((app) => failedToRead(app) ?? { appDir: app.appDir, success: false, output: message });
  }
  const found = findToolchain(env, awsVersions[0]!);
  if (!found.ok) {
    const required = env['TERRAFORM_CHECK_REQUIRED'] === '1';
    return read.map(
      (app) =>
        failedToRead(app) ?? {
          appDir: app.appDir,
          success: !required || !app.stacks.some(isAwsOnly),
          output: app.stacks.some(isAwsOnly) ? loudSkip(found.reason, app.stacks, required) : '',
        },
    );
  }
  const checks = new Map(validateStacks(workRoot, found.toolchain, all).map((check, i) => [all[i]!, check]));
  return read.map((app) => {
    const unread = failedToRead(app);
    if (unread) return unread;
    const own = app.stacks.map((stack) => checks.get(stack)!);
    return {
      appDir: app.appDir,
      success: own.every((check) => check.status !== 'invalid'),
      output: own.map((check, i) => stackReport(app.stacks[i]!.app, check)).join(''),
    };
  });
}
