export * from './alarm-topic';
export * from './threshold-alarm';
