import type { PlatformConfig } from '@platform/config';
import { rolloutSteps } from '@platform/stack-contracts';
import {
  planOfflineTogether,
  whyNotPlannableOffline,
  type OfflinePlanResult,
  type ServedRemoteState,
  type StackToPlan,
  type SynthesizedStack,
  type Toolchain,
} from '@platform/terraform-check';
import {
  declaredOutputs,
  explainContractFailure,
  outputsRead,
  plannedOutputs,
  producerOf,
  refuseReadCycles,
  servedOutputs,
  servedRemoteState,
} from './offline-remote-state';

/**
 * The whole environment planned without AWS. A stack that reads another's state is served, instead
 * of the S3 object, the outputs its producer publishes: by reference to the producer planned in the
 * same terraform run where its configuration knows them at plan, and clearly fake values shaped by
 * the contract's declared kind where AWS assigns them on apply (ARN-, id-, CIDR-shaped,
 * deterministic). So every AWS-only stack gets a real plan, and a consumer reading what its producer
 * does not publish fails the plan, named.
 */

type Serving = { readonly unservable: string } | { readonly states: Record<string, ServedRemoteState> };

export interface EnvironmentPlan {
  readonly results: ReadonlyMap<string, OfflinePlanResult>;
  /** Stacks in rollout order (stacks outside the rollout last). */
  readonly order: readonly string[];
  /** The terraform runs, in the order they ran: the stacks each planned together (a stack planned again appears twice). */
  readonly phases: readonly (readonly string[])[];
}

/**
 * Provider configurations one terraform run of the environment plan holds at most. Terraform keeps a
 * provider process per configuration while it plans, ~150 MB each: peaks of 3.0 GB for the 18 of
 * the prod environment and 5.2 GB for the 30 of six regions (terraform and provider anonymous
 * memory, sampled every 0.3 s, 2026-12-07). Past it, the environment plans in several runs.
 */
export const MAX_PROVIDER_CONFIGURATIONS_PER_RUN = 32;

/** A stack's provider configurations (each provider block, aliases included; at least one). */
const providerConfigurations = (stack: SynthesizedStack) =>
  Math.max(
    1,
    Object.values(stack.json.provider ?? {}).reduce((sum, blocks) => sum + blocks.length, 0),
  );

/** Consecutive groups of `ordered` of at most `max` provider configurations (a larger stack alone). */
function runsWithin(ordered: readonly SynthesizedStack[], max: number): SynthesizedStack[][] {
  const runs: SynthesizedStack[][] = [];
  let held = Infinity;
  for (const stack of ordered) {
    const configurations = providerConfigurations(stack);
    if (held + configurations > max) {
      runs.push([]);
      held = 0;
    }
    runs.at(-1)!.push(stack);
    held += configurations;
  }
  return runs;
}

/**
 * Plans the given AWS stacks offline in one terraform run (stacks-as-modules), serving each
 * remote-state read as the producer's output by reference where the producer's configuration knows
 * it at plan (knownAtPlan), else faked by contract: terraform orders the stacks by those references,
 * as rollout.ts orders their deploys. The guess is checked, not trusted: after a run, a stack whose
 * reads would now be served other values (a referenced output the plan did not know, or a faked one
 * it did) is planned again with the planned values, so every plan is the one the stack would get
 * once its producers are deployed. Results are in rollout order (stacks outside the rollout last).
 * An environment of more than `maxConfigurationsPerRun` provider configurations plans in several
 * runs, in rollout order: a stack takes by reference only from producers in its own run, and the
 * planned values of those before it.
 */
