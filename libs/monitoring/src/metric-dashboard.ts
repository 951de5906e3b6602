import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface DashboardMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `Minimum`, `Maximum` or a percentile such as `p95`. */
  readonly stat: string;
  /** Region the metric lives in (a dashboard may show several). */
  readonly region: string;
  readonly label: string;
}

export interface DashboardWidget {
  readonly title: string;
  readonly metrics: readonly DashboardMetric[];
  /** Horizontal lines, e.g. the seed's target. @default none */
  readonly targets?: readonly { readonly label: string; readonly value: number }[];
  /** @default 60 */
  readonly periodSeconds?: number;
}

export interface MetricDashboardProps {
  readonly dashboardName: string;
  readonly widgets: readonly DashboardWidget[];
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

const WIDTH = 12;
const HEIGHT = 6;

/**
 * A CloudWatch dashboard of line graphs, two per row, built from typed widgets so every metric names
 * its namespace, dimensions and region (checked over the whole output by the invariants).
 */
export class MetricDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: MetricDashboardProps) {
    super(scope, id);
    const empty = props.widgets.find((w) => w.metrics.length === 0);
    if (empty) throw new Error(`dashboard ${props.dashboardName}: widget "${empty.title}" shows no metric; fix: give it metrics or remove it`);
    const body = {
      widgets: props.widgets.map((widget, i) => ({
        type: 'metric',
        x: (i % 2) * WIDTH,
        y: Math.floor(i / 2) * HEIGHT,
        width: WIDTH,
        height: HEIGHT,
        properties: {
          title: widget.title,
          view: 'timeSeries',
          region: widget.metrics[0]!.region,
          period: widget.periodSeconds ?? 60,
          metrics: widget.metrics.map((m) => [
            m.namespace,
            m.metricName,
            ...Object.entries(m.dimensions).flat(),
            { stat: m.stat, region: m.region, label: m.label },
          ]),
          ...(widget.targets ? { annotations: { horizontal: widget.targets.map((t) => ({ label: t.label, value: t.value })) } } : {}),
        },
      })),
    };
    // JSON text (references become string interpolations), so the plan shows the body as CloudWatch reads it.
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify(body),
      provider: props.provider,
    });
  }
}
