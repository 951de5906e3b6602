import { PlatformStack, onlyResource, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { StateStore } from './state-store';

describe('StateStore', () => {
  const stack = new PlatformStack(Testing.app(), 'bootstrap', testContext());
  new StateStore(stack, 'state-store', { bucketName: 'state-bucket', keyAlias: 'alias/state', accountId: '111111111111' });
  const json = synthesizeStack(stack);

  it('encrypts state with its own rotating KMS key, protected from destroy', () => {
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, 'aws_kms_alias')).toMatchObject({ name: 'alias/state' });
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration')['rule']).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.state-store_key_[0-9A-F]+\.arn\}$/),
        },
        bucket_key_enabled: true,
      },
    ]);
  });

  it('keeps a year of state history by default', () => {
    expect(onlyResource(json, 'aws_s3_bucket_lifecycle_configuration')).toMatchObject({
      rule: [{ noncurrent_version_expiration: [{ noncurrent_days: 365 }] }],
    });
  });

  it('keeps the logical ids of its stateful resources (renaming one would replace the state bucket)', () => {
    expect(Object.keys(resourcesOf(json, 'aws_s3_bucket'))).toEqual(['state-store_bucket_CB7ACB61']);
    expect(Object.keys(resourcesOf(json, 'aws_kms_key'))).toEqual(['state-store_key_9C0F8550']);
  });

  it('refuses an alias that is not an alias', () => {
    const other = new PlatformStack(Testing.app(), 'bootstrap', testContext());
    expect(() => new StateStore(other, 's', { bucketName: 'b', keyAlias: 'state', accountId: '111111111111' })).toThrow(
      'state store: keyAlias = "state"; fix: KMS aliases start with "alias/"',
    );
  });
});
