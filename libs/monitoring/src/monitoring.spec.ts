import { PlatformStack, onlyResource, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { AlarmTopic } from './alarm-topic';
import { CacheHitRateAlarm } from './cache-hit-rate-alarm';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RUNBOOKS } from './runbooks';
import { ErrorBudgetBurn } from './error-budget-burn';
import { MetricDashboard } from './metric-dashboard';
import { platformMetrics } from './platform-metrics';
import { RatioAlarm } from './ratio-alarm';
import { ThresholdAlarm, type ThresholdAlarmProps } from './threshold-alarm';

const lag: ThresholdAlarmProps = {
  alarmName: 'p-eu-west-aurora-replication-lag',
  description: 'lag',
  runbook: 'replicationLag',
  namespace: 'AWS/RDS',
  metricName: 'AuroraGlobalDBReplicationLag',
  dimensions: { DBClusterIdentifier: 'aurora-p-eu-west' },
  threshold: 1000,
  topicArns: ['arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms'],
};

describe('AlarmTopic', () => {
  const stack = new PlatformStack(Testing.app(), 'eu-west-infra', testContext());
  new AlarmTopic(stack, 'alarms', {
    name: 'p-eu-west-alarms',
    awsRegion: 'eu-west-1',
    accountId: '111111111111',
    kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/logs',
  });
  const json = synthesizeStack(stack);

  it("is encrypted with the region's logs key, and only this region's CloudWatch alarms of this account publish", () => {
    expect(onlyResource(json, 'aws_sns_topic')).toMatchObject({
      name: 'p-eu-west-alarms',
      kms_master_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/logs',
    });
    const policy = String(onlyResource(json, 'aws_sns_topic_policy')['policy']);
    expect(policy).toContain('"Principal" = {"Service" = "cloudwatch.amazonaws.com"}, "Action" = "sns:Publish"');
    expect(policy).toContain(
      '"Condition" = {"StringEquals" = {"aws:SourceAccount" = "111111111111"}, "ArnLike" = {"aws:SourceArn" = "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*"}}',
    );
  });
});

describe('ThresholdAlarm', () => {
  it('alarms after five minutes over the threshold, notifies both ways, and treats silence as breaching', () => {
    const stack = new PlatformStack(Testing.app(), 'eu-west-data', testContext());
    new ThresholdAlarm(stack, 'lag', lag);
    expect(onlyResource(synthesizeStack(stack), 'aws_cloudwatch_metric_alarm')).toMatchObject({
      alarm_name: 'p-eu-west-aurora-replication-lag',
      alarm_description: 'lag. Runbook: docs/runbooks/replication-lag.md',
      namespace: 'AWS/RDS',
      metric_name: 'AuroraGlobalDBReplicationLag',
      dimensions: { DBClusterIdentifier: 'aurora-p-eu-west' },
      statistic: 'Maximum',
      period: 60,
      evaluation_periods: 5,
      threshold: 1000,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'breaching',
      alarm_actions: ['arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms'],
      ok_actions: ['arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms'],
    });
  });

  it('refuses a threshold that is zero or negative, and an alarm nobody hears', () => {
    const stack = new PlatformStack(Testing.app(), 's', testContext());
    expect(() => new ThresholdAlarm(stack, 'a', { ...lag, threshold: 0 })).toThrow(
      "alarm p-eu-west-aurora-replication-lag: threshold = 0; fix: a positive number in the metric's unit",
    );
    expect(() => new ThresholdAlarm(stack, 'b', { ...lag, topicArns: [] })).toThrow("no topic; fix: notify the region's alarm topic");
  });
});

