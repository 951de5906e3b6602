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
import { declaredOutputs, explainContractFailure, outputsState, planningPhases, producerOf, servedOutputs } from './offline-remote-state';

/**
 * The whole environment planned without AWS, in rollout order. A stack that reads another's state
 * gets a local state file instead of the S3 object: the producer's planned output values where its
 * offline plan knows them, and clearly fake values shaped by the contract's declared kind where it
 * does not (ARN-, id-, CIDR-shaped, deterministic). So every AWS-only stack gets a real plan, and
 * a consumer reading what its producer does not publish fails the plan, named.
 */

export interface EnvironmentPlan {
  readonly results: ReadonlyMap<string, OfflinePlanResult>;
  /** Stacks in rollout order (stacks outside the rollout last). */
  readonly order: readonly string[];
  /** The terraform runs, in the order they ran: the plannable stacks each planned together. */
  readonly phases: readonly (readonly string[])[];
}

/**
 * Plans the given AWS stacks offline in rollout order (stacks outside the rollout last), serving
 * each remote-state read from the outputs its producer was planned with, or faked by contract.
 * Stacks that read none of one another's state are planned in one terraform run
 * (planOfflineTogether): the environment's 12 AWS stacks take 4 runs, not 12.
 */
export function planEnvironmentOffline(
  workRoot: string,
  toolchain: Toolchain,
  stacks: readonly SynthesizedStack[],
  config: PlatformConfig,
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
  const phases = planningPhases(plannable);
  for (const phase of phases) {
    const items: StackToPlan[] = [];
    for (const stack of phase) {
      const remoteStates: Record<string, string> = {};
      let unservable: string | undefined;
      for (const [name, remote] of Object.entries(stack.json.data?.['terraform_remote_state'] ?? {})) {
        const producer = producerOf(remote);
        const declared = producer ? outputs.get(producer) : undefined;
        if (!producer || !declared) {
          unservable = `${stack.name} reads the state of ${producer ?? name}, which publishes no contract; fix: declare one in libs/stack-contracts`;
          break;
        }
        const path = join(stateDir, `${stack.name}--${name}.tfstate`);
        writeFileSync(path, JSON.stringify(outputsState(producer, servedOutputs(producer, declared, results.get(producer), config))));
        remoteStates[name] = path;
      }
      if (unservable) results.set(stack.name, { stack: stack.name, status: 'failed', error: unservable });
      else items.push({ stack, remoteStates });
    }
    for (const [i, result] of planOfflineTogether(workRoot, toolchain, items).entries())
      results.set(
        result.stack,
        result.status === 'failed' ? { ...result, error: explainContractFailure(items[i]!.stack, result.error, outputs) } : result,
      );
  }
  return { results, order: ordered.map((s) => s.name), phases: phases.map((phase) => phase.map((s) => s.name)) };
}
