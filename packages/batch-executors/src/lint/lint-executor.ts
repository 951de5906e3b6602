// `@platform/lint-executor:lint`, every project's lint target. Nx hands every lint task of a run to
// one call of lintBatch (executors.json: preferBatch); each task is still hashed, cached, restored
// and reported per project, only the process is shared (like the synth executor).
import type { BatchExecutorTaskResult } from 'nx/src/config/misc-interfaces';
import type { ExecutorContext, TaskGraph } from 'nx/src/devkit-exports';
import { lintProjects, type LintJob } from './lint-projects';

/** What lint means is eslint.config.mjs and .prettierrc.json; the options only widen prettier's reach. */
export interface LintOptions {
  /** Workspace paths (relative to the root) prettier checks besides the project. */
  readonly formatAlso?: readonly string[];
}

function jobFor(project: string, options: LintOptions, context: ExecutorContext): LintJob {
  const projectRoot = context.projectsConfigurations.projects[project]?.root;
  if (projectRoot === undefined) throw new Error(`lint: project ${project} is not in the workspace`);
  return { project, projectRoot, formatAlso: options.formatAlso ?? [] };
}

/** Many projects (Nx batch mode): each task's result is yielded as soon as its project is checked. */
export async function* lintBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, LintOptions>,
  _overrides: LintOptions,
  context: ExecutorContext,
): AsyncGenerator<BatchExecutorTaskResult> {
  const taskIdByProject = new Map<string, string>();
  const jobs = Object.values(taskGraph.tasks).map((task) => {
    taskIdByProject.set(task.target.project, task.id);
    return jobFor(task.target.project, inputs[task.id] ?? {}, context);
  });
  for await (const result of lintProjects(context.root, jobs)) {
    yield {
      task: taskIdByProject.get(result.job.project)!,
      result: { success: result.success, terminalOutput: result.output, startTime: result.startTime, endTime: result.endTime },
    };
  }
}

/** One project (`nx run <project>:lint --batch=false`). */
export async function lint(options: LintOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  for await (const result of lintProjects(context.root, [jobFor(context.projectName!, options, context)])) {
    process.stdout.write(result.output);
    return { success: result.success };
  }
  return { success: false };
}
