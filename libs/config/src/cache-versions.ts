/**
 * ElastiCache engine versions a Global Datastore can be built on (AWS "Engine versions and
 * upgrading in ElastiCache", read 2026-11-25: Valkey 7.2 to 9.1; Redis OSS ends at 7.1). A version
 * not listed is refused at synth instead of failing mid-apply.
 */
export const CACHE_ENGINE_VERSIONS: Readonly<Record<'valkey' | 'redis', readonly string[]>> = {
  valkey: ['7.2', '8.0', '8.1', '8.2', '9.0', '9.1'],
  redis: ['7.1'],
};
