import { onlyResource, PlatformStack, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { FlowLogs } from './flow-logs';

describe('FlowLogs', () => {
  const stack = new PlatformStack(Testing.app(), 'us-east-infra', testContext());
  new FlowLogs(stack, 'flow-logs', {
    vpcId: 'vpc-1',
    name: 'p-us-east',
    accountId: '111111111111',
    retentionDays: 90,
    kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/logs',
  });
  const json = synthesizeStack(stack);
  const logGroupArn = '${aws_cloudwatch_log_group.flow-logs_log-group_BD9661F8.arn}';

  it('sends all traffic, accepted and rejected, every minute, to the encrypted log group', () => {
    expect(onlyResource(json, 'aws_flow_log')).toMatchObject({
      vpc_id: 'vpc-1',
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: logGroupArn,
      max_aggregation_interval: 60,
      iam_role_arn: '${aws_iam_role.flow-logs_delivery-role_2C7CBC13.arn}',
    });
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({
      name: '/aws/vpc/p-us-east/flow-logs',
      retention_in_days: 90,
      kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/logs',
      lifecycle: { prevent_destroy: true },
    });
  });

  it("is delivered by a role only this account's flow-logs service assumes, writing only to that log group", () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(role['name']).toBe('p-us-east-flow-logs');
    expect(JSON.parse(String(role['assume_role_policy']))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        },
      ],
    });
    const policy = onlyResource(json, 'aws_iam_role_policy');
    expect(policy['name']).toBe('write-flow-logs');
    expect(policy['policy']).toBe(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"], "Resource" = [aws_cloudwatch_log_group.flow-logs_log-group_BD9661F8.arn, "${aws_cloudwatch_log_group.flow-logs_log-group_BD9661F8.arn}:*"]}]})}',
    );
  });
});
