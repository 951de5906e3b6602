export * from './aurora-global-cluster';
export * from './aurora-regional-cluster';
