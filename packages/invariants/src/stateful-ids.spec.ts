import { loadEnvironment } from '@platform/config';
import { STATEFUL_RESOURCE_TYPES } from '@platform/plan-review';
import { stackNames } from '@platform/stack-contracts';
// cdktf's own function from construct path to logical id (what TerraformStack.allocateLogicalId uses).
import { makeUniqueId } from 'cdktf/lib/private/unique';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { allSynthesizedStacks, resourcesIn } from './synthesized-apps';

/**
 * Construct ids are a contract: a renamed id is a new Terraform address, so the plan destroys the
 * resource and creates an empty one. Every stateful resource of every stack (the destroy guard's
 * types, and anything protected with prevent_destroy) is pinned here by address. Region stacks are
 * pinned once per kind (`<region>-infra`, `<region>-data`, and the home region's data and the primary
 * region's platform, which hold more), so a region added to the config is covered without an edit.
 * A global stack's resource made once per region (the KMS replica keys) is pinned by its construct
 * path with `<non-home-region>` in it (`aws_kms_replica_key.{keys/data/replica-<non-home-region>}`),
 * which stands for the address cdktf gives that path in every region but the home region.
 */
const PINNED_FILE = resolve(__dirname, '../stateful-ids.json');
const config = loadEnvironment(process.env['PLATFORM_ENV'] ?? 'prod');
const stacks = allSynthesizedStacks(config.environment);

/** The key a stack is pinned under: its name, or its kind for a region's stacks. */
function pinnedKey(stackName: string): string {
  for (const region of config.regions) {
    if (stackName === stackNames.regionInfra(region.name)) return '<region>-infra';
    if (stackName === stackNames.regionData(region.name)) return region.name === config.homeRegion.name ? '<home-region>-data' : '<region>-data';
    if (stackName === stackNames.regionPlatform(region.name))
      return region.name === config.primaryRegion.name ? '<primary-region>-platform' : '<region>-platform';
  }
  return stackName;
}

const PER_REGION = '<non-home-region>';
const nonHomeRegions = config.regions.filter((r) => r.name !== config.homeRegion.name).map((r) => r.name);

/** A pinned entry as the addresses it stands for: itself, or one per non-home region for a `{path}` template. */
function expandPinned(entry: string): string[] {
  const template = /^([a-z0-9_]+)\.\{(.+)\}$/.exec(entry);
  if (!template) return [entry];
  const [, type, path] = template;
  return nonHomeRegions.map((region) => `${type}.${makeUniqueId(path!.replaceAll(PER_REGION, region).split('/'))}`);
}

/** An address back as the template it came from, when it is one of a non-home region's per-region resources. */
function asPinned(address: string): string {
  const [type, id] = address.split('.') as [string, string];
  for (const region of nonHomeRegions) {
    const path = id.replace(/_[0-9A-F]{8}$/, '').split('_');
    const templated = path.map((part) => part.replace(new RegExp(`(^|-)${region}$`), `$1${PER_REGION}`));
    if (templated.join('/') !== path.join('/') && makeUniqueId(path) === id) return `${type}.{${templated.join('/')}}`;
  }
  return address;
}

/** The Global Datastore has at most three members (home + redis.secondaryRegions); another region's data stack has no cache. */
function withoutCacheOutsideTheDatastore(stackName: string, addresses: string[]): string[] {
  const region = config.regions.find((r) => stackNames.regionData(r.name) === stackName);
  const member = !region || region.name === config.homeRegion.name || config.redis.secondaryRegions.includes(region.name);
  return member ? addresses : addresses.filter((a) => !a.startsWith('aws_elasticache_replication_group.'));
}

/** Stateful addresses per stack name. */
function statefulAddresses(): Record<string, string[]> {
  return Object.fromEntries(
    stacks
      .map(
        (stack) =>
          [
            stack.name,
            resourcesIn(stack)
              .filter(
                ([type, , body]) =>
                  STATEFUL_RESOURCE_TYPES.includes(type) ||
                  (body['lifecycle'] as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true,
              )
              .map(([type, id]) => `${type}.${id}`)
              .sort(),
          ] as const,
      )
      .filter(([, addresses]) => addresses.length > 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

describe('stateful resource addresses', () => {
  it('stay what they were: a rename would replace a database, bucket, key or log group', () => {
    const pinned = JSON.parse(readFileSync(PINNED_FILE, 'utf8')) as Record<string, string[]>;
    const current = statefulAddresses();
    const kinds = new Set(Object.keys(current).map(pinnedKey));
    const unused = Object.keys(pinned).filter((key) => !kinds.has(key));
    expect({ unused, fix: unused.length ? 'remove them from packages/invariants/stateful-ids.json (their stacks are gone)' : '' }).toEqual({
      unused: [],
      fix: '',
    });
    for (const stack of Object.keys(current)) {
      const was = withoutCacheOutsideTheDatastore(stack, (pinned[pinnedKey(stack)] ?? []).flatMap(expandPinned));
      const now = current[stack] ?? [];
      const gone = was.filter((a) => !now.includes(a));
      const added = now.filter((a) => !was.includes(a));
      // A new stateful resource is fine once pinned; one that disappeared is a destroy unless moved.
      expect({
        stack,
        gone,
        added,
        fix:
          gone.length || added.length
            ? 'a renamed id: add a `moved` block (old -> new address) so Terraform keeps the resource, then update packages/invariants/stateful-ids.json; a new resource: add its address there'
            : '',
      }).toEqual({ stack, gone: [], added: [], fix: '' });
    }
  });
});

// Regenerate after an intended change: PRINT_STATEFUL_IDS=1 npx jest -c packages/invariants/jest.config.js stateful-ids
// (the stacks of one kind are merged: a region outside the Global Datastore adds no cache, it takes none away).
if (process.env['PRINT_STATEFUL_IDS']) {
  const byKind = new Map<string, Set<string>>();
  for (const [stack, addresses] of Object.entries(statefulAddresses())) {
    const kind = byKind.get(pinnedKey(stack)) ?? new Set<string>();
    for (const address of addresses) kind.add(asPinned(address));
    byKind.set(pinnedKey(stack), kind);
  }
  console.log(JSON.stringify(Object.fromEntries([...byKind].map(([kind, set]) => [kind, [...set].sort()]).sort()), null, 2));
}
