import { VpcPeering } from '@platform/network';
import { readOutputs, regionInfraContract, stackNames } from '@platform/stack-contracts';
import { awsProvidersByRegion, PlatformStack, type AppContext } from '@platform/stack-kit';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * The full mesh of VPC peerings between the regions (three connections for three regions), built
 * from what each region's infra stack publishes. Applied after the region apps.
 */
export class PeeringStack extends PlatformStack {
  readonly peerings: VpcPeering[] = [];

  constructor(scope: Construct, context: AppContext) {
    super(scope, stackNames.globalPeering, context);
    const { config } = context;
    const providers = awsProvidersByRegion(this, config, this.stackName);
    const sides = config.regions.map((region) => {
      const infra = readOutputs(this, `${region.name}-infra`, regionInfraContract, context, region.name);
      const zones = region.availabilityZones.length;
      return {
        name: region.name,
        awsRegion: region.awsRegion,
        provider: providers.get(region.name)!,
        vpcId: infra.vpcId,
        cidr: region.vpcCidr,
        // Remote lists are tokens: joined by Terraform, not by spreading.
        routeTableIds: Fn.concat([infra.privateRouteTableIds, infra.dataRouteTableIds]),
        // The network publishes one private and one data table per zone.
        routeTableCount: 2 * zones,
      };
    });
    // Regions in config order: the earlier one requests, so ids stay stable as regions are added.
    sides.forEach((requester, i) => {
      for (const accepter of sides.slice(i + 1)) this.peerings.push(new VpcPeering(this, `${requester.name}-${accepter.name}`, requester, accepter));
    });
  }
}
