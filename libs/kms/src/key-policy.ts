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
  /** The account's trail, for a logs key that encrypts it. @default no CloudTrail statements */
  readonly trailArn?: string;
}

type Statement = Record<string, unknown>;

const USE_FOR_ENCRYPTION = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

function accountStatements(accountId: string): Statement[] {
  const root = { AWS: `arn:aws:iam::${accountId}:root` };
  return [
    { Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' },
    // Explicit, so a reader (and the policy gate) sees that replicas are intended.
    {
      Sid: 'AllowReplicationToOtherRegions',
      Effect: 'Allow',
      Principal: root,
      Action: ['kms:ReplicateKey', 'kms:CreateKey', 'kms:DescribeKey'],
      Resource: '*',
    },
  ];
}

function serviceStatements({ accountId, awsRegion, purpose, trailArn }: KeyPolicyInput): Statement[] {
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
        // CloudWatch alarms publish to the region's alarm topic, encrypted with this key: without
        // Decrypt and GenerateDataKey* the alarm fires and the notification is dropped, silently
        // (SNS "Enable compatibility between event sources from AWS services and encrypted topics").
        {
          Sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': accountId },
            ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${awsRegion}:${accountId}:alarm:*` },
          },
        },
        ...cloudTrailStatements(accountId, trailArn),
      ];
    case 'data':
      // AWS's own EBS key-policy pattern: every principal of this account that may launch EC2
      // capacity can use the key, but only through EC2 in this region. It names no role, so it
      // does not depend on the Auto Scaling or EC2 Spot service-linked roles existing when the key
      // is created (CreateKey refuses a policy naming a principal that does not exist), and it
      // covers every launcher: Auto Scaling for the managed node groups, Karpenter's controller
      // (RunInstances/CreateFleet) and the Spot service for the batch-spot pool.
      // Source: Karpenter troubleshooting "Node terminates before ready on failed encrypted EBS
      // volume" and EC2's default aws/ebs key policy (both read 2026-11-25).
      return [
        {
          Sid: 'Ec2UsesKeyForVolumesLaunchedByThisAccount',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [...USE_FOR_ENCRYPTION, 'kms:CreateGrant'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': `ec2.${awsRegion}.amazonaws.com`, 'kms:CallerAccount': accountId } },
        },
      ];
    case 'secrets':
      return [];
  }
}

/**
 * AWS's required CloudTrail statements ("Configure AWS KMS key policies for CloudTrail", read
 * 2026-11-25): encrypt under the trail's encryption context, DescribeKey without one (the call
 * carries no context), Decrypt for creating or updating a trail whose bucket uses an S3 Bucket
 * Key, and decrypt of log files for principals of this account. Each is limited to this trail.
 */
function cloudTrailStatements(accountId: string, trailArn: string | undefined): Statement[] {
  if (!trailArn) return [];
  const cloudTrail = { Service: 'cloudtrail.amazonaws.com' };
  const thisTrail = { 'aws:SourceArn': trailArn };
  const trailContext = { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${accountId}:trail/*` };
  return [
    {
      Sid: 'CloudTrailEncryptsLogs',
      Effect: 'Allow',
      Principal: cloudTrail,
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: thisTrail, StringLike: trailContext },
    },
    {
      Sid: 'CloudTrailDescribesKey',
      Effect: 'Allow',
      Principal: cloudTrail,
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: thisTrail },
    },
    {
      Sid: 'CloudTrailDecryptsForBucketKey',
      Effect: 'Allow',
      Principal: cloudTrail,
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: thisTrail },
    },
    {
      Sid: 'AccountPrincipalsDecryptTrailLogs',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': accountId }, StringLike: trailContext },
    },
  ];
}

export function keyPolicy(input: KeyPolicyInput): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [...accountStatements(input.accountId), ...serviceStatements(input)] });
}
