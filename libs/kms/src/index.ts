export * from './key-policy';
export * from './multi-region-key';
export * from './regional-keys';
