import { readFileSync } from 'node:fs';

export interface Price {
  readonly usd: number;
  readonly unit: string;
  /** Where the price was read (a pricing page or the Price List API). */
  readonly source: string;
  /** When it was read, YYYY-MM-DD. */
  readonly date: string;
  /** Days after `date` the price must be read again. @default the table's refreshDays */
  readonly refreshDays?: number;
}

export class PriceTable {
  constructor(
    private readonly prices: Readonly<Record<string, Price>>,
    readonly path: string,
    /** Default refresh rule of the table, in days. */
    readonly refreshDays = 365,
  ) {}

  /** Keys whose price is older than its refresh rule on `today` (YYYY-MM-DD), with their age. */
  staleKeys(today: string): string[] {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    return (
      Object.entries(this.prices)
        // refreshDays 0 marks a price that was never read from its source: stale from the start.
        .filter(([, price]) => day(today) - day(price.date) >= (price.refreshDays ?? this.refreshDays))
        .map(([key, price]) => `${key} (read ${price.date}, refresh every ${price.refreshDays ?? this.refreshDays} days)`)
    );
  }

  /** A price by key; an unpriced key is an error naming the key to add, never a silent zero. */
  get(key: string): Price {
    const price = this.prices[key];
    if (!price) throw new Error(`${this.path} has no price "${key}"; fix: add it with usd, unit, source and date`);
    return price;
  }

  has(key: string): boolean {
    return key in this.prices;
  }

  /** The oldest `date` in the table: how stale the whole estimate may be. */
  oldestDate(): string {
    return (
      Object.values(this.prices)
        .map((p) => p.date)
        .sort()[0] ?? 'n/a'
    );
  }
}

/** Loads the table and refuses any entry without a positive-or-zero price, a unit, a source or a date. */
export function loadPriceTable(path: string): PriceTable {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { prices?: Record<string, Partial<Price>>; refreshDays?: number };
  if (!raw.prices || typeof raw.prices !== 'object') throw new Error(`${path}: no "prices" object`);
  for (const [key, price] of Object.entries(raw.prices)) {
    if (typeof price.usd !== 'number' || price.usd < 0) throw new Error(`${path}: price "${key}" has no usd amount; fix: set usd to the list price`);
    if (!price.unit) throw new Error(`${path}: price "${key}" has no unit; fix: say what the amount is per`);
    if (!price.source) throw new Error(`${path}: price "${key}" has no source; fix: name the pricing page or API it was read from`);
    if (!price.date || !/^\d{4}-\d{2}-\d{2}$/.test(price.date))
      throw new Error(`${path}: price "${key}" has no date (YYYY-MM-DD); fix: record when the price was read`);
  }
  return new PriceTable(raw.prices as Record<string, Price>, path, raw.refreshDays ?? 365);
}
