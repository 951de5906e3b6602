/**
 * KMS key policies. Every key keeps AWS's default first statement (the account administers the key
 * and IAM policies decide who uses it; `kms:*` on `*` is the only form a key policy's resource
 * takes, since a key policy is attached to one key). Service principals get exactly the calls they
 * make, limited by encryption context or calling service where AWS provides one.
 */

/** What a key is used for; decides which services its policy admits. */
export type KeyPurpose = 'data' | 'logs' | 'secrets';

export interface KeyPolicyInput {
  readonly accountId: string;
  readonly awsRegion: string;
  readonly purpose: KeyPurpose;
}

type Statement = Record<string, unknown>;

const USE_FOR_ENCRYPTION = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

function accountStatements(accountId: string): Statement[] {
  const root = { AWS: `arn:aws:iam::${accountId}:root` };
  return [
    { Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' },
    // Explicit, so a reader (and the policy gate) sees that replicas are intended.
    { Sid: 'AllowReplicationToOtherRegions', Effect: 'Allow', Principal: root, Action: ['kms:ReplicateKey', 'kms:CreateKey', 'kms:DescribeKey'], Resource: '*' },
  ];
}

function serviceStatements({ accountId, awsRegion, purpose }: KeyPolicyInput): Statement[] {
  switch (purpose) {
    case 'logs':
      return [
        {
          Sid: 'CloudWatchLogsEncryptsLogGroupsOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: `logs.${awsRegion}.amazonaws.com` },
          Action: USE_FOR_ENCRYPTION,
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${awsRegion}:${accountId}:log-group:*` } },
        },
        {
          Sid: 'CloudTrailEncryptsTrailsOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${accountId}:trail/*` } },
        },
      ];
    case 'data': {
      // EC2 Auto Scaling launches the EKS nodes and must use the key for their encrypted volumes.
      const autoscaling = { AWS: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` };
      return [
        { Sid: 'AutoScalingUsesKeyForNodeVolumes', Effect: 'Allow', Principal: autoscaling, Action: USE_FOR_ENCRYPTION, Resource: '*' },
        { Sid: 'AutoScalingGrantsToEc2ForNodeVolumes', Effect: 'Allow', Principal: autoscaling, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
      ];
    }
    case 'secrets':
      return [];
  }
}

export function keyPolicy(input: KeyPolicyInput): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [...accountStatements(input.accountId), ...serviceStatements(input)] });
}
