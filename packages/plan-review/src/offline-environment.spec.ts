import { loadEnvironment } from '@platform/config';
import { readSynthesizedApp, toolchainOrLoudSkip, type OfflinePlanResult, type SynthesizedStack } from '@platform/terraform-check';
import { rolloutSteps } from '@platform/stack-contracts';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { guardDestroys } from './destroy-guard';
import { planEnvironmentOffline } from './offline-environment';
import { parsePlanJson } from './plan-json';

const config = loadEnvironment('prod');
const apps = resolve(__dirname, '../../../apps');
const all = ['bootstrap', 'global', 'us-east', 'eu-west', 'apac'].flatMap((app) => readSynthesizedApp(join(apps, app), 'prod'));
const named = (name: string) => all.find((s) => s.name === name)!;
const tools = toolchainOrLoudSkip(
  process.env,
  all.find((s) => s.providerVersions['aws'])!.providerVersions['aws']!,
  'offline environment plan (real provider)',
);
const withTools = tools ? it : it.skip;
const PLATFORM_REASON = 'uses helm, kubernetes; only hashicorp/aws is in the offline mirror, and these providers talk to a live cluster';

describe('the environment planned offline, in rollout order', () => {
  const plannedChanges = (result: OfflinePlanResult | undefined) =>
    result?.status === 'planned'
      ? (
          result.planJson as {
            resource_changes: { address: string; mode: string; type: string; change: { actions: string[]; after: Record<string, unknown> } }[];
          }
        ).resource_changes
      : [];

  withTools(
    "plans every AWS stack of the environment in one terraform run, each consumer with its producers' planned outputs by reference and contract-shaped fakes for the rest",
    () => {
      const plan = planEnvironmentOffline(mkdtempSync(join(tmpdir(), 'env-plan-')), tools!, all, config);
      expect(plan.order).toEqual(rolloutSteps(config).flatMap((step) => step.stacks));
      // One run, in rollout order: no stack was served a value its producer's plan contradicted, so none was planned again.
      expect(plan.phases).toEqual([plan.order.filter((name) => !name.endsWith('-platform'))]);
      const statuses = Object.fromEntries(
        [...plan.results].map(([name, r]) => [
          name,
          r.status === 'failed' ? r.error.slice(0, 300) : r.status === 'not-planned' ? r.reason : r.status,
        ]),
      );
      expect(statuses).toEqual({
        ...Object.fromEntries(plan.phases.flat().map((name) => [name, 'planned'])),
        ...Object.fromEntries(['us-east', 'eu-west', 'apac'].map((region) => [`${region}-platform`, PLATFORM_REASON])),
      });
      // Each stack's share of a combined run is exactly its own: every managed resource it
      // synthesizes is created, at its own address, and nothing of another stack's.
      for (const name of plan.phases.flat()) {
        const synthesized = Object.entries(named(name).json.resource ?? {}).flatMap(([type, byName]) =>
          Object.keys(byName).map((id) => `${type}.${id}`),
        );
        const created = plannedChanges(plan.results.get(name)).filter((c) => c.mode === 'managed');
        expect([name, created.map((c) => c.address).sort()]).toEqual([name, synthesized.sort()]);
        expect(created.every((c) => c.change.actions.join() === 'create')).toBe(true);
        // A fresh environment destroys nothing: the destroy guard lets every create-only plan pass.
        expect([name, guardDestroys(parsePlanJson(JSON.stringify((plan.results.get(name) as { planJson: unknown }).planJson), name))]).toEqual([
          name,
          [],
        ]);
      }
      // What each consumer took by reference from a producer in the run: values their configuration sets.
      const wired = (name: string) => (plan.results.get(name) as { wired?: Record<string, readonly string[]> }).wired;
      expect(wired('eu-west-data')).toEqual({
        'global-foundation': ['auditBucketName', 'auroraGlobalClusterId', 'hostedZoneName'],
        'home-data': ['auroraDatabaseName', 'auroraPort', 'auroraWriterEndpoint', 'clickhouseBackupBucket', 'redisPort'],
        infra: [
          'clusterName',
          'karpenterInterruptionQueueName',
          'karpenterNodeRoleName',
          'originDomainName',
          'prometheusFederationAddress',
          'vpcCidr',
        ],
      });
      expect(wired('global-edge')?.['us-east-infra']).toContain('originDomainName');
      expect(wired('bootstrap')).toBeUndefined();
      const data = plannedChanges(plan.results.get('eu-west-data'));
      // The secondary joins the global cluster the foundation planned (a known value, not a fake)...
      expect(data.filter((c) => c.type === 'aws_rds_cluster').map((c) => c.change.after['global_cluster_identifier'])).toEqual([
        'aurora-254carbon-prod',
      ]);
      // ...and the home region's Global Datastore, whose id AWS assigns on apply: faked by contract.
      expect(data.filter((c) => c.type === 'aws_elasticache_replication_group').map((c) => c.change.after['global_replication_group_id'])).toEqual([
        'offline-us-east-data-redisGlobalReplicationGroupId',
      ]);
    },
    240_000,
  );

  withTools(
    'fails a consumer reading an output its producer does not publish, or a map as a list, naming both stacks and the output; the stack planned in the same run still gets its plan',
    () => {
      const data = named('eu-west-data');
      const dir = mkdtempSync(join(tmpdir(), 'broken-stack-'));
      // Two broken reads: an output eu-west-infra does not publish, and a map read as a list.
      const json = JSON.parse(
        JSON.stringify(data.json)
          .replace(/outputs\.dataSubnetIds/g, 'outputs.dataSubnetIdz')
          .replace(/outputs\.dataKeyArns\[\\"eu-west\\"\]/g, 'outputs.dataKeyArns[0]'),
      ) as SynthesizedStack['json'];
      expect(JSON.stringify(json)).toContain('outputs.dataKeyArns[0]');
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
      const broken: SynthesizedStack = { ...data, dir, json };
      // bootstrap reads no state: it shares the broken stack's terraform run, which then fails as a whole.
      const workRoot = mkdtempSync(join(tmpdir(), 'env-plan-'));
      const plan = planEnvironmentOffline(workRoot, tools!, [broken, named('bootstrap')], config);
      expect(plan.phases).toEqual([['bootstrap', 'eu-west-data']]);
      expect(plan.results.get('bootstrap')!.status).toBe('planned');
      // Every error named eu-west-data's folder: it failed with them, only bootstrap was planned again.
      expect([existsSync(join(workRoot, 'plans/bootstrap/bootstrap')), existsSync(join(workRoot, 'plans/eu-west/eu-west-data'))]).toEqual([
        true,
        false,
      ]);
      const result = plan.results.get('eu-west-data')!;
      expect(result.status).toBe('failed');
      const explained = (result.status === 'failed' ? result.error : '').split('\n').slice(0, 2);
      expect(explained).toEqual([
        'eu-west-data reads output "dataSubnetIdz" of eu-west-infra, which eu-west-infra does not publish (its contract in libs/stack-contracts declares no such output); fix: read a declared output, or declare and publish it',
        'eu-west-data reads output "dataKeyArns" of global-foundation as another kind than global-foundation publishes (its contract in libs/stack-contracts declares a map; the value is map of string with 3 elements: The given key does not identify an element in this collection value.); fix: read it as a map, or change the contract and what global-foundation publishes',
      ]);
    },
    60_000,
  );

  it('lists a stack whose plan would call AWS with no stand-in as not plannable, with the reason, instead of failing', () => {
    const data = named('us-east-data');
    const callsAws: SynthesizedStack = { ...data, json: { ...data.json, data: { ...data.json.data, aws_caller_identity: { current: {} } } } };
    const plan = planEnvironmentOffline(
      mkdtempSync(join(tmpdir(), 'env-plan-')),
      tools ?? { terraform: 'terraform', terraformVersion: '1.11.4', mirror: '/nonexistent' },
      [callsAws],
      config,
    );
    expect(plan.results.get('us-east-data')).toEqual({
      stack: 'us-east-data',
      status: 'not-planned',
      reason: 'reads aws_caller_identity, which calls AWS while planning and has no offline stand-in',
    });
    expect(plan.phases).toEqual([]);
  });
});
