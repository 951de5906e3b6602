// The environment plan's runs and re-plans with a stand-in for terraform: what each stack was served,
// run by run (offline-environment.spec.ts plans the real stacks with the real provider).
import { loadEnvironment } from '@platform/config';
import { readSynthesizedApp, type OfflinePlanResult, type StackToPlan, type SynthesizedStack } from '@platform/terraform-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { planEnvironmentOffline } from './offline-environment';

const config = loadEnvironment('prod');
const foundation = readSynthesizedApp(resolve(__dirname, '../../../apps/global'), 'prod').find((s) => s.name === 'global-foundation')!;

const remote = { foundation: { backend: 's3', config: { key: 'prod/global-foundation/terraform.tfstate' } } };
/** A stack that reads only the foundation's global writer endpoint, which AWS assigns: served a fake in the foundation's run. */
const readsWriter: SynthesizedStack = {
  ...foundation,
  name: 'reads-writer',
  readsRemoteState: true,
  json: {
    data: { terraform_remote_state: remote },
    output: { writer: { value: '${data.terraform_remote_state.foundation.outputs.auroraWriterEndpoint}' } },
  },
};
/** A stack that reads the global cluster's identifier, which the foundation sets: taken from it by reference. */
const readsCluster: SynthesizedStack = {
  ...readsWriter,
  name: 'reads-cluster',
  json: {
    data: { terraform_remote_state: remote },
    output: { id: { value: '${data.terraform_remote_state.foundation.outputs.auroraGlobalClusterId}' } },
  },
};

/**
 * Plans as planOfflineTogether would, the foundation's plan knowing the given outputs' values, and
 * records what each stack read of the foundation: a value served, or `<output> by reference` when
 * taken from the foundation planned in the same run.
 */
function standIn(foundationKnows: Record<string, string>) {
  const served: Record<string, unknown>[][] = [];
  const plan = (_root: string, _tools: unknown, items: readonly StackToPlan[]): OfflinePlanResult[] => {
    const inRun = new Set(items.map(({ stack }) => stack.name));
    const wiredOf = (remoteStates: StackToPlan['remoteStates']) =>
      Object.entries(remoteStates?.['foundation'] ?? {}).flatMap(([output, { from }]) => (from && inRun.has(from.stack) ? [output] : []));
    served.push(
      items.map(({ stack, remoteStates }) => ({
        stack: stack.name,
        ...Object.fromEntries(
          ['auroraWriterEndpoint', 'auroraGlobalClusterId'].flatMap((output) =>
            remoteStates?.['foundation']
              ? [[output, wiredOf(remoteStates).includes(output) ? `${output} by reference` : remoteStates['foundation'][output]!.value]]
              : [],
          ),
        ),
      })),
    );
    return items.map(({ stack, remoteStates }) => ({
      stack: stack.name,
      status: 'planned',
      seconds: 0,
      planJson: {
        planned_values: {
          outputs: stack === foundation ? Object.fromEntries(Object.entries(foundationKnows).map(([output, value]) => [output, { value }])) : {},
        },
      },
      ...(wiredOf(remoteStates).length ? { wired: { foundation: wiredOf(remoteStates) } } : {}),
    }));
  };
  return { plan, served };
}

const tools = { terraform: 'terraform', terraformVersion: '1.11.4', mirror: '/nonexistent' };
const planned = (plan: Parameters<typeof planEnvironmentOffline>[4], maxConfigurationsPerRun?: number) =>
  planEnvironmentOffline(
    mkdtempSync(join(tmpdir(), 'env-plan-')),
    tools,
    [readsWriter, readsCluster, foundation],
    config,
    plan,
    maxConfigurationsPerRun,
  );

