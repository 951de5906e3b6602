import { onlyResource, PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { AuditTrail } from './audit-trail';

describe('AuditTrail', () => {
  const stack = new PlatformStack(Testing.app(), 'global-foundation', testContext());
  new AuditTrail(stack, 'audit', {
    name: 'p-audit',
    accountId: '111111111111',
    awsRegion: 'us-east-1',
    logsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/logs',
    trailRetentionDays: 2555,
    trailLogRetentionDays: 365,
  });
  const json = synthesizeStack(stack);
  const documents = Object.values(json.data?.['aws_iam_policy_document'] ?? {}) as {
    statement: { sid: string; principals?: { identifiers: string[] }[]; resources?: string[] }[];
  }[];

  it('is one multi-region trail with global events, file validation, KMS and a CloudWatch copy, protected', () => {
    expect(onlyResource(json, 'aws_cloudtrail')).toMatchObject({
      name: 'p-audit',
      // By reference: the trail is created after its bucket (and, through depends_on, its policy).
      s3_bucket_name: expect.stringMatching(/^\$\{aws_s3_bucket\.audit_audit-bucket_[0-9A-F]+\.bucket\}$/),
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/logs',
      cloud_watch_logs_group_arn: expect.stringMatching(/:\*$/),
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({
      retention_in_days: 365,
      kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/logs',
    });
  });

  it('keeps trail files in a KMS bucket that only CloudTrail of this trail may write to, for the retention period', () => {
    const auditPolicy = documents.find((d) => d.statement.some((s) => s.sid === 'CloudTrailWritesThisAccountsLogs'))!;
    expect(auditPolicy.statement.find((s) => s.sid === 'CloudTrailWritesThisAccountsLogs')?.resources).toEqual([
      'arn:aws:s3:::p-audit-111111111111/AWSLogs/111111111111/*',
    ]);
    expect(auditPolicy.statement[0]?.sid).toBe('DenyInsecureTransport');
    const lifecycles = Object.values(resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration')).map(
      (l) => (l['rule'] as { expiration: { days: number }[] }[])[0]?.expiration,
    );
    expect(lifecycles).toEqual([[{ days: 2555 }], [{ days: 2555 }]]);
  });

  it('logs access to the audit bucket into a second bucket (SSE-S3: the only encryption S3 log delivery supports)', () => {
    const accessLogBucket = Object.entries(resourcesOf(json, 'aws_s3_bucket')).find(
      ([, b]) => b['bucket'] === 'p-audit-access-logs-111111111111',
    )![0];
    expect(onlyResource(json, 'aws_s3_bucket_logging')).toMatchObject({
      target_bucket: `\${aws_s3_bucket.${accessLogBucket}.bucket}`,
      target_prefix: 'p-audit-111111111111/',
    });
    const algorithms = Object.values(resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration')).map((e) => JSON.stringify(e['rule']));
    expect(algorithms.filter((a) => a.includes('AES256'))).toHaveLength(1);
    expect(algorithms.filter((a) => a.includes('aws:kms'))).toHaveLength(1);
  });

  it('lets CloudTrail deliver to CloudWatch Logs through a role limited to the trail log group', () => {
    expect(JSON.parse(onlyResource(json, 'aws_iam_role')['assume_role_policy'] as string).Statement[0]).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111111111111:trail/p-audit' } },
    });
  });
});
