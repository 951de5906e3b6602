export * from './charts';
export * from './helm-chart-release';
export * from './karpenter-pools';
export * from './market-intelligence-release';
export * from './platform-addons';
export * from './in-cluster-ca';
export * from './storage-class';
export * from './hcl-literal';
