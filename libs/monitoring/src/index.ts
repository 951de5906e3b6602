export * from './alarm-topic';
export * from './threshold-alarm';
export * from './runbooks';
