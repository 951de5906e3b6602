import { awsProvidersByRegion, PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { keyPolicy } from './key-policy';
import { MultiRegionKey } from './multi-region-key';
import { RegionalKeys } from './regional-keys';

describe('RegionalKeys', () => {
  const context = testContext();
  const stack = new PlatformStack(Testing.app(), 'global-foundation', context);
  const { keys } = new RegionalKeys(stack, 'keys', {
    config: context.config,
    providers: awsProvidersByRegion(stack, context.config, 'global-foundation'),
  });
  const json = synthesizeStack(stack);
  const primaries = Object.values(resourcesOf(json, 'aws_kms_key'));
  const replicas = Object.values(resourcesOf(json, 'aws_kms_replica_key'));

  it('makes rotating, protected multi-region primaries in the primary region, one per purpose', () => {
    expect(primaries).toHaveLength(3);
    for (const key of primaries)
      expect(key).toMatchObject({ multi_region: true, enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(primaries.map((k) => k['provider'])).toEqual(['aws', 'aws', 'aws']); // the un-aliased provider is the primary region's
  });

  it('replicates every primary into every other region, with the same alias there', () => {
    expect(replicas.map((r) => r['provider']).sort()).toEqual(['aws.apac', 'aws.apac', 'aws.apac', 'aws.eu-west', 'aws.eu-west', 'aws.eu-west']);
    expect(replicas.every((r) => (r['lifecycle'] as { prevent_destroy: boolean }).prevent_destroy)).toBe(true);
    const aliases = Object.values(resourcesOf(json, 'aws_kms_alias')).map((a) => `${a['name']}@${a['provider'] ?? 'primary'}`);
    expect(aliases).toContain('alias/254carbon-prod-logs@aws.apac');
    expect(aliases).toHaveLength(9);
  });

  it('exposes the key of each region for resources in that region', () => {
    expect(Object.keys(keys.data.arnByRegion).sort()).toEqual(['apac', 'eu-west', 'us-east']);
  });

  it('writes key policies per region: replication allowed, logs service of that region only', () => {
    const apacLogs = JSON.parse(
      replicas.find((r) => r['provider'] === 'aws.apac' && String(r['description']).startsWith('logs'))!['policy'] as string,
    );
    const sids = apacLogs.Statement.map((s: { Sid: string }) => s.Sid);
    expect(sids).toEqual([
      'AccountAdministersKey',
      'AllowReplicationToOtherRegions',
      'CloudWatchLogsEncryptsLogGroupsOfThisAccount',
      'CloudWatchAlarmsPublishToEncryptedTopics',
      'CloudTrailEncryptsLogs',
      'CloudTrailDescribesKey',
      'CloudTrailDecryptsForBucketKey',
      'AccountPrincipalsDecryptTrailLogs',
    ]);
    // The account keeps administering every key (without it the key cannot be managed again).
    const root = { AWS: 'arn:aws:iam::111111111111:root' };
    expect(apacLogs.Statement.slice(0, 2)).toEqual([
      { Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'AllowReplicationToOtherRegions',
        Effect: 'Allow',
        Principal: root,
        Action: ['kms:ReplicateKey', 'kms:CreateKey', 'kms:DescribeKey'],
        Resource: '*',
      },
    ]);
    expect(apacLogs.Statement[2]).toEqual({
      Sid: 'CloudWatchLogsEncryptsLogGroupsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'logs.ap-southeast-1.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:ap-southeast-1:111111111111:log-group:*' } },
    });
    expect(apacLogs.Statement[3]).toEqual({
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:ap-southeast-1:111111111111:alarm:*' },
      },
    });
  });

  it("follows AWS's CloudTrail key policy: DescribeKey without an encryption context, Decrypt for the bucket key, all for this trail only", () => {
    const logs = JSON.parse(primaries.find((k) => String(k['description']).startsWith('logs'))!['policy'] as string);
    const bySid = Object.fromEntries(logs.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    const trail = { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111111111111:trail/254carbon-prod-audit' };
    expect(bySid['CloudTrailDescribesKey']).toEqual({
      Sid: 'CloudTrailDescribesKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: trail },
    });
    const cloudTrail = { Service: 'cloudtrail.amazonaws.com' };
    const trailContext = { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111111111111:trail/*' };
    expect(bySid['CloudTrailEncryptsLogs']).toEqual({
      Sid: 'CloudTrailEncryptsLogs',
      Effect: 'Allow',
      Principal: cloudTrail,
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: trail, StringLike: trailContext },
    });
    expect(bySid['CloudTrailDecryptsForBucketKey']).toEqual({
      Sid: 'CloudTrailDecryptsForBucketKey',
      Effect: 'Allow',
      Principal: cloudTrail,
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: trail },
    });
    expect(bySid['AccountPrincipalsDecryptTrailLogs']).toEqual({
      Sid: 'AccountPrincipalsDecryptTrailLogs',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': '111111111111' }, StringLike: trailContext },
    });
    // Only the logs key admits CloudTrail; the data and secrets keys keep the account statements alone or EC2's.
    const secrets = JSON.parse(primaries.find((k) => String(k['description']).startsWith('secrets'))!['policy'] as string);
    expect(secrets).toEqual({ Version: '2012-10-17', Statement: logs.Statement.slice(0, 2) });
  });

  it('lets every EC2 launcher of the account use the data key through EC2 of its own region, naming no role that may not exist', () => {
    const apacData = JSON.parse(
      replicas.find((r) => r['provider'] === 'aws.apac' && String(r['description']).startsWith('data'))!['policy'] as string,
    );
    const ebs = apacData.Statement.find((s: { Sid: string }) => s.Sid === 'Ec2UsesKeyForVolumesLaunchedByThisAccount');
    expect(ebs).toEqual({
      Sid: 'Ec2UsesKeyForVolumesLaunchedByThisAccount',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'ec2.ap-southeast-1.amazonaws.com', 'kms:CallerAccount': '111111111111' } },
    });
    expect(JSON.stringify(apacData)).not.toContain('aws-service-role');
  });

  it('refuses a deletion window KMS does not accept and a replica in the primary region', () => {
    const other = new PlatformStack(Testing.app(), 's', context);
    const region = { name: 'us-east', awsRegion: 'us-east-1', provider: new AwsProvider(other, 'aws', { region: 'us-east-1' }) };
    expect(
      () =>
        new MultiRegionKey(other, 'a', {
          purpose: 'data',
          aliasName: 'k',
          accountId: '111111111111',
          primary: region,
          replicas: [],
          deletionWindowDays: 3,
        }),
    ).toThrow('key k: deletionWindowDays = 3; fix: KMS accepts 7 to 30 days');
    expect(
      () =>
        new MultiRegionKey(other, 'c', {
          purpose: 'data',
          aliasName: 'k',
          accountId: '111111111111',
          primary: region,
          replicas: [],
          deletionWindowDays: 31,
        }),
    ).toThrow('deletionWindowDays = 31');
    expect(
      () =>
        new MultiRegionKey(other, 'd', {
          purpose: 'data',
          aliasName: 'k7',
          accountId: '111111111111',
          primary: region,
          replicas: [],
          deletionWindowDays: 7,
        }),
    ).not.toThrow();
    const eu = { name: 'eu-west', awsRegion: 'eu-west-1', provider: new AwsProvider(other, 'aws-eu', { region: 'eu-west-1', alias: 'eu' }) };
    expect(
      () => new MultiRegionKey(other, 'b', { purpose: 'data', aliasName: 'k', accountId: '111111111111', primary: region, replicas: [eu, region] }),
    ).toThrow(/a replica is in the primary's region us-east-1/);
  });

  it('names each primary by its alias, and refuses a region without a provider', () => {
    // The home region's keys use the stack's default provider (`aws`), the replicas their region's.
    const aliases = Object.values(resourcesOf(json, 'aws_kms_alias'))
      .map((a) => `${a['name']}@${a['provider'] ?? 'default'}`)
      .sort();
    expect(aliases).toEqual(
      ['data', 'logs', 'secrets'].flatMap((purpose) =>
        ['aws', 'aws.apac', 'aws.eu-west'].map((provider) => `alias/254carbon-prod-${purpose}@${provider}`),
      ),
    );
    const other = new PlatformStack(Testing.app(), 's2', context);
    expect(() => new RegionalKeys(other, 'keys', { config: context.config, providers: new Map() })).toThrow(
      'regional keys: no AWS provider for region us-east; fix: build providers with awsProvidersByRegion',
    );
  });

  it('admits CloudTrail to a logs key only when it is given the trail', () => {
    const sids = (trailArn?: string) =>
      JSON.parse(keyPolicy({ accountId: '111111111111', awsRegion: 'eu-west-1', purpose: 'logs', trailArn })).Statement.map(
        (s: { Sid: string }) => s.Sid,
      );
    // toStrictEqual: toEqual ignores undefined array items, so a stray non-statement would pass it.
    expect(sids()).toStrictEqual([
      'AccountAdministersKey',
      'AllowReplicationToOtherRegions',
      'CloudWatchLogsEncryptsLogGroupsOfThisAccount',
      'CloudWatchAlarmsPublishToEncryptedTopics',
    ]);
    expect(sids('arn:aws:cloudtrail:us-east-1:111111111111:trail/t')).toHaveLength(8);
  });
});
