// `npm run synth`: every app under apps/ synthesized for one environment (PLATFORM_ENV, default
// prod) by the worker pool Nx's synth batch uses (synth-pool.ts), without Nx. The command a user
// types pays no Nx start-up (project graph, hashing: ~0.8 s of a cold 2.2 s `nx run-many -t synth`,
// 2026-12-07) and writes the same dist/<env>/<app>; `nx run-many -t synth` and `nx affected -t
// synth` stay the cached, per-app path (CI, deploy targets, tests). Then the environment's notes.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workerCount } from './synth-executor';
import { runSynthPool, type SynthJob } from './synth-pool';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript, run alone by terraform-check/cdktf-in-environment.sh
const printNotes = require('./print-notes.cjs') as (environment: string, apps?: readonly string[], dist?: string) => void;

const workspaceRoot = resolve(__dirname, '../../..');

/** Every app: a folder under apps/ with a cdktf.json; its entrypoint is src/main.ts (the synth target's default). */
export function appJobs(root: string, environment: string): SynthJob[] {
  const apps = join(root, 'apps');
  return readdirSync(apps, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(apps, entry.name, 'cdktf.json')))
    .map((entry) => entry.name)
    .sort()
    .map((project) => {
      const main = join(apps, project, 'src/main.ts');
      if (!existsSync(main)) throw new Error(`apps/${project} has a cdktf.json but no src/main.ts; fix: add its entrypoint, or remove the folder`);
      return { project, main, environment };
    });
}

/**
 * Synthesizes every app of `root` for `environment`, printing each app's result as it finishes,
 * then the environment's notes. 0 when every app synthesized, 1 when one failed, 2 on bad usage.
 */
export async function synthAll(root: string, environment: string, args: readonly string[], print: (text: string) => void): Promise<number> {
  if (args.length > 0) {
    print(
      `npm run synth takes no arguments (got ${args.join(' ')}): it synthesizes every app for PLATFORM_ENV (default prod); for some apps or Nx's options: npx nx run-many -t synth -c <env> -p <apps>\n`,
    );
    return 2;
  }
  const jobs = appJobs(root, environment);
  let failed = 0;
  // A configuration error fails every app alike (an unknown PLATFORM_ENV): say it once.
  const firstWithOutput = new Map<string, string>();
  for await (const result of runSynthPool(jobs, { workers: workerCount(jobs.length), cwd: root })) {
    const seconds = ((result.endTime - result.startTime) / 1000).toFixed(1);
    const heading = `${result.success ? 'ok' : 'FAILED'} synth ${result.job.project} (${environment}) in ${seconds} s`;
    const same = result.success ? undefined : firstWithOutput.get(result.output);
    print(same ? `${heading}: the same error as ${same}\n` : `${heading}\n${result.output}`);
    if (!result.success) {
      failed++;
      if (!same) firstWithOutput.set(result.output, result.job.project);
    }
  }
  if (failed > 0) {
    print(`${failed} of ${jobs.length} apps failed to synthesize (${environment}); see their output above\n`);
    return 1;
  }
  print(`synthesized ${jobs.length} apps to dist/${environment}\n`);
  printNotes(environment, [], join(root, 'dist'));
  return 0;
}

if (require.main === module)
  void synthAll(workspaceRoot, process.env['PLATFORM_ENV'] || 'prod', process.argv.slice(2), (text) => process.stdout.write(text)).then(
    (code) => (process.exitCode = code),
  );
