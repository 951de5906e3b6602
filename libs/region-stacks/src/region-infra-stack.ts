import type { RegionConfig } from '@platform/config';
import { stackNames } from '@platform/stack-contracts';
import { PlatformStack, regionalAwsProvider, type AppContext } from '@platform/stack-kit';
import type { Construct } from 'constructs';

export interface RegionStackProps extends AppContext {
  readonly region: RegionConfig;
}

/**
 * `<region>-infra`: everything in one region that only needs the AWS provider (network, EKS, data
 * stores, load balancer, alarms), so the whole stack can be validated and planned offline.
 */
export class RegionInfraStack extends PlatformStack {
  readonly region: RegionConfig;

  constructor(scope: Construct, props: RegionStackProps) {
    const name = stackNames.regionInfra(props.region.name);
    super(scope, name, props);
    this.region = props.region;
    regionalAwsProvider(this, 'aws', { config: props.config, awsRegion: props.region.awsRegion, stackName: name });
  }
}
