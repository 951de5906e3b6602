import { MAX_COMMENT_CHARS, reviewMarkdown } from './markdown-report';
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
