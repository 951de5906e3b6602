import { Testing } from 'cdktf';
import { PlatformStack } from './platform-stack';
import { remoteStateOf } from './backend';
import { regionalAwsProvider } from './aws-provider';
import { synthesizeStack, testContext } from './testing';

describe('stack backends', () => {
  const context = testContext();

  it('keeps each stack in its own KMS-encrypted, lockfile-locked S3 key', () => {
    const stack = new PlatformStack(Testing.app(), 'us-east-infra', context);
    expect(synthesizeStack(stack).terraform?.backend).toEqual({
      s3: {
        bucket: '254carbon-prod-tfstate-111111111111',
        key: 'prod/us-east-infra/terraform.tfstate',
        region: 'us-east-1',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:us-east-1:111111111111:alias/254carbon-prod-tfstate',
        allowed_account_ids: ['111111111111'],
        use_lockfile: true,
      },
    });
  });

  it('switches to local state under .state/<env>/ for offline work', () => {
    const stack = new PlatformStack(Testing.app(), 'global-foundation', testContext({ backend: 'local' }));
    expect(synthesizeStack(stack).terraform?.backend).toEqual({ local: { path: '../../../../../.state/prod/global-foundation.tfstate' } });
  });

  it('reads other stacks through the same kind of backend', () => {
    const s3Stack = new PlatformStack(Testing.app(), 'reader', context);
    remoteStateOf(s3Stack, 'infra', context.config, 's3', 'us-east-infra');
    const localStack = new PlatformStack(Testing.app(), 'reader', testContext({ backend: 'local' }));
    remoteStateOf(localStack, 'infra', context.config, 'local', 'us-east-infra');

    expect(synthesizeStack(s3Stack).data?.['terraform_remote_state']?.['infra']).toMatchObject({
      backend: 's3',
      config: { key: 'prod/us-east-infra/terraform.tfstate', bucket: '254carbon-prod-tfstate-111111111111' },
    });
    expect(synthesizeStack(localStack).data?.['terraform_remote_state']?.['infra']).toMatchObject({
      backend: 'local',
      config: { path: '../../../../../.state/prod/us-east-infra.tfstate' },
    });
  });

  it('pins providers to the environment account and tags everything', () => {
    const stack = new PlatformStack(Testing.app(), 'eu-west-infra', context);
    regionalAwsProvider(stack, 'aws', { config: context.config, awsRegion: 'eu-west-1', stackName: 'eu-west-infra' });
    expect(synthesizeStack(stack).provider?.['aws']?.[0]).toEqual({
      region: 'eu-west-1',
      allowed_account_ids: ['111111111111'],
      default_tags: [
        { tags: { project: '254carbon', environment: 'prod', owner: 'infrastructure-team', stack: 'eu-west-infra', 'managed-by': 'cdktf' } },
      ],
    });
  });
});
