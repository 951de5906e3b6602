import { ConfigError } from '../config-error';
import { resolveConfig, type PlatformConfig } from '../resolve-config';
import type { PlatformConfigInput } from '../schema';
import { prod } from './prod';
import { staging } from './staging';

export const ENVIRONMENTS: Readonly<Record<string, PlatformConfigInput>> = { prod, staging };
export const DEFAULT_ENVIRONMENT = 'prod';

/** Resolves a named environment; an unknown name is an error that lists the known ones. */
export function loadEnvironment(name: string = DEFAULT_ENVIRONMENT): PlatformConfig {
  const input = ENVIRONMENTS[name];
  if (!input) {
    throw new ConfigError(name, [
      {
        field: 'PLATFORM_ENV',
        value: JSON.stringify(name),
        problem: 'no environment has this name',
        fix: `use one of ${Object.keys(ENVIRONMENTS).join(', ')}, or add libs/config/src/environments/${name}.ts`,
      },
    ]);
  }
  return resolveConfig(input);
}
