import type { PlatformConfig } from '@platform/config';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { standardTags } from './tags';

export interface RegionalAwsProviderProps {
  readonly config: PlatformConfig;
  readonly awsRegion: string;
  readonly stackName: string;
  /** Needed when a stack talks to more than one region. @default the default provider */
  readonly alias?: string;
}

/**
 * An AWS provider pinned to the environment's account (a wrong profile fails before any change)
 * with the standard tags as default_tags.
 */
export function regionalAwsProvider(scope: Construct, id: string, props: RegionalAwsProviderProps): AwsProvider {
  return new AwsProvider(scope, id, {
    region: props.awsRegion,
    alias: props.alias,
    allowedAccountIds: [props.config.accountId],
    defaultTags: [{ tags: standardTags(props.config, props.stackName) }],
  });
}

/**
 * One AWS provider per configured region for stacks that span regions (keys, trail, peering): the
 * home region's (data.homeRegion) is the stack's default provider, every other region's is aliased
 * by its name. The home region, not `primary`: a switchover moves `primary`, and a default provider
 * that followed it would move (replace) every resource on it.
 */
export function awsProvidersByRegion(scope: Construct, config: PlatformConfig, stackName: string): ReadonlyMap<string, AwsProvider> {
  return new Map(
    config.regions.map((region) => [
      region.name,
      regionalAwsProvider(scope, `aws-${region.name}`, {
        config,
        awsRegion: region.awsRegion,
        stackName,
        alias: region.name === config.homeRegion.name ? undefined : region.name,
      }),
    ]),
  );
}
