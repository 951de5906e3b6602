import { preventDestroy } from '@platform/stack-kit';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export interface FlowLogsProps {
  readonly vpcId: string;
  /** Names the log group and the delivery role. */
  readonly name: string;
  readonly accountId: string;
  readonly retentionDays: number;
  /** Logs key of the VPC's region. */
  readonly kmsKeyArn: string;
}

/** VPC flow logs (accepted and rejected traffic) to a KMS-encrypted CloudWatch log group. */
export class FlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    // Flow logs are evidence: a replaced log group loses them, so it is protected like a bucket.
    this.logGroup = preventDestroy(
      new CloudwatchLogGroup(this, 'log-group', {
        name: `/aws/vpc/${props.name}/flow-logs`,
        retentionInDays: props.retentionDays,
        kmsKeyId: props.kmsKeyArn,
      }),
    );
    const role = new IamRole(this, 'delivery-role', {
      name: `${props.name}-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'delivery-policy', {
      role: role.id,
      name: 'write-flow-logs',
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:DescribeLogGroups'],
            Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
          },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }
}
