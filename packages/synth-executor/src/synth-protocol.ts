// Messages between the pool (synth-pool.ts) and the workers it forks (synth-worker.ts), over
// Node's IPC channel.

/** Synthesize one app: its project name, entrypoint (absolute path) and environment. */
export interface SynthRequest {
  readonly type: 'synth';
  readonly project: string;
  readonly main: string;
  readonly environment: string;
  /** Variables set for this app only (tests send CDKTF_OUTDIR here). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The app is done: whether it succeeded and everything it printed. */
export interface SynthResponse {
  readonly type: 'done';
  readonly project: string;
  readonly success: boolean;
  readonly output: string;
}
