// What the batch executors share: Nx hands a batch as a task graph and options per task, and wants
// each task's result back; the executors work in jobs (one per task) and yield results per job.
import type { BatchExecutorTaskResult } from 'nx/src/config/misc-interfaces';
import type { ExecutorContext, TaskGraph } from 'nx/src/devkit-exports';

export interface JobResult<J> {
  readonly job: J;
  readonly success: boolean;
  /** What the task prints, as the tool would have printed it for this project alone. */
  readonly output: string;
  readonly startTime: number;
  readonly endTime: number;
}

type Results<J> = AsyncIterable<JobResult<J>> | Iterable<JobResult<J>> | Promise<Iterable<JobResult<J>>>;

/** The project's directory, relative to the workspace root. */
export function projectRootOf(context: ExecutorContext, project: string, executor: string): string {
  const root = context.projectsConfigurations.projects[project]?.root;
  if (root === undefined) throw new Error(`${executor}: project ${project} is not in the workspace`);
  return root;
}

/** Runs one job per task of the batch and yields each task's result as its job's result arrives. */
export async function* perTask<O, J extends object>(
  taskGraph: TaskGraph,
  inputs: Record<string, O>,
  jobFor: (project: string, options: O) => J,
  run: (jobs: J[]) => Results<J>,
): AsyncGenerator<BatchExecutorTaskResult> {
  const taskOf = new Map<J, string>();
  const jobs = Object.values(taskGraph.tasks).map((task) => {
    const job = jobFor(task.target.project, inputs[task.id]!);
    taskOf.set(job, task.id);
    return job;
  });
  for await (const result of await run(jobs)) {
    yield {
      task: taskOf.get(result.job)!,
      result: { success: result.success, terminalOutput: result.output, startTime: result.startTime, endTime: result.endTime },
    };
  }
}

/** One task outside a batch (`--batch=false`): prints what the job printed. */
export async function single<J>(job: J, run: (jobs: J[]) => Results<J>): Promise<{ success: boolean }> {
  for await (const result of await run([job])) {
    process.stdout.write(result.output);
    return { success: result.success };
  }
  return { success: false };
}
