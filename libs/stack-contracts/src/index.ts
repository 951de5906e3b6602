export * from './contract';
export * from './contracts';
export * from './stack-names';
export * from './rollout';