export function planEnvironmentOffline(
  workRoot: string,
  toolchain: Toolchain,
  stacks: readonly SynthesizedStack[],
  config: PlatformConfig,
  planTogether: typeof planOfflineTogether = planOfflineTogether, // a stand-in in the unit tests
  maxConfigurationsPerRun = MAX_PROVIDER_CONFIGURATIONS_PER_RUN,
): EnvironmentPlan {
  const rollout = rolloutSteps(config).flatMap((step) => step.stacks);
  const ordered = [...stacks].sort((a, b) => (rollout.indexOf(a.name) + 1 || Infinity) - (rollout.indexOf(b.name) + 1 || Infinity));
  const outputs = declaredOutputs(config);
  const results = new Map<string, OfflinePlanResult>();
  // A stack that cannot be planned offline never holds up its consumers: they read contract-shaped fakes.
  const plannable = ordered.filter((stack) => {
    const reason = whyNotPlannableOffline(stack, true);
    if (reason) results.set(stack.name, { stack: stack.name, status: 'not-planned', reason });
    return !reason;
  });
  refuseReadCycles(plannable);
  const byName = new Map(plannable.map((stack) => [stack.name, stack]));
  const remoteStatesOf = (stack: SynthesizedStack) => Object.entries(stack.json.data?.['terraform_remote_state'] ?? {});

  /** What `stack` is served now: each remote state's declared outputs, planned or faked; `byReference`, marked to be taken from producers in its run. */
  const serving = (stack: SynthesizedStack, byReference: boolean): Serving => {
    const states: Record<string, ServedRemoteState> = {};
    for (const [name, remote] of remoteStatesOf(stack)) {
      const producer = producerOf(remote);
      const declared = producer ? outputs.get(producer) : undefined;
      if (!producer || !declared)
        return {
          unservable: `${stack.name} reads the state of ${producer ?? name}, which publishes no contract; fix: declare one in libs/stack-contracts`,
        };
      states[name] = servedRemoteState(
        servedOutputs(producer, declared, results.get(producer), config),
        byReference ? byName.get(producer) : undefined,
      );
    }
    return { states };
  };
  /**
   * The values `stack` read, as text: those served, and for an output taken by reference what its
   * producer's plan holds (nothing, if the plan left it to AWS: never what is served now).
   */
  const readValues = (stack: SynthesizedStack, states: Record<string, ServedRemoteState>, wired: Readonly<Record<string, readonly string[]>> = {}) =>
    JSON.stringify(
      remoteStatesOf(stack).map(([name, remote]) => {
        const known = plannedOutputs(results.get(producerOf(remote)!));
        const read = outputsRead(stack, name) ?? Object.keys(states[name]!);
        return read.map((output) => (wired[name]?.includes(output) ? known[output] : states[name]![output]?.value));
      }),
    );

  const runs: SynthesizedStack[][] = [];
  /** Plans `queue` in one run; returns what each planned stack was served. */
  const planRun = (queue: readonly SynthesizedStack[], byReference: boolean): StackToPlan[] => {
    const items: StackToPlan[] = [];
    for (const stack of queue) {
      const served = serving(stack, byReference);
      if ('unservable' in served) results.set(stack.name, { stack: stack.name, status: 'failed', error: served.unservable });
      else items.push({ stack, remoteStates: served.states });
    }
    runs.push([...queue]);
    for (const [i, result] of planTogether(workRoot, toolchain, items).entries())
      results.set(
        result.stack,
        result.status === 'failed' ? { ...result, error: explainContractFailure(items[i]!.stack, result.error, outputs) } : result,
      );
    return items;
  };
  /** The stacks among those planned whose reads would now be served other values than they were. */
  const staleAmong = (planned: readonly StackToPlan[]) =>
    planned.flatMap(({ stack, remoteStates }) => {
      const result = results.get(stack.name)!;
      const now = serving(stack, false);
      const changed =
        result.status === 'planned' && 'states' in now && readValues(stack, now.states) !== readValues(stack, remoteStates!, result.wired);
      return changed ? [stack] : [];
    });
  // As few runs as memory allows, in rollout order; judged once all are planned (a producer outside
  // the rollout plans last). Then the stacks whose reads changed, until none does: each re-plan
  // settles at least one more level of the (acyclic) read graph, so more re-plans than stacks means
  // a bug here.
  let stale = staleAmong(runsWithin(plannable, maxConfigurationsPerRun).flatMap((run) => planRun(run, true)));
  for (const limit = runs.length + plannable.length; stale.length > 0 && runs.length < limit;) stale = staleAmong(planRun(stale, false));
  for (const stack of stale)
    results.set(stack.name, {
      stack: stack.name,
      status: 'failed',
      error: `${stack.name}: what it reads of other stacks still changed after ${runs.length} runs; fix: report this bug in packages/plan-review/src/offline-environment.ts`,
    });
  return { results, order: ordered.map((s) => s.name), phases: runs.map((phase) => phase.map((s) => s.name)) };
}
