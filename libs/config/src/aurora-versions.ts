/**
 * Aurora PostgreSQL versions that can be created today (checked against the Aurora PostgreSQL
 * release notes, 2026). A version not listed is refused at synth instead of failing mid-apply.
 * To add one: `aws rds describe-db-engine-versions --engine aurora-postgresql
 *   --query 'DBEngineVersions[?SupportsGlobalDatabases].EngineVersion'`.
 */
export const CREATABLE_AURORA_POSTGRES_VERSIONS = ['16.6', '16.8', '16.9', '17.4', '17.5', '17.6', '17.7'] as const;

/** Versions people copy from older designs; each gets a specific explanation. */
export const RETIRED_AURORA_POSTGRES_VERSIONS: Readonly<Record<string, string>> = {
  '15.3': 'Aurora PostgreSQL 15.3 reached end of its minor-version support and can no longer be created',
  '15.4': 'Aurora PostgreSQL 15.4 can no longer be created',
  '14.6': 'Aurora PostgreSQL 14.6 can no longer be created',
  '13.7': 'Aurora PostgreSQL 13.7 can no longer be created',
};

export const RECOMMENDED_AURORA_POSTGRES_VERSION = '17.5';
