export * from './region-app';
export * from './region-data-stack';
export * from './region-infra-stack';
export * from './region-platform-stack';
