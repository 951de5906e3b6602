export * from './bucket-replication';
export * from './clickhouse-backup-store';
export * from './clickhouse-cluster';
export * from './clickhouse-manifests';