describe('ThresholdAlarm options', () => {
  it("takes a percentile as CloudWatch's extended statistic, not as a statistic", () => {
    const stack = new PlatformStack(Testing.app(), 'us-east-infra', testContext());
    new ThresholdAlarm(stack, 'latency', {
      ...lag,
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      statistic: 'p95',
      threshold: 0.05,
    });
    const alarm = onlyResource(synthesizeStack(stack), 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({ extended_statistic: 'p95', threshold: 0.05, comparison_operator: 'GreaterThanThreshold' });
    expect(alarm['statistic']).toBeUndefined();
  });

  it('alarms below the threshold for health and hit rates', () => {
    const stack = new PlatformStack(Testing.app(), 'global-edge', testContext());
    new ThresholdAlarm(stack, 'health', {
      ...lag,
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      statistic: 'Minimum',
      comparison: 'below',
      threshold: 1,
      evaluationPeriods: 1,
    });
    expect(onlyResource(synthesizeStack(stack), 'aws_cloudwatch_metric_alarm')).toMatchObject({
      statistic: 'Minimum',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      evaluation_periods: 1,
    });
  });
});

describe('RatioAlarm', () => {
  const stack = new PlatformStack(Testing.app(), 'us-east-infra', testContext());
  new RatioAlarm(stack, '5xx', {
    alarmName: 'p-us-east-api-5xx-rate',
    description: '5xx',
    runbook: 'regionalFailure',
    namespace: 'AWS/ApplicationELB',
    dimensions: { LoadBalancer: 'app/x/1' },
    numeratorMetrics: ['HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count'],
    denominatorMetric: 'RequestCount',
    thresholdPercent: 1,
    topicArns: ['arn:aws:sns:us-east-1:111111111111:t'],
  });
  const alarm = onlyResource(synthesizeStack(stack), 'aws_cloudwatch_metric_alarm') as {
    metric_query: { id: string; expression?: string; return_data: boolean; metric?: { metric_name: string; stat: string; dimensions: object } }[];
  } & Record<string, unknown>;

  it('alarms on the share of the summed counts in the total, in percent, a quiet period counting as 0 %', () => {
    expect(alarm).toMatchObject({
      threshold: 1,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
      alarm_description: '5xx. Runbook: docs/runbooks/regional-failure.md',
    });
    expect(alarm.metric_query.map((q) => [q.id, q.metric?.metric_name ?? q.expression, q.metric?.stat, q.return_data])).toEqual([
      ['n0', 'HTTPCode_Target_5XX_Count', 'Sum', false],
      ['n1', 'HTTPCode_ELB_5XX_Count', 'Sum', false],
      ['total', 'RequestCount', 'Sum', false],
      ['ratio', 'IF(FILL(total, 0) > 0, 100 * (FILL(n0, 0) + FILL(n1, 0)) / total, 0)', undefined, true],
    ]);
    expect(alarm.metric_query[0]!.metric!.dimensions).toEqual({ LoadBalancer: 'app/x/1' });
  });

  it('refuses a percentage outside 0-100 and an alarm nobody hears', () => {
    const base = {
      alarmName: 'a',
      description: 'd',
      runbook: 'regionalFailure' as const,
      namespace: 'n',
      dimensions: {},
      numeratorMetrics: ['x'],
      denominatorMetric: 'y',
      thresholdPercent: 1,
      topicArns: ['t'],
    };
    expect(() => new RatioAlarm(stack, 'r1', { ...base, thresholdPercent: 100 })).toThrow(
      'alarm a: thresholdPercent = 100; fix: a percentage between 0 and 100',
    );
    expect(() => new RatioAlarm(stack, 'r2', { ...base, topicArns: [] })).toThrow('no topic');
  });
});

describe('ErrorBudgetBurn', () => {
  const stack = new PlatformStack(Testing.app(), 'us-east-infra', testContext());
  new ErrorBudgetBurn(stack, 'slo', {
    namePrefix: 'p-us-east-availability',
    subject: 'requests',
    runbook: 'regionalFailure',
    namespace: 'AWS/ApplicationELB',
    dimensions: { LoadBalancer: 'app/x/1' },
    numeratorMetrics: ['HTTPCode_Target_5XX_Count'],
    denominatorMetric: 'RequestCount',
    sloPercent: 99.99,
    topicArns: ['arn:aws:sns:us-east-1:111111111111:t'],
  });
  const json = synthesizeStack(stack);
  const metricAlarms = Object.values(json.resource?.['aws_cloudwatch_metric_alarm'] ?? {}) as {
    alarm_name: string;
    threshold: number;
    evaluation_periods: number;
    actions_enabled?: boolean;
    metric_query: { metric?: { period: number } }[];
  }[];

  it('checks 14.4x over 1 h and 5 min, and 6x over 6 h and 30 min, of the 0.01 % budget, silently', () => {
    expect(
      metricAlarms.map((a) => [a.alarm_name, a.threshold, a.metric_query[0]!.metric!.period, a.evaluation_periods, a.actions_enabled]).sort(),
    ).toEqual([
      ['p-us-east-availability-burn-fast-5m', 0.144, 300, 1, false],
      ['p-us-east-availability-burn-fast-60m', 0.144, 3600, 1, false],
      ['p-us-east-availability-burn-slow-30m', 0.06, 1800, 1, false],
      ['p-us-east-availability-burn-slow-360m', 0.06, 21_600, 1, false],
    ]);
  });

  it('pages through composites that need both windows to burn', () => {
    const composites = Object.values(json.resource?.['aws_cloudwatch_composite_alarm'] ?? {}) as {
      alarm_name: string;
      alarm_rule: string;
      alarm_actions: string[];
    }[];
    expect(
      composites
        .map((c) => [
          c.alarm_name,
          c.alarm_rule.replace(/\$\{aws_cloudwatch_metric_alarm\.slo_([a-z]+-\d+s)_alarm_[0-9A-F]+\.alarm_name\}/g, '$1'),
          c.alarm_actions,
        ])
        .sort(),
    ).toEqual([
      ['p-us-east-availability-burn-fast', 'ALARM("fast-3600s") AND ALARM("fast-300s")', ['arn:aws:sns:us-east-1:111111111111:t']],
      ['p-us-east-availability-burn-slow', 'ALARM("slow-21600s") AND ALARM("slow-1800s")', ['arn:aws:sns:us-east-1:111111111111:t']],
    ]);
  });

  it('refuses an objective of 100 % (no budget) and a burn nobody hears', () => {
    const base = {
      namePrefix: 'x',
      subject: 's',
      runbook: 'regionalFailure' as const,
      namespace: 'n',
      dimensions: {},
      numeratorMetrics: ['a'],
      denominatorMetric: 'b',
      sloPercent: 99.9,
      topicArns: ['t'],
    };
    expect(() => new ErrorBudgetBurn(stack, 'e1', { ...base, sloPercent: 100 })).toThrow(
      'error budget x: sloPercent = 100; fix: an objective between 0 and 100',
    );
    expect(() => new ErrorBudgetBurn(stack, 'e2', { ...base, topicArns: [] })).toThrow('error budget x: no topic');
  });
});

describe('MetricDashboard', () => {
  it('lays graphs out two per row, each metric as CloudWatch reads it (namespace, name, dimensions, stat, region), with target lines', () => {
    const stack = new PlatformStack(Testing.app(), 'global-edge', testContext());
    new MetricDashboard(stack, 'd', {
      dashboardName: 'p-global',
      widgets: [
        {
          title: 'latency',
          metrics: [platformMetrics.loadBalancer('app/a/1', 'eu-west-1', 'TargetResponseTime', 'p95', 'eu-west p95')],
          targets: [{ label: 'p95 target', value: 0.05 }],
        },
        { title: 'health', metrics: [platformMetrics.healthCheckStatus('hc-1', 'eu-west')] },
        { title: 'lag', metrics: [platformMetrics.auroraReplicationLag('aurora-p-eu-west', 'eu-west-1', 'Aurora')] },
      ],
    });
    const body = JSON.parse(String(onlyResource(synthesizeStack(stack), 'aws_cloudwatch_dashboard')['dashboard_body'])) as {
      widgets: { x: number; y: number; properties: { metrics: unknown[][]; annotations?: unknown } }[];
    };
    expect(body.widgets.map((w) => [w.x, w.y])).toEqual([
      [0, 0],
      [12, 0],
      [0, 6],
    ]);
    expect(body.widgets[0]!.properties.metrics).toEqual([
      ['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', 'app/a/1', { stat: 'p95', region: 'eu-west-1', label: 'eu-west p95' }],
    ]);
    expect(body.widgets[0]!.properties.annotations).toEqual({ horizontal: [{ label: 'p95 target', value: 0.05 }] });
    expect(body.widgets[1]!.properties.metrics).toEqual([
      ['AWS/Route53', 'HealthCheckStatus', 'HealthCheckId', 'hc-1', { stat: 'Minimum', region: 'us-east-1', label: 'eu-west' }],
    ]);
  });

  it('refuses a graph without metrics', () => {
    const stack = new PlatformStack(Testing.app(), 's', testContext());
    expect(() => new MetricDashboard(stack, 'd', { dashboardName: 'x', widgets: [{ title: 'empty', metrics: [] }] })).toThrow(
      'dashboard x: widget "empty" shows no metric',
    );
  });
});

describe('RUNBOOKS', () => {
  it.each(Object.entries(RUNBOOKS))('%s points at a file in the repository (%s)', (_name, path) => {
    expect(existsSync(resolve(__dirname, '../../..', path))).toBe(true);
  });
});

describe('CacheHitRateAlarm', () => {
  const props = {
    alarmName: 'p-eu-west-redis-hit-rate',
    description: 'hit rate',
    nodeIds: ['p-eu-west-001', 'p-eu-west-002'],
    thresholdPercent: 80,
    topicArns: ['arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms'],
  };

  it('pages when hits over all lookups, summed over every node, stay under the threshold for three 5-minute periods', () => {
    const stack = new PlatformStack(Testing.app(), 'eu-west-data', testContext());
    new CacheHitRateAlarm(stack, 'hit-rate', props);
    const alarm = onlyResource(synthesizeStack(stack), 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({
      threshold: 80,
      comparison_operator: 'LessThanThreshold',
      evaluation_periods: 3,
      treat_missing_data: 'notBreaching',
      alarm_actions: props.topicArns,
      alarm_description: 'hit rate. Runbook: docs/runbooks/high-latency.md',
    });
    const queries = alarm['metric_query'] as {
      id: string;
      expression?: string;
      metric?: { metric_name: string; dimensions: object; stat: string; period: number };
    }[];
    expect(queries.filter((q) => q.metric).map((q) => [q.id, q.metric!.metric_name, q.metric!.dimensions, q.metric!.stat, q.metric!.period])).toEqual(
      [
        ['h0', 'CacheHits', { CacheClusterId: 'p-eu-west-001' }, 'Sum', 300],
        ['h1', 'CacheHits', { CacheClusterId: 'p-eu-west-002' }, 'Sum', 300],
        ['m0', 'CacheMisses', { CacheClusterId: 'p-eu-west-001' }, 'Sum', 300],
        ['m1', 'CacheMisses', { CacheClusterId: 'p-eu-west-002' }, 'Sum', 300],
      ],
    );
    expect(queries.find((q) => q.expression)!.expression).toBe(
      'IF((FILL(h0, 0) + FILL(h1, 0)) + (FILL(m0, 0) + FILL(m1, 0)) > 0, 100 * (FILL(h0, 0) + FILL(h1, 0)) / ((FILL(h0, 0) + FILL(h1, 0)) + (FILL(m0, 0) + FILL(m1, 0))), 100)',
    );
  });

  it('refuses more nodes than one alarm can read, and a threshold outside 0-100', () => {
    const fresh = () => new PlatformStack(Testing.app(), 'x-data', testContext());
    expect(() => new CacheHitRateAlarm(fresh(), 'a', { ...props, nodeIds: ['1', '2', '3', '4', '5', '6'] })).toThrow(/6 nodes; fix: 1 to 5/);
    expect(() => new CacheHitRateAlarm(fresh(), 'a', { ...props, thresholdPercent: 100 })).toThrow(/thresholdPercent = 100; fix/);
  });
});
