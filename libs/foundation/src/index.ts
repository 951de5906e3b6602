export * from './public-zone';
