import { PlatformStack, onlyResource, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { PublicZone } from './public-zone';

describe('PublicZone', () => {
  const stack = new PlatformStack(Testing.app(), 'global-foundation', testContext());
  new PublicZone(stack, 'public-zone', { domain: 'platform.example.com' });
  const json = synthesizeStack(stack);

  it('creates the zone protected from destroy', () => {
    expect(onlyResource(json, 'aws_route53_zone')).toMatchObject({
      name: 'platform.example.com',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it('keeps its logical id (a new zone means new name servers and a broken delegation)', () => {
    expect(Object.keys(resourcesOf(json, 'aws_route53_zone'))).toEqual(['public-zone_587C503D']);
  });
});
