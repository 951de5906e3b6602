import { resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { buildBootstrapApp } from './bootstrap-app';

describe('the bootstrap app', () => {
  const stack = buildBootstrapApp(Testing.app(), testContext({ backend: 'local' }));
  const json = synthesizeStack(stack);

  it('creates the state bucket the S3 backends of every other stack name', () => {
    expect(Object.values(resourcesOf(json, 'aws_s3_bucket'))).toEqual([expect.objectContaining({ bucket: '254carbon-prod-tfstate-111111111111' })]);
    expect(Object.values(resourcesOf(json, 'aws_kms_alias'))).toEqual([expect.objectContaining({ name: 'alias/254carbon-prod-tfstate' })]);
  });

  it('lives in the state region on local state (its bucket does not exist yet)', () => {
    expect(json.provider?.['aws']?.[0]).toMatchObject({ region: 'us-east-1' });
    expect(json.terraform?.backend).toEqual({ local: { path: '../../../../../.state/prod/bootstrap.tfstate' } });
  });

  it('publishes its contract', () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(['stateBucketArn', 'stateBucketName', 'stateKeyArn']);
  });
});
