import { onlyResource, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { buildGlobalApp } from './global-app';

describe('the global app', () => {
  const { foundation, access, peering } = buildGlobalApp(Testing.app(), testContext());
  const foundationJson = synthesizeStack(foundation);
  const accessJson = synthesizeStack(access);
  const peeringJson = synthesizeStack(peering);

  it('has the foundation, access and peering stacks', () => {
    expect([foundation.stackName, access.stackName, peering.stackName]).toEqual(['global-foundation', 'global-access', 'global-peering']);
  });

  it('holds the public zone, the keys and the one trail, with a provider per region', () => {
    expect(onlyResource(foundationJson, 'aws_route53_zone')).toMatchObject({ name: 'platform.example.com' });
    expect(onlyResource(foundationJson, 'aws_cloudtrail')).toMatchObject({ name: '254carbon-prod-audit', is_multi_region_trail: true });
    expect((foundationJson.provider?.['aws'] ?? []).map((p) => [p['alias'] ?? '(default)', p['region']])).toEqual([
      ['(default)', 'us-east-1'],
      ['eu-west', 'eu-west-1'],
      ['apac', 'ap-southeast-1'],
    ]);
  });

  it('encrypts the trail with the logs key of the primary region', () => {
    expect(onlyResource(foundationJson, 'aws_cloudtrail')['kms_key_id']).toMatch(/^\$\{aws_kms_key\.keys_logs_primary_[0-9A-F]+\.arn\}$/);
  });

  it('publishes the zone, the regional key ARNs and the trail', () => {
    expect(Object.keys(foundationJson.output ?? {}).sort()).toEqual([
      'auditBucketName',
      'auroraGlobalClusterId',
      'auroraWriterEndpoint',
      'dataKeyArns',
      'hostedZoneId',
      'hostedZoneName',
      'hostedZoneNameServers',
      'logsKeyArns',
      'originVerifySecretArn',
      'originVerifyValues',
      'secretsKeyArns',
      'trailArn',
    ]);
  });

  it('keeps the logical ids of its stateful resources (a rename would replace keys, buckets or the trail)', () => {
    const ids = (type: string) => Object.keys(resourcesOf(foundationJson, type)).sort();
    expect(ids('aws_kms_key')).toEqual(['keys_data_primary_5EFA5CEC', 'keys_logs_primary_330F3FDF', 'keys_secrets_primary_80AFEB85']);
    expect(ids('aws_kms_replica_key')).toEqual([
      'keys_data_replica-apac_C53F2641',
      'keys_data_replica-eu-west_E8960EB0',
      'keys_logs_replica-apac_8A89361D',
      'keys_logs_replica-eu-west_D9D56A13',
      'keys_secrets_replica-apac_146326D1',
      'keys_secrets_replica-eu-west_452EC6BB',
    ]);
    expect(ids('aws_s3_bucket')).toEqual(['audit_access-log-bucket_B8323984', 'audit_audit-bucket_7496C61E']);
    expect(ids('aws_cloudtrail')).toEqual(['audit_trail_91FB908D']);
    expect(ids('aws_cloudwatch_log_group')).toEqual(['audit_log-group_23E70802']);
    expect(ids('aws_route53_zone')).toEqual(['public-zone_587C503D']);
    expect(ids('aws_secretsmanager_secret')).toEqual(['origin-verify_secret_AEDFDA86']);
  });

  it('gives people MFA roles and CI OIDC roles for this environment', () => {
    expect(
      Object.values(resourcesOf(accessJson, 'aws_iam_role'))
        .map((r) => r['name'])
        .sort(),
    ).toEqual(['254carbon-prod-admin', '254carbon-prod-ci-apply', '254carbon-prod-ci-plan', '254carbon-prod-read-only']);
  });

  it('peers every pair of regions, reading each VPC from its region', () => {
    expect(Object.keys(peeringJson.data?.['terraform_remote_state'] ?? {}).sort()).toEqual(['apac-infra', 'eu-west-infra', 'us-east-infra']);
    expect(
      Object.values(resourcesOf(peeringJson, 'aws_vpc_peering_connection'))
        .map((c) => `${c['provider']}->${c['peer_region']}`)
        .sort(),
    ).toEqual(['aws->ap-southeast-1', 'aws->eu-west-1', 'aws.eu-west->ap-southeast-1']);
  });
});
