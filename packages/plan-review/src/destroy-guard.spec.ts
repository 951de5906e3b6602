import { planOffline, readSynthesizedApp, toolchainOrLoudSkip } from '@platform/terraform-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { guardDestroys } from './destroy-guard';
import { isKnownActionSet, parsePlanJson, PlanFormatError } from './plan-json';
import { STATEFUL_HELM_RELEASES, STATEFUL_RESOURCE_TYPES } from './stateful-types';

const plan = (changes: object[], formatVersion = '1.2', extra: object = {}) =>
  JSON.stringify({
    format_version: formatVersion,
    terraform_version: '1.11.4',
    configuration: {},
    planned_values: {},
    resource_changes: changes,
    ...extra,
  });
const change = (address: string, actions: string[], after: object = {}) => ({
  address,
  type: address.split('.')[0],
  name: address.split('.')[1],
  mode: 'managed',
  change: { actions, before: null, after },
});

describe('plan JSON', () => {
  it('refuses what is not JSON, with the fix', () => {
    expect(() => parsePlanJson('Terraform will perform the following actions', 'pr.plan')).toThrow(PlanFormatError);
    expect(() => parsePlanJson('{oops', 'pr.plan')).toThrow(/pr\.plan: not JSON .*fix: pass the output of `terraform show -json <planfile>`/);
  });

  it('refuses an unknown format version instead of misreading it', () => {
    expect(() => parsePlanJson(plan([], '2.0'), 'pr.plan')).toThrow(/plan JSON format 2\.0 is not supported \(this review reads 1\.x\)/);
    expect(() => parsePlanJson('{"resource_changes": []}', 'pr.plan')).toThrow(/no format_version/);
  });

  it('refuses a change without actions', () => {
    expect(() =>
      parsePlanJson(
        JSON.stringify({ format_version: '1.2', configuration: {}, planned_values: {}, resource_changes: [{ address: 'a.b', type: 'a' }] }),
        'pr.plan',
      ),
    ).toThrow(/resource_changes\[0\] lacks address, type or change\.actions/);
  });

  it('refuses a state (terraform show -json of a state) and an errored plan instead of reading "no changes"', () => {
    expect(() =>
      parsePlanJson(JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: { root_module: {} } }), 'state.json'),
    ).toThrow('state.json: not a plan (no configuration or planned_values; this looks like a state)');
    expect(() => parsePlanJson(plan([], '1.2', { errored: true }), 'pr.plan')).toThrow('pr.plan: the plan errored (errored: true)');
  });
});

/**
 * Every stateful type x every destructive action Terraform can plan: refused unless that exact
 * address is allowed; an allowance for another address of the same type covers nothing; the same
 * actions on a stateless type, and the harmless actions on a stateful one, pass.
 */
describe('destroy guard, table-driven over every stateful type', () => {
  const destructive: [string[], string][] = [
    [['delete'], 'delete'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['forget'], 'forget'],
    [['create', 'forget'], 'create-then-forget'],
  ];
  const cases = STATEFUL_RESOURCE_TYPES.flatMap((type) => destructive.map(([actions, kind]) => [type, actions.join(','), actions, kind] as const));

  it.each(cases)('%s [%s] is refused, and allowed only by its own address', (type, _label, actions, kind) => {
    const parsed = parsePlanJson(plan([change(`${type}.this`, [...actions])]), 'x');
    expect(guardDestroys(parsed).map((f) => [f.address, f.kind, f.allowed])).toEqual([[`${type}.this`, kind, false]]);
    expect(guardDestroys(parsed, [`${type}.other`, `module.m.${type}.this`]).map((f) => f.allowed)).toEqual([false]);
    expect(guardDestroys(parsed, [`${type}.this`]).map((f) => f.allowed)).toEqual([true]);
  });

  it.each(STATEFUL_RESOURCE_TYPES)('%s: create, update, read and no-op are not destroys', (type) => {
    const parsed = parsePlanJson(
      plan([change(`${type}.a`, ['create']), change(`${type}.b`, ['update']), change(`${type}.c`, ['no-op']), change(`${type}.d`, ['read'])]),
      'x',
    );
    expect(guardDestroys(parsed)).toEqual([]);
  });

  it.each(destructive)('a stateless type (aws_vpc) with %j passes', (actions) => {
    expect(guardDestroys(parsePlanJson(plan([change('aws_vpc.v', [...actions])]), 'x'))).toEqual([]);
  });
});

