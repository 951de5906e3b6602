// `@platform/synth-executor:synth`, the apps' synth target. Nx runs a target's tasks in batch
// when its executor has a batch implementation and prefers it (executors.json: preferBatch), so
// `nx run-many -t synth` and `nx affected -t synth` hand every app of the run to one call of synthBatch:
// each task is still hashed, cached, restored and reported per project; only the processes are shared.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { BatchExecutorTaskResult } from 'nx/src/config/misc-interfaces';
import type { ExecutorContext, TaskGraph } from 'nx/src/devkit-exports';
import { runSynthPool, type SynthJob } from './synth-pool';

export interface SynthOptions {
  /** The environment (libs/config/src/environments), set by the target's configuration. */
  readonly platformEnv: string;
  /** The entrypoint relative to the project root. */
  readonly main: string;
}

/**
 * Apps one worker takes before a second pays for itself: each worker loads cdktf, the provider
 * modules and the libs (~0.6 CPU-s) before its first app, and an app then takes ~0.1 s. Measured on
 * this 2-core machine, 2026-12-07 (the prod and staging apps through runSynthPool, alternating): 10
 * apps 1.33-1.45 s with one worker and 1.33-1.34 s with two (1.7-1.9 against 2.6 CPU-s); 20 apps
 * 2.18-2.23 s against 1.86-1.94 s. `npm run synth` of the 5 apps: 1.10-1.12 s against 1.17-1.36 s.
 */
export const APPS_PER_WORKER = 10;

/** Workers for a batch: one per APPS_PER_WORKER apps, at most one per core (the batch does all of a run's synth work). */
export function workerCount(jobs: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.ceil(jobs / APPS_PER_WORKER)));
}

function jobFor(project: string, options: SynthOptions, context: ExecutorContext): SynthJob {
  const projectRoot = context.projectsConfigurations.projects[project]?.root;
  if (projectRoot === undefined) throw new Error(`synth: project ${project} is not in the workspace`);
  return { project, main: resolve(context.root, projectRoot, options.main), environment: options.platformEnv };
}

/** Many apps (Nx batch mode): each task's result is yielded as soon as its app is written. */
export async function* synthBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, SynthOptions>,
  _overrides: SynthOptions,
  context: ExecutorContext,
): AsyncGenerator<BatchExecutorTaskResult> {
  const taskIdByProject = new Map<string, string>();
  const jobs = Object.values(taskGraph.tasks).map((task) => {
    taskIdByProject.set(task.target.project, task.id);
    return jobFor(task.target.project, inputs[task.id]!, context);
  });
  for await (const result of runSynthPool(jobs, { workers: workerCount(jobs.length), cwd: context.root })) {
    yield {
      task: taskIdByProject.get(result.job.project)!,
      result: { success: result.success, terminalOutput: result.output, startTime: result.startTime, endTime: result.endTime },
    };
  }
}

/** One app (`nx run <app>:synth --batch=false`): one worker of its own; prints the app's output when it is done. */
export async function synth(options: SynthOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const job = jobFor(context.projectName!, options, context);
  for await (const result of runSynthPool([job], { workers: 1, cwd: context.root })) {
    process.stdout.write(result.output);
    return { success: result.success };
  }
  return { success: false };
}
