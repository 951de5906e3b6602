export * from './alarm-topic';
export * from './threshold-alarm';
export * from './runbooks';
export * from './ratio-alarm';
