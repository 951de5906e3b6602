import { BURN_WINDOWS } from './error-budget-burn';
import { RUNBOOKS, type Runbook } from './runbooks';

/**
 * Raw metrics the platform's exporters produce, by exporter, with where the name is defined. A
 * rule or dashboard may only read these or a recorded series (a typo is an empty graph, caught in tests).
 */
export const EXPORTED_METRICS = {
  // The application's /metrics (its ServiceMonitor in charts/market-intelligence): the Prometheus
  // client libraries' HTTP conventions, a contract with the application, written here once.
  application: ['http_requests_total', 'http_request_duration_seconds_bucket'],
  // node_exporter's cpu and meminfo collectors (prometheus/node_exporter README, "Enabled by default").
  nodeExporter: ['node_cpu_seconds_total', 'node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes'],
  // kube-state-metrics docs/metrics/workload/pod-metrics.md and cluster/node-metrics.md.
  kubeStateMetrics: ['kube_pod_status_ready', 'kube_node_info'],
  // Prometheus itself: `up` for every scrape target (Prometheus docs, "Jobs and instances").
  prometheus: ['up'],
} as const;

/** Namespace of the application whose requests the SLO counts. */
export const SLO_NAMESPACE = 'market-intelligence';

/** Prefix of every recorded series the global Prometheus federates (its `match[]`). */
export const RECORDED_PREFIX = 'region:';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: 'page' | 'ticket' };
  readonly annotations: { readonly summary: string; readonly runbook_url: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly (RecordingRule | AlertRule)[];
}

