import { onlyResource, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { buildGlobalApp } from './global-app';

describe('the global app', () => {
  const { foundation } = buildGlobalApp(Testing.app(), testContext());
  const json = synthesizeStack(foundation);

  it('holds the public zone of the configured domain in the primary region', () => {
    expect(onlyResource(json, 'aws_route53_zone')).toMatchObject({ name: 'platform.example.com' });
    expect(json.provider?.['aws']?.[0]).toMatchObject({ region: 'us-east-1' });
  });

  it('publishes the zone for the regions and the edge', () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(['hostedZoneId', 'hostedZoneName', 'hostedZoneNameServers']);
  });
});
