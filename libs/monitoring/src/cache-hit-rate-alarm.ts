import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { runbookReference } from './runbooks';

/**
 * Metrics one alarm's math may read. CloudWatch caps an alarm at 10 metrics (a remembered limit,
 * not re-read; a larger group fails at apply, so it is refused here): two per node.
 */
const MAX_NODES = 5;

export interface CacheHitRateAlarmProps {
  readonly alarmName: string;
  readonly description: string;
  /** Every node (cache cluster) of the replication group: ElastiCache reports hits and misses per node. */
  readonly nodeIds: readonly string[];
  /** Percent under which it alarms. */
  readonly thresholdPercent: number;
  readonly topicArns: readonly string[];
}

/**
 * A Valkey/Redis replication group's hit rate, hits over hits + misses summed over its nodes (the
 * `CacheHits`/`CacheMisses` counts of AWS/ElastiCache, per CacheClusterId: "each metric is calculated
 * at the cache node level", ElastiCache guide, "Metrics for Valkey and Redis OSS", read 2026-11-25),
 * so a busy node weighs more than an idle one. No lookups in five minutes counts as 100 %: a quiet
 * cache is not a cold one. Three low periods running page.
 */
export class CacheHitRateAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: CacheHitRateAlarmProps) {
    super(scope, id);
    if (props.nodeIds.length === 0 || props.nodeIds.length > MAX_NODES)
      throw new Error(
        `alarm ${props.alarmName}: ${props.nodeIds.length} nodes; fix: 1 to ${MAX_NODES} (two metrics a node, ten an alarm), or split the alarm per shard`,
      );
    if (!(props.thresholdPercent > 0 && props.thresholdPercent < 100))
      throw new Error(`alarm ${props.alarmName}: thresholdPercent = ${props.thresholdPercent}; fix: a percentage between 0 and 100`);
    const metric = (queryId: string, metricName: string, node: string) => ({
      id: queryId,
      returnData: false,
      metric: { namespace: 'AWS/ElastiCache', metricName, dimensions: { CacheClusterId: node }, period: 300, stat: 'Sum' },
    });
    const hits = props.nodeIds.map((node, i) => metric(`h${i}`, 'CacheHits', node));
    const misses = props.nodeIds.map((node, i) => metric(`m${i}`, 'CacheMisses', node));
    const sum = (queries: { id: string }[]) => queries.map((q) => `FILL(${q.id}, 0)`).join(' + ');
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: props.alarmName,
      alarmDescription: `${props.description}. ${runbookReference('highLatency')}`,
      evaluationPeriods: 3,
      threshold: props.thresholdPercent,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'notBreaching',
      metricQuery: [
        ...hits,
        ...misses,
        {
          id: 'hitRate',
          expression: `IF((${sum(hits)}) + (${sum(misses)}) > 0, 100 * (${sum(hits)}) / ((${sum(hits)}) + (${sum(misses)})), 100)`,
          label: 'CacheHits as % of lookups, all nodes',
          returnData: true,
        },
      ],
      alarmActions: [...props.topicArns],
      okActions: [...props.topicArns],
    });
  }
}
