export * from './region-app';
export * from './region-infra-stack';
export * from './region-platform-stack';
