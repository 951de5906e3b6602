// One synth worker: a long-lived Node process (started with the ts-runner hook) that synthesizes
// the apps it is sent, one at a time. Loading cdktf, the provider modules and the libs is most of
// a lone app's synth (~0.4 of ~0.85 s, `--cpu-prof`, 2026-12-04); a worker pays it once.
import type { SynthRequest, SynthResponse } from './synth-protocol';

/** Runs `body` with everything written to stdout and stderr collected instead of printed. */
function capturingOutput(body: () => void): string {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  try {
    body();
  } finally {
    streams.forEach((stream, index) => (stream.write = originals[index]!));
  }
  return chunks.join('');
}

/**
 * Synthesizes one app in this process: its entrypoint runs as it would alone (runApp reads argv
 * and the Nx task variable), then reports success the way a process would have: no exception and
 * no exit code set (runApp sets `process.exitCode = 1` for configuration errors).
 */
export function synthesizeInProcess(request: SynthRequest): SynthResponse {
  let success = false;
  const output = capturingOutput(() => {
    const argv = process.argv;
    const variables = { ...request.env, NX_TASK_TARGET_PROJECT: request.project };
    const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
    process.argv = [argv[0]!, request.main, `--env=${request.environment}`];
    Object.assign(process.env, variables);
    delete require.cache[request.main]; // an entrypoint synthesizes when it is loaded
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an entrypoint is loaded by path at run time
      require(request.main);
      success = !process.exitCode;
    } catch (error) {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    } finally {
      process.argv = argv;
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      process.exitCode = 0;
    }
  });
  return { type: 'done', project: request.project, success, output };
}

if (require.main === module) {
  process.on('disconnect', () => process.exit(0)); // the pool is gone
  process.on('message', (request: SynthRequest) => process.send!(synthesizeInProcess(request)));
}
