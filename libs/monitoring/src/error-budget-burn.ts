import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { RatioAlarm } from './ratio-alarm';
import { runbookReference, type Runbook } from './runbooks';

/**
 * Multiwindow, multi-burn-rate alerting (Google SRE workbook, "Alerting on SLOs", the recommended
 * parameters for a 30-day SLO): page when 2 % of the month's budget burns in an hour (14.4x, checked
 * over 1 h and 5 min so the alarm also clears quickly), open a ticket when 5 % burns in six hours
 * (6x, over 6 h and 30 min).
 */
export const BURN_WINDOWS = {
  fast: { burnRate: 14.4, longSeconds: 3600, shortSeconds: 300 },
  slow: { burnRate: 6, longSeconds: 21_600, shortSeconds: 1800 },
} as const;

export interface ErrorBudgetBurnProps {
  /** Prefix of the alarm names, e.g. `254carbon-prod-us-east-availability`. */
  readonly namePrefix: string;
  /** What is measured, for the descriptions, e.g. `requests to the us-east load balancer`. */
  readonly subject: string;
  readonly runbook: Runbook;
  readonly namespace: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Counts of failed requests (summed). */
  readonly numeratorMetrics: readonly string[];
  /** Count of all requests. */
  readonly denominatorMetric: string;
  /** The availability objective in percent, e.g. 99.99. */
  readonly sloPercent: number;
  readonly topicArns: readonly string[];
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * Error-budget burn alarms for an availability SLO: for each of the fast and slow burn, a ratio
 * alarm over the long and the short window (silent) and a composite that pages only when both
 * burn, so a brief spike does not page and a recovered service stops paging within the short window.
 */
export class ErrorBudgetBurn extends Construct {
  readonly fast: CloudwatchCompositeAlarm;
  readonly slow: CloudwatchCompositeAlarm;

  constructor(scope: Construct, id: string, props: ErrorBudgetBurnProps) {
    super(scope, id);
    if (!(props.sloPercent > 0 && props.sloPercent < 100))
      throw new Error(`error budget ${props.namePrefix}: sloPercent = ${props.sloPercent}; fix: an objective between 0 and 100, e.g. 99.99`);
    const budgetPercent = 100 - props.sloPercent;
    const make = (speed: keyof typeof BURN_WINDOWS): CloudwatchCompositeAlarm => {
      const { burnRate, longSeconds, shortSeconds } = BURN_WINDOWS[speed];
      const threshold = Number((burnRate * budgetPercent).toPrecision(6));
      const window = (seconds: number) =>
        new RatioAlarm(this, `${speed}-${seconds}s`, {
          alarmName: `${props.namePrefix}-burn-${speed}-${seconds / 60}m`,
          description: `${burnRate}x error-budget burn of ${props.subject} over ${seconds / 60} minutes (feeds ${props.namePrefix}-burn-${speed})`,
          runbook: props.runbook,
          namespace: props.namespace,
          dimensions: props.dimensions,
          numeratorMetrics: props.numeratorMetrics,
          denominatorMetric: props.denominatorMetric,
          thresholdPercent: threshold,
          periodSeconds: seconds,
          evaluationPeriods: 1,
          topicArns: [],
          notify: false,
          provider: props.provider,
        });
      const long = window(longSeconds);
      const short = window(shortSeconds);
      return new CloudwatchCompositeAlarm(this, `${speed}-burn`, {
        alarmName: `${props.namePrefix}-burn-${speed}`,
        alarmDescription: `${props.subject}: errors spend the ${props.sloPercent} % availability budget ${burnRate}x faster than it lasts (over ${threshold} % for ${longSeconds / 60} and ${shortSeconds / 60} minutes). ${runbookReference(props.runbook)}`,
        alarmRule: `ALARM("${long.alarm.alarmName}") AND ALARM("${short.alarm.alarmName}")`,
        alarmActions: [...props.topicArns],
        okActions: [...props.topicArns],
        provider: props.provider,
      });
    };
    if (props.topicArns.length === 0)
      throw new Error(`error budget ${props.namePrefix}: no topic; fix: notify the region's alarm topic, or nobody learns that it fired`);
    this.fast = make('fast');
    this.slow = make('slow');
  }
}
