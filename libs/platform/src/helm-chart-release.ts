import { Release, type ReleaseConfig } from '@cdktf/provider-helm/lib/release';
import { AssetType, Fn, TerraformAsset, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_CHARTS_DIR, type ChartSource } from './charts';
import { hclLiteralSafe } from './hcl-literal';

export interface HelmChartReleaseProps {
  readonly releaseName: string;
  readonly namespace: string;
  /** A pinned chart from a repository, or the name of a chart folder in `charts/`. */
  readonly chart: ChartSource | { readonly local: string };
  /** Values, rendered as one YAML document. Tokens (remote-state values) are allowed. */
  readonly values: Record<string, unknown>;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds to wait for the release to become ready. @default 600 */
  readonly timeoutSeconds?: number;
  /** Leave the chart's crds/ folder alone (another release owns and upgrades the CRDs). @default false */
  readonly skipCrds?: boolean;
  /** Holds data (a database's release): Terraform refuses to destroy it, as for a bucket. @default false */
  readonly preventDestroy?: boolean;
}

/**
 * One Helm release with the settings every platform release shares: atomic (a failed upgrade rolls
 * back), waits for readiness, bounded history. Repository charts are pinned; local charts travel
 * with the synth output (a TerraformAsset), so a plan file never depends on the checkout around it.
 */
export class HelmChartRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: HelmChartReleaseProps) {
    super(scope, id);
    let chartSettings: Pick<ReleaseConfig, 'chart' | 'repository' | 'version'>;
    if ('local' in props.chart) {
      const path = join(LOCAL_CHARTS_DIR, props.chart.local);
      const version = /^version:\s*(\S+)/m.exec(readFileSync(join(path, 'Chart.yaml'), 'utf8'))?.[1];
      if (!version) throw new Error(`chart ${props.chart.local}: Chart.yaml has no version; fix: set version: in ${path}/Chart.yaml`);
      const asset = new TerraformAsset(this, 'chart', { path, type: AssetType.DIRECTORY });
      chartSettings = { chart: asset.path, version };
    } else {
      chartSettings = { chart: props.chart.chart, repository: props.chart.repository, version: props.chart.version };
    }
    this.release = new Release(this, 'release', {
      name: props.releaseName,
      namespace: props.namespace,
      createNamespace: true,
      ...chartSettings,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: 10,
      values: [Fn.yamlencode(hclLiteralSafe(props.values))],
      dependsOn: props.dependsOn,
      ...(props.skipCrds ? { skipCrds: true } : {}),
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
  }
}