describe('destroy guard on hand-written plans', () => {
  it('fails a replaced database and a deleted cache, allows an explicitly allowed address', () => {
    const parsed = parsePlanJson(
      plan([
        change('aws_rds_cluster.db', ['delete', 'create']),
        change('aws_elasticache_replication_group.r', ['delete']),
        change('aws_s3_bucket.old', ['delete']),
        change('aws_vpc.v', ['delete']),
      ]),
      'x',
    );
    const findings = guardDestroys(parsed, ['aws_s3_bucket.old']);
    expect(findings.map((f) => [f.address, f.kind, f.allowed])).toEqual([
      ['aws_rds_cluster.db', 'replace', false],
      ['aws_elasticache_replication_group.r', 'delete', false],
      ['aws_s3_bucket.old', 'delete', true],
    ]);
  });

  it('treats forget (removed blocks) as destructive and unknown action sets as failures, even on stateless resources', () => {
    const parsed = parsePlanJson(
      plan([change('aws_kms_key.k', ['forget']), change('aws_vpc.v', ['teleport']), change('aws_vpc.w', ['update', 'delete'])]),
      'x',
    );
    expect(guardDestroys(parsed).map((f) => [f.address, f.kind])).toEqual([
      ['aws_kms_key.k', 'forget'],
      ['aws_vpc.v', 'unknown-action'],
      ['aws_vpc.w', 'unknown-action'],
    ]);
  });

  it('names CreateThenForget (create, forget) and guards it on stateful types; log groups holding evidence are stateful', () => {
    const parsed = parsePlanJson(
      plan([
        change('aws_rds_cluster.db', ['create', 'forget']),
        change('aws_cloudwatch_log_group.flow', ['delete']),
        change('aws_vpc.v', ['create', 'forget']),
      ]),
      'x',
    );
    expect(guardDestroys(parsed).map((f) => [f.address, f.kind])).toEqual([
      ['aws_rds_cluster.db', 'create-then-forget'],
      ['aws_cloudwatch_log_group.flow', 'delete'],
    ]);
  });

  it('guards stateful helm releases by release name', () => {
    const parsed = parsePlanJson(
      plan([
        change('helm_release.ch', ['delete', 'create'], { name: 'clickhouse' }),
        change('helm_release.ms', ['delete'], { name: 'metrics-server' }),
      ]),
      'x',
    );
    expect(guardDestroys(parsed).map((f) => f.address)).toEqual(['helm_release.ch']);
  });
});

// Real plans from the real provider, offline: a machine without terraform says so loudly; CI fails.
const tools = toolchainOrLoudSkip(process.env, '5.100.0', 'plan-review: offline plan tests');
const describeWithTerraform = tools ? describe : describe.skip;

describeWithTerraform('destroy guard on real offline plans of the bootstrap stack', () => {
  const stack = readSynthesizedApp(resolve(__dirname, '../../../apps/bootstrap'), 'prod')[0]!;
  const workRoot = mkdtempSync(join(tmpdir(), 'plan-review-'));
  const bucket = Object.keys(stack.json.resource?.['aws_s3_bucket'] ?? {})[0]!;

  // A create-only plan passing the guard: every stack of the environment, in offline-environment.spec.ts.
  it('fails a plan that replaces the state bucket (protection removed in code, bucket renamed)', () => {
    const priorState = {
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: '00000000-0000-4000-8000-000000000001',
      outputs: {},
      resources: [
        {
          mode: 'managed',
          type: 'aws_s3_bucket',
          name: bucket,
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [
            {
              schema_version: 0,
              attributes: { id: 'old-name', bucket: 'old-name', arn: 'arn:aws:s3:::old-name', force_destroy: false, tags: {}, tags_all: {} },
            },
          ],
        },
      ],
    };
    const result = planOffline(workRoot, tools!, stack, {
      priorState,
      resourceOverrides: { aws_s3_bucket: { [bucket]: { lifecycle: { prevent_destroy: false } } } },
    });
    if (result.status !== 'planned') throw new Error(JSON.stringify(result));
    const findings = guardDestroys(parsePlanJson(JSON.stringify(result.planJson), 'offline'));
    expect(findings).toEqual([expect.objectContaining({ address: `aws_s3_bucket.${bucket}`, kind: 'replace', allowed: false })]);
  }, 120_000);
});

describe('what the destroy guard tells the reviewer', () => {
  it.each([
    [['delete'], 'deleting a aws_rds_cluster loses its data'],
    [['delete', 'create'], 'replacing a aws_rds_cluster (replace_because_cannot_update) loses its data'],
    [['forget'], 'Terraform stops managing it (removed block): it keeps running, unowned and unprotected'],
    [
      ['create', 'forget'],
      'a new object replaces it and the old one is forgotten, not destroyed: its data stays behind, unowned, and the new one starts empty',
    ],
    [['update', 'delete'], 'unknown action set [update, delete]: the review cannot tell what it does'],
  ])('%j: "%s"', (actions, why) => {
    const raw = {
      ...change('aws_rds_cluster.db', actions),
      ...(actions.length === 2 && actions[0] === 'delete' ? { action_reason: 'replace_because_cannot_update' } : {}),
    };
    expect(guardDestroys(parsePlanJson(plan([raw]), 'x')).map((f) => [f.why, f.actions, f.type])).toEqual([[why, actions, 'aws_rds_cluster']]);
  });

  it('says nothing of data sources, which Terraform reads and never destroys', () => {
    expect(guardDestroys(parsePlanJson(plan([{ ...change('aws_s3_bucket.b', ['delete']), mode: 'data' }]), 'x'))).toEqual([]);
  });

  it('guards a stateful release only by its name, and a release without a name not at all', () => {
    const parsed = parsePlanJson(plan([change('helm_release.x', ['delete'], {}), change('helm_release.g', ['delete'], { name: 'grafana' })]), 'x');
    expect(guardDestroys(parsed).map((f) => f.address)).toEqual(['helm_release.g']);
    expect(STATEFUL_HELM_RELEASES).toEqual(['clickhouse', 'kube-prometheus-stack', 'grafana']);
  });

  it('knows exactly these stateful types, every data-bearing type the platform creates among them (a type removed from the list would be destroyed without a word)', () => {
    expect(STATEFUL_RESOURCE_TYPES).toEqual([
      'aws_rds_global_cluster',
      'aws_rds_cluster',
      'aws_db_instance',
      'aws_elasticache_global_replication_group',
      'aws_elasticache_replication_group',
      'aws_elasticache_cluster',
      'aws_s3_bucket',
      'aws_kms_key',
      'aws_kms_replica_key',
      'aws_eks_cluster',
      'aws_route53_zone',
      'aws_cloudtrail',
      'aws_dynamodb_table',
      'aws_efs_file_system',
      'aws_secretsmanager_secret',
      'aws_cloudwatch_log_group',
    ]);
  });
});

