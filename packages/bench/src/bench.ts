// `npm run bench`: synth time and memory per app and for all apps, the commands a user types with
// Nx cold (no daemon, no cache, no workspace data): `npm run synth` (no Nx at all) and `nx run-many
// -t synth` (median of BENCH_RUNS each),
// `npm test` and `npm run review` (once each: minutes, not seconds), the unit tests alone, and a
// reference measured in the same run (a process that only loads the @cdktf/provider-aws root).
// Goals (issues 2 and 14): `npm run synth` faster than the reference; every synth peaks under
// 300 MiB; `npm test` under 60 s; in the growth scenario (growth.ts: 3, 6 and 12 regions),
// resources per added region stay flat apart from the peering mesh. Exits 1 when a goal is missed.
// BENCH_SKIP_SUITE=1 leaves out `npm test` and `npm run review` (a quick look at synth alone).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GrowthResult } from './growth';

const root = resolve(__dirname, '../../..');
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const scratch = (() => {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  return mkdtempSync(join(root, 'tmp/bench-'));
})();

interface Sample {
  readonly seconds: number;
  readonly peakRssMiB: number;
  /** What the process printed (the growth scenario prints its figures as JSON). */
  readonly stdout?: string;
  /** CPU time of the command and every process it waited for (user + system), where the OS tells. */
  readonly cpuSeconds?: number;
}

