import { awsProvidersByRegion, PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { MultiRegionKey } from './multi-region-key';
import { RegionalKeys } from './regional-keys';

describe('RegionalKeys', () => {
  const context = testContext();
  const stack = new PlatformStack(Testing.app(), 'global-foundation', context);
  const { keys } = new RegionalKeys(stack, 'keys', { config: context.config, providers: awsProvidersByRegion(stack, context.config, 'global-foundation') });
  const json = synthesizeStack(stack);
  const primaries = Object.values(resourcesOf(json, 'aws_kms_key'));
  const replicas = Object.values(resourcesOf(json, 'aws_kms_replica_key'));

  it('makes rotating, protected multi-region primaries in the primary region, one per purpose', () => {
    expect(primaries).toHaveLength(3);
    for (const key of primaries) expect(key).toMatchObject({ multi_region: true, enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
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
    const apacLogs = JSON.parse(replicas.find((r) => r['provider'] === 'aws.apac' && String(r['description']).startsWith('logs'))!['policy'] as string);
    const sids = apacLogs.Statement.map((s: { Sid: string }) => s.Sid);
    expect(sids).toEqual(['AccountAdministersKey', 'AllowReplicationToOtherRegions', 'CloudWatchLogsEncryptsLogGroupsOfThisAccount', 'CloudTrailEncryptsTrailsOfThisAccount']);
    expect(apacLogs.Statement[1].Action).toContain('kms:ReplicateKey');
    expect(apacLogs.Statement[2]).toMatchObject({ Principal: { Service: 'logs.ap-southeast-1.amazonaws.com' }, Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:ap-southeast-1:111111111111:log-group:*' } } });
  });

  it('lets Auto Scaling use the data key for encrypted node volumes', () => {
    const data = JSON.parse(primaries.find((k) => String(k['description']).startsWith('data'))!['policy'] as string);
    expect(data.Statement.map((s: { Sid: string }) => s.Sid)).toContain('AutoScalingGrantsToEc2ForNodeVolumes');
  });

  it('refuses a deletion window KMS does not accept and a replica in the primary region', () => {
    const other = new PlatformStack(Testing.app(), 's', context);
    const region = { name: 'us-east', awsRegion: 'us-east-1', provider: new AwsProvider(other, 'aws', { region: 'us-east-1' }) };
    expect(() => new MultiRegionKey(other, 'a', { purpose: 'data', aliasName: 'k', accountId: '111111111111', primary: region, replicas: [], deletionWindowDays: 3 })).toThrow('key k: deletionWindowDays = 3; fix: KMS accepts 7 to 30 days');
    expect(() => new MultiRegionKey(other, 'b', { purpose: 'data', aliasName: 'k', accountId: '111111111111', primary: region, replicas: [region] })).toThrow(/a replica is in the primary's region us-east-1/);
  });
});
