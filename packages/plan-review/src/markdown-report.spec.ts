import { MAX_COMMENT_CHARS, reviewMarkdown, stackMarkdown } from './markdown-report';
import type { Review } from './review';

/** A review with one stack whose plan lists `changes` changes. */
function reviewWith(changes: number): Review {
  return {
    stacks: [
      {
        stack: 'us-east-infra',
        app: 'us-east',
        resourceCount: changes,
        plan: {
          counts: { create: changes },
          changes: Array.from({ length: changes }, (_, i) => ({ address: `aws_route.r${i}_${'x'.repeat(40)}`, actions: ['create'] })),
        },
        destroys: [],
        monthlyUsd: 0,
      },
    ],
    policy: { findings: [], suppressed: [], exceptions: [], unusedSuppressions: [], rules: [] },
    cost: { lines: [], priceTableOldest: '2026-11-01' },
    unusedAllowances: [],
    stalePrices: [],
    exitCode: 0,
  };
}

describe('the markdown report', () => {
  it('stays whole when it fits a GitHub comment', () => {
    const text = reviewMarkdown(reviewWith(10));
    expect(text).toContain('aws_route.r9_');
    expect(text).not.toContain('Cut to fit');
  });

  it("drops the folded plan list first, then cuts, linking the full report, never over GitHub's limit", () => {
    const long = reviewMarkdown(reviewWith(5000), { artifactUrl: 'https://github.com/o/r/actions/runs/1#artifacts' });
    expect(long.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(MAX_COMMENT_CHARS).toBeLessThan(65_536);
    expect(long).not.toContain('aws_route.r0_');
    expect(long).toContain('**PASS**');
    expect(long).toMatch(
      /✂️ Cut to fit a GitHub comment \([\d,]+ characters\): see the \[full report\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1#artifacts\)/,
    );
    const tiny = reviewMarkdown(reviewWith(5000), { maxChars: 300 });
    expect(tiny.length).toBeLessThanOrEqual(300);
    expect(tiny).toContain("the full report in the run's artifact");
  });
});

/**
 * The whole comment for a review that has everything: a scoped failing review with a blocked and an
 * allowed destroy, a finding, a suppression, an AWS exception, stale prices, unused allowances and
 * suppressions, costs against the seed and a base, and an unplanned stack. Written out in full: the
 * comment is what reviewers read, and a wrong sign or a swapped column is a wrong decision.
 */
describe('the markdown report, line by line', () => {
  const line = (stack: string, region: string, category: string, item: string, monthlyUsd: number) =>
    ({ stack, region, category, item, monthlyUsd, priceKeys: [] }) as never;
  const review: Review = {
    stacks: [
      {
        stack: 'eu-west-data',
        app: 'eu-west',
        resourceCount: 42,
        plan: {
          counts: { update: 1, replace: 1 },
          changes: [
            { address: 'aws_rds_cluster.db', actions: ['delete', 'create'] },
            { address: 'aws_s3_bucket.b', actions: ['update'] },
          ],
        },
        destroys: [
          {
            address: 'aws_rds_cluster.db',
            type: 'aws_rds_cluster',
            kind: 'replace',
            actions: ['delete', 'create'],
            allowed: false,
            why: 'replacing a aws_rds_cluster loses its data',
          },
          {
            address: 'aws_s3_bucket.old',
            type: 'aws_s3_bucket',
            kind: 'delete',
            actions: ['delete'],
            allowed: true,
            why: 'deleting a aws_s3_bucket loses its data',
          },
        ],
        monthlyUsd: 1234.4,
        baseMonthlyUsd: 1500,
      },
      {
        stack: 'eu-west-platform',
        app: 'eu-west',
        resourceCount: 7,
        planNote: 'kubernetes and helm stacks are validated, not planned',
        destroys: [],
        monthlyUsd: 0,
      },
    ],
    policy: {
      findings: [
        {
          rule: 'tls-1-3',
          stack: 'eu-west-data',
          address: 'aws_lb_listener.l',
          attribute: 'ssl_policy',
          why: 'the listener accepts TLS older than 1.3',
          fix: 'set ssl_policy = "X"',
        },
      ],
      suppressed: [
        {
          rule: 'encryption-at-rest-cmk',
          stack: 'eu-west-data',
          address: 'aws_sqs_queue.q',
          attribute: 'kms_master_key_id',
          why: 'w',
          fix: 'f',
          reason: 'event notices only',
        },
      ],
      exceptions: [
        { rule: 'tls-1-3', stack: 'eu-west-data', address: 'aws_elasticache_replication_group.r', reason: 'ElastiCache has a TLS 1.2 minimum' },
      ],
      unusedSuppressions: [{ rule: 'waf-on-cloudfront', stack: 'global-edge', address: 'aws_cloudfront_distribution.d', reason: 'r' }],
      rules: [{}, {}] as never,
    } as never,
    cost: {
      lines: [
        line('eu-west-data', 'eu-west-1', 'database', 'Aurora', 1000.6),
        line('eu-west-data', 'eu-west-1', 'cache', 'Valkey', 233.8),
        line('usage: global', 'global', 'cdn', 'CloudFront', 2800),
      ],
      baseLines: [line('eu-west-data', 'eu-west-1', 'database', 'Aurora', 1200), line('usage: global', 'global', 'cdn', 'CloudFront', 2800)],
      priceTableOldest: '2026-08-01',
    },
    unusedAllowances: [{ stack: 'us-east-data', address: 'aws_s3_bucket.x' }],
    stalePrices: ['ec2.m6i.2xlarge.eu-west-1.hour', 'nat.eu-west-1.hour'],
    onlyStack: 'eu-west-data',
    exitCode: 3,
  };

  /** The eu-west-data part of the comment, as the whole review and the stack alone render it. */
  const euWestDataSection = [
    '<!-- plan-review:eu-west-data -->',
    '### ❌ `eu-west-data` (app `eu-west`)',
    '',
    '| resources | plan | policy findings | suppressed | monthly cost |',
    '|---|---|---|---|---|',
    '| 42 | 1 update, 1 replace | 1 | 1 | $1,234 (-$266 vs base) |',
    '',
    '#### 🟥 Destructive changes',
    '',
    '| address | action | allowed | why |',
    '|---|---|---|---|',
    '| `aws_rds_cluster.db` | replace (delete, create) | **no** | replacing a aws_rds_cluster loses its data |',
    '| `aws_s3_bucket.old` | delete (delete) | yes (explicitly) | deleting a aws_s3_bucket loses its data |',
    '',
    '#### Policy findings',
    '',
    '- **tls-1-3** `aws_lb_listener.l` `ssl_policy`: the listener accepts TLS older than 1.3. Fix: set ssl_policy = "X".',
    '',
    '#### Let through, with reasons',
    '',
    '- suppressed **encryption-at-rest-cmk** `aws_sqs_queue.q`: event notices only',
    '- AWS exception **tls-1-3** `aws_elasticache_replication_group.r`: ElastiCache has a TLS 1.2 minimum',
    '',
  ];

  it('renders the summary, warnings, cost table against seed and base, and every stack', () => {
    expect(reviewMarkdown(review)).toBe(
      [
        '## Plan review',
        '',
        '**FAIL** (stack `eu-west-data`): 2 stacks, 2 policy rules, 1 finding(s), 1 suppressed, 1 destructive change(s) not allowed.',
        '',
        'Unused destroy allowances (they match no destructive change; remove or fix them): `us-east-data:aws_s3_bucket.x`',
        '',
        '⚠️ 2 price(s) are older than their refresh rule (oldest read 2026-08-01), so totals may be off: refresh `packages/plan-review/data/prices.json` (the JSON report lists each).',
        '',
        'Stale suppressions (they match nothing; remove them): waf-on-cloudfront global-edge aws_cloudfront_distribution.d',
        '',
        '### Monthly cost against the seed',
        '',
        '| category | estimate | seed | difference | vs base |',
        '|---|---|---|---|---|',
        '| compute | $0 | $8,000 | -$8,000 | +$0 |',
        '| database | $1,001 | $6,000 | -$4,999 | -$199 |',
        '| cache | $234 | $2,500 | -$2,266 | +$234 |',
        '| cdn | $2,800 | $3,500 | -$700 | +$0 |',
        '| networking | $0 | $2,000 | -$2,000 | +$0 |',
        '| storage | $0 | $1,500 | -$1,500 | +$0 |',
        '| other | $0 | $0 | +$0 | +$0 |',
        '| **total** | **$4,034** | **$23,500** | **-$19,466** | +$34 |',
        '',
        'By region: eu-west-1 $1,234, global $2,800. Prices from `packages/plan-review/data/prices.json` (oldest entry 2026-08-01); usage from `data/usage-assumptions.json`. Usage (CDN, replication traffic, backups) is priced only for what the stacks contain.',
        '',
        ...euWestDataSection,
        '<details><summary>Plan: 2 change(s)</summary>',
        '',
        '```',
        'delete+create  aws_rds_cluster.db',
        'update         aws_s3_bucket.b',
        '```',
        '</details>',
        '',
        '<!-- plan-review:eu-west-platform -->',
        '### ✅ `eu-west-platform` (app `eu-west`)',
        '',
        '| resources | plan | policy findings | suppressed | monthly cost |',
        '|---|---|---|---|---|',
        '| 7 | not planned: kubernetes and helm stacks are validated, not planned | 0 | 0 | $0 |',
        '',
      ].join('\n'),
    );
  });

  it('renders one stack without its plan list when asked', () => {
    expect(stackMarkdown(review, review.stacks[0]!, false)).toBe(euWestDataSection.join('\n'));
  });

  it('passes with a check mark and no sections for a clean, unchanged stack', () => {
    const clean: Review = {
      ...review,
      stacks: [{ stack: 's', app: 'a', resourceCount: 1, plan: { counts: {}, changes: [] }, destroys: [], monthlyUsd: 10 }],
      exitCode: 0,
      onlyStack: undefined,
    } as Review;
    const text = stackMarkdown(clean, clean.stacks[0]!);
    expect(text.split('\n').slice(0, 6)).toEqual([
      '<!-- plan-review:s -->',
      '### ✅ `s` (app `a`)',
      '',
      '| resources | plan | policy findings | suppressed | monthly cost |',
      '|---|---|---|---|---|',
      '| 1 | no changes | 0 | 0 | $10 |',
    ]);
    expect(text).not.toMatch(/Destructive|Policy findings|Let through/);
  });
});
