export * from './aws-edge-facts';
export * from './dns-validated-certificate';
export * from './edge-distribution';
export * from './edge-web-acl';
export * from './origin-load-balancer';
export * from './origin-routing';
export * from './origin-verify-secret';
export * from './distribution-access-logs';
