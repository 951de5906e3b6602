import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { APPS_PER_WORKER, synth, synthBatch, workerCount } from './synth-executor';
import { runSynthPool, type SynthJob, type SynthResult } from './synth-pool';

const workspaceRoot = resolve(__dirname, '../../..');

/** Entrypoints standing in for apps: each does what its name says when loaded. */
function fakeApps(): Record<string, string> {
  const folder = mkdtempSync(join(tmpdir(), 'synth-pool-'));
  const apps: Record<string, string> = {
    prints: `console.log('synth of ' + process.env.NX_TASK_TARGET_PROJECT + ' with ' + process.argv.slice(2).join(' ') + ' in pid ' + process.pid);`,
    'config-error': `console.error('synth failed: bad config'); process.exitCode = 1;`,
    throws: `throw new Error('construct exploded');`,
    crashes: `process.exit(7);`,
    'prints-too': `console.log('second app in pid ' + process.pid);`,
  };
  return Object.fromEntries(
    Object.entries(apps).map(([name, source]) => {
      const main = join(folder, `${name}.ts`);
      writeFileSync(main, `${source}\nexport {};\n`);
      return [name, main];
    }),
  );
}

async function collect(jobs: readonly SynthJob[], workers: number): Promise<Record<string, SynthResult>> {
  const results: Record<string, SynthResult> = {};
  for await (const result of runSynthPool(jobs, { workers, cwd: workspaceRoot })) results[result.job.project] = result;
  return results;
}

describe('synth pool', () => {
  const apps = fakeApps();
  const job = (project: string, environment = 'staging'): SynthJob => ({ project, main: apps[project]!, environment });

  it("runs each app as its own entrypoint would run: the task's project and --env, its output kept apart", async () => {
    const results = await collect([job('prints'), job('prints-too')], 1);
    expect(results['prints']).toMatchObject({ success: true });
    expect(results['prints']!.output).toMatch(/^synth of prints with --env=staging in pid (\d+)\n$/);
    // One worker: both apps ran in the same process, each with only its own output.
    const pid = /pid (\d+)/.exec(results['prints']!.output)![1];
    expect(results['prints-too']!.output).toBe(`second app in pid ${pid}\n`);
  });

  it('fails only the app that failed: a configuration error, an exception, a worker that dies', async () => {
    const after = (failure: string): SynthJob => ({ ...job('prints'), project: `after-${failure}` });
    const results = await collect([job('config-error'), after('config-error'), job('throws'), after('throws'), job('crashes'), after('crashes')], 1);
    expect(results['config-error']).toMatchObject({ success: false, output: 'synth failed: bad config\n' });
    expect(results['throws']!.success).toBe(false);
    expect(results['throws']!.output).toMatch(/^Error: construct exploded\n\s+at /);
    expect(results['crashes']!.success).toBe(false);
    expect(results['crashes']!.output).toMatch(
      /^synth worker \(pid \d+\) exited while synthesizing crashes; rerun it alone: nx run crashes:synth --batch=false\n$/,
    );
    // Neither the exit code nor the exception carries over to the next app, and after the crash
    // a new worker takes over.
    for (const failure of ['config-error', 'throws', 'crashes']) {
      expect(results[`after-${failure}`]).toMatchObject({ success: true, output: expect.stringMatching(`^synth of after-${failure} with`) });
    }
    const pid = (project: string) => /pid (\d+)/.exec(results[project]!.output)![1];
    expect(pid('after-throws')).toBe(pid('after-config-error'));
    expect(pid('after-crashes')).not.toBe(pid('after-throws'));
  });

  it('starts a second worker only when there are more apps than one worker takes, and never more workers than cores', async () => {
    expect(APPS_PER_WORKER).toBe(10);
    expect(workerCount(5, 2)).toBe(1); // the platform's five apps: one worker is as fast, ~0.7 CPU-s cheaper
    expect(workerCount(10, 2)).toBe(1);
    expect(workerCount(11, 2)).toBe(2);
    expect(workerCount(45, 2)).toBe(2);
    expect(workerCount(45, 8)).toBe(5);
    expect(workerCount(1, 8)).toBe(1);
    expect(workerCount(0, 2)).toBe(1);
    const results = await collect([job('prints'), job('prints-too')], 2);
    const pids = Object.values(results).map((result) => /pid (\d+)/.exec(result.output)![1]);
    expect(new Set(pids).size).toBe(2);
  });
});

