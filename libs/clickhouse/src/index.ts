export * from './bucket-replication';
export * from './clickhouse-backup-store';
