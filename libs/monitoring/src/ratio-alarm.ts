import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { runbookReference, type Runbook } from './runbooks';

export interface RatioAlarmProps {
  readonly alarmName: string;
  readonly description: string;
  readonly runbook: Runbook;
  readonly namespace: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Counts summed on top, e.g. the target's and the load balancer's 5xx. */
  readonly numeratorMetrics: readonly string[];
  /** The count they are a share of, e.g. RequestCount. */
  readonly denominatorMetric: string;
  /** Percent. */
  readonly thresholdPercent: number;
  /** @default 60 */
  readonly periodSeconds?: number;
  /** @default 5 */
  readonly evaluationPeriods?: number;
  readonly topicArns: readonly string[];
  /** False for an alarm that only feeds a composite alarm (which notifies): no actions, no topic needed. @default true */
  readonly notify?: boolean;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * A share of requests (e.g. 5xx of all) over a percentage, by CloudWatch metric math. A period
 * without requests counts as 0 %, so a quiet region does not page.
 */
export class RatioAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: RatioAlarmProps) {
    super(scope, id);
    if (!(props.thresholdPercent > 0 && props.thresholdPercent < 100))
      throw new Error(`alarm ${props.alarmName}: thresholdPercent = ${props.thresholdPercent}; fix: a percentage between 0 and 100`);
    if (props.numeratorMetrics.length === 0) throw new Error(`alarm ${props.alarmName}: no numerator metric; fix: name the counts the ratio is of`);
    const notify = props.notify ?? true;
    if (notify && props.topicArns.length === 0)
      throw new Error(`alarm ${props.alarmName}: no topic; fix: notify the region's alarm topic, or nobody learns that it fired`);
    const period = props.periodSeconds ?? 60;
    const metric = (id: string, metricName: string) => ({
      id,
      returnData: false,
      metric: { namespace: props.namespace, metricName, dimensions: { ...props.dimensions }, period, stat: 'Sum' },
    });
    const numerator = props.numeratorMetrics.map((name, i) => metric(`n${i}`, name));
    const sum = numerator.map((m) => `FILL(${m.id}, 0)`).join(' + ');
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: props.alarmName,
      alarmDescription: `${props.description}. ${runbookReference(props.runbook)}`,
      evaluationPeriods: props.evaluationPeriods ?? 5,
      threshold: props.thresholdPercent,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      metricQuery: [
        ...numerator,
        metric('total', props.denominatorMetric),
        {
          id: 'ratio',
          expression: `IF(FILL(total, 0) > 0, 100 * (${sum}) / total, 0)`,
          label: `${props.numeratorMetrics.join(' + ')} as % of ${props.denominatorMetric}`,
          returnData: true,
        },
      ],
      ...(notify ? { alarmActions: [...props.topicArns], okActions: [...props.topicArns] } : { actionsEnabled: false }),
      provider: props.provider,
    });
  }
}