/**
 * CPU seconds of this process's reaped children and their reaped descendants (cutime + cstime in
 * /proc/self/stat, in clock ticks of 1/100 s on Linux); undefined elsewhere. Only meaningful
 * around one command at a time: the bench runs the user-typed commands one after another.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5) (cutime, cstime); the slice starts at field 3.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

let counter = 0;
/** Runs a command, returning wall time and (for node processes) peak RSS via the preload. */
function measure(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Sample> {
  const rssFile = join(scratch, `rss-${counter++}`);
  const started = process.hrtime.bigint();
  const cpuBefore = childrenCpuSeconds();
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...env,
        BENCH_RSS_FILE: rssFile,
        NODE_OPTIONS: `--require ${join(root, 'packages/bench/report-rss.cjs')}`,
        NX_DAEMON: 'false',
      },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}`));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let peakRssMiB = 0;
      try {
        peakRssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      } catch {
        /* not a node process */
      }
      const cpuAfter = childrenCpuSeconds();
      done({ seconds, peakRssMiB, stdout, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuSeconds: cpuAfter - cpuBefore } : {}) });
    });
  });
}

function median(samples: readonly Sample[]): Sample {
  const sorted = [...samples].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)]!;
  return {
    seconds: middle.seconds,
    peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
    ...(middle.cpuSeconds !== undefined ? { cpuSeconds: middle.cpuSeconds } : {}),
  };
}

async function repeat(times: number, sample: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < times; i++) samples.push(await sample());
  return median(samples);
}

const apps = readdirSync(join(root, 'apps')).sort();
const synthApp = (app: string) =>
  measure(process.execPath, ['--require', './packages/ts-runner/register.cjs', `apps/${app}/src/main.ts`], { CDKTF_OUTDIR: join(scratch, app) });

/** All apps the way `nx run-many -t synth` runs them on this machine: two at a time. */
async function synthAllApps(parallel: number): Promise<Sample> {
  const started = process.hrtime.bigint();
  const queue = [...apps];
  const results: Sample[] = [];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let app = queue.shift(); app; app = queue.shift()) results.push(await synthApp(app));
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMiB: Math.max(...results.map((r) => r.peakRssMiB)) };
}

/** A command as a user on a fresh clone types it: Nx without its daemon, cache or workspace data. */
function userTyped(args: readonly string[]): Promise<Sample> {
  rmSync(join(root, '.nx/workspace-data'), { recursive: true, force: true });
  // RSS is not shown: these run many processes and the preload keeps only the last one's.
  return measure('npm', args, { NX_SKIP_NX_CACHE: 'true', NX_TUI: 'false' }).then((s) => ({ ...s, peakRssMiB: 0 }));
}

/** One size of the growth scenario, with the peak RSS of its process. */
type Growth = GrowthResult & { readonly peakRssMiB: number };

/** The growth scenario (growth.ts): the platform with n regions, synthesized in one process, then validated. */
async function growth(regions: number): Promise<Growth> {
  const sample = await measure(process.execPath, [
    '--require',
    './packages/ts-runner/register.cjs',
    'packages/bench/src/growth.ts',
    String(regions),
    join(scratch, `growth-${regions}`),
  ]);
  return { ...(JSON.parse(sample.stdout!.trim().split('\n').at(-1)!) as GrowthResult), peakRssMiB: sample.peakRssMiB };
}

/** Prints the growth table and returns the goal: per added region, resources grow no faster from 6 to 12 than from 3 to 6 (the mesh aside). */
async function growthScenario(): Promise<{ goal: string; ratio: number; ok: boolean }> {
  console.log('\ngrowth (generated at bench time, never shipped): the same platform with more regions');
  console.log('regions  stacks  resources  peerings  synth s  peak MiB  largest SG (in)  validate s (AWS-only stacks, one combined run)');
  const sizes: Growth[] = [];
  for (const n of [3, 6, 12]) {
    const g = await growth(n);
    sizes.push(g);
    const validate =
      g.validateSeconds !== undefined
        ? `${g.validateSeconds.toFixed(1)}${g.invalid?.length ? ` INVALID: ${g.invalid.join(', ')}` : ''}`
        : `NOT RUN: ${g.validateNotRun}`;
    console.log(
      `${String(g.regions).padStart(7)} ${String(g.stacks).padStart(7)} ${String(g.resources).padStart(10)} ${String(g.peeringConnections).padStart(9)} ${g.synthSeconds.toFixed(2).padStart(8)} ${g.peakRssMiB.toFixed(0).padStart(9)} ${String(g.largestGroupInboundRules).padStart(10)}/60  ${validate}`,
    );
    for (const finding of g.securityGroupFindings) console.log(`  security groups at ${g.regions} regions: ${finding}`);
  }
  const [three, six, twelve] = sizes as [Growth, Growth, Growth];
  const perRegion = (a: Growth, b: Growth, pick: (g: Growth) => number) => (pick(b) - pick(a)) / (b.regions - a.regions);
  const withoutMesh = (g: Growth) => g.resources - g.meshResources;
  console.log(
    `per added region, 3->6 / 6->12: resources without the mesh ${perRegion(three, six, withoutMesh).toFixed(0)} / ${perRegion(six, twelve, withoutMesh).toFixed(0)}, ` +
      `synth ${perRegion(three, six, (g) => g.synthSeconds).toFixed(2)} / ${perRegion(six, twelve, (g) => g.synthSeconds).toFixed(2)} s` +
      (three.validateSeconds !== undefined
        ? `, validate ${perRegion(three, six, (g) => g.validateSeconds!).toFixed(1)} / ${perRegion(six, twelve, (g) => g.validateSeconds!).toFixed(1)} s`
        : '') +
      `; the mesh (peerings, their routes and rules): ${sizes.map((g) => `${g.meshResources} (${g.peeringConnections} peerings)`).join(', ')}`,
  );
  const ratio = perRegion(six, twelve, withoutMesh) / perRegion(three, six, withoutMesh);
  const invalid = sizes.some((g) => g.invalid?.length || g.securityGroupFindings.length);
  return {
    goal: 'growth: resources per added region flat (mesh aside), all valid, security groups within quota',
    ratio,
    ok: ratio <= 1.1 && !invalid,
  };
}

async function main(): Promise<number> {
  // CPU seconds are shown for the commands made of many processes (RSS for the single processes):
  // on two cores, wall time is at best half the CPU time.
  const row = (name: string, s: Sample) =>
    console.log(
      `${name.padEnd(44)} ${s.seconds.toFixed(2).padStart(7)} s ${
        s.peakRssMiB ? `${s.peakRssMiB.toFixed(0).padStart(6)} MiB` : s.cpuSeconds !== undefined ? `${s.cpuSeconds.toFixed(0).padStart(6)} CPU-s` : ''
      }`,
    );
  console.log(`benchmark: median of ${runs} runs, ${apps.length} apps, node ${process.version}\n`);
  await synthApp(apps[0]!); // warm the transpile cache and the file system once

  const reference = await repeat(runs, () => measure(process.execPath, ['-e', "require('@cdktf/provider-aws')"]));
  row("reference: require('@cdktf/provider-aws')", reference);
  const perApp: Record<string, Sample> = {};
  for (const app of apps) row(`synth ${app}`, (perApp[app] = await repeat(runs, () => synthApp(app))));
  const allSequential = await repeat(runs, () => synthAllApps(1));
  row('synth all apps, one after another', allSequential);
  const allParallel = await repeat(runs, () => synthAllApps(2));
  row('synth all apps, two at a time (2 cores)', allParallel);
  const typed = await repeat(runs, () => userTyped(['run', '-s', 'synth']));
  row('npm run synth (what a user types; no Nx)', typed);
  const nxSynth = await repeat(runs, () => userTyped(['exec', '--', 'nx', 'run-many', '-t', 'synth', '--output-style=static']));
  row('nx run-many -t synth (Nx cold: no daemon/cache/graph)', nxSynth);
  const unitTests = {
    ...(await measure(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'run-many', '-t', 'test', '--skip-nx-cache', '--parallel=2'])),
    peakRssMiB: 0,
  };
  row('unit tests alone: nx run-many -t test', unitTests);
  const skipSuite = process.env['BENCH_SKIP_SUITE'] === '1';
  const suite = skipSuite ? undefined : await userTyped(['test']);
  if (suite) row('npm test (Nx cold; lint, types, tests, plans, rehearsal)', suite);
  const review = skipSuite ? undefined : await userTyped(['run', '-s', 'review']);
  if (review) row('npm run review (Nx cold; synth, offline plans)', review);

  const growthGoal = await growthScenario();
  const maxRss = Math.max(...Object.values(perApp).map((s) => s.peakRssMiB));
  const goals = [
    {
      goal: 'npm run synth (what a user types) faster than the reference',
      ratio: typed.seconds / reference.seconds,
      ok: typed.seconds < reference.seconds,
    },
    { goal: 'all apps synth (2 at a time) vs the reference', ratio: allParallel.seconds / reference.seconds, ok: true },
    { goal: 'all apps synth (one after another) vs the reference', ratio: allSequential.seconds / reference.seconds, ok: true },
    { goal: 'peak RSS of any app synth under 300 MiB', ratio: maxRss / 300, ok: maxRss < 300 },
    suite
      ? { goal: 'npm test (cold) under 60 s', ratio: suite.seconds / 60, ok: suite.seconds < 60 }
      : { goal: 'npm test (cold) under 60 s: NOT MEASURED (BENCH_SKIP_SUITE=1)', ratio: Number.NaN, ok: false },
    growthGoal,
  ];
  console.log('');
  for (const g of goals) console.log(`${g.ok ? 'ok  ' : 'MISS'} ${g.goal.padEnd(56)} ratio ${g.ratio.toFixed(2)}`);
  return goals.every((g) => g.ok) ? 0 : 1;
}

main().then(
  (code) => {
    // The synth outputs and growth apps measured (~17 MB a run) go; after a crash they stay, for a look.
    rmSync(scratch, { recursive: true, force: true });
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    console.error(`bench: its scratch folder is kept for a look: ${scratch}`);
    process.exitCode = 1;
  },
);
