import { githubDeployEnvironments, type PlatformConfig } from '@platform/config';
import { stackNames } from './stack-names';

/** One step of a rollout: stacks applied together, behind one GitHub environment's reviewers. */
export interface RolloutStep {
  readonly githubEnvironment: string;
  readonly stacks: readonly string[];
  /** `mfa-admin`: applied by a person with the MFA admin role (CI is denied these changes). @default 'ci' */
  readonly appliedBy?: 'ci' | 'mfa-admin';
}

/**
 * The order changes reach production (the seed's phases): the state bucket; access (the CI roles
 * and the permissions boundary every other stack's roles carry, so it comes before any of them);
 * the global foundation (with the Aurora global cluster); each region's infra (us-east first); the
 * peering mesh (it needs every VPC); each region's data stores (the home region first) and then
 * their cross-region replication; then each region's platform; then the edge. The apply workflow follows it; a test keeps the two in step,
 * and an invariant checks that no stack names a role or boundary a later stack creates.
 */
export function rolloutSteps(config: PlatformConfig): RolloutStep[] {
  const [bootstrapEnv, globalEnv, ...regionEnvs] = githubDeployEnvironments(config);
  return [
    { githubEnvironment: bootstrapEnv!, stacks: [stackNames.bootstrap] },
    { githubEnvironment: globalEnv!, stacks: [stackNames.globalAccess], appliedBy: 'mfa-admin' },
    { githubEnvironment: globalEnv!, stacks: [stackNames.globalFoundation] },
    ...config.regions.map((region, i) => ({ githubEnvironment: regionEnvs[i]!, stacks: [stackNames.regionInfra(region.name)] })),
    { githubEnvironment: globalEnv!, stacks: [stackNames.globalPeering] },
    // The home region's data first: it creates the Global Datastore the others join.
    ...[...config.regions]
      .sort((a, b) => Number(b.name === config.homeRegion.name) - Number(a.name === config.homeRegion.name))
      .map((region) => ({ githubEnvironment: regionEnvs[config.regions.indexOf(region)]!, stacks: [stackNames.regionData(region.name)] })),
    // Cross-region wiring that needs every region's data stores (bucket replication).
    { githubEnvironment: globalEnv!, stacks: [stackNames.globalData] },
    ...config.regions.map((region, i) => ({ githubEnvironment: regionEnvs[i]!, stacks: [stackNames.regionPlatform(region.name)] })),
    // Users arrive last: CloudFront and Route 53 point only at regions whose application is released.
    { githubEnvironment: globalEnv!, stacks: [stackNames.globalEdge] },
  ];
}
