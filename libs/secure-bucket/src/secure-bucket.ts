import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { preventDestroy } from '@platform/stack-kit';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface SecureBucketProps {
  /** Globally unique bucket name. Changing it replaces the bucket. */
  readonly bucketName: string;
  /**
   * ARN of a KMS key in the bucket's region: objects are encrypted with it (SSE-KMS, bucket key on).
   * Required unless `s3ManagedEncryptionReason` says why AWS forces SSE-S3 for this bucket.
   */
  readonly kmsKeyArn?: string;
  /** Why this bucket uses SSE-S3 instead of a customer key (e.g. S3 server access log targets). @default none: SSE-KMS */
  readonly s3ManagedEncryptionReason?: string;
  /** Current objects are deleted after this many days (logs with a retention period). @default never */
  readonly expireObjectsAfterDays?: number;
  /**
   * Server access logs go to this bucket under `<prefix>`. The bucket itself, not its name: the
   * reference orders logging after the target bucket and its delivery policy. @default no access logging
   */
  readonly accessLogs?: { readonly target: SecureBucket; readonly prefix: string };
  /** How long replaced or deleted object versions are kept. @default 90 */
  readonly noncurrentVersionRetentionDays?: number;
  /** Statements added to the bucket policy (there is one policy per bucket), e.g. CloudTrail writes. @default none */
  readonly extraPolicyStatements?: readonly DataAwsIamPolicyDocumentStatement[];
  /** Provider for another region than the stack's default. @default the default provider */
  readonly provider?: TerraformProvider;
}

/**
 * An S3 bucket hardened the same way everywhere: versioned, SSE-KMS with a customer key, every
 * public-access switch on, ACLs disabled, TLS-only policy, old versions expired, and protected
 * from destroy. The construct ids below are a contract: renaming one replaces that resource.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const retentionDays = props.noncurrentVersionRetentionDays ?? 90;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(
        `secure bucket ${props.bucketName}: noncurrentVersionRetentionDays = ${retentionDays}; fix: use a whole number of days, 1 or more`,
      );
    }
    const provider = props.provider;
    if (!props.kmsKeyArn && !props.s3ManagedEncryptionReason) {
      throw new Error(
        `secure bucket ${props.bucketName}: no kmsKeyArn; fix: pass the region's KMS key, or s3ManagedEncryptionReason where AWS allows only SSE-S3`,
      );
    }
    if (props.expireObjectsAfterDays !== undefined && (!Number.isInteger(props.expireObjectsAfterDays) || props.expireObjectsAfterDays < 1)) {
      throw new Error(
        `secure bucket ${props.bucketName}: expireObjectsAfterDays = ${props.expireObjectsAfterDays}; fix: use a whole number of days, 1 or more`,
      );
    }

    this.bucket = preventDestroy(new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: false, provider }));
    const bucketId = this.bucket.id;

    new S3BucketVersioningA(this, 'versioning', { bucket: bucketId, versioningConfiguration: { status: 'Enabled' }, provider });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucketId,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
      provider,
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      provider,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucketId, rule: { objectOwnership: 'BucketOwnerEnforced' }, provider });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucketId,
      rule: [
        {
          id: 'expire-old-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: retentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          ...(props.expireObjectsAfterDays ? { expiration: [{ days: props.expireObjectsAfterDays }] } : {}),
        },
      ],
      provider,
    });
    if (props.accessLogs) {
      const { target, prefix } = props.accessLogs;
      new S3BucketLoggingA(this, 'access-logging', {
        bucket: bucketId,
        targetBucket: target.bucket.bucket,
        targetPrefix: prefix,
        dependsOn: [target.policy],
        provider,
      });
    }

    const document = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        ...(props.extraPolicyStatements ?? []),
      ],
      provider,
    });
    // The policy waits for the public-access block so S3 never judges it against a half-set bucket.
    this.policy = new S3BucketPolicy(this, 'policy', { bucket: bucketId, policy: document.json, dependsOn: [publicAccess], provider });
  }
}
