import { stateBucketName, stateKeyAlias } from '@platform/config';
import { bootstrapContract, publishOutputs, stackNames } from '@platform/stack-contracts';
import { PlatformStack, regionalAwsProvider, type AppContext } from '@platform/stack-kit';
import { StateStore } from '@platform/state-store';
import type { App } from 'cdktf';

/**
 * The state bucket every other stack keeps its state in. It starts on local state (the bucket does
 * not exist yet); see the README for moving its own state into the bucket afterwards.
 */
export function buildBootstrapApp(app: App, context: AppContext): PlatformStack {
  const { config } = context;
  const stack = new PlatformStack(app, stackNames.bootstrap, context);
  regionalAwsProvider(stack, 'aws', { config, awsRegion: config.state.region, stackName: stack.stackName });
  const store = new StateStore(stack, 'state-store', {
    bucketName: stateBucketName(config),
    keyAlias: stateKeyAlias(config),
    accountId: config.accountId,
  });
  publishOutputs(stack, bootstrapContract, {
    stateBucketName: store.bucket.bucket.bucket,
    stateBucketArn: store.bucket.bucket.arn,
    stateKeyArn: store.key.arn,
  });
  return stack;
}
