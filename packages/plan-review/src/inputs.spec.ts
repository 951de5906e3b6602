import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEnvironment } from '@platform/config';
import { loadSuppressions, runPolicyGate } from './policy-gate';
import { loadPriceTable, PriceTable } from './price-table';
import { providerRegions, referencedAddress, resourcesOf } from './synthesized-resources';
import { loadUsageAssumptions } from './usage-assumptions';
import { fixtureStack } from './fixtures';

/** The review's inputs from files: each refusal names the file, the entry and the fix. */
const file = (content: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'review-input-')), 'input.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('suppressions file', () => {
  const ok = { rule: 'tls-1-3', stack: 's', address: 'aws_lb_listener.l', reason: 'a partner that cannot do TLS 1.3 yet, ticket OPS-2' };

  it('reads well-formed suppressions', () => {
    expect(loadSuppressions(file([ok]))).toEqual([ok]);
  });

  it.each([
    [{ not: 'a list' }, /: expected a JSON list of \{ rule, stack, address, reason \}$/],
    [[{ ...ok, rule: '' }], /\[0\]: rule is missing; fix: every suppression names rule, stack, address and the reason$/],
    [[ok, { ...ok, stack: 3 }], /\[1\]: stack is missing/],
    [[{ rule: ok.rule, stack: 's', reason: ok.reason }], /\[0\]: address is missing/],
    [[{ ...ok, reason: undefined }], /\[0\]: reason is missing/],
    [[{ ...ok, rule: 'tls-13' }], /\[0\]: rule "tls-13" does not exist; fix: use one of encryption-at-rest-cmk, tls-1-3, /],
    [
      [{ ...ok, reason: 'because' }],
      /\[0\]: reason "because" is too short to review; fix: say why the risk is acceptable \(at least 20 characters\)$/,
    ],
  ])('refuses %j', (content, message) => {
    expect(() => loadSuppressions(file(content))).toThrow(message);
  });

  it('accepts a reason of exactly 20 characters', () => {
    expect(loadSuppressions(file([{ ...ok, reason: 'x'.repeat(20) }]))).toHaveLength(1);
  });

  it('lists the rules with their titles (the report names them)', () => {
    expect(runPolicyGate([], loadEnvironment('prod'), []).rules).toEqual([
      { id: 'encryption-at-rest-cmk', title: "Encryption at rest with a customer KMS key of the resource's own region" },
      { id: 'tls-1-3', title: 'TLS 1.3 wherever AWS allows it' },
      { id: 'data-stores-private', title: 'Data stores only in data subnets and never public' },
      { id: 'waf-on-cloudfront', title: 'WAF on every CloudFront distribution' },
      { id: 'one-multi-region-trail', title: 'Exactly one multi-region CloudTrail trail, validated, KMS-encrypted, logging to S3 with access logs' },
      { id: 'imdsv2-on-nodes', title: 'IMDSv2 required, hop limit 1, on every node' },
      { id: 'no-open-data-ports', title: 'No ingress from 0.0.0.0/0 or ::/0 to data ports' },
      { id: 'deletion-protection', title: 'Stateful resources protected from deletion' },
      { id: 's3-closed-and-tls-only', title: 'Buckets versioned, with every public-access switch on and a TLS-only policy' },
    ]);
  });
});

describe('usage assumptions file', () => {
  const repo = JSON.parse(readFileSync(resolve(__dirname, '../data/usage-assumptions.json'), 'utf8')) as Record<string, unknown>;

  it('reads the repository file', () => {
    expect(loadUsageAssumptions(resolve(__dirname, '../data/usage-assumptions.json'))).toMatchObject({ hoursPerMonth: 730, spotPriceFraction: 0.35 });
  });

  it.each(['hoursPerMonth', 'spotPriceFraction', 'originRequestShare', 'crossRegionTransferGB'])('refuses a missing or negative %s', (key) => {
    const { [key]: _, ...without } = repo;
    expect(() => loadUsageAssumptions(file(without))).toThrow(
      new RegExp(`: ${key} must be a number >= 0; fix: set it \\(see data/usage-assumptions.json\\)$`),
    );
    expect(() => loadUsageAssumptions(file({ ...repo, [key]: -1 }))).toThrow(`${key} must be a number >= 0`);
    expect(() => loadUsageAssumptions(file({ ...repo, [key]: '1' }))).toThrow(`${key} must be a number >= 0`);
  });

  it('refuses CloudFront traffic left out, accepts zero', () => {
    expect(() => loadUsageAssumptions(file({ ...repo, cloudfront: undefined }))).toThrow('cloudfront.transferOutGB must be a number >= 0');
    expect(() => loadUsageAssumptions(file({ ...repo, cloudfront: { transferOutGB: 1 } }))).toThrow(
      'cloudfront.httpsRequestsMillions must be a number >= 0',
    );
    expect(loadUsageAssumptions(file({ ...repo, cloudfront: { transferOutGB: 0, httpsRequestsMillions: 0 } })).cloudfront).toEqual({
      transferOutGB: 0,
      httpsRequestsMillions: 0,
    });
  });
});

