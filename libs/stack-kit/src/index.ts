export * from './aws-provider';
export * from './backend';
export * from './platform-stack';
export * from './protect';
export * from './run-app';
export * from './tags';
export * from './testing';
export * from './output-dir';
