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
 * The order changes reach production (the seed's phases): the state bucket, the global foundation
 * and access, each region's infra (us-east first), the peering mesh (it needs every VPC), then each
 * region's platform. The apply workflow follows it; a test keeps the two in step.
 */
export function rolloutSteps(config: PlatformConfig): RolloutStep[] {
  const [bootstrapEnv, globalEnv, ...regionEnvs] = githubDeployEnvironments(config);
  return [
    { githubEnvironment: bootstrapEnv!, stacks: [stackNames.bootstrap] },
    { githubEnvironment: globalEnv!, stacks: [stackNames.globalFoundation] },
    { githubEnvironment: globalEnv!, stacks: [stackNames.globalAccess], appliedBy: 'mfa-admin' },
    ...config.regions.map((region, i) => ({ githubEnvironment: regionEnvs[i]!, stacks: [stackNames.regionInfra(region.name)] })),
    { githubEnvironment: globalEnv!, stacks: [stackNames.globalPeering] },
    ...config.regions.map((region, i) => ({ githubEnvironment: regionEnvs[i]!, stacks: [stackNames.regionPlatform(region.name)] })),
  ];
}
