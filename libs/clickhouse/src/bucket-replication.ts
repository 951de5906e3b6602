import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface ReplicationEnd {
  readonly bucketName: string;
  readonly awsRegion: string;
  /** That region's data key: SSE-KMS of the bucket's objects. */
  readonly keyArn: string;
}

export interface BucketReplicationProps {
  readonly roleName: string;
  readonly source: ReplicationEnd & { readonly provider: TerraformProvider };
  readonly destination: ReplicationEnd;
  /** Replication Time Control target and the latency metric threshold. @default 15 */
  readonly thresholdMinutes?: number;
}

/**
 * Replicates one versioned, SSE-KMS bucket to a bucket in another region. SSE-KMS objects are
 * replicated only when the rule asks for them (`sse_kms_encrypted_objects`) and names the key to
 * re-encrypt with in the destination region (`replica_kms_key_id`); without both, S3 silently skips
 * them (S3 "Replicating objects created with SSE-KMS", read 2026-11-25). Replication Time Control
 * with metrics makes the lag visible and alarmable. The role reads only the source, writes only the
 * destination, and uses each key only through S3 of its own region.
 */
export class BucketReplication extends Construct {
  readonly role: IamRole;
  /** The rule's id (a CloudWatch dimension of S3's replication metrics). */
  readonly ruleId: string;

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const { source, destination } = props;
    if (source.awsRegion === destination.awsRegion)
      throw new Error(
        `replication of ${source.bucketName}: destination ${destination.bucketName} is in the same region (${source.awsRegion}); fix: replicate to another region`,
      );
    const minutes = props.thresholdMinutes ?? 15;
    this.ruleId = `to-${destination.awsRegion}`;
    const sourceArn = `arn:aws:s3:::${source.bucketName}`;
    const destinationArn = `arn:aws:s3:::${destination.bucketName}`;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      provider: source.provider,
    });
    const policy = new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'replicate',
      // jsonencode, not JSON.stringify: the key ARNs are references to another stack's state.
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ReadSourceConfiguration', Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: sourceArn },
          {
            Sid: 'ReadSourceVersions',
            Effect: 'Allow',
            Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
            Resource: `${sourceArn}/*`,
          },
          {
            Sid: 'WriteDestination',
            Effect: 'Allow',
            Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
            Resource: `${destinationArn}/*`,
          },
          {
            Sid: 'DecryptSource',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: source.keyArn,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${source.awsRegion}.amazonaws.com` } },
          },
          {
            Sid: 'EncryptDestination',
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: destination.keyArn,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${destination.awsRegion}.amazonaws.com` } },
          },
        ],
      }),
      provider: source.provider,
    });
    new S3BucketReplicationConfigurationA(this, 'configuration', {
      bucket: source.bucketName,
      role: this.role.arn,
      rule: [
        {
          id: this.ruleId,
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Enabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: destinationArn,
            storageClass: 'STANDARD_IA',
            encryptionConfiguration: { replicaKmsKeyId: destination.keyArn },
            replicationTime: { status: 'Enabled', time: { minutes } },
            metrics: { status: 'Enabled', eventThreshold: { minutes } },
          },
        },
      ],
      // The role's rights must exist before S3 tests them with the first object.
      dependsOn: [policy],
      provider: source.provider,
    });
  }
}
