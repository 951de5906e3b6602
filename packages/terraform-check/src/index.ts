export * from './synth-output';
export * from './toolchain';
export * from './validate';
