export * from './redis-regional-group';