describe('plan JSON, field by field', () => {
  it('reads each change: address, type, name, mode, actions, reason, release name; and the versions', () => {
    const parsed = parsePlanJson(
      plan([
        { ...change('helm_release.ch', ['update'], { name: 'clickhouse' }), action_reason: 'x' },
        { address: 'data.aws_region.r', type: 'aws_region', mode: 'data', change: { actions: ['read'], before: { name: 'old' } } },
      ]),
      'x',
    );
    expect(parsed).toStrictEqual({
      formatVersion: '1.2',
      terraformVersion: '1.11.4',
      changes: [
        {
          address: 'helm_release.ch',
          type: 'helm_release',
          name: 'ch',
          mode: 'managed',
          actions: ['update'],
          actionReason: 'x',
          releaseName: 'clickhouse',
        },
        {
          address: 'data.aws_region.r',
          type: 'aws_region',
          name: '',
          mode: 'data',
          actions: ['read'],
          actionReason: undefined,
          releaseName: undefined,
        },
      ],
    });
    const before = parsePlanJson(
      plan([{ ...change('helm_release.g', ['delete']), change: { actions: ['delete'], before: { name: 'grafana' }, after: null } }]),
      'x',
    );
    expect(before.changes[0]!.releaseName).toBe('grafana');
    expect(parsePlanJson(JSON.stringify({ format_version: '1.10', configuration: {}, planned_values: {} }), 'x')).toStrictEqual({
      formatVersion: '1.10',
      terraformVersion: 'unknown',
      changes: [],
    });
  });

  it.each([
    ['null', 'x: no format_version'],
    ['{"format_version": 1.2}', 'x: no format_version'],
    ['{"format_version": "1.2.3", "configuration": {}, "planned_values": {}}', 'x: plan JSON format 1.2.3 is not supported'],
    ['{"format_version": "11.0", "configuration": {}, "planned_values": {}}', 'x: plan JSON format 11.0 is not supported'],
    ['{"format_version": "1.2", "configuration": null, "planned_values": {}}', 'x: not a plan (no configuration or planned_values); fix'],
    ['{"format_version": "1.2", "configuration": {}}', 'x: not a plan (no configuration or planned_values); fix'],
    ['{"format_version": "1.2", "planned_values": {}}', 'x: not a plan (no configuration or planned_values); fix'],
    ['{"format_version": "1.2", "configuration": {}, "planned_values": {}, "resource_changes": {}}', 'x: resource_changes is not a list'],
    [
      '{"format_version": "1.2", "configuration": {}, "planned_values": {}, "resource_changes": [{"address": "a.b", "change": {"actions": []}}]}',
      'x: resource_changes[0] lacks',
    ],
    [
      '{"format_version": "1.2", "configuration": {}, "planned_values": {}, "resource_changes": [{"type": "a", "change": {"actions": []}}]}',
      'x: resource_changes[0] lacks',
    ],
    [
      '{"format_version": "1.2", "configuration": {}, "planned_values": {}, "resource_changes": [{"address": "a.b", "type": "a", "change": {"actions": "delete"}}]}',
      'x: resource_changes[0] lacks',
    ],
  ])('refuses %s: "%s"', (text, message) => {
    let error: unknown;
    try {
      parsePlanJson(text, 'x');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlanFormatError);
    expect((error as Error).name).toBe('PlanFormatError');
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  it('keeps the JSON error as the cause of a parse failure', () => {
    expect(() => parsePlanJson('{oops', 'x')).toThrow(expect.objectContaining({ cause: expect.any(SyntaxError) }));
  });

  it('knows an action set only in the order and length Terraform writes it', () => {
    expect(isKnownActionSet(['delete', 'create'])).toBe(true);
    expect(isKnownActionSet(['create', 'delete'])).toBe(true);
    expect(isKnownActionSet(['delete', 'forget'])).toBe(false);
    expect(isKnownActionSet(['create', 'teleport'])).toBe(false);
    expect(isKnownActionSet(['delete', 'create', 'delete'])).toBe(false);
    expect(isKnownActionSet([])).toBe(false);
  });
});
