import { CHARTS, HelmChartRelease } from '@platform/platform';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GLOBAL_DATASOURCE, GLOBAL_PROMETHEUS_URL, prometheusUrl, type PrometheusEndpoint } from './global-prometheus';
import { MONITORING } from './regional-prometheus';

/** Dashboards Grafana loads, committed as JSON (generated from `global-dashboard.ts`). */
export const DASHBOARD_FILES = { global: resolve(__dirname, '../dashboards/global.json') } as const;

export interface GrafanaReleaseProps {
  /** Each region's Prometheus (in-cluster here, the federation endpoints elsewhere). */
  readonly regions: Readonly<Record<string, PrometheusEndpoint>>;
  readonly storageGiB: number;
  readonly dependsOn: ITerraformDependable[];
}

/**
 * Grafana (the grafana-community chart) in the primary region: the global Prometheus as the default
 * datasource (uid `prometheus-global`, the one the committed dashboards name), one datasource per
 * region for drilling into raw series, the dashboards from `libs/monitoring/dashboards/` as
 * read-only files, a volume on the monitoring StorageClass for its database (users, annotations),
 * so the release refuses destroy. No anonymous access, no phoning home; reached with
 * `kubectl port-forward` (README): it is not exposed outside the cluster.
 */
export class GrafanaRelease extends Construct {
  readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: GrafanaReleaseProps) {
    super(scope, id);
    const dashboards = Object.fromEntries(Object.entries(DASHBOARD_FILES).map(([name, file]) => [name, { json: readFileSync(file, 'utf8') }]));
    this.release = new HelmChartRelease(this, 'release', {
      releaseName: 'grafana',
      namespace: MONITORING.namespace,
      chart: CHARTS.grafana,
      values: {
        persistence: { enabled: true, storageClassName: MONITORING.storageClass, size: `${props.storageGiB}Gi` },
        nodeSelector: { 'node-group': 'general' },
        'grafana.ini': {
          'auth.anonymous': { enabled: false },
          analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
        },
        datasources: {
          'datasources.yaml': {
            apiVersion: 1,
            datasources: [
              {
                name: 'Global',
                type: GLOBAL_DATASOURCE.type,
                uid: GLOBAL_DATASOURCE.uid,
                url: GLOBAL_PROMETHEUS_URL,
                access: 'proxy',
                isDefault: true,
              },
              ...Object.entries(props.regions).map(([region, endpoint]) => ({
                name: `Prometheus ${region}`,
                type: 'prometheus',
                uid: `prometheus-${region}`,
                url: prometheusUrl(endpoint),
                access: 'proxy',
              })),
            ],
          },
        },
        dashboardProviders: {
          'dashboardproviders.yaml': {
            apiVersion: 1,
            providers: [
              {
                name: 'platform',
                orgId: 1,
                folder: 'Platform',
                type: 'file',
                disableDeletion: true,
                editable: false,
                options: { path: '/var/lib/grafana/dashboards/platform' },
              },
            ],
          },
        },
        dashboards: { platform: dashboards },
      },
      dependsOn: props.dependsOn,
      preventDestroy: true,
    });
  }
}
