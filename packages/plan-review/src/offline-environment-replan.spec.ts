// The environment plan's runs and re-plans with a stand-in for terraform: what each stack was served,
// run by run (offline-environment.spec.ts plans the real stacks with the real provider).
import { loadEnvironment } from '@platform/config';
import { readSynthesizedApp, type OfflinePlanResult, type StackToPlan, type SynthesizedStack } from '@platform/terraform-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { planEnvironmentOffline } from './offline-environment';

const config = loadEnvironment('prod');
const foundation = readSynthesizedApp(resolve(__dirname, '../../../apps/global'), 'prod').find((s) => s.name === 'global-foundation')!;

/** A stack that reads only the foundation's global writer endpoint, which AWS assigns (so it plans in the foundation's run). */
const readsWriter: SynthesizedStack = {
  ...foundation,
  name: 'reads-writer',
  readsRemoteState: true,
  json: {
    data: { terraform_remote_state: { foundation: { backend: 's3', config: { key: 'prod/global-foundation/terraform.tfstate' } } } },
    output: { writer: { value: '${data.terraform_remote_state.foundation.outputs.auroraWriterEndpoint}' } },
  },
};

/** Plans as terraform would, with the foundation's plan knowing `writer` (or not), recording what each stack read. */
function standIn(writer: string | undefined) {
  const served: { stack: string; writer: unknown }[][] = [];
  const plan = (_root: string, _tools: unknown, items: readonly StackToPlan[]): OfflinePlanResult[] => {
    served.push(
      items.map(({ stack, remoteStates }) => ({
        stack: stack.name,
        writer: remoteStates?.['foundation']
          ? (JSON.parse(readFileSync(remoteStates['foundation'], 'utf8')) as { outputs: Record<string, { value: unknown }> }).outputs[
              'auroraWriterEndpoint'
            ]!.value
          : undefined,
      })),
    );
    return items.map(({ stack }) => ({
      stack: stack.name,
      status: 'planned',
      seconds: 0,
      planJson: { planned_values: { outputs: stack === foundation && writer !== undefined ? { auroraWriterEndpoint: { value: writer } } : {} } },
    }));
  };
  return { plan, served };
}

const tools = { terraform: 'terraform', terraformVersion: '1.11.4', mirror: '/nonexistent' };

describe('a stack planned in the run of a producer it reads', () => {
  it('keeps its plan when the producer left the value to AWS: it was served the same fake it would be served after', () => {
    const { plan, served } = standIn(undefined);
    const result = planEnvironmentOffline(mkdtempSync(join(tmpdir(), 'env-plan-')), tools, [readsWriter, foundation], config, plan);
    expect(result.phases).toEqual([['global-foundation', 'reads-writer']]);
    expect(served).toEqual([
      [
        { stack: 'global-foundation', writer: undefined },
        { stack: 'reads-writer', writer: 'aurorawriterendpoint.offline.invalid' },
      ],
    ]);
  });

  it('is planned again, with the value, when the producer planned knew it after all', () => {
    const { plan, served } = standIn('writer.aurora.example');
    const result = planEnvironmentOffline(mkdtempSync(join(tmpdir(), 'env-plan-')), tools, [readsWriter, foundation], config, plan);
    expect(result.phases).toEqual([['global-foundation', 'reads-writer'], ['reads-writer']]);
    expect(served[1]).toEqual([{ stack: 'reads-writer', writer: 'writer.aurora.example' }]);
    expect(result.results.get('reads-writer')!.status).toBe('planned');
  });
});