const requests = `http_requests_total{namespace="${SLO_NAMESPACE}"}`;
const errors = `http_requests_total{namespace="${SLO_NAMESPACE}",code=~"5.."}`;
const durations = `http_request_duration_seconds_bucket{namespace="${SLO_NAMESPACE}"}`;
const windowName = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds / 60}m`);
/** Every window the burn-rate alerts read, short and long. */
const ERROR_WINDOWS = [...new Set(Object.values(BURN_WINDOWS).flatMap((w) => [w.shortSeconds, w.longSeconds]))].map(windowName);

/** `level:metric:operations` (Prometheus docs, "Recording rules" best practices); the level is the region. */
export const errorRatioSeries = (window: string) => `${RECORDED_PREFIX}http_requests_errors:ratio_rate${window}`;
export const latencySeries = (quantile: 'p50' | 'p95' | 'p99') => `${RECORDED_PREFIX}http_request_duration_seconds:${quantile}_5m`;

/**
 * Recording rules each regional Prometheus evaluates. They aggregate the region away (no `by`), so
 * every series is one per region once federation adds the `region`/`cluster` external labels: the
 * global Prometheus and the dashboards read only these, never raw series.
 */
export function recordingRules(): RuleGroup {
  const quantiles = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
  return {
    name: 'region-slo-recording',
    interval: '30s',
    rules: [
      { record: `${RECORDED_PREFIX}http_requests:rate5m`, expr: `sum(rate(${requests}[5m]))` },
      ...ERROR_WINDOWS.map((w) => ({
        record: errorRatioSeries(w),
        // A quiet window has no requests: report 0 rather than nothing (NaN would hide a burn elsewhere).
        expr: `(sum(rate(${errors}[${w}])) or vector(0)) / clamp_min(sum(rate(${requests}[${w}])), 1e-9)`,
      })),
      ...Object.entries(quantiles).map(([name, q]) => ({
        record: latencySeries(name as keyof typeof quantiles),
        expr: `histogram_quantile(${q}, sum by (le) (rate(${durations}[5m])))`,
      })),
      {
        record: `${RECORDED_PREFIX}node_cpu_utilisation:ratio5m`,
        expr: `1 - avg(rate(node_cpu_seconds_total{mode="idle"}[5m]))`,
      },
      {
        record: `${RECORDED_PREFIX}node_memory_utilisation:ratio`,
        expr: `1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes)`,
      },
      { record: `${RECORDED_PREFIX}kube_nodes:count`, expr: `count(kube_node_info)` },
      { record: `${RECORDED_PREFIX}kube_pods_not_ready:count`, expr: `sum(kube_pod_status_ready{condition="false"})` },
    ],
  };
}

/** Where an alert's runbook is, as a link from the repository root (the file must exist: tested). */
export function runbookUrl(runbook: Runbook): string {
  return RUNBOOKS[runbook];
}

export interface SloAlertInput {
  /** The availability objective in percent (the seed's 99.99). */
  readonly availabilitySloPercent: number;
  /** The regional latency objective, p95 in milliseconds (the seed's 50). */
  readonly latencyP95Ms: number;
}

/**
 * The same SLOs the CloudWatch alarms encode, measured inside the cluster from the application's
 * own requests: multiwindow burn-rate alerts (the same windows and rates as `ErrorBudgetBurn`) and
 * the p95 latency target. Evaluated by each regional Prometheus, so a region alerts on itself even
 * when the global one is down.
 */
export function sloAlertRules(input: SloAlertInput): RuleGroup {
  if (!(input.availabilitySloPercent > 0 && input.availabilitySloPercent < 100))
    throw new Error(`availabilitySloPercent = ${input.availabilitySloPercent}; fix: a percentage between 0 and 100 exclusive, e.g. 99.99`);
  if (!(input.latencyP95Ms > 0)) throw new Error(`latencyP95Ms = ${input.latencyP95Ms}; fix: a positive number of milliseconds, e.g. 50`);
  const budget = Number((1 - input.availabilitySloPercent / 100).toPrecision(6));
  const burn = (speed: keyof typeof BURN_WINDOWS): AlertRule => {
    const w = BURN_WINDOWS[speed];
    const limit = Number((w.burnRate * budget).toPrecision(6));
    return {
      alert: speed === 'fast' ? 'ApiErrorBudgetFastBurn' : 'ApiErrorBudgetSlowBurn',
      expr: `${errorRatioSeries(windowName(w.longSeconds))} > ${limit} and ${errorRatioSeries(windowName(w.shortSeconds))} > ${limit}`,
      for: speed === 'fast' ? '2m' : '15m',
      labels: { severity: speed === 'fast' ? 'page' : 'ticket' },
      annotations: {
        summary: `Error budget of the ${input.availabilitySloPercent} % availability SLO burning ${w.burnRate}x too fast (${windowName(w.longSeconds)} and ${windowName(w.shortSeconds)})`,
        runbook_url: runbookUrl('regionalFailure'),
      },
    };
  };
  return {
    name: 'region-slo-alerts',
    rules: [
      burn('fast'),
      burn('slow'),
      {
        alert: 'ApiLatencyP95High',
        expr: `${latencySeries('p95')} > ${input.latencyP95Ms / 1000}`,
        for: '5m',
        labels: { severity: 'page' },
        annotations: { summary: `Regional API latency p95 over ${input.latencyP95Ms} ms for 5 minutes`, runbook_url: runbookUrl('highLatency') },
      },
    ],
  };
}

/** Alerts only the global Prometheus evaluates: a region that stopped reporting is itself an incident. */
export function federationAlertRules(): RuleGroup {
  return {
    name: 'global-federation',
    rules: [
      {
        alert: 'RegionMetricsMissing',
        expr: 'up{job=~"federate-.*"} == 0',
        for: '5m',
        labels: { severity: 'ticket' },
        annotations: {
          summary: "The global Prometheus cannot read a region's Prometheus (federation down): the global view is blind to it",
          runbook_url: runbookUrl('monitoringGap'),
        },
      },
    ],
  };
}

/** Metric names an expression reads (identifiers before `{`, `[` or `)`/space, minus PromQL's own words). */
export function metricNamesIn(expr: string): string[] {
  const keywords = new Set([
    'sum',
    'rate',
    'avg',
    'count',
    'or',
    'and',
    'by',
    'vector',
    'clamp_min',
    'histogram_quantile',
    'le',
    'unless',
    'max',
    'min',
  ]);
  const withoutSelectors = expr
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/(?<![a-zA-Z0-9_:])\d[\d.]*(e[-+]?\d+)?/g, '');
  return [...new Set([...withoutSelectors.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((n) => !keywords.has(n)))];
}
