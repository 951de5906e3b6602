export * from './github-deploy-roles';
export * from './mfa-role';
