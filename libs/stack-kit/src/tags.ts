import type { PlatformConfig } from '@platform/config';

/** Tags on every AWS resource (through provider default_tags): who owns it and where it is managed. */
export function standardTags(config: PlatformConfig, stackName: string): Record<string, string> {
  return {
    project: config.project,
    environment: config.environment,
    owner: config.owner,
    stack: stackName,
    'managed-by': 'cdktf',
  };
}
