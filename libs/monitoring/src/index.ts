export * from './alarm-topic';
export * from './threshold-alarm';
export * from './runbooks';
export * from './ratio-alarm';
export * from './error-budget-burn';
export * from './metric-dashboard';
export * from './platform-metrics';
