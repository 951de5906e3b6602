// `@platform/batch-executors:jest`, every project's test target (and the workflow rehearsal). Nx
// hands every such task of a run whose dependencies are done to one call of jestBatch
// (executors.json: preferBatch); each task is still hashed, cached (with its --json report as
// output), restored and reported per project, only the jest run is shared.
import type { ExecutorContext, TaskGraph } from 'nx/src/devkit-exports';
import { perTask, projectRootOf, single } from '../nx-batch';
import { runJestProjects, type JestJob } from './run-jest-projects';

export interface JestOptions {
  /** The project's jest config, relative to the workspace root. */
  readonly jestConfig: string;
  /** Its --json report, relative to the workspace root. */
  readonly outputFile: string;
  /** Only the tests whose name matches (jest -t); for a batch, given on the command line for all. */
  readonly testNamePattern?: string;
}

const jobFor =
  (context: ExecutorContext) =>
  (project: string, options: JestOptions): JestJob => ({
    project,
    projectRoot: projectRootOf(context, project, 'jest'),
    jestConfig: options.jestConfig,
    outputFile: options.outputFile,
  });

/** Many projects (Nx batch mode): one jest run, each task's result its own. */
export function jestBatch(taskGraph: TaskGraph, inputs: Record<string, JestOptions>, overrides: JestOptions, context: ExecutorContext) {
  return perTask(taskGraph, inputs, jobFor(context), (jobs) => runJestProjects(context.root, jobs, { testNamePattern: overrides.testNamePattern }));
}

/** One project (`nx run <project>:test --batch=false`). */
export function jest(options: JestOptions, context: ExecutorContext) {
  return single(jobFor(context)(context.projectName!, options), (jobs) =>
    runJestProjects(context.root, jobs, { testNamePattern: options.testNamePattern }),
  );
}
