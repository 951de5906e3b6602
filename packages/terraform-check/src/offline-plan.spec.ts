// What an offline plan serves a stack's remote-state reads, checked on the files it writes; a
// terraform that fails at once stands in (offline-environment.spec.ts in plan-review plans the real
// environment with the real provider).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputsState, planOfflineTogether, type ServedRemoteState } from './offline-plan';
import { combinedName } from './stacks-as-modules';
import type { SynthesizedStack } from './synth-output';

const stack = (name: string, json: SynthesizedStack['json']): SynthesizedStack => {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
  return { app: 'app', name, dir, json, providers: ['aws'], providerVersions: { aws: '5.100.0' }, readsRemoteState: 'data' in json };
};
const producer = stack('producer', {
  resource: { aws_sns_topic: { alarms: { name: 'alarms' } } },
  output: { topicName: { value: '${aws_sns_topic.alarms.name}' }, token: { value: 'fixed', sensitive: true } },
});
const consumer = stack('consumer', {
  data: { terraform_remote_state: { alarms: { backend: 's3', config: { key: 'prod/producer/terraform.tfstate' } } } },
  output: { topic: { value: '${data.terraform_remote_state.alarms.outputs.topicName}' } },
});
const served: Record<string, ServedRemoteState> = {
  alarms: {
    topicName: { value: 'offline-topic', from: { stack: 'producer', output: 'topicName', sensitive: false } },
    topicArns: { value: ['arn:aws:sns:us-east-1:111111111111:offline'] },
    token: { value: 'offline-token', from: { stack: 'producer', output: 'token', sensitive: true } },
  },
};
const failingTerraform = { terraform: '/bin/false', terraformVersion: '1.11.4', mirror: '/nonexistent' };
const read = (...path: string[]) => JSON.parse(readFileSync(join(...path), 'utf8')) as Record<string, unknown>;

describe('remote state served to a combined run', () => {
  it('passes what a producer in the run plans by reference (its sensitive mark dropped), the rest from a state file', () => {
    const workRoot = mkdtempSync(join(tmpdir(), 'wired-'));
    const results = planOfflineTogether(workRoot, failingTerraform, [{ stack: producer }, { stack: consumer, remoteStates: served }]);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']); // terraform init failed: nothing planned
    const root = join(workRoot, 'plans/combined', combinedName([producer, consumer]));
    expect((read(root, 'main.tf.json')['module'] as Record<string, unknown>)['consumer']).toEqual({
      source: './consumer',
      offline_remote_state__alarms: { token: '${nonsensitive(module.producer.token)}', topicName: '${module.producer.topicName}' },
    });
    expect(read(root, 'consumer/offline_inputs.tf.json')).toEqual({
      variable: { offline_remote_state__alarms: { type: 'object({token=string, topicName=string})' } },
    });
    const statePath = join(root, 'consumer/remote-state--alarms.tfstate');
    expect((read(root, 'consumer/zz_offline_override.tf.json')['data'] as object)['terraform_remote_state' as never]).toEqual({
      alarms: { backend: 'local', config: { path: statePath }, defaults: '${var.offline_remote_state__alarms}' },
    });
    // The state file holds only what is not passed by reference: a remote state's outputs are its state's over its defaults.
    expect(read(statePath)['outputs']).toEqual({ topicArns: { value: ['arn:aws:sns:us-east-1:111111111111:offline'], type: ['list', 'string'] } });
  });

  it('serves every value from the state file when the producer is not in the run', () => {
    const workRoot = mkdtempSync(join(tmpdir(), 'unwired-'));
    const other = stack('other', { output: { x: { value: 'x' } } });
    planOfflineTogether(workRoot, failingTerraform, [{ stack: other }, { stack: consumer, remoteStates: served }]);
    const root = join(workRoot, 'plans/combined', combinedName([other, consumer]));
    expect((read(root, 'main.tf.json')['module'] as Record<string, unknown>)['consumer']).toEqual({ source: './consumer' });
    expect(Object.keys(read(root, 'consumer/remote-state--alarms.tfstate')['outputs'] as object).sort()).toEqual(['token', 'topicArns', 'topicName']);
  });

  it('refuses to pass by reference an output whose name is no terraform identifier, with the fix', () => {
    const odd = { alarms: { 'topic name': { value: 'x', from: { stack: 'producer', output: 'topic name', sensitive: false } } } };
    expect(() =>
      planOfflineTogether(mkdtempSync(join(tmpdir(), 'odd-')), failingTerraform, [{ stack: producer }, { stack: consumer, remoteStates: odd }]),
    ).toThrow(
      'remote state alarms: output "topic name" cannot be passed by reference (not an identifier); fix: name contract outputs with letters, digits, _ and -',
    );
  });
});

describe('outputsState', () => {
  it('writes served values as a state terraform_remote_state reads, typed by shape', () => {
    expect(outputsState('global-foundation', { id: 'x', ids: ['a'], arns: { 'us-east': 'y' }, unset: null })).toEqual({
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: 'offline-global-foundation',
      outputs: {
        id: { value: 'x', type: 'string' },
        ids: { value: ['a'], type: ['list', 'string'] },
        arns: { value: { 'us-east': 'y' }, type: ['map', 'string'] },
        // A known null (typeof 'object') is not a map.
        unset: { value: null, type: 'string' },
      },
      resources: [],
    });
  });
});