describe('synth executor (Nx batch mode)', () => {
  it('reports each task by its id, from the project root and main of its own options', async () => {
    const apps = fakeApps();
    const root = (main: string) => relative(workspaceRoot, resolve(main, '..'));
    const task = (project: string) => ({ id: `${project}:synth:prod`, target: { project, target: 'synth', configuration: 'prod' } });
    const taskGraph = { tasks: { 'prints:synth:prod': task('prints'), 'config-error:synth:prod': task('config-error') } };
    const context = {
      root: workspaceRoot,
      projectsConfigurations: { projects: { prints: { root: root(apps['prints']!) }, 'config-error': { root: root(apps['config-error']!) } } },
    };
    const results: Record<string, { success: boolean; terminalOutput?: string }> = {};
    const batch = synthBatch(
      taskGraph as never,
      {
        'prints:synth:prod': { platformEnv: 'prod', main: 'prints.ts' },
        'config-error:synth:prod': { platformEnv: 'prod', main: 'config-error.ts' },
      },
      { platformEnv: 'prod', main: 'src/main.ts' },
      context as never,
    );
    for await (const { task: id, result } of batch) results[id] = result;
    expect(results['prints:synth:prod']).toMatchObject({
      success: true,
      terminalOutput: expect.stringMatching(/^synth of prints with --env=prod in pid/),
    });
    expect(results['config-error:synth:prod']).toMatchObject({ success: false, terminalOutput: 'synth failed: bad config\n' });
  });
});

describe('synth executor (one task, --batch=false)', () => {
  it("runs the task's project and fails when its app fails", async () => {
    const apps = fakeApps();
    const context = (project: string) => ({
      root: workspaceRoot,
      projectName: project,
      projectsConfigurations: { projects: { [project]: { root: relative(workspaceRoot, resolve(apps[project]!, '..')) } } },
    });
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
    try {
      expect(await synth({ platformEnv: 'staging', main: 'prints.ts' }, context('prints') as never)).toEqual({ success: true });
      expect(await synth({ platformEnv: 'staging', main: 'config-error.ts' }, context('config-error') as never)).toEqual({ success: false });
    } finally {
      write.mockRestore();
    }
    expect(printed[0]).toMatch(/^synth of prints with --env=staging in pid \d+\n$/);
  });
});

describe('apps synthesized in one worker', () => {
  // Apps share a worker's module cache; any state one leaves in a module would show up here as
  // a difference from the same app synthesized alone.
  const files = (folder: string): Record<string, string> =>
    Object.fromEntries(
      readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => {
          const path = join(entry.parentPath, entry.name);
          return [relative(folder, path), readFileSync(path, 'utf8')];
        }),
    );

  it('write exactly what each app writes alone (global, then bootstrap)', async () => {
    const outdir = (app: string, way: string) => join(mkdtempSync(join(tmpdir(), `synth-${way}-`)), app);
    const main = (app: string) => join(workspaceRoot, 'apps', app, 'src/main.ts');
    const alone: Record<string, string> = {};
    for (const app of ['global', 'bootstrap']) {
      alone[app] = outdir(app, 'alone');
      execFileSync(process.execPath, ['--require', join(workspaceRoot, 'packages/ts-runner/register.cjs'), main(app)], {
        cwd: workspaceRoot,
        env: { ...process.env, CDKTF_OUTDIR: alone[app], NX_TASK_TARGET_PROJECT: app },
      });
    }
    const pooled = mkdtempSync(join(tmpdir(), 'synth-pooled-'));
    const results = await collect(
      ['global', 'bootstrap'].map((app) => ({ project: app, main: main(app), environment: 'prod', env: { CDKTF_OUTDIR: join(pooled, app) } })),
      1,
    );
    expect(Object.values(results).map((result) => [result.job.project, result.success, result.output])).toEqual([
      ['global', true, ''],
      ['bootstrap', true, ''],
    ]);
    for (const app of ['global', 'bootstrap']) expect(files(join(pooled, app))).toEqual(files(alone[app]!));
  });
});
