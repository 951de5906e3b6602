import { PlatformStack, onlyResource, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { AlarmTopic } from './alarm-topic';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RUNBOOKS } from './runbooks';
import { ThresholdAlarm, type ThresholdAlarmProps } from './threshold-alarm';

const lag: ThresholdAlarmProps = { alarmName: 'p-eu-west-aurora-replication-lag', description: 'lag', runbook: 'replicationLag', namespace: 'AWS/RDS', metricName: 'AuroraGlobalDBReplicationLag', dimensions: { DBClusterIdentifier: 'aurora-p-eu-west' }, threshold: 1000, topicArns: ['arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms'] };

describe('AlarmTopic', () => {
  const stack = new PlatformStack(Testing.app(), 'eu-west-infra', testContext());
  new AlarmTopic(stack, 'alarms', { name: 'p-eu-west-alarms', awsRegion: 'eu-west-1', accountId: '111111111111', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/logs' });
  const json = synthesizeStack(stack);

  it('is encrypted with the region\'s logs key, and only this region\'s CloudWatch alarms of this account publish', () => {
    expect(onlyResource(json, 'aws_sns_topic')).toMatchObject({ name: 'p-eu-west-alarms', kms_master_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/logs' });
    const policy = String(onlyResource(json, 'aws_sns_topic_policy')['policy']);
    expect(policy).toContain('"Principal" = {"Service" = "cloudwatch.amazonaws.com"}, "Action" = "sns:Publish"');
    expect(policy).toContain('"Condition" = {"StringEquals" = {"aws:SourceAccount" = "111111111111"}, "ArnLike" = {"aws:SourceArn" = "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*"}}');
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
    expect(() => new ThresholdAlarm(stack, 'a', { ...lag, threshold: 0 })).toThrow('alarm p-eu-west-aurora-replication-lag: threshold = 0; fix: a positive number in the metric\'s unit');
    expect(() => new ThresholdAlarm(stack, 'b', { ...lag, topicArns: [] })).toThrow('no topic; fix: notify the region\'s alarm topic');
  });
});

describe('RUNBOOKS', () => {
  it.each(Object.entries(RUNBOOKS))('%s points at a file in the repository (%s)', (_name, path) => {
    expect(existsSync(resolve(__dirname, '../../..', path))).toBe(true);
  });
});
