// A pool of synth workers: each job (one app) goes to the next free worker, and each result is
// reported as soon as its app is done. On two cores, two workers synthesized the five apps in
// ~1.1 s against ~1.9-2.5 s for five processes two at a time (timed by hand, 2026-12-04); how many
// workers a run gets is workerCount's choice (synth-executor.ts): one for up to ten apps.
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { SynthRequest, SynthResponse } from './synth-protocol';

const WORKER_ENTRYPOINT = resolve(__dirname, 'synth-worker.ts');
const TS_RUNNER = resolve(__dirname, '../../ts-runner/register.cjs');

export interface SynthJob {
  readonly project: string;
  /** The app's entrypoint, absolute. */
  readonly main: string;
  readonly environment: string;
  /** Variables set for this app only. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface SynthResult {
  readonly job: SynthJob;
  readonly success: boolean;
  readonly output: string;
  readonly startTime: number;
  readonly endTime: number;
}

export interface PoolOptions {
  /** Processes started at most (never more than there are jobs). */
  readonly workers: number;
  readonly cwd: string;
}

/** A forked worker: requests go out over IPC; `next` waits for the response to the last one. */
interface WorkerLink {
  readonly name: string;
  send(request: SynthRequest): void;
  /** Calls back with the next response, or with undefined if the worker is gone first. */
  next(callback: (response: SynthResponse | undefined) => void): void;
  close(): void;
}

function forkWorker(options: PoolOptions): WorkerLink {
  // Output piped, not inherited: a worker holding its parent's pipes keeps them open after the
  // batch is done. What an app prints comes back in its response.
  const child = fork(WORKER_ENTRYPOINT, [], {
    cwd: options.cwd,
    execArgv: ['--require', TS_RUNNER],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.pipe(process.stdout, { end: false });
  child.stderr!.pipe(process.stderr, { end: false });
  let waiting: ((response: SynthResponse | undefined) => void) | undefined;
  let gone = false;
  const settle = (response: SynthResponse | undefined) => {
    const callback = waiting;
    waiting = undefined;
    callback?.(response);
  };
  child.on('message', settle);
  child.once('exit', () => ((gone = true), settle(undefined)));
  return {
    name: `synth worker (pid ${child.pid})`,
    send: (request) => child.send(request),
    next: (callback) => (gone ? callback(undefined) : (waiting = callback)),
    close: () => child.kill(),
  };
}

/** Sends one job to a worker and waits for its answer, or for the worker to die trying. */
function runOn(worker: WorkerLink, job: SynthJob): Promise<{ success: boolean; output: string; alive: boolean }> {
  return new Promise((done) => {
    worker.next((response) => {
      if (response) return done({ success: response.success, output: response.output, alive: true });
      done({
        success: false,
        output: `${worker.name} exited while synthesizing ${job.project}; rerun it alone: nx run ${job.project}:synth --batch=false\n`,
        alive: false,
      });
    });
    worker.send({ type: 'synth', ...job });
  });
}

/**
 * Synthesizes every job, yielding each result when its app finishes. A job that fails (an error,
 * a configuration error, a worker that dies) fails alone: the others still run, a dead worker is
 * replaced for the jobs after it.
 */
export async function* runSynthPool(jobs: readonly SynthJob[], options: PoolOptions): AsyncGenerator<SynthResult> {
  const queue = [...jobs];
  const finished: SynthResult[] = [];
  let wake: (() => void) | undefined;

  const drain = async () => {
    let worker: WorkerLink | undefined;
    for (let job = queue.shift(); job; job = queue.shift()) {
      worker ??= forkWorker(options);
      const startTime = Date.now();
      const { alive, ...result } = await runOn(worker, job);
      if (!alive) worker = undefined;
      finished.push({ job, ...result, startTime, endTime: Date.now() });
      wake?.();
    }
    worker?.close();
  };

  const count = Math.max(1, Math.min(options.workers, jobs.length));
  let running = count;
  for (let i = 0; i < count; i++) {
    void drain().finally(() => {
      running--;
      wake?.();
    });
  }
  while (running > 0 || finished.length > 0) {
    if (finished.length === 0) await new Promise<void>((resolveWait) => (wake = resolveWait));
    yield* finished.splice(0);
  }
}
