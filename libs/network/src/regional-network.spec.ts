import { PlatformStack, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { DataTierSecurityGroup } from './data-tier-security-group';
import { INTERFACE_ENDPOINT_SERVICES } from './vpc-endpoints';
import { RegionalNetwork, type RegionalNetworkProps } from './regional-network';

const props: RegionalNetworkProps = {
  name: 'p-us-east',
  accountId: '111111111111',
  awsRegion: 'us-east-1',
  cidr: '10.10.0.0/16',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  natGateways: 'per-az',
  flowLogRetentionDays: 90,
  logsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/logs',
  clusterName: 'p-us-east',
  peerCidrs: ['10.20.0.0/16', '10.30.0.0/16'],
};

function synth(overrides: Partial<RegionalNetworkProps> = {}) {
  const stack = new PlatformStack(Testing.app(), 'us-east-infra', testContext());
  new RegionalNetwork(stack, 'network', { ...props, ...overrides });
  return synthesizeStack(stack);
}

describe('RegionalNetwork', () => {
  const json = synth();
  const values = (type: string) => Object.values(resourcesOf(json, type));
  const idOf = (type: string, predicate: (body: Record<string, unknown>) => boolean) =>
    Object.entries(resourcesOf(json, type))
      .filter(([, body]) => predicate(body))
      .map(([id]) => `\${${type}.${id}.id}`);

  it('is one VPC with DNS, nine subnets in three tiers, no public IPs by default', () => {
    expect(values('aws_vpc')).toEqual([
      expect.objectContaining({ cidr_block: '10.10.0.0/16', enable_dns_hostnames: true, enable_dns_support: true }),
    ]);
    const tiers = values('aws_subnet').map((s) => (s['tags'] as Record<string, string>)['tier']);
    expect(tiers.sort()).toEqual(['data', 'data', 'data', 'private', 'private', 'private', 'public', 'public', 'public']);
    expect(values('aws_subnet').every((s) => s['map_public_ip_on_launch'] === false)).toBe(true);
  });

  it('tags subnets for the load balancer controller and Karpenter', () => {
    const tagsOf = (tier: string) =>
      values('aws_subnet')
        .filter((s) => (s['tags'] as Record<string, string>)['tier'] === tier)
        .map((s) => s['tags']);
    expect(tagsOf('public')).toEqual(Array(3).fill(expect.objectContaining({ 'kubernetes.io/role/elb': '1' })));
    expect(tagsOf('private')).toEqual(
      Array(3).fill(expect.objectContaining({ 'kubernetes.io/role/internal-elb': '1', 'karpenter.sh/discovery': 'p-us-east' })),
    );
  });

  it('sends private egress through a NAT gateway per zone, and gives data tables no default route', () => {
    expect(values('aws_nat_gateway')).toHaveLength(3);
    const privateTables = idOf('aws_route_table', (b) => (b['tags'] as Record<string, string>)['tier'] === 'private');
    const dataTables = idOf('aws_route_table', (b) => (b['tags'] as Record<string, string>)['tier'] === 'data');
    const routes = values('aws_route');
    expect(
      routes.filter((r) => privateTables.includes(r['route_table_id'] as string)).map((r) => Object.keys(r).find((k) => k.endsWith('gateway_id'))),
    ).toEqual(['nat_gateway_id', 'nat_gateway_id', 'nat_gateway_id']);
    expect(routes.filter((r) => dataTables.includes(r['route_table_id'] as string))).toEqual([]);
  });

  it('can use a single NAT gateway for every zone', () => {
    const single = synth({ natGateways: 'single' });
    expect(Object.values(resourcesOf(single, 'aws_nat_gateway'))).toHaveLength(1);
    expect(
      new Set(
        Object.values(resourcesOf(single, 'aws_route'))
          .map((r) => r['nat_gateway_id'])
          .filter(Boolean),
      ).size,
    ).toBe(1);
  });

  it('empties the default security group and route table', () => {
    expect(values('aws_default_security_group')).toEqual([expect.objectContaining({ ingress: [], egress: [] })]);
    expect(values('aws_default_route_table')).toEqual([expect.objectContaining({ route: [] })]);
  });

  it('reaches S3 through a gateway endpoint in private and data tables, and AWS APIs through interface endpoints', () => {
    const endpoints = values('aws_vpc_endpoint');
    expect(endpoints.find((e) => e['vpc_endpoint_type'] === 'Gateway')).toMatchObject({
      service_name: 'com.amazonaws.us-east-1.s3',
      route_table_ids: expect.arrayContaining([expect.any(String)]),
    });
    expect(endpoints.find((e) => e['vpc_endpoint_type'] === 'Gateway')?.['route_table_ids']).toHaveLength(6);
    expect(
      endpoints
        .filter((e) => e['vpc_endpoint_type'] === 'Interface')
        .map((e) => e['service_name'])
        .sort(),
    ).toEqual(INTERFACE_ENDPOINT_SERVICES.map((s) => `com.amazonaws.us-east-1.${s}`).sort());
  });

  it('puts every interface endpoint in the private subnets behind one group that takes HTTPS from this VPC only', () => {
    const [endpointGroup] = idOf('aws_security_group', (g) => g['name'] === 'p-us-east-endpoints');
    const privateSubnets = idOf('aws_subnet', (b) => (b['tags'] as Record<string, string>)['tier'] === 'private');
    expect(privateSubnets).toHaveLength(3);
    const interfaces = values('aws_vpc_endpoint').filter((e) => e['vpc_endpoint_type'] === 'Interface');
    expect(interfaces).toHaveLength(INTERFACE_ENDPOINT_SERVICES.length);
    for (const endpoint of interfaces) {
      expect(endpoint).toMatchObject({ private_dns_enabled: true, security_group_ids: [endpointGroup], subnet_ids: privateSubnets });
      expect(endpoint['tags']).toMatchObject({ Name: `p-us-east-${String(endpoint['service_name']).replace('com.amazonaws.us-east-1.', '')}` });
    }
    expect(values('aws_security_group').find((g) => g['name'] === 'p-us-east-endpoints')).toMatchObject({
      description: 'HTTPS from the VPC to AWS API endpoints',
      egress: [],
      tags: { Name: 'p-us-east-endpoints' },
    });
    const rules = values('aws_vpc_security_group_ingress_rule').filter((r) => r['security_group_id'] === endpointGroup);
    expect(rules.map(({ ['//']: _, ...rule }) => rule)).toEqual([
      {
        security_group_id: endpointGroup,
        cidr_ipv4: '10.10.0.0/16',
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        description: 'HTTPS from the VPC',
      },
    ]);
  });

  it('adds the S3 gateway endpoint to exactly the private and data route tables', () => {
    const tables = idOf('aws_route_table', (b) => ['private', 'data'].includes((b['tags'] as Record<string, string>)['tier']!));
    const gateway = values('aws_vpc_endpoint').find((e) => e['vpc_endpoint_type'] === 'Gateway')!;
    expect([...(gateway['route_table_ids'] as string[])].sort()).toEqual([...tables].sort());
    expect(gateway['tags']).toMatchObject({ Name: 'p-us-east-s3' });
  });

  it('names and tags what it makes after the region, the tier and the zone', () => {
    const name = (type: string) =>
      values(type)
        .map((r) => (r['tags'] as Record<string, string>)['Name'])
        .sort();
    expect(name('aws_vpc')).toEqual(['p-us-east']);
    expect(values('aws_default_security_group')[0]!['tags']).toEqual({ Name: 'p-us-east-default-closed' });
    expect(values('aws_default_route_table')[0]!['tags']).toEqual({ Name: 'p-us-east-default-unused' });
    expect(name('aws_internet_gateway')).toEqual(['p-us-east']);
    expect(name('aws_subnet')).toEqual(
      ['a', 'b', 'c'].flatMap((z) => [`p-us-east-data-${z}`, `p-us-east-private-${z}`, `p-us-east-public-${z}`]).sort(),
    );
    expect(
      values('aws_route_table')
        .map((t) => `${(t['tags'] as Record<string, string>)['Name']} ${(t['tags'] as Record<string, string>)['tier']}`)
        .sort(),
    ).toEqual([
      'p-us-east-data-a data',
      'p-us-east-data-b data',
      'p-us-east-data-c data',
      'p-us-east-private-a private',
      'p-us-east-private-b private',
      'p-us-east-private-c private',
      'p-us-east-public public',
    ]);
    expect(values('aws_eip').map((e) => [e['domain'], (e['tags'] as Record<string, string>)['Name']])).toEqual([
      ['vpc', 'p-us-east-nat-a'],
      ['vpc', 'p-us-east-nat-b'],
      ['vpc', 'p-us-east-nat-c'],
    ]);
    expect(name('aws_nat_gateway')).toEqual(['p-us-east-nat-a', 'p-us-east-nat-b', 'p-us-east-nat-c']);
  });

  it('routes the public tier to the internet gateway, and starts NAT only once the gateway exists', () => {
    const [gateway] = idOf('aws_internet_gateway', () => true);
    const [publicTable] = idOf('aws_route_table', (b) => (b['tags'] as Record<string, string>)['tier'] === 'public');
    expect(
      values('aws_route')
        .filter((r) => r['route_table_id'] === publicTable)
        .map(({ ['//']: _, ...r }) => r),
    ).toEqual([{ route_table_id: publicTable, destination_cidr_block: '0.0.0.0/0', gateway_id: gateway }]);
    const publicSubnets = idOf('aws_subnet', (b) => (b['tags'] as Record<string, string>)['tier'] === 'public');
    expect(
      values('aws_route_table_association')
        .filter((a) => a['route_table_id'] === publicTable)
        .map((a) => a['subnet_id'])
        .sort(),
    ).toEqual([...publicSubnets].sort());
    for (const nat of values('aws_nat_gateway')) expect(nat['depends_on']).toEqual([gateway!.slice(2, -4)]);
    const privateRoutes = values('aws_route').filter((r) => r['nat_gateway_id']);
    expect(privateRoutes.map((r) => r['destination_cidr_block'])).toEqual(['0.0.0.0/0', '0.0.0.0/0', '0.0.0.0/0']);
    // Each private and data subnet in its own zone's table.
    for (const tier of ['private', 'data']) {
      const tables = resourcesOf(json, 'aws_route_table');
      for (const association of values('aws_route_table_association').filter((a) => a['route_table_id'] !== publicTable)) {
        const subnet = Object.entries(resourcesOf(json, 'aws_subnet')).find(([id]) => association['subnet_id'] === `\${aws_subnet.${id}.id}`)![1];
        const table = Object.entries(tables).find(([id]) => association['route_table_id'] === `\${aws_route_table.${id}.id}`)![1];
        const tags = (t: Record<string, unknown>) => t['tags'] as Record<string, string>;
        if (tags(subnet)['tier'] === tier) expect(tags(table)['Name']).toBe(tags(subnet)['Name']);
      }
    }
  });

  it('logs all traffic to a KMS-encrypted log group with the configured retention', () => {
    expect(values('aws_flow_log')).toEqual([expect.objectContaining({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' })]);
    expect(values('aws_cloudwatch_log_group')).toEqual([
      expect.objectContaining({ name: '/aws/vpc/p-us-east/flow-logs', retention_in_days: 90, kms_key_id: props.logsKeyArn }),
    ]);
  });

  it('opens the data ports to this VPC and the peers only', () => {
    const cidrs = new Set(
      values('aws_vpc_security_group_ingress_rule')
        .filter((r) => r['from_port'] !== 443)
        .map((r) => r['cidr_ipv4']),
    );
    expect(cidrs).toEqual(new Set(['10.10.0.0/16', '10.20.0.0/16', '10.30.0.0/16']));
  });

  it('names the data tier group, keeps it without egress, and describes each rule by store and source', () => {
    const [dataGroup] = idOf('aws_security_group', (g) => g['name'] === 'p-us-east-data');
    expect(values('aws_security_group').find((g) => g['name'] === 'p-us-east-data')).toMatchObject({
      description: 'Data store ports from the platform VPCs',
      egress: [],
      tags: { Name: 'p-us-east-data' },
    });
    const rules = values('aws_vpc_security_group_ingress_rule').filter((r) => r['security_group_id'] === dataGroup);
    expect(
      rules.map((r) => `${String(r['description'])} ${String(r['ip_protocol'])} ${String(r['from_port'])}-${String(r['to_port'])}`).sort(),
    ).toEqual(
      ['postgres 5432', 'redis 6379', 'clickhouseHttps 8443', 'clickhouseNativeTls 9440']
        .flatMap((store) => {
          const [name, port] = store.split(' ');
          return ['10.10.0.0/16', '10.20.0.0/16', '10.30.0.0/16'].map((cidr) => `${name} from ${cidr} tcp ${port}-${port}`);
        })
        .sort(),
    );
  });

  it('refuses to open the data tier to the internet', () => {
    const stack = new PlatformStack(Testing.app(), 's', testContext());
    expect(() => new DataTierSecurityGroup(stack, 'd', { name: 'x', vpcId: 'v', clientCidrs: ['0.0.0.0/0'] })).toThrow(
      'data tier x: client CIDR 0.0.0.0/0 opens the data ports to everyone; fix: list the VPC ranges only',
    );
  });
});