describe('price table file', () => {
  const entry = { usd: 0.1, unit: 'hour', source: 'https://aws.amazon.com/eks/pricing/', date: '2025-06-01' };

  it.each([
    [{}, /: no "prices" object$/],
    [{ prices: { a: { ...entry, usd: '0.1' } } }, /: price "a" has no usd amount; fix: set usd to the list price$/],
    [{ prices: { a: { ...entry, unit: '' } } }, /: price "a" has no unit; fix: say what the amount is per$/],
    [{ prices: { a: { ...entry, date: '2025-6-1' } } }, /: price "a" has no date \(YYYY-MM-DD\); fix: record when the price was read$/],
    [{ prices: { a: { ...entry, date: '2025-06-01T00:00' } } }, /has no date/],
  ])('refuses %j', (content, message) => {
    expect(() => loadPriceTable(file(content))).toThrow(message);
  });

  it('takes a free price, the refresh rule of the file, else 365 days, and says which keys it has', () => {
    const table = loadPriceTable(file({ prices: { free: { ...entry, usd: 0 } }, refreshDays: 10 }));
    expect([table.get('free').usd, table.has('free'), table.has('paid')]).toEqual([0, true, false]);
    expect(table.staleKeys('2025-06-11')).toEqual(['free (read 2025-06-01, refresh every 10 days)']);
    expect(table.staleKeys('2025-06-10')).toEqual([]);
    expect(loadPriceTable(file({ prices: { a: entry } })).staleKeys('2026-06-01')).toEqual(['a (read 2025-06-01, refresh every 365 days)']);
    expect(new PriceTable({}, 'p', 365).oldestDate()).toBe('n/a');
  });
});

describe('synthesized resources', () => {
  const stack = fixtureStack(
    's',
    { aws_s3_bucket: { a: {}, b: { provider: 'aws.eu' } }, helm_release: { h: {} } },
    { regions: { aws: 'us-east-1', 'aws.eu': 'eu-west-1' }, data: { aws_region: { r: {} } } },
  );

  it('places each AWS resource in its provider’s region, other providers nowhere', () => {
    expect(providerRegions(stack)).toEqual(
      new Map([
        ['aws', 'us-east-1'],
        ['aws.eu', 'eu-west-1'],
      ]),
    );
    expect(resourcesOf(stack).map((r) => [r.kind, r.address, r.awsRegion])).toEqual([
      ['resource', 'aws_s3_bucket.a', 'us-east-1'],
      ['resource', 'aws_s3_bucket.b', 'eu-west-1'],
      ['resource', 'helm_release.h', undefined],
      ['data', 'data.aws_region.r', 'us-east-1'],
    ]);
    expect(providerRegions({ ...stack, json: {} })).toEqual(new Map());
  });

  it.each([
    ['${aws_s3_bucket.x.id}', 'aws_s3_bucket.x'],
    ['${data.aws_iam_policy_document.p.json}', 'data.aws_iam_policy_document.p'],
    ['${aws_s3_bucket.x.id}-suffix', undefined],
    ['prefix-${aws_s3_bucket.x.id}', undefined],
    ['${aws_s3_bucket.x}', undefined],
    ['${aws_lb.a.b.c}', undefined],
    ['arn:aws:s3:::x', undefined],
  ])('reads the address referenced by %s as %s', (value, address) => {
    expect(referencedAddress(value)).toBe(address);
  });
});

describe('suppression matching', () => {
  const config = loadEnvironment('prod');
  const stack = fixtureStack('s', { aws_rds_cluster_instance: { i: { publicly_accessible: true } } });
  const reason = 'a demo database behind a client VPN, ticket OPS-1';

  it.each([
    ['another rule', { rule: 'tls-1-3', stack: 's', address: 'aws_rds_cluster_instance.i', reason }],
    ['another stack', { rule: 'data-stores-private', stack: 't', address: 'aws_rds_cluster_instance.i', reason }],
    ['another address', { rule: 'data-stores-private', stack: 's', address: 'aws_rds_cluster_instance.j', reason }],
  ])('a suppression for %s lets nothing through and is reported unused', (_what, suppression) => {
    const result = runPolicyGate([stack], config, [suppression]);
    expect(result.findings.map((f) => `${f.rule} ${f.address}`)).toContain('data-stores-private aws_rds_cluster_instance.i');
    expect(result.suppressed).toEqual([]);
    expect(result.unusedSuppressions).toEqual([suppression]);
  });
});
