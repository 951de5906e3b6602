import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  readonly name: string;
  readonly awsRegion: string;
  readonly accountId: string;
  /** The region's logs key; its policy admits CloudWatch alarms of this region (libs/kms). */
  readonly kmsKeyArn: string;
}

/**
 * Where a region's alarms go: an SNS topic encrypted with the region's logs key, which only
 * CloudWatch alarms of this account and region may publish to (topic policy), and whose key lets
 * them (key policy, checked over the whole output by packages/invariants). Subscriptions (pager,
 * chat) are added where people are, not here.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', { name: props.name, kmsMasterKeyId: props.kmsKeyArn });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudWatchAlarmsOfThisRegionPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: this.topic.arn,
            Condition: {
              StringEquals: { 'aws:SourceAccount': props.accountId },
              ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${props.awsRegion}:${props.accountId}:alarm:*` },
            },
          },
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: this.topic.arn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
  }
}
