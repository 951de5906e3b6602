import { ConfigError } from '@platform/config';
import { synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { buildRegionApp } from './region-app';

describe('a region app', () => {
  const { infra, platform } = buildRegionApp(Testing.app(), testContext(), 'apac');
  const infraJson = synthesizeStack(infra);
  const platformJson = synthesizeStack(platform);

  it('has an AWS-only infra stack in its own region', () => {
    expect(infra.stackName).toBe('apac-infra');
    expect(Object.keys(infraJson.terraform?.required_providers ?? {})).toEqual(['aws']);
    expect(infraJson.provider?.['aws']?.[0]).toMatchObject({ region: 'ap-southeast-1', allowed_account_ids: ['111111111111'] });
    expect(infraJson.terraform?.backend?.['s3']).toMatchObject({ key: 'prod/apac-infra/terraform.tfstate', use_lockfile: true });
  });

  it('builds the network with the logs key of its own region, from the global foundation', () => {
    expect(infraJson.data?.['terraform_remote_state']?.['global-foundation']).toMatchObject({ backend: 's3', config: { key: 'prod/global-foundation/terraform.tfstate' } });
    const flowLogGroup = Object.values(infraJson.resource?.['aws_cloudwatch_log_group'] ?? {})[0];
    expect(flowLogGroup?.['kms_key_id']).toBe('${data.terraform_remote_state.global-foundation.outputs.logsKeyArns.apac}');
    expect(Object.values(infraJson.resource?.['aws_vpc'] ?? {})).toEqual([expect.objectContaining({ cidr_block: '10.30.0.0/16' })]);
  });

  it('lets the peers reach its data tier', () => {
    const cidrs = new Set(Object.values(infraJson.resource?.['aws_vpc_security_group_ingress_rule'] ?? {}).filter((r) => r['from_port'] === 5432).map((r) => r['cidr_ipv4']));
    expect(cidrs).toEqual(new Set(['10.30.0.0/16', '10.10.0.0/16', '10.20.0.0/16']));
  });

  it('publishes the region-infra contract', () => {
    expect(Object.keys(infraJson.output ?? {}).sort()).toEqual(['dataRouteTableIds', 'dataSecurityGroupId', 'dataSubnetIds', 'privateRouteTableIds', 'privateSubnetIds', 'publicSubnetIds', 'vpcCidr', 'vpcId']);
  });

  it('has a platform stack with kubernetes and helm providers authenticated by aws eks get-token', () => {
    expect(platform.stackName).toBe('apac-platform');
    expect(Object.keys(platformJson.terraform?.required_providers ?? {}).sort()).toEqual(['helm', 'kubernetes']);
    const args = ['eks', 'get-token', '--cluster-name', '254carbon-prod-apac', '--region', 'ap-southeast-1'];
    expect(platformJson.provider?.['kubernetes']?.[0]).toEqual({ exec: [{ api_version: 'client.authentication.k8s.io/v1beta1', command: 'aws', args }] });
    expect(platformJson.provider?.['helm']?.[0]).toEqual({ kubernetes: { exec: { api_version: 'client.authentication.k8s.io/v1beta1', command: 'aws', args } } });
  });

  it('deploys platform after infra', () => {
    expect(platform.dependencies).toEqual([infra]);
  });

  it('fails clearly when the config has no such region', () => {
    expect(() => buildRegionApp(Testing.app(), testContext(), 'us-west')).toThrow(ConfigError);
    expect(() => buildRegionApp(Testing.app(), testContext(), 'us-west')).toThrow(/regions = \["us-east","eu-west","apac"\]: has no region named "us-west"/);
  });
});
