import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHARTS } from './charts';

const workspaceRoot = resolve(__dirname, '../../..');
interface LockEntry {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  readonly indexEntry: string;
}
const lock = JSON.parse(readFileSync(resolve(__dirname, '../charts.lock.json'), 'utf8')) as { charts: Record<string, LockEntry> };

/** Every "<chart> <version>" the README and docs/ mention (the chart name optionally in backticks). */
function versionsInDocs(chart: string): { file: string; version: string }[] {
  const docs = ['README.md', ...readdirSync(join(workspaceRoot, 'docs'), { recursive: true, encoding: 'utf8' }).map((f) => join('docs', f))].filter(
    (f) => f.endsWith('.md'),
  );
  const mention = new RegExp(`(?<![\\w-])\`?${chart.replace(/[-]/g, '\\-')}\`?\\s+v?(\\d+\\.\\d+\\.\\d+)`, 'g');
  return docs.flatMap((file) => [...readFileSync(join(workspaceRoot, file), 'utf8').matchAll(mention)].map((m) => ({ file, version: m[1]! })));
}

describe('charts.lock.json', () => {
  it('pins exactly the charts of charts.ts, at the same repositories and versions', () => {
    expect(Object.keys(lock.charts).sort()).toEqual(Object.keys(CHARTS).sort());
    for (const [key, source] of Object.entries(CHARTS)) {
      expect({ key, ...lock.charts[key] }).toEqual({
        key,
        ...source,
        indexEntry: source.repository.startsWith('oci://')
          ? `${source.repository}/${source.chart}:${source.version}`
          : `${source.repository.replace(/\/$/, '')}/index.yaml entries.${source.chart}[version=${source.version}]`,
      });
    }
  });

  it('agrees with every chart version the README and docs mention', () => {
    const mismatches = Object.values(lock.charts).flatMap(({ chart, version }) =>
      versionsInDocs(chart)
        .filter((mention) => mention.version !== version.replace(/^v/, ''))
        .map((mention) => `${mention.file}: ${chart} ${mention.version} (lock: ${version})`),
    );
    expect(mismatches).toEqual([]);
    // The docs do name versions: the check above is not vacuous.
    expect(versionsInDocs('karpenter-crd').map((m) => m.version)).toContain('1.14.1');
    expect(versionsInDocs('altinity-clickhouse-operator').map((m) => m.version)).toEqual(['0.25.6']);
  });
});
