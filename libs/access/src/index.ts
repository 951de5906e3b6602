export * from './github-deploy-roles';
export * from './mfa-role';
export * from './service-linked-roles';
export * from './workload-boundary';
export * from './policy-evaluator';
