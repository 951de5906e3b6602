// `@platform/batch-executors:validate`, every app's validate target. Nx hands every validate task
// of a run to one call of validateBatch (executors.json: preferBatch), and all their AWS-only
// stacks are validated by one terraform run (the provider's schema, most of a run's cost, loads
// once: 12 stacks of 5 apps in ~7.5 s together against ~14.5 s app by app, measured 2026-12-07).
// Each task is still hashed, cached, restored and reported per app.
import { environmentFor, validateApps } from '@platform/terraform-check';
import type { ExecutorContext, TaskGraph } from 'nx/src/devkit-exports';
import { join } from 'node:path';
import { perTask, projectRootOf, single, type JobResult } from '../nx-batch';

export interface ValidateOptions {
  /** The environment whose synth output (dist/<env>/<app>) is validated. */
  readonly platformEnv: string;
}

interface ValidateJob {
  readonly project: string;
  readonly projectRoot: string;
  readonly platformEnv: string;
}

const jobFor =
  (context: ExecutorContext) =>
  (project: string, options: ValidateOptions): ValidateJob => ({
    project,
    projectRoot: projectRootOf(context, project, 'validate'),
    platformEnv: options.platformEnv,
  });

/** One terraform run per environment of the batch (a run names one, -c), a result per app. */
function validateJobs(root: string, jobs: readonly ValidateJob[]): JobResult<ValidateJob>[] {
  const results: JobResult<ValidateJob>[] = [];
  for (const named of [...new Set(jobs.map((job) => job.platformEnv))]) {
    const startTime = Date.now();
    const ofEnvironment = jobs.filter((job) => job.platformEnv === named);
    let environment: string;
    try {
      environment = environmentFor(named, process.env);
    } catch (error) {
      const endTime = Date.now();
      results.push(...ofEnvironment.map((job) => ({ job, success: false, output: `validate: ${(error as Error).message}\n`, startTime, endTime })));
      continue;
    }
    const validations = validateApps(
      join(root, 'tmp/terraform-check'),
      ofEnvironment.map((job) => join(root, job.projectRoot)),
      environment,
      process.env,
    );
    const endTime = Date.now();
    results.push(
      ...validations.map((validation, i) => ({ job: ofEnvironment[i]!, success: validation.success, output: validation.output, startTime, endTime })),
    );
  }
  return results;
}

/** Many apps (Nx batch mode): one terraform run, each task's result its own. */
export function validateBatch(taskGraph: TaskGraph, inputs: Record<string, ValidateOptions>, _overrides: ValidateOptions, context: ExecutorContext) {
  return perTask(taskGraph, inputs, jobFor(context), (jobs) => validateJobs(context.root, jobs));
}

/** One app (`nx run <app>:validate --batch=false`). */
export function validate(options: ValidateOptions, context: ExecutorContext) {
  return single(jobFor(context)(context.projectName!, options), (jobs) => validateJobs(context.root, jobs));
}
