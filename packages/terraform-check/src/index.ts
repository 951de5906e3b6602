export * from './changed-stacks';
export * from './offline-plan';
export * from './synth-output';
export * from './toolchain';
export * from './validate';
export * from './terraform-workdir';
export * from './helm-values';
