import { ENVIRONMENTS } from './environments';
import { resolveConfig, type PlatformConfig } from './resolve-config';
import type { PlatformConfigInput } from './schema';

/** The seed's three regions (us-east-1 primary, eu-west-1, ap-southeast-1), by config name. */
export const SEED_REGION_NAMES: readonly string[] = ['us-east', 'eu-west', 'apac'];

/**
 * Prod with only the seed's three regions: the fixture construct and app tests build on, so a team
 * that adds a region to prod (docs/guides/adding-a-region.md) does not rewrite the tests of every
 * lib. What the real config produces is checked by the invariants over the synthesized output.
 * `redis.secondaryRegions` falls back to its default (every region but the home region), which is
 * what prod lists once it has more than three regions.
 */
export function seedRegionsInput(): PlatformConfigInput {
  const prod = structuredClone(ENVIRONMENTS['prod']!) as PlatformConfigInput;
  const missing = SEED_REGION_NAMES.filter((name) => !prod.regions.some((r) => r.name === name));
  if (missing.length > 0)
    throw new Error(
      `the test fixture needs the seed's regions in prod, and ${missing.join(', ')} is gone; fix: write the fixture's regions out in libs/config/src/seed-regions.ts`,
    );
  const { secondaryRegions: _listed, ...redis } = prod.redis;
  return { ...prod, regions: prod.regions.filter((r) => SEED_REGION_NAMES.includes(r.name)), redis };
}

let cached: PlatformConfig | undefined;

/** {@link seedRegionsInput}, resolved (once per process: the result is frozen). */
export function seedRegionsConfig(): PlatformConfig {
  cached ??= resolveConfig(seedRegionsInput());
  return cached;
}
