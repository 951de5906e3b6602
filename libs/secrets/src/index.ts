export * from './generated-secret';
export * from './replica-arn';