describe('stacks planned in one run with a producer they read', () => {
  it('keep their plans when what they read is what the plan holds: a set value by reference, a value AWS assigns faked', () => {
    const { plan, served } = standIn({ auroraGlobalClusterId: 'aurora-254carbon-prod' });
    const result = planned(plan);
    expect(result.phases).toEqual([['global-foundation', 'reads-writer', 'reads-cluster']]);
    expect(served).toEqual([
      [
        { stack: 'global-foundation' },
        {
          stack: 'reads-writer',
          auroraWriterEndpoint: 'aurorawriterendpoint.offline.invalid',
          auroraGlobalClusterId: 'auroraGlobalClusterId by reference',
        },
        {
          stack: 'reads-cluster',
          auroraWriterEndpoint: 'aurorawriterendpoint.offline.invalid',
          auroraGlobalClusterId: 'auroraGlobalClusterId by reference',
        },
      ],
    ]);
  });

  it('is planned again, with the value, when the producer planned knew a value it was served faked', () => {
    const { plan, served } = standIn({ auroraGlobalClusterId: 'aurora-254carbon-prod', auroraWriterEndpoint: 'writer.aurora.example' });
    const result = planned(plan);
    expect(result.phases).toEqual([['global-foundation', 'reads-writer', 'reads-cluster'], ['reads-writer']]);
    expect(served[1]).toEqual([
      { stack: 'reads-writer', auroraWriterEndpoint: 'writer.aurora.example', auroraGlobalClusterId: 'aurora-254carbon-prod' },
    ]);
    expect(result.results.get('reads-writer')!.status).toBe('planned');
  });

  it('is planned again, faked, when an output it took by reference was left to AWS after all', () => {
    const { plan, served } = standIn({});
    const result = planned(plan);
    expect(result.phases).toEqual([['global-foundation', 'reads-writer', 'reads-cluster'], ['reads-cluster']]);
    expect(served[1]).toEqual([
      {
        stack: 'reads-cluster',
        auroraWriterEndpoint: 'aurorawriterendpoint.offline.invalid',
        auroraGlobalClusterId: 'offline-global-foundation-auroraGlobalClusterId',
      },
    ]);
  });
});

describe('an environment plan whose reads never settle', () => {
  it('fails the stacks still changing after one run per stack, naming the bug, instead of planning forever', () => {
    // A planner that always says the cluster id was taken by reference, from a plan that never knows it.
    const { plan } = standIn({});
    const unsettled: typeof plan = (root, tools, items) =>
      plan(root, tools, items).map((result) =>
        result.stack === 'reads-cluster' ? { ...result, wired: { foundation: ['auroraGlobalClusterId'] } } : result,
      );
    const result = planned(unsettled);
    expect(result.phases).toEqual([['global-foundation', 'reads-writer', 'reads-cluster'], ['reads-cluster'], ['reads-cluster'], ['reads-cluster']]);
    expect(result.results.get('reads-cluster')).toEqual({
      stack: 'reads-cluster',
      status: 'failed',
      error:
        'reads-cluster: what it reads of other stacks still changed after 4 runs; fix: report this bug in packages/plan-review/src/offline-environment.ts',
    });
    expect(result.results.get('reads-writer')!.status).toBe('planned');
  });
});

describe('an environment of more provider configurations than a run may hold', () => {
  it('plans in runs of at most that many, in rollout order, a stack taking the planned values of producers in an earlier run', () => {
    const { plan, served } = standIn({ auroraGlobalClusterId: 'aurora-254carbon-prod' });
    // The foundation has three provider configurations (home region and two aliases), each reader one.
    const result = planEnvironmentOffline(mkdtempSync(join(tmpdir(), 'env-plan-')), tools, [readsWriter, readsCluster, foundation], config, plan, 4);
    expect(result.phases).toEqual([['global-foundation', 'reads-writer'], ['reads-cluster']]);
    expect(served[1]).toEqual([
      { stack: 'reads-cluster', auroraWriterEndpoint: 'aurorawriterendpoint.offline.invalid', auroraGlobalClusterId: 'aurora-254carbon-prod' },
    ]);
    // A stack of more configurations than the limit plans alone rather than not at all.
    expect(planned(standIn({}).plan, 2).phases).toEqual([['global-foundation'], ['reads-writer', 'reads-cluster']]);
  });
});
