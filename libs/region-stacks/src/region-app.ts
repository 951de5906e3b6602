import { regionNamed } from '@platform/config';
import type { AppContext } from '@platform/stack-kit';
import type { App } from 'cdktf';
import { RegionDataStack } from './region-data-stack';
import { RegionInfraStack } from './region-infra-stack';
import { RegionPlatformStack } from './region-platform-stack';

/** The three stacks of one region app. `cdktf deploy '*'` applies infra, then data, then platform. */
export function buildRegionApp(
  app: App,
  context: AppContext,
  regionName: string,
): { infra: RegionInfraStack; data: RegionDataStack; platform: RegionPlatformStack } {
  const region = regionNamed(context.config, regionName);
  const infra = new RegionInfraStack(app, { ...context, region });
  const data = new RegionDataStack(app, { ...context, region });
  const platform = new RegionPlatformStack(app, { ...context, region });
  data.addDependency(infra);
  platform.addDependency(data);
  return { infra, data, platform };
}
