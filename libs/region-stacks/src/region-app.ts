import { regionNamed } from '@platform/config';
import type { AppContext } from '@platform/stack-kit';
import type { App } from 'cdktf';
import { RegionInfraStack } from './region-infra-stack';
import { RegionPlatformStack } from './region-platform-stack';

/** The two stacks of one region app. `cdktf deploy '*'` applies infra before platform. */
export function buildRegionApp(app: App, context: AppContext, regionName: string): { infra: RegionInfraStack; platform: RegionPlatformStack } {
  const region = regionNamed(context.config, regionName);
  const infra = new RegionInfraStack(app, { ...context, region });
  const platform = new RegionPlatformStack(app, { ...context, region });
  platform.addDependency(infra);
  return { infra, platform };
}
