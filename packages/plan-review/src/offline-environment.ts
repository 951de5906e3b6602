import type { PlatformConfig } from '@platform/config';
import { rolloutSteps } from '@platform/stack-contracts';
import {
  planOfflineTogether,
  whyNotPlannableOffline,
  type OfflinePlanResult,
  type StackToPlan,
  type SynthesizedStack,
  type Toolchain,
} from '@platform/terraform-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  declaredOutputs,
  explainContractFailure,
  outputsRead,
  outputsState,
  planningPhases,
  producerOf,
  servedOutputs,
} from './offline-remote-state';

/**
 * The whole environment planned without AWS, in rollout order. A stack that reads another's state
 * gets a local state file instead of the S3 object: the producer's planned output values where its
 * offline plan knows them, and clearly fake values shaped by the contract's declared kind where it
 * does not (ARN-, id-, CIDR-shaped, deterministic). So every AWS-only stack gets a real plan, and
 * a consumer reading what its producer does not publish fails the plan, named.
 */

type Serving =
  | { readonly unservable: string }
  | { readonly states: Record<string, { producer: string; values: Record<string, unknown> }>; readonly readValues: string };

export interface EnvironmentPlan {
  readonly results: ReadonlyMap<string, OfflinePlanResult>;
  /** Stacks in rollout order (stacks outside the rollout last). */
  readonly order: readonly string[];
  /** The terraform runs, in the order they ran: the stacks each planned together (a stack planned again appears twice). */
  readonly phases: readonly (readonly string[])[];
}

/**
 * Plans the given AWS stacks offline in rollout order (stacks outside the rollout last), serving
 * each remote-state read from the outputs its producer was planned with, or faked by contract.
 * Stacks are planned together unless one reads a known-at-plan output of another
 * (planningPhases): the environment's 12 AWS stacks take 3 terraform runs. A stack planned before
 * a producer it reads is checked once that producer is planned: if what it reads is no longer what
 * it was served (the producer's plan knew a value after all), it is planned again with the value,
 * so every plan is the one the stack would get planned after all of its producers.
 */
export function planEnvironmentOffline(
  workRoot: string,
  toolchain: Toolchain,
  stacks: readonly SynthesizedStack[],
  config: PlatformConfig,
  planTogether: typeof planOfflineTogether = planOfflineTogether, // a stand-in in the unit tests
): EnvironmentPlan {
  const rollout = rolloutSteps(config).flatMap((step) => step.stacks);
  const ordered = [...stacks].sort((a, b) => (rollout.indexOf(a.name) + 1 || Infinity) - (rollout.indexOf(b.name) + 1 || Infinity));
  const outputs = declaredOutputs(config);
  const results = new Map<string, OfflinePlanResult>();
  const stateDir = join(workRoot, 'remote-state');
  mkdirSync(stateDir, { recursive: true });
  // A stack that cannot be planned offline never holds up its consumers: they read contract-shaped fakes.
  const plannable = ordered.filter((stack) => {
    const reason = whyNotPlannableOffline(stack, true);
    if (reason) results.set(stack.name, { stack: stack.name, status: 'not-planned', reason });
    return !reason;
  });

  /** What `stack` would be served now: each remote state in full (by data source name), and, as text, the part it reads. */
  const serving = (stack: SynthesizedStack): Serving => {
    const states: Record<string, { producer: string; values: Record<string, unknown> }> = {};
    const read: Record<string, Record<string, unknown>> = {};
    for (const [name, remote] of Object.entries(stack.json.data?.['terraform_remote_state'] ?? {})) {
      const producer = producerOf(remote);
      const declared = producer ? outputs.get(producer) : undefined;
      if (!producer || !declared)
        return {
          unservable: `${stack.name} reads the state of ${producer ?? name}, which publishes no contract; fix: declare one in libs/stack-contracts`,
        };
      const values = servedOutputs(producer, declared, results.get(producer), config);
      states[name] = { producer, values };
      read[name] = Object.fromEntries((outputsRead(stack, name) ?? Object.keys(values)).map((output) => [output, values[output]]));
    }
    return { states, readValues: JSON.stringify(read) };
  };
  const servedWhenPlanned = new Map<string, string>();

  const runs: SynthesizedStack[][] = [];
  const queue = planningPhases(plannable);
  for (let run = 0; run < queue.length; run++) {
    const items: StackToPlan[] = [];
    for (const stack of queue[run]!) {
      const served = serving(stack);
      if ('unservable' in served) {
        results.set(stack.name, { stack: stack.name, status: 'failed', error: served.unservable });
        continue;
      }
      const remoteStates: Record<string, string> = {};
      for (const [name, { producer, values }] of Object.entries(served.states)) {
        remoteStates[name] = join(stateDir, `${stack.name}--${name}.tfstate`);
        writeFileSync(remoteStates[name], JSON.stringify(outputsState(producer, values)));
      }
      servedWhenPlanned.set(stack.name, served.readValues);
      items.push({ stack, remoteStates });
    }
    runs.push(queue[run]!);
    for (const [i, result] of planTogether(workRoot, toolchain, items).entries())
      results.set(
        result.stack,
        result.status === 'failed' ? { ...result, error: explainContractFailure(items[i]!.stack, result.error, outputs) } : result,
      );
    // After the last run, a stack whose reads would now be served other values is planned again.
    // Bounded: a further run follows only a stack planned again, at most once per depth of the reads.
    if (run === queue.length - 1 && run < plannable.length) {
      const stale = plannable.filter((stack) => {
        const now = serving(stack);
        return servedWhenPlanned.has(stack.name) && !('unservable' in now) && now.readValues !== servedWhenPlanned.get(stack.name);
      });
      if (stale.length) queue.push(stale);
    }
  }
  return { results, order: ordered.map((s) => s.name), phases: runs.map((phase) => phase.map((s) => s.name)) };
}
