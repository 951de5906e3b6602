// `@platform/batch-executors:typecheck`, every project's typecheck target. Nx hands every typecheck
// task of a run to one call of typecheckBatch (executors.json: preferBatch); each task is still
// hashed, cached, restored and reported per project, only the compiler run is shared.
import type { ExecutorContext, TaskGraph } from 'nx/src/devkit-exports';
import { perTask, projectRootOf, single } from '../nx-batch';
import { typecheckProjects, type TypecheckJob } from './typecheck-projects';

export interface TypecheckOptions {
  /** The project's tsconfig, relative to the workspace root. */
  readonly tsConfig: string;
}

const jobFor =
  (context: ExecutorContext) =>
  (project: string, options: TypecheckOptions): TypecheckJob => ({
    project,
    projectRoot: projectRootOf(context, project, 'typecheck'),
    tsConfig: options.tsConfig,
  });

/** Many projects (Nx batch mode): one compiler run, each task's result its own. */
export function typecheckBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, TypecheckOptions>,
  _overrides: TypecheckOptions,
  context: ExecutorContext,
) {
  return perTask(taskGraph, inputs, jobFor(context), (jobs) => typecheckProjects(context.root, jobs));
}

/** One project (`nx run <project>:typecheck --batch=false`). */
export function typecheck(options: TypecheckOptions, context: ExecutorContext) {
  return single(jobFor(context)(context.projectName!, options), (jobs) => typecheckProjects(context.root, jobs));
}
