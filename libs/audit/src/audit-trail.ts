import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecureBucket } from '@platform/secure-bucket';
import { preventDestroy } from '@platform/stack-kit';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export interface AuditTrailProps {
  /** Trail name; also names the buckets and log group. */
  readonly name: string;
  readonly accountId: string;
  /** Region of the trail's home (the provider's region). */
  readonly awsRegion: string;
  /** Logs key in the home region: encrypts trail files, digests and the CloudWatch copy. */
  readonly logsKeyArn: string;
  /** Trail files are deleted from the audit bucket after this many days. */
  readonly trailRetentionDays: number;
  readonly trailLogRetentionDays: number;
}

/**
 * One multi-region CloudTrail trail for the account (not one per region): management events of
 * every region and of global services, log file validation (signed digests), KMS encryption, an
 * audit bucket whose own access is logged, and a CloudWatch Logs copy for alarms.
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly auditBucket: SecureBucket;
  readonly accessLogBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const trailArn = `arn:aws:cloudtrail:${props.awsRegion}:${props.accountId}:trail/${props.name}`;
    const auditBucketName = `${props.name}-${props.accountId}`;
    const accessLogBucketName = `${props.name}-access-logs-${props.accountId}`;
    const fromThisAccount = { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] };

    this.accessLogBucket = new SecureBucket(this, 'access-log-bucket', {
      bucketName: accessLogBucketName,
      // AWS delivers server access logs only to buckets whose default encryption is SSE-S3.
      s3ManagedEncryptionReason: 'S3 server access log delivery does not support SSE-KMS target buckets',
      expireObjectsAfterDays: props.trailRetentionDays,
      extraPolicyStatements: [
        {
          sid: 'S3ServerAccessLogDelivery',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
          actions: ['s3:PutObject'],
          resources: [`arn:aws:s3:::${accessLogBucketName}/*`],
          condition: [fromThisAccount],
        },
      ],
    });

    this.auditBucket = new SecureBucket(this, 'audit-bucket', {
      bucketName: auditBucketName,
      kmsKeyArn: props.logsKeyArn,
      expireObjectsAfterDays: props.trailRetentionDays,
      accessLogs: { target: this.accessLogBucket, prefix: `${auditBucketName}/` },
      extraPolicyStatements: [
        {
          sid: 'CloudTrailChecksBucketAcl',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
          actions: ['s3:GetBucketAcl'],
          resources: [`arn:aws:s3:::${auditBucketName}`],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceArn', values: [trailArn] }],
        },
        {
          sid: 'CloudTrailWritesThisAccountsLogs',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
          actions: ['s3:PutObject'],
          resources: [`arn:aws:s3:::${auditBucketName}/AWSLogs/${props.accountId}/*`],
          condition: [
            { test: 'StringEquals', variable: 's3:x-amz-acl', values: ['bucket-owner-full-control'] },
            { test: 'StringEquals', variable: 'aws:SourceArn', values: [trailArn] },
          ],
        },
      ],
    });

    const logGroup = preventDestroy(
      new CloudwatchLogGroup(this, 'log-group', {
        name: `/aws/cloudtrail/${props.name}`,
        retentionInDays: props.trailLogRetentionDays,
        kmsKeyId: props.logsKeyArn,
      }),
    );
    const deliveryRole = new IamRole(this, 'log-delivery-role', {
      name: `${props.name}-cloudwatch-delivery`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'log-delivery-policy', {
      role: deliveryRole.id,
      name: 'write-trail-log-group',
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:log-stream:*` }],
      }),
    });

    this.trail = preventDestroy(
      new Cloudtrail(this, 'trail', {
        name: props.name,
        s3BucketName: this.auditBucket.bucket.bucket,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        kmsKeyId: props.logsKeyArn,
        cloudWatchLogsGroupArn: `${logGroup.arn}:*`,
        cloudWatchLogsRoleArn: deliveryRole.arn,
        // CloudTrail checks bucket access when the trail is created.
        dependsOn: [this.auditBucket.policy],
      }),
    );
  }
}
