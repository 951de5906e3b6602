import { loadEnvironment, seedRegionsConfig } from '@platform/config';
import { readSynthesizedApp, toolchainOrLoudSkip, type SynthesizedStack } from '@platform/terraform-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fakeOutput, planEnvironmentOffline } from './offline-environment';

const config = loadEnvironment('prod');
const apps = resolve(__dirname, '../../../apps');
const all = ['global', 'eu-west', 'us-east'].flatMap((app) => readSynthesizedApp(join(apps, app), 'prod'));
const named = (name: string) => all.find((s) => s.name === name)!;
const tools = toolchainOrLoudSkip(
  process.env,
  all.find((s) => s.providerVersions['aws'])!.providerVersions['aws']!,
  'offline environment plan (real provider)',
);
const withTools = tools ? it : it.skip;

describe('contract-shaped fake outputs', () => {
  it('are deterministic and shaped like what the name promises, per region for maps', () => {
    expect(fakeOutput('global-foundation', 'dataKeyArns', { kind: 'map', description: '' }, seedRegionsConfig())).toEqual({
      'us-east': 'arn:aws:kms:us-east-1:111111111111:key/offline-global-foundation-dataKeyArns-us-east',
      'eu-west': 'arn:aws:kms:eu-west-1:111111111111:key/offline-global-foundation-dataKeyArns-eu-west',
      apac: 'arn:aws:kms:ap-southeast-1:111111111111:key/offline-global-foundation-dataKeyArns-apac',
    });
    expect(fakeOutput('eu-west-infra', 'dataSubnetIds', { kind: 'list', description: '' }, config)).toEqual([
      'offline-eu-west-infra-dataSubnetIds-0',
      'offline-eu-west-infra-dataSubnetIds-1',
      'offline-eu-west-infra-dataSubnetIds-2',
    ]);
    expect(fakeOutput('us-east-data', 'auroraSecretArn', { kind: 'string', description: '' }, config)).toBe(
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:offline-us-east-data-auroraSecretArn-AbCdEf',
    );
    // Alias targets: Route 53 takes a zone id of at most 32 characters and a DNS name.
    expect(fakeOutput('us-east-infra', 'originLoadBalancerZoneId', { kind: 'string', description: '' }, config)).toBe('ZOFFLINEUSEASTINFRA');
    expect(fakeOutput('us-east-infra', 'originLoadBalancerDnsName', { kind: 'string', description: '' }, config)).toBe(
      'originloadbalancerdnsname.offline.invalid',
    );
  });
});

describe('the environment planned offline, in rollout order', () => {
  withTools(
    "plans a consumer with its producers' planned outputs and contract-shaped fakes for the rest",
    () => {
      const stacks = [named('eu-west-data'), named('global-foundation'), named('eu-west-infra')];
      const plan = planEnvironmentOffline(mkdtempSync(join(tmpdir(), 'env-plan-')), tools!, stacks, config);
      expect(plan.order).toEqual(['global-foundation', 'eu-west-infra', 'eu-west-data']);
      const statuses = Object.fromEntries([...plan.results].map(([name, r]) => [name, r.status === 'failed' ? r.error.slice(0, 300) : r.status]));
      expect(statuses).toEqual({ 'global-foundation': 'planned', 'eu-west-infra': 'planned', 'eu-west-data': 'planned' });
      const data = plan.results.get('eu-west-data')!;
      const changes = (
        data.status === 'planned'
          ? (data.planJson as { resource_changes: { type: string; change: { actions: string[]; after: Record<string, unknown> } }[] })
              .resource_changes
          : []
      ).filter((c) => c.type === 'aws_rds_cluster');
      // The secondary joins the global cluster the foundation planned (a known value, not a fake).
      expect(changes.map((c) => [c.change.actions, c.change.after['global_cluster_identifier']])).toEqual([[['create'], 'aurora-254carbon-prod']]);
    },
    120_000,
  );

  withTools(
    'fails a consumer reading an output its producer does not publish, naming both stacks and the output',
    () => {
      const data = named('eu-west-data');
      const dir = mkdtempSync(join(tmpdir(), 'broken-stack-'));
      const json = JSON.parse(JSON.stringify(data.json).replace(/outputs\.dataSubnetIds/g, 'outputs.dataSubnetIdz')) as SynthesizedStack['json'];
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
      const broken: SynthesizedStack = { ...data, dir, json };
      const plan = planEnvironmentOffline(mkdtempSync(join(tmpdir(), 'env-plan-')), tools!, [broken], config);
      const result = plan.results.get('eu-west-data')!;
      expect(result.status).toBe('failed');
      expect(result.status === 'failed' ? result.error : '').toMatch(
        /^eu-west-data reads output "dataSubnetIdz" of eu-west-infra, which eu-west-infra does not publish/,
      );
    },
    60_000,
  );

  it('lists the home data stack as not plannable, with the reason, instead of failing', () => {
    const plan = planEnvironmentOffline(
      mkdtempSync(join(tmpdir(), 'env-plan-')),
      tools ?? { terraform: 'terraform', terraformVersion: '1.11.4', mirror: '/nonexistent' },
      [named('us-east-data')],
      config,
    );
    expect(plan.results.get('us-east-data')).toEqual({
      stack: 'us-east-data',
      status: 'not-planned',
      reason: 'reads aws_secretsmanager_random_password, which calls AWS while planning (a credential generated on first apply)',
    });
  });
});
