import { loadEnvironment } from '@platform/config';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from './cli';

/**
 * The runbooks and the README tell an operator, under pressure, what to type. Every command line
 * they show must still be one this CLI accepts, naming regions this config has; a renamed flag or
 * region fails here instead of during an outage.
 */
const root = resolve(__dirname, '../../..');
const markdownIn = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, dir, f));
const documents = [join(root, 'README.md'), ...markdownIn('docs'), ...markdownIn('docs/runbooks'), ...markdownIn('docs/guides')];
const commands = documents.flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/npm run failover -- ([^`\n]+)/g)].map((m) => ({
    file: file.slice(root.length + 1),
    argv: m[1]!.trim().split(/\s+/),
  })),
);
const regions = loadEnvironment('prod').regions.map((r) => r.name);

describe('failover commands shown in the runbooks and README', () => {
  it('are found (the scan itself works), in the runbooks of every DR scenario', () => {
    const files = new Set(commands.map((c) => c.file));
    for (const runbook of ['docs/runbooks/regional-failure.md', 'docs/runbooks/database-failure.md', 'docs/runbooks/complete-region-outage.md'])
      expect(files).toContain(runbook);
  });

  it.each(commands.map((c) => [c.file, c.argv.join(' '), c.argv] as const))('%s: %s parses and names configured regions', (_file, _line, argv) => {
    const parsed = parse(argv, {});
    for (const region of [parsed.to, parsed.region]) if (region !== undefined) expect(regions).toContain(region);
  });

  it('a dry run is shown before every unplanned failover', () => {
    for (const file of new Set(commands.filter((c) => c.argv[0] === 'failover').map((c) => c.file))) {
      const inFile = commands.filter((c) => c.file === file && c.argv[0] === 'failover');
      expect({ file, dryRuns: inFile.some((c) => c.argv.includes('--dry-run')) }).toEqual({ file, dryRuns: true });
    }
  });
});
