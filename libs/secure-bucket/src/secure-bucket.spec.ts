import { resourcesOf, PlatformStack, onlyResource, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { SecureBucket } from './secure-bucket';

describe('SecureBucket', () => {
  const stack = new PlatformStack(Testing.app(), 'test', testContext());
  new SecureBucket(stack, 'audit', {
    bucketName: 'audit-bucket',
    kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/k',
    noncurrentVersionRetentionDays: 30,
  });
  const json = synthesizeStack(stack);

  it('is protected from destroy and never force-destroyed', () => {
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({ bucket: 'audit-bucket', force_destroy: false, lifecycle: { prevent_destroy: true } });
  });

  it('is versioned and encrypted with the given customer key', () => {
    expect(onlyResource(json, 'aws_s3_bucket_versioning')).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration')).toMatchObject({
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:us-east-1:111111111111:key/k' },
          bucket_key_enabled: true,
        },
      ],
    });
  });

  it('blocks every form of public access and disables ACLs', () => {
    expect(onlyResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, 'aws_s3_bucket_ownership_controls')).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('denies any request that is not TLS', () => {
    const [documentId, document] = Object.entries(json.data?.['aws_iam_policy_document'] ?? {})[0] as [
      string,
      { statement: Record<string, unknown>[] },
    ];
    expect(onlyResource(json, 'aws_s3_bucket_policy')['policy']).toBe(`\${data.aws_iam_policy_document.${documentId}.json}`);
    expect(document.statement[0]).toMatchObject({
      effect: 'Deny',
      actions: ['s3:*'],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
  });

  it('expires old versions after the retention period', () => {
    expect(onlyResource(json, 'aws_s3_bucket_lifecycle_configuration')).toMatchObject({
      rule: [{ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 30 }] }],
    });
  });

  it('refuses a retention that is not a positive whole number of days', () => {
    const other = new PlatformStack(Testing.app(), 'test', testContext());
    expect(() => new SecureBucket(other, 'b', { bucketName: 'b', kmsKeyArn: 'k', noncurrentVersionRetentionDays: 0 })).toThrow(
      'secure bucket b: noncurrentVersionRetentionDays = 0; fix: use a whole number of days, 1 or more',
    );
  });
});

describe('SecureBucket options', () => {
  const stack = new PlatformStack(Testing.app(), 'test', testContext());
  const target = new SecureBucket(stack, 'target', {
    bucketName: 'elsewhere',
    s3ManagedEncryptionReason: 'S3 server access logs cannot be delivered to SSE-KMS buckets',
  });
  new SecureBucket(stack, 'logs', {
    bucketName: 'access-logs',
    s3ManagedEncryptionReason: 'S3 server access logs cannot be delivered to SSE-KMS buckets',
    expireObjectsAfterDays: 400,
    accessLogs: { target, prefix: 'logs/' },
  });
  const json = synthesizeStack(stack);

  it('uses SSE-S3 only with a written reason', () => {
    for (const encryption of Object.values(resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration')))
      expect(encryption['rule']).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    const other = new PlatformStack(Testing.app(), 'test', testContext());
    expect(() => new SecureBucket(other, 'b', { bucketName: 'b' })).toThrow(
      "secure bucket b: no kmsKeyArn; fix: pass the region's KMS key, or s3ManagedEncryptionReason where AWS allows only SSE-S3",
    );
  });

  it('expires current objects and logs access when asked', () => {
    const lifecycles = Object.values(resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration'));
    expect(lifecycles.map((l) => (l['rule'] as { expiration?: unknown }[])[0]?.expiration)).toEqual([[{ days: 400 }], undefined]);
    // By reference, so Terraform orders logging after the target bucket and its delivery policy.
    expect(onlyResource(json, 'aws_s3_bucket_logging')).toMatchObject({
      target_bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.target_bucket_[0-9A-F]+\.bucket\}$/),
      target_prefix: 'logs/',
      depends_on: [expect.stringMatching(/^aws_s3_bucket_policy\.target_policy_[0-9A-F]+$/)],
    });
  });
});
