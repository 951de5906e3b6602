import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { VpcPeering, type PeeringSide } from './vpc-peering';

describe('VpcPeering', () => {
  const stack = new PlatformStack(Testing.app(), 'global-peering', testContext());
  const side = (name: string, awsRegion: string, cidr: string): PeeringSide => ({
    name,
    awsRegion,
    cidr,
    provider: new AwsProvider(stack, `aws-${name}`, { region: awsRegion, alias: name }),
    vpcId: `vpc-${name}`,
    routeTableIds: ['rtb-1', 'rtb-2'],
    routeTableCount: 2,
  });
  new VpcPeering(stack, 'us-east-eu-west', side('us-east', 'us-east-1', '10.10.0.0/16'), side('eu-west', 'eu-west-1', '10.20.0.0/16'));
  const json = synthesizeStack(stack);
  const values = (type: string) => Object.values(resourcesOf(json, type));

  it('requests from one region and accepts in the other', () => {
    expect(values('aws_vpc_peering_connection')).toEqual([
      expect.objectContaining({
        vpc_id: 'vpc-us-east',
        peer_vpc_id: 'vpc-eu-west',
        peer_region: 'eu-west-1',
        auto_accept: false,
        provider: 'aws.us-east',
      }),
    ]);
    expect(values('aws_vpc_peering_connection_accepter')).toEqual([expect.objectContaining({ auto_accept: true, provider: 'aws.eu-west' })]);
  });

  it('names both sides of the connection after the two regions', () => {
    expect(values('aws_vpc_peering_connection')[0]!['tags']).toEqual({ Name: 'us-east-to-eu-west', side: 'requester' });
    expect(values('aws_vpc_peering_connection_accepter')[0]!['tags']).toEqual({ Name: 'us-east-to-eu-west', side: 'accepter' });
  });

  it('refuses to peer two VPCs of one region (this construct peers across regions only)', () => {
    const other = new PlatformStack(Testing.app(), 'global-peering', testContext());
    const same = (name: string, cidr: string): PeeringSide => ({
      name,
      awsRegion: 'us-east-1',
      cidr,
      provider: new AwsProvider(other, `aws-${name}`, { region: 'us-east-1', alias: name }),
      vpcId: `vpc-${name}`,
      routeTableIds: [],
      routeTableCount: 0,
    });
    expect(() => new VpcPeering(other, 'a-b', same('a', '10.1.0.0/16'), same('b', '10.2.0.0/16'))).toThrow(
      /^peering a-b: both sides are in us-east-1; fix: /,
    );
  });

  it('resolves DNS across the peering on both sides', () => {
    const sides = values('aws_vpc_peering_connection_options').map((o) => [
      o['provider'],
      o['requester'] ? 'requester' : 'accepter',
      o['requester'] ?? o['accepter'],
    ]);
    expect(sides.sort()).toEqual([
      ['aws.eu-west', 'accepter', { allow_remote_vpc_dns_resolution: true }],
      ['aws.us-east', 'requester', { allow_remote_vpc_dns_resolution: true }],
    ]);
  });

  it('routes every given table to the other side, both ways', () => {
    expect(
      values('aws_route')
        .map((r) => `${r['provider']} ${r['route_table_id']} -> ${r['destination_cidr_block']}`)
        .sort(),
    ).toEqual([
      'aws.eu-west ${element(["rtb-1", "rtb-2"], 0)} -> 10.10.0.0/16',
      'aws.eu-west ${element(["rtb-1", "rtb-2"], 1)} -> 10.10.0.0/16',
      'aws.us-east ${element(["rtb-1", "rtb-2"], 0)} -> 10.20.0.0/16',
      'aws.us-east ${element(["rtb-1", "rtb-2"], 1)} -> 10.20.0.0/16',
    ]);
  });
});
