import { HelmChartRelease } from '@platform/platform';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { PROMETHEUS_PORT } from './federation-endpoint';
import { federationAlertRules, RECORDED_PREFIX } from './prometheus-rules';
import { MONITORING } from './regional-prometheus';

/** Name of the global Prometheus (the operator's `Prometheus` object) and of its Service. */
export const GLOBAL_PROMETHEUS = { name: 'global', service: 'prometheus-global' } as const;
export const GLOBAL_PROMETHEUS_URL = `http://${GLOBAL_PROMETHEUS.service}.${MONITORING.namespace}.svc:${PROMETHEUS_PORT}`;
/** Grafana's datasource for the global Prometheus; the committed dashboards name this uid. */
export const GLOBAL_DATASOURCE = { type: 'prometheus', uid: 'prometheus-global' } as const;

/** The federation's `match[]`: recorded series only (raw series stay in their region). */
export const FEDERATION_MATCH = `{__name__=~"${RECORDED_PREFIX}.*"}`;

/** Where a Prometheus answers: `host:port`, and whether over TLS (a federation endpoint) or not (in-cluster). */
export interface PrometheusEndpoint {
  readonly address: string;
  readonly tls: boolean;
}

/** The URL Grafana and people use for an endpoint. */
export const prometheusUrl = (endpoint: PrometheusEndpoint) => `${endpoint.tls ? 'https' : 'http'}://${endpoint.address}`;

export interface GlobalPrometheusProps {
  /** Every region's Prometheus: this region's in-cluster service (plain HTTP), the others' federation endpoints (TLS). */
  readonly regions: Readonly<Record<string, PrometheusEndpoint>>;
  readonly retentionDays: number;
  readonly storageGiB: number;
  /** The regional stack (operator and CRDs) this depends on. */
  readonly dependsOn: ITerraformDependable[];
}

/** Labels the global Prometheus selects its ScrapeConfigs and rules by (the regional one selects everything else). */
const SELECTOR = { prometheus: GLOBAL_PROMETHEUS.name };

/**
 * The global Prometheus, in the primary region: a second `Prometheus` object of the regional stack's
 * operator that federates every region's `/federate` (`honor_labels: true`, so the regions' own
 * `region`/`cluster` labels survive; `match[]` on recorded series only), one job per region so a
 * silent region is its own `up == 0` (alerted). Its ScrapeConfigs and rule carry `prometheus: global`,
 * which the regional Prometheus's selectors exclude. It stores on the regional stack's StorageClass.
 */
export function globalPrometheusManifests(props: GlobalPrometheusProps) {
  const ns = MONITORING.namespace;
  const regions = Object.entries(props.regions);
  if (regions.length === 0) throw new Error('global prometheus: no regions to federate; fix: pass every region, this one included');
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: { name: GLOBAL_PROMETHEUS.name, namespace: ns },
      spec: {
        replicas: 1,
        retention: `${props.retentionDays}d`,
        retentionSize: `${Math.floor(props.storageGiB * 0.85)}GB`,
        externalLabels: { scope: 'global' },
        scrapeConfigSelector: { matchLabels: SELECTOR },
        ruleSelector: { matchLabels: SELECTOR },
        nodeSelector: { 'node-group': 'general' },
        alerting: { alertmanagers: [{ namespace: ns, name: `${MONITORING.stackName}-alertmanager`, port: 'http-web' }] },
        storage: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: MONITORING.storageClass,
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: `${props.storageGiB}Gi` } },
            },
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: GLOBAL_PROMETHEUS.service, namespace: ns },
      spec: {
        type: 'ClusterIP',
        selector: { 'operator.prometheus.io/name': GLOBAL_PROMETHEUS.name },
        ports: [{ name: 'http-web', port: PROMETHEUS_PORT, targetPort: PROMETHEUS_PORT }],
      },
    },
    ...regions.map(([region, target]) => ({
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'ScrapeConfig',
      metadata: { name: `federate-${region}`, namespace: ns, labels: SELECTOR },
      spec: {
        jobName: `federate-${region}`,
        metricsPath: '/federate',
        params: { 'match[]': [FEDERATION_MATCH] },
        honorLabels: true,
        scrapeInterval: '30s',
        scheme: target.tls ? 'HTTPS' : 'HTTP',
        staticConfigs: [{ targets: [target.address] }],
      },
    })),
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'global-federation', namespace: ns, labels: SELECTOR },
      spec: { groups: [federationAlertRules()] },
    },
  ];
}

/** The global Prometheus as one release after the regional stack (its operator and CRDs). */
export class GlobalPrometheus extends Construct {
  readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: GlobalPrometheusProps) {
    super(scope, id);
    this.release = new HelmChartRelease(this, 'release', {
      releaseName: 'prometheus-global',
      namespace: MONITORING.namespace,
      chart: { local: 'cluster-manifests' },
      values: { manifests: globalPrometheusManifests(props) },
      dependsOn: props.dependsOn,
    });
  }
}
