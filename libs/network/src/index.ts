export * from './data-tier-security-group';
export * from './flow-logs';
export * from './regional-network';
export * from './subnet-plan';
export * from './vpc-endpoints';
export * from './vpc-peering';
