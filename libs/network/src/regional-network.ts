import { DefaultRouteTable } from '@cdktf/provider-aws/lib/default-route-table';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { DataTierSecurityGroup } from './data-tier-security-group';
import { FlowLogs } from './flow-logs';
import { planSubnets, type SubnetTier } from './subnet-plan';
import { VpcEndpoints } from './vpc-endpoints';

export interface RegionalNetworkProps {
  /** Prefix of resource names, e.g. `254carbon-prod-us-east`. */
  readonly name: string;
  readonly accountId: string;
  readonly awsRegion: string;
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  /** `per-az` keeps egress up when a zone fails; `single` saves two NAT gateways. */
  readonly natGateways: 'per-az' | 'single';
  readonly flowLogRetentionDays: number;
  /** Logs key of this region (flow logs). */
  readonly logsKeyArn: string;
  /** EKS cluster that will run here: subnets carry the tags its load balancer controller and Karpenter look for. */
  readonly clusterName: string;
  /** CIDRs of the peered VPCs: their clients may reach the data tier. @default none */
  readonly peerCidrs?: readonly string[];
}

const TIER_TAGS: Record<SubnetTier, (cluster: string) => Record<string, string>> = {
  public: () => ({ 'kubernetes.io/role/elb': '1' }),
  private: (cluster) => ({ 'kubernetes.io/role/internal-elb': '1', 'karpenter.sh/discovery': cluster }),
  data: () => ({}),
};

/**
 * A region's VPC in three tiers over three zones: public (load balancers, NAT), private (EKS nodes
 * and pods, egress through NAT), data (databases and caches: no route to the internet at all, only
 * the VPC, its peers and the S3 gateway endpoint). Default security group and route table are
 * emptied; flow logs on; AWS APIs through VPC endpoints.
 */
export class RegionalNetwork extends Construct {
  readonly vpc: Vpc;
  readonly subnetIds: Readonly<Record<SubnetTier, string[]>>;
  /** One per zone, in zone order. */
  readonly privateRouteTableIds: string[];
  /** One per zone, in zone order. */
  readonly dataRouteTableIds: string[];
  readonly dataSecurityGroup: DataTierSecurityGroup;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const { name } = props;
    const plan = planSubnets(props.cidr, props.availabilityZones);

    this.vpc = new Vpc(this, 'vpc', { cidrBlock: props.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } });
    const vpcId = this.vpc.id;
    // Nothing may rely on the defaults: no rules in the default security group, no routes in the main table.
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId, ingress: [], egress: [], tags: { Name: `${name}-default-closed` } });
    new DefaultRouteTable(this, 'default-route-table', {
      defaultRouteTableId: this.vpc.defaultRouteTableId,
      route: [],
      tags: { Name: `${name}-default-unused` },
    });

    const internetGateway = new InternetGateway(this, 'internet-gateway', { vpcId, tags: { Name: name } });
    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId, tags: { Name: `${name}-public`, tier: 'public' } });
    new Route(this, 'public-default-route', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id });

    const subnetIds: Record<SubnetTier, string[]> = { public: [], private: [], data: [] };
    const subnets = plan.map((planned) => {
      const zoneSuffix = planned.availabilityZone.slice(-1);
      const subnet = new Subnet(this, `${planned.tier}-${zoneSuffix}`, {
        vpcId,
        cidrBlock: planned.cidr,
        availabilityZone: planned.availabilityZone,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-${planned.tier}-${zoneSuffix}`, tier: planned.tier, ...TIER_TAGS[planned.tier](props.clusterName) },
      });
      subnetIds[planned.tier].push(subnet.id);
      return { ...planned, zoneSuffix, subnet };
    });
    this.subnetIds = subnetIds;

    const publicSubnets = subnets.filter((s) => s.tier === 'public');
    publicSubnets.forEach(
      (s) => new RouteTableAssociation(this, `public-${s.zoneSuffix}-routes`, { subnetId: s.subnet.id, routeTableId: publicRoutes.id }),
    );
    const natZones = props.natGateways === 'per-az' ? publicSubnets : publicSubnets.slice(0, 1);
    const natGateways = natZones.map((s) => {
      const address = new Eip(this, `nat-${s.zoneSuffix}-address`, { domain: 'vpc', tags: { Name: `${name}-nat-${s.zoneSuffix}` } });
      return new NatGateway(this, `nat-${s.zoneSuffix}`, {
        allocationId: address.id,
        subnetId: s.subnet.id,
        tags: { Name: `${name}-nat-${s.zoneSuffix}` },
        dependsOn: [internetGateway],
      });
    });

    this.privateRouteTableIds = [];
    this.dataRouteTableIds = [];
    subnets
      .filter((s) => s.tier !== 'public')
      .forEach((s) => {
        const table = new RouteTable(this, `${s.tier}-${s.zoneSuffix}-routes`, {
          vpcId,
          tags: { Name: `${name}-${s.tier}-${s.zoneSuffix}`, tier: s.tier },
        });
        new RouteTableAssociation(this, `${s.tier}-${s.zoneSuffix}-association`, { subnetId: s.subnet.id, routeTableId: table.id });
        if (s.tier === 'private') {
          // Each zone egresses through its own NAT gateway, or through the single one.
          const nat = natGateways[Math.min(props.availabilityZones.indexOf(s.availabilityZone), natGateways.length - 1)]!;
          new Route(this, `private-${s.zoneSuffix}-default-route`, {
            routeTableId: table.id,
            destinationCidrBlock: '0.0.0.0/0',
            natGatewayId: nat.id,
          });
          this.privateRouteTableIds.push(table.id);
        } else {
          this.dataRouteTableIds.push(table.id);
        }
      });

    new VpcEndpoints(this, 'endpoints', {
      name,
      awsRegion: props.awsRegion,
      vpcId,
      vpcCidr: props.cidr,
      subnetIds: subnetIds.private,
      routeTableIds: [...this.privateRouteTableIds, ...this.dataRouteTableIds],
    });
    new FlowLogs(this, 'flow-logs', {
      vpcId,
      name,
      accountId: props.accountId,
      retentionDays: props.flowLogRetentionDays,
      kmsKeyArn: props.logsKeyArn,
    });
    this.dataSecurityGroup = new DataTierSecurityGroup(this, 'data-tier', { name, vpcId, clientCidrs: [props.cidr, ...(props.peerCidrs ?? [])] });
  }
}
