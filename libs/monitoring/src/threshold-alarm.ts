import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { runbookReference, type Runbook } from './runbooks';

export interface ThresholdAlarmProps {
  readonly alarmName: string;
  readonly description: string;
  /** What the person paged does about it; appended to the description. */
  readonly runbook: Runbook;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** In the metric's own unit (Aurora's replication lag is in milliseconds, ElastiCache's in seconds). */
  readonly threshold: number;
  /** A statistic, or a percentile such as `p95` (CloudWatch's extended statistic). @default 'Maximum' */
  readonly statistic?: 'Average' | 'Maximum' | 'Minimum' | 'Sum' | 'p50' | 'p95' | 'p99';
  /** Alarm when the metric is above (latency, lag) or below (health status, hit rate) the threshold. @default 'above' */
  readonly comparison?: 'above' | 'below';
  /** @default 60 */
  readonly periodSeconds?: number;
  /** Consecutive periods over the threshold before it alarms. @default 5 */
  readonly evaluationPeriods?: number;
  /** Topics notified on ALARM and OK. */
  readonly topicArns: readonly string[];
  /**
   * Missing data is `breaching` for a metric that must always report (replication lag stops when
   * replication stops); `notBreaching` for one that reports only when something happens. @default 'breaching'
   */
  readonly treatMissingData?: 'breaching' | 'notBreaching' | 'missing' | 'ignore';
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/** A metric over (or under) a threshold for some minutes, notifying the region's alarm topic both ways. */
export class ThresholdAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: ThresholdAlarmProps) {
    super(scope, id);
    if (!(props.threshold > 0))
      throw new Error(`alarm ${props.alarmName}: threshold = ${props.threshold}; fix: a positive number in the metric's unit`);
    if (props.topicArns.length === 0)
      throw new Error(`alarm ${props.alarmName}: no topic; fix: notify the region's alarm topic, or nobody learns that it fired`);
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: props.alarmName,
      alarmDescription: `${props.description}. ${runbookReference(props.runbook)}`,
      namespace: props.namespace,
      metricName: props.metricName,
      dimensions: { ...props.dimensions },
      ...(props.statistic?.startsWith('p') ? { extendedStatistic: props.statistic } : { statistic: props.statistic ?? 'Maximum' }),
      period: props.periodSeconds ?? 60,
      evaluationPeriods: props.evaluationPeriods ?? 5,
      threshold: props.threshold,
      comparisonOperator: props.comparison === 'below' ? 'LessThanThreshold' : 'GreaterThanThreshold',
      treatMissingData: props.treatMissingData ?? 'breaching',
      alarmActions: [...props.topicArns],
      okActions: [...props.topicArns],
      provider: props.provider,
    });
  }
}
