import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { preventDestroy } from '@platform/stack-kit';
import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CLOUDFRONT_CONTROL_REGION } from './aws-edge-facts';

export interface DistributionAccessLogsProps {
  /** Log group and delivery names are derived from it. */
  readonly name: string;
  readonly distributionArn: string;
  readonly accountId: string;
  /** The logs key of us-east-1 (its policy admits CloudWatch Logs of that region). */
  readonly logsKeyArn: string;
  readonly retentionDays: number;
  /** A us-east-1 provider: CloudFront's log delivery source exists only there. */
  readonly provider?: TerraformProvider;
}

/**
 * CloudFront standard logging (v2, CloudWatch vended logs) into a log group encrypted with the logs
 * key. Not the legacy S3 logging: that needs a bucket with ACLs enabled, which SecureBucket forbids.
 * The log group's resource policy lets only log delivery of this account write, and exists before
 * the delivery (CreateDelivery would otherwise add a broader one itself).
 */
export class DistributionAccessLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: DistributionAccessLogsProps) {
    super(scope, id);
    const provider = props.provider;
    this.logGroup = preventDestroy(
      new CloudwatchLogGroup(this, 'log-group', {
        name: `/aws/cloudfront/${props.name}`,
        kmsKeyId: props.logsKeyArn,
        retentionInDays: props.retentionDays,
        provider,
      }),
    );
    const policy = new CloudwatchLogResourcePolicy(this, 'delivery-policy', {
      policyName: `${props.name}-cloudfront-log-delivery`,
      policyDocument: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudFrontLogDelivery',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${this.logGroup.arn}:log-stream:*`,
            Condition: {
              StringEquals: { 'aws:SourceAccount': props.accountId },
              ArnLike: { 'aws:SourceArn': `arn:aws:logs:${CLOUDFRONT_CONTROL_REGION}:${props.accountId}:*` },
            },
          },
        ],
      }),
      provider,
    });
    const source = new CloudwatchLogDeliverySource(this, 'source', {
      name: `${props.name}-cloudfront`,
      logType: 'ACCESS_LOGS',
      resourceArn: props.distributionArn,
      provider,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, 'destination', {
      name: `${props.name}-cloudfront-logs`,
      deliveryDestinationConfiguration: [{ destinationResourceArn: this.logGroup.arn }],
      provider,
    });
    new CloudwatchLogDelivery(this, 'delivery', {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      dependsOn: [policy],
      provider,
    });
  }
}
