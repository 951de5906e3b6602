// `@platform/batch-executors:lint`, every project's lint target. Nx hands every lint task of a run
// to one call of lintBatch (executors.json: preferBatch); each task is still hashed, cached,
// restored and reported per project, only the process is shared (like the synth executor).
import type { ExecutorContext, TaskGraph } from 'nx/src/devkit-exports';
import { perTask, projectRootOf, single } from '../nx-batch';
import { lintProjects, type LintJob } from './lint-projects';

/** What lint means is eslint.config.mjs and .prettierrc.json; the options only widen prettier's reach. */
export interface LintOptions {
  /** Workspace paths (relative to the root) prettier checks besides the project. */
  readonly formatAlso?: readonly string[];
}

const jobFor =
  (context: ExecutorContext) =>
  (project: string, options: LintOptions): LintJob => ({
    project,
    projectRoot: projectRootOf(context, project, 'lint'),
    formatAlso: options.formatAlso ?? [],
  });

/** Many projects (Nx batch mode): each task's result is yielded as soon as its project is checked. */
export function lintBatch(taskGraph: TaskGraph, inputs: Record<string, LintOptions>, _overrides: LintOptions, context: ExecutorContext) {
  return perTask(taskGraph, inputs, jobFor(context), (jobs) => lintProjects(context.root, jobs));
}

/** One project (`nx run <project>:lint --batch=false`). */
export function lint(options: LintOptions, context: ExecutorContext) {
  return single(jobFor(context)(context.projectName!, options), (jobs) => lintProjects(context.root, jobs));
}
