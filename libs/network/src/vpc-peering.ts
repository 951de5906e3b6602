import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcPeeringConnectionOptions } from '@cdktf/provider-aws/lib/vpc-peering-connection-options';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

/** One side of a peering: a region's VPC as its infra stack publishes it. */
export interface PeeringSide {
  /** Config name of the region, e.g. `us-east`. */
  readonly name: string;
  readonly awsRegion: string;
  readonly provider: AwsProvider;
  readonly vpcId: string;
  readonly cidr: string;
  /** Route tables that get a route to the other side (private and data tiers). */
  readonly routeTableIds: string[];
  /** How many entries `routeTableIds` has: known from config even when the list is a remote-state token. */
  readonly routeTableCount: number;
}

/**
 * A cross-region VPC peering between two VPCs: requested from one side, accepted on the other,
 * DNS resolution across the peering on both, and routes both ways in every given route table.
 */
export class VpcPeering extends Construct {
  readonly connection: VpcPeeringConnection;

  constructor(scope: Construct, id: string, requester: PeeringSide, accepter: PeeringSide) {
    super(scope, id);
    if (requester.awsRegion === accepter.awsRegion)
      throw new Error(`peering ${id}: both sides are in ${requester.awsRegion}; fix: this construct peers across regions`);
    const label = `${requester.name}-to-${accepter.name}`;
    // Cross-region requests cannot auto-accept; the accepter resource accepts in the peer region.
    this.connection = new VpcPeeringConnection(this, 'connection', {
      vpcId: requester.vpcId,
      peerVpcId: accepter.vpcId,
      peerRegion: accepter.awsRegion,
      autoAccept: false,
      tags: { Name: label, side: 'requester' },
      provider: requester.provider,
    });
    const acceptance = new VpcPeeringConnectionAccepterA(this, 'accepter', {
      vpcPeeringConnectionId: this.connection.id,
      autoAccept: true,
      tags: { Name: label, side: 'accepter' },
      provider: accepter.provider,
    });

    new VpcPeeringConnectionOptions(this, 'requester-dns', {
      vpcPeeringConnectionId: acceptance.id,
      requester: { allowRemoteVpcDnsResolution: true },
      provider: requester.provider,
    });
    new VpcPeeringConnectionOptions(this, 'accepter-dns', {
      vpcPeeringConnectionId: acceptance.id,
      accepter: { allowRemoteVpcDnsResolution: true },
      provider: accepter.provider,
    });

    for (const [from, to] of [
      [requester, accepter],
      [accepter, requester],
    ] as const) {
      for (let i = 0; i < from.routeTableCount; i++) {
        new Route(this, `${from.name}-table-${i}-to-${to.name}`, {
          routeTableId: Fn.element(from.routeTableIds, i),
          destinationCidrBlock: to.cidr,
          vpcPeeringConnectionId: acceptance.id,
          provider: from.provider,
        });
      }
    }
  }
}
