import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPriceTable, PriceTable } from './price-table';

function table(prices: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
  writeFileSync(path, JSON.stringify({ prices }));
  return path;
}

describe('price table', () => {
  const entry = { usd: 0.1, unit: 'hour', source: 'https://aws.amazon.com/eks/pricing/', date: '2025-06-01' };

  it('refuses an entry without a source or a date', () => {
    expect(() => loadPriceTable(table({ a: { ...entry, source: '' } }))).toThrow(/price "a" has no source; fix: name the pricing page/);
    expect(() => loadPriceTable(table({ a: { usd: 1, unit: 'x', source: 's' } }))).toThrow(/price "a" has no date \(YYYY-MM-DD\)/);
    expect(() => loadPriceTable(table({ a: { ...entry, usd: -1 } }))).toThrow(/no usd amount/);
  });

  it('names a missing price instead of pricing it at zero', () => {
    expect(() => loadPriceTable(table({ a: entry })).get('b')).toThrow(/has no price "b"; fix: add it with usd, unit, source and date/);
  });

  it('the repository table is complete and dated', () => {
    const repoTable = loadPriceTable(resolve(__dirname, '../data/prices.json'));
    expect(repoTable.oldestDate()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("lists prices older than their refresh rule (their own, else the table's)", () => {
    const table = new PriceTable(
      {
        a: { usd: 1, unit: 'h', source: 's', date: '2025-06-01' },
        b: { usd: 1, unit: 'h', source: 's', date: '2026-11-01' },
        c: { usd: 1, unit: 'h', source: 's', date: '2026-08-01', refreshDays: 30 },
      },
      'p.json',
      365,
    );
    expect(table.staleKeys('2026-11-25')).toEqual(['a (read 2025-06-01, refresh every 365 days)', 'c (read 2026-08-01, refresh every 30 days)']);
    expect(table.staleKeys('2026-05-31')).toEqual([]);
  });
});
