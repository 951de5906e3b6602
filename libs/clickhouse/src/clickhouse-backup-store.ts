import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { PodIdentityRole } from '@platform/eks-cluster';
import { SecureBucket } from '@platform/secure-bucket';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

/** The service account the backup job runs as (the platform stack's CronJob uses the same). */
export const CLICKHOUSE_BACKUP_SERVICE_ACCOUNT = { namespace: 'clickhouse', name: 'clickhouse-backup' } as const;

export interface ClickhouseBackupStoreProps {
  readonly bucketName: string;
  readonly awsRegion: string;
  readonly accountId: string;
  /** The region's data key: objects are SSE-KMS with it. */
  readonly dataKeyArn: string;
  /** Backups (current objects) expire after this many days; old versions 30 days later. */
  readonly retentionDays: number;
  /** The region's EKS cluster, where the backup job runs. */
  readonly clusterName: string;
  /** Name of the backup job's IAM role. */
  readonly roleName: string;
}

/**
 * Where one region's ClickHouse backups go: a SecureBucket (versioned, SSE-KMS with the region's
 * data key, closed to the public, TLS only) that expires backups after the retention, and a Pod
 * Identity role for the backup job that may only put, read, list and delete in this bucket and use
 * the key only through S3 of this region. Cross-region replication of the bucket is configured by
 * global-data once every region's bucket exists (BucketReplication).
 */
export class ClickhouseBackupStore extends Construct {
  readonly bucket: SecureBucket;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ClickhouseBackupStoreProps) {
    super(scope, id);
    if (props.retentionDays < 7)
      throw new Error(`clickhouse backups ${props.bucketName}: retentionDays = ${props.retentionDays}; fix: keep at least 7 days`);
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      kmsKeyArn: props.dataKeyArn,
      expireObjectsAfterDays: props.retentionDays,
      noncurrentVersionRetentionDays: 30,
    });
    const bucketArn = this.bucket.bucket.arn;
    this.role = new PodIdentityRole(this, 'backup-role', {
      roleName: props.roleName,
      accountId: props.accountId,
      clusterName: props.clusterName,
      namespace: CLICKHOUSE_BACKUP_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLICKHOUSE_BACKUP_SERVICE_ACCOUNT.name,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ListBackups', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucketArn },
          {
            Sid: 'WriteAndReadBackups',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
            Resource: `${bucketArn}/*`,
          },
          {
            Sid: 'UseDataKeyThroughS3',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: props.dataKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${props.awsRegion}.amazonaws.com` } },
          },
        ],
      }),
    }).role;
  }
}
