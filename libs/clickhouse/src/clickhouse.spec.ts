import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { PlatformStack, onlyResource, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { BucketReplication } from './bucket-replication';
import { ClickhouseBackupStore } from './clickhouse-backup-store';

describe('ClickhouseBackupStore', () => {
  const stack = new PlatformStack(Testing.app(), 'eu-west-data', testContext());
  new ClickhouseBackupStore(stack, 'backups', {
    bucketName: 'p-clickhouse-backup-eu-west-111111111111',
    awsRegion: 'eu-west-1',
    accountId: '111111111111',
    dataKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/data',
    retentionDays: 30,
    clusterName: 'p-eu-west',
    roleName: 'p-eu-west-clickhouse-backup',
  });
  const json = synthesizeStack(stack);

  it('keeps backups in a KMS bucket of the region for the retention', () => {
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({
      bucket: 'p-clickhouse-backup-eu-west-111111111111',
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration')['rule']).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/data' },
        bucket_key_enabled: true,
      },
    ]);
    expect(onlyResource(json, 'aws_s3_bucket_lifecycle_configuration')).toMatchObject({
      rule: [{ expiration: [{ days: 30 }], noncurrent_version_expiration: [{ noncurrent_days: 30 }] }],
    });
  });

  it('gives the backup job (one Pod Identity association) this bucket and the key through S3 of its region only', () => {
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({
      cluster_name: 'p-eu-west',
      namespace: 'clickhouse',
      service_account: 'clickhouse-backup',
    });
    const policy = String(onlyResource(json, 'aws_iam_role_policy')['policy']);
    expect(policy).toContain(
      '"Action" = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], "Resource" = "${aws_s3_bucket.backups_bucket_',
    );
    expect(policy).toContain('"Condition" = {"StringEquals" = {"kms:ViaService" = "s3.eu-west-1.amazonaws.com"}}');
    expect(policy).not.toMatch(/"Resource" = "\*"/);
  });

  it('refuses under a week of backups', () => {
    const other = new PlatformStack(Testing.app(), 's', testContext());
    expect(
      () =>
        new ClickhouseBackupStore(other, 'b', {
          bucketName: 'b',
          awsRegion: 'eu-west-1',
          accountId: '1',
          dataKeyArn: 'k',
          retentionDays: 3,
          clusterName: 'c',
          roleName: 'r',
        }),
    ).toThrow('clickhouse backups b: retentionDays = 3; fix: keep at least 7 days');
  });
});

describe('BucketReplication', () => {
  const stack = new PlatformStack(Testing.app(), 'global-data', testContext());
  const provider = new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new BucketReplication(stack, 'r', {
    roleName: 'p-eu-west-backup-replication',
    source: { bucketName: 'src', awsRegion: 'eu-west-1', keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/data', provider },
    destination: { bucketName: 'dst', awsRegion: 'ap-southeast-1', keyArn: 'arn:aws:kms:ap-southeast-1:111111111111:key/data' },
  });
  const json = synthesizeStack(stack);

  it("replicates SSE-KMS objects, re-encrypted with the destination region's key, under Replication Time Control with metrics", () => {
    expect(onlyResource(json, 'aws_s3_bucket_replication_configuration')).toMatchObject({
      bucket: 'src',
      rule: [
        {
          status: 'Enabled',
          source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
          delete_marker_replication: { status: 'Enabled' },
          destination: {
            bucket: 'arn:aws:s3:::dst',
            encryption_configuration: { replica_kms_key_id: 'arn:aws:kms:ap-southeast-1:111111111111:key/data' },
            replication_time: { status: 'Enabled', time: { minutes: 15 } },
            metrics: { status: 'Enabled', event_threshold: { minutes: 15 } },
          },
        },
      ],
    });
  });

  it('lets its role read only the source, write only the destination, each key only through S3 of its region', () => {
    const policy = String(onlyResource(json, 'aws_iam_role_policy')['policy']);
    expect(policy).toContain('"Action" = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource" = "arn:aws:s3:::dst/*"');
    expect(policy).toContain(
      '"Action" = "kms:Decrypt", "Resource" = "arn:aws:kms:eu-west-1:111111111111:key/data", "Condition" = {"StringEquals" = {"kms:ViaService" = "s3.eu-west-1.amazonaws.com"}}',
    );
    expect(policy).toContain(
      '"Resource" = "arn:aws:kms:ap-southeast-1:111111111111:key/data", "Condition" = {"StringEquals" = {"kms:ViaService" = "s3.ap-southeast-1.amazonaws.com"}}',
    );
    expect(JSON.parse(String(onlyResource(json, 'aws_iam_role')['assume_role_policy'])).Statement[0].Principal).toEqual({
      Service: 's3.amazonaws.com',
    });
  });

  it("refuses a destination in the source's region", () => {
    const other = new PlatformStack(Testing.app(), 's', testContext());
    const p = new AwsProvider(other, 'aws', { region: 'eu-west-1' });
    expect(
      () =>
        new BucketReplication(other, 'x', {
          roleName: 'r',
          source: { bucketName: 'a', awsRegion: 'eu-west-1', keyArn: 'k', provider: p },
          destination: { bucketName: 'b', awsRegion: 'eu-west-1', keyArn: 'k' },
        }),
    ).toThrow('replication of a: destination b is in the same region (eu-west-1); fix: replicate to another region');
  });
});
