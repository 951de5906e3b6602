import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { GLOBAL_DATASOURCE } from './global-prometheus';
import { errorRatioSeries, latencySeries, RECORDED_PREFIX } from './prometheus-rules';

const query = (expr: string, legend: string, refId: string) =>
  new DataqueryBuilder().datasource(GLOBAL_DATASOURCE).expr(expr).legendFormat(legend).refId(refId).range();

const graph = (title: string, unit: string, description: string, ...queries: ReturnType<typeof query>[]) =>
  new PanelBuilder().title(title).description(description).unit(unit).datasource(GLOBAL_DATASOURCE).height(8).span(12).targets(queries);

/**
 * The global Grafana dashboard, written with Grafana's own builders (grafana-foundation-sdk) and
 * committed as JSON (`libs/monitoring/dashboards/global.json`, what Grafana loads; a test fails when
 * the file and this code differ: regenerate with `npx nx run monitoring:dashboards`). It reads only
 * the global Prometheus, so only recorded series (one per region, labelled by federation) and `up`.
 * The AWS-side numbers (replication lag, CloudFront, Route 53 health, cache hit rates) are on the
 * CloudWatch dashboards, which do not depend on the cluster.
 */
export function globalDashboard() {
  return new DashboardBuilder('Platform - global')
    .uid('platform-global')
    .tags(['platform', 'global'])
    .timezone('utc')
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .readonly()
    .withRow(new RowBuilder('Service level, per region'))
    .withPanel(
      graph(
        'API latency p50 / p95 / p99',
        's',
        'From the application histogram in each region; the regional target is p95 < 50 ms (alert ApiLatencyP95High).',
        query(latencySeries('p50'), '{{region}} p50', 'A'),
        query(latencySeries('p95'), '{{region}} p95', 'B'),
        query(latencySeries('p99'), '{{region}} p99', 'C'),
      ),
    )
    .withPanel(
      graph('Requests per second', 'reqps', 'Traffic served by each region.', query(`${RECORDED_PREFIX}http_requests:rate5m`, '{{region}}', 'A')),
    )
    .withPanel(
      graph(
        '5xx share (5 min and 1 h)',
        'percentunit',
        'Failed requests; the 1 h share over 14.4x the error budget pages (ApiErrorBudgetFastBurn).',
        query(errorRatioSeries('5m'), '{{region}} 5m', 'A'),
        query(errorRatioSeries('1h'), '{{region}} 1h', 'B'),
      ),
    )
    .withPanel(
      graph(
        'Regions reporting',
        'none',
        '1 when the global Prometheus reads the region; 0 is a monitoring gap (RegionMetricsMissing).',
        query('up{job=~"federate-.*"}', '{{job}}', 'A'),
      ),
    )
    .withRow(new RowBuilder('Capacity, per region'))
    .withPanel(
      graph(
        'Node CPU utilisation',
        'percentunit',
        'Average over the nodes.',
        query(`${RECORDED_PREFIX}node_cpu_utilisation:ratio5m`, '{{region}}', 'A'),
      ),
    )
    .withPanel(
      graph(
        'Node memory utilisation',
        'percentunit',
        'Used share of all nodes.',
        query(`${RECORDED_PREFIX}node_memory_utilisation:ratio`, '{{region}}', 'A'),
      ),
    )
    .withPanel(graph('Nodes', 'none', 'Managed node groups and Karpenter nodes.', query(`${RECORDED_PREFIX}kube_nodes:count`, '{{region}}', 'A')))
    .withPanel(
      graph(
        'Pods not ready',
        'none',
        'Pods whose Ready condition is false.',
        query(`${RECORDED_PREFIX}kube_pods_not_ready:count`, '{{region}}', 'A'),
      ),
    )
    .build();
}

/** The dashboard as the committed file holds it (two-space JSON, trailing newline). */
export function globalDashboardJson(): string {
  return `${JSON.stringify(globalDashboard(), null, 2)}\n`;
}
