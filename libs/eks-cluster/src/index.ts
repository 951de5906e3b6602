export * from './addon-policies';
export * from './eks-cluster';
export * from './karpenter-infra';
export * from './managed-node-group';
export * from './node-role';
export * from './off-peak-schedule';
export * from './pod-identity-role';
export * from './regional-cluster';
