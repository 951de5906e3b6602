import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsReplicaKey } from '@cdktf/provider-aws/lib/kms-replica-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { preventDestroy } from '@platform/stack-kit';
import { Construct } from 'constructs';
import { keyPolicy, type KeyPurpose } from './key-policy';

export interface KeyRegion {
  /** Config name of the region, e.g. `eu-west`. */
  readonly name: string;
  readonly awsRegion: string;
  readonly provider: AwsProvider;
}

export interface MultiRegionKeyProps {
  readonly purpose: KeyPurpose;
  /** Alias name in every region, without the `alias/` prefix. */
  readonly aliasName: string;
  readonly accountId: string;
  /** Where the primary key lives. */
  readonly primary: KeyRegion;
  /** Regions that get a replica (same key material, own ARN and policy). */
  readonly replicas: readonly KeyRegion[];
  /** The trail a logs key encrypts (its policy admits CloudTrail for that trail only). @default none */
  readonly trailArn?: string;
  /** Days a deleted key waits before it is gone. @default 30 */
  readonly deletionWindowDays?: number;
}

/**
 * A multi-region KMS key: the primary in one region and a replica in each other, so every resource
 * uses a key of its own region while data encrypted in one region can be decrypted in another
 * after a failover. Rotation is on; every key and replica is protected from destroy.
 */
export class MultiRegionKey extends Construct {
  readonly primaryKey: KmsKey;
  /** Key ARN per region name (primary included): what resources in that region must use. */
  readonly arnByRegion: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: MultiRegionKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowDays ?? 30;
    if (deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new Error(`key ${props.aliasName}: deletionWindowDays = ${deletionWindowInDays}; fix: KMS accepts 7 to 30 days`);
    }
    if (props.replicas.some((r) => r.awsRegion === props.primary.awsRegion)) {
      throw new Error(
        `key ${props.aliasName}: a replica is in the primary's region ${props.primary.awsRegion}; fix: list only other regions as replicas`,
      );
    }
    const description = `${props.purpose} key (${props.aliasName}), managed by cdktf`;
    this.primaryKey = preventDestroy(
      new KmsKey(this, 'primary', {
        description,
        multiRegion: true,
        enableKeyRotation: true,
        deletionWindowInDays,
        policy: keyPolicy({ accountId: props.accountId, awsRegion: props.primary.awsRegion, purpose: props.purpose, trailArn: props.trailArn }),
        provider: props.primary.provider,
      }),
    );
    new KmsAlias(this, 'primary-alias', { name: `alias/${props.aliasName}`, targetKeyId: this.primaryKey.keyId, provider: props.primary.provider });

    const arns: Record<string, string> = { [props.primary.name]: this.primaryKey.arn };
    for (const region of props.replicas) {
      const replica = preventDestroy(
        new KmsReplicaKey(this, `replica-${region.name}`, {
          description,
          primaryKeyArn: this.primaryKey.arn,
          deletionWindowInDays,
          policy: keyPolicy({ accountId: props.accountId, awsRegion: region.awsRegion, purpose: props.purpose, trailArn: props.trailArn }),
          provider: region.provider,
        }),
      );
      new KmsAlias(this, `replica-alias-${region.name}`, { name: `alias/${props.aliasName}`, targetKeyId: replica.keyId, provider: region.provider });
      arns[region.name] = replica.arn;
    }
    this.arnByRegion = arns;
  }
}
