import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecureBucket } from '@platform/secure-bucket';
import { preventDestroy } from '@platform/stack-kit';
import { Construct } from 'constructs';

export interface StateStoreProps {
  readonly bucketName: string;
  /** `alias/...` the S3 backends name in `kms_key_id`, so the key id is never copied around. */
  readonly keyAlias: string;
  readonly accountId: string;
  /** How long earlier state versions are kept (the undo history of every stack). @default 365 */
  readonly stateVersionRetentionDays?: number;
}

/**
 * The Terraform state store of one environment: a hardened bucket encrypted with its own KMS key.
 * Locking uses S3 lockfiles (`use_lockfile`), so there is no DynamoDB table.
 */
export class StateStore extends Construct {
  readonly key: KmsKey;
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: StateStoreProps) {
    super(scope, id);
    if (!props.keyAlias.startsWith('alias/')) {
      throw new Error(`state store: keyAlias = "${props.keyAlias}"; fix: KMS aliases start with "alias/"`);
    }
    this.key = preventDestroy(
      new KmsKey(this, 'key', {
        description: `Encrypts Terraform state in ${props.bucketName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        // Key administration stays with the account (AWS's default key policy): IAM policies
        // then decide who may use it. kms:* on * is the only form a key policy accepts here.
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountAdministers',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        }),
      }),
    );
    new KmsAlias(this, 'alias', { name: props.keyAlias, targetKeyId: this.key.keyId });
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      kmsKeyArn: this.key.arn,
      noncurrentVersionRetentionDays: props.stateVersionRetentionDays ?? 365,
    });
  }
}
