import { loadEnvironment } from '@platform/config';
import { resolve } from 'node:path';
import { bucketResources, fixtureStack } from './fixtures';
import { parsePlanJson } from './plan-json';
import { loadPriceTable } from './price-table';
import { reviewStacks, scopeReview, type ReviewInput } from './review';
import { loadUsageAssumptions } from './usage-assumptions';

/**
 * The review in-process (cli.spec drives the same through the command line): plans counted per
 * stack, destroys guarded per stack, costs against a base, allowances matched, exit codes.
 */
const config = loadEnvironment('prod');
const prices = loadPriceTable(resolve(__dirname, '../data/prices.json'));
const usage = loadUsageAssumptions(resolve(__dirname, '../data/usage-assumptions.json'));

const trail = {
  aws_cloudtrail: {
    t: {
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      kms_key_id: 'k',
      s3_bucket_name: 'audit-name',
      lifecycle: { prevent_destroy: true },
    },
  },
};
const plan = (changes: [string, string[]][]) =>
  parsePlanJson(
    JSON.stringify({
      format_version: '1.2',
      configuration: {},
      planned_values: {},
      resource_changes: changes.map(([address, actions]) => ({
        address,
        type: address.split('.')[0],
        mode: address.startsWith('data.') ? 'data' : 'managed',
        change: { actions },
      })),
    }),
    'x',
  );

/** A compliant foundation: the trail into a hardened, access-logged bucket (no policy finding). */
const audit = bucketResources('audit');
const foundation = fixtureStack(
  'global-foundation',
  { ...audit.resource, ...trail, aws_s3_bucket_logging: { l: { bucket: '${aws_s3_bucket.audit.id}', target_bucket: 'logs' } } },
  { data: audit.data },
);

function input(overrides: Partial<ReviewInput> = {}): ReviewInput {
  return {
    stacks: [foundation, fixtureStack('eu-west-infra', { aws_nat_gateway: { a: {}, b: {} } }, { regions: { aws: 'eu-west-1' } })],
    config,
    suppressions: [],
    prices,
    usage,
    plans: new Map([
      [
        'eu-west-infra',
        plan([
          ['aws_nat_gateway.a', ['create']],
          ['aws_nat_gateway.b', ['no-op']],
          ['aws_s3_bucket.logs', ['delete', 'create']],
          ['aws_route.r', ['update']],
          ['data.aws_region.r', ['read']],
        ]),
      ],
    ]),
    planNotes: new Map([['global-foundation', 'reads remote state that does not exist yet']]),
    allowedDestroys: [],
    today: '2026-12-04',
    ...overrides,
  };
}

describe('reviewStacks', () => {
  it('counts each stack’s managed changes (replace as one), lists them without no-ops, and notes the stacks without a plan', () => {
    const review = reviewStacks(input());
    expect(review.stacks.map((s) => [s.stack, s.app, s.resourceCount, s.plan?.counts, s.planNote])).toEqual([
      ['global-foundation', 'fixture', 7, undefined, 'reads remote state that does not exist yet'],
      ['eu-west-infra', 'fixture', 2, { create: 1, 'no-op': 1, replace: 1, update: 1 }, undefined],
    ]);
    expect(review.stacks[1]!.plan!.changes).toEqual([
      { address: 'aws_nat_gateway.a', actions: ['create'] },
      { address: 'aws_s3_bucket.logs', actions: ['delete', 'create'] },
      { address: 'aws_route.r', actions: ['update'] },
    ]);
    expect(reviewStacks(input({ planNotes: new Map() })).stacks[0]!.planNote).toBe('no plan given');
  });

  it('fails with 2 on a destroy nobody allowed, 0 once that stack and address are allowed, 1 for a finding, 3 for both', () => {
    expect(reviewStacks(input()).exitCode).toBe(2);
    expect(reviewStacks(input()).stacks[1]!.destroys.map((d) => [d.address, d.kind, d.allowed])).toEqual([['aws_s3_bucket.logs', 'replace', false]]);
    const allowed = reviewStacks(input({ allowedDestroys: [{ stack: 'eu-west-infra', address: 'aws_s3_bucket.logs' }] }));
    expect([allowed.exitCode, allowed.unusedAllowances]).toEqual([0, []]);
    const elsewhere = reviewStacks(input({ allowedDestroys: [{ stack: 'us-east-infra', address: 'aws_s3_bucket.logs' }] }));
    expect([elsewhere.exitCode, elsewhere.unusedAllowances]).toEqual([2, [{ stack: 'us-east-infra', address: 'aws_s3_bucket.logs' }]]);
    const unprotected = fixtureStack('global-data', { aws_kms_key: { k: {} } });
    expect(reviewStacks(input({ stacks: [...input().stacks, unprotected], plans: new Map() })).exitCode).toBe(1);
    expect(reviewStacks(input({ stacks: [...input().stacks, unprotected] })).exitCode).toBe(3);
  });

  it('prices each stack, and against the base when there is one', () => {
    const review = reviewStacks(
      input({ baseStacks: [fixtureStack('eu-west-infra', { aws_nat_gateway: { a: {} } }, { regions: { aws: 'eu-west-1' } })] }),
    );
    const nat = prices.get('nat.eu-west-1.hour').usd * 730;
    expect(
      review.stacks.map((s) => [s.stack, Math.round(s.monthlyUsd * 100) / 100, s.baseMonthlyUsd && Math.round(s.baseMonthlyUsd * 100) / 100]),
    ).toEqual([
      ['global-foundation', 0, 0], // the first trail's management events are free; nothing else here is priced
      ['eu-west-infra', Math.round(2 * nat * 100) / 100, Math.round(nat * 100) / 100],
    ]);
    expect(reviewStacks(input()).stacks[1]!.baseMonthlyUsd).toBeUndefined();
    expect(review.cost.priceTableOldest).toBe(prices.oldestDate());
    expect(review.stalePrices).toEqual(prices.staleKeys('2026-12-04'));
  });

  it('scopes a review to one stack: its destroys, findings and exit code only', () => {
    const unprotected = fixtureStack('global-data', { aws_kms_key: { k: {} } });
    const review = reviewStacks(input({ stacks: [...input().stacks, unprotected], allowedDestroys: [{ stack: 'global-data', address: 'x.y' }] }));
    expect(review.exitCode).toBe(3);
    const infra = scopeReview(review, 'eu-west-infra');
    expect([infra.onlyStack, infra.stacks.map((s) => s.stack), infra.policy.findings, infra.unusedAllowances, infra.exitCode]).toEqual([
      'eu-west-infra',
      ['eu-west-infra'],
      [],
      [],
      2,
    ]);
    const data = scopeReview(review, 'global-data');
    expect([data.policy.findings.map((f) => f.address), data.unusedAllowances.length, data.exitCode]).toEqual([['aws_kms_key.k'], 1, 1]);
    expect(data.cost).toBe(review.cost);
  });
});
