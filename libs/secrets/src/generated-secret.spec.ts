import { PlatformStack, onlyResource, synthesizeStack, testContext } from '@platform/stack-kit';
import { TerraformOutput, Testing } from 'cdktf';
import { GeneratedSecret } from './generated-secret';
import { replicaSecretArn } from './replica-arn';

describe('GeneratedSecret', () => {
  const stack = new PlatformStack(Testing.app(), 'us-east-data', testContext());
  const secret = new GeneratedSecret(stack, 'db', {
    name: 'p/aurora/master',
    description: 'master',
    kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/secrets',
    username: 'platform_admin',
    replicas: [{ awsRegion: 'eu-west-1', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/secrets' }],
  });
  const json = synthesizeStack(stack);

  it("keeps the secret under the region's secrets key, replicated with each region's own key, protected", () => {
    expect(onlyResource(json, 'aws_secretsmanager_secret')).toMatchObject({
      name: 'p/aurora/master',
      kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/secrets',
      recovery_window_in_days: 30,
      replica: [{ region: 'eu-west-1', kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/secrets' }],
      lifecycle: { prevent_destroy: true },
    });
  });

  it('generates the password with AWS (letters and digits), writes it once and never as a literal', () => {
    expect(onlyResource(json, 'aws_secretsmanager_secret_version')).toMatchObject({ lifecycle: { ignore_changes: ['secret_string'] } });
    const random = Object.values(
      (json as { data?: Record<string, Record<string, Record<string, unknown>>> }).data?.['aws_secretsmanager_random_password'] ?? {},
    );
    expect(random).toEqual([expect.objectContaining({ password_length: 40, exclude_punctuation: true, include_space: false })]);
    expect(secret.password).toMatch(/^\$\{TfToken\[/);
    expect(String(onlyResource(json, 'aws_secretsmanager_secret_version')['secret_string'])).toMatch(
      /"password" = data\.aws_secretsmanager_random_password\.db_random_[0-9A-F]+\.random_password/,
    );
  });

  it('refuses a length neither Aurora nor ElastiCache AUTH accepts', () => {
    const other = new PlatformStack(Testing.app(), 's', testContext());
    expect(() => new GeneratedSecret(other, 'x', { name: 'x', description: 'x', kmsKeyArn: 'k', username: 'u', passwordLength: 8 })).toThrow(
      'secret x: passwordLength = 8; fix: use 16 to 128 characters',
    );
  });

  it("names a replica by the primary's ARN in another region", () => {
    expect(replicaSecretArn('arn', 'us-east-1', 'us-east-1')).toBe('arn');
    expect(replicaSecretArn('arn', 'us-east-1', 'eu-west-1')).toMatch(/^\$\{TfToken\[/);
    const other = new PlatformStack(Testing.app(), 's', testContext());
    const replaced = new GeneratedSecret(other, 'y', { name: 'y', description: 'y', kmsKeyArn: 'k', username: 'u' });
    new TerraformOutput(other, 'eu', { value: replaced.arnIn('eu-west-1', 'us-east-1') });
    expect((synthesizeStack(other) as { output?: Record<string, { value: string }> }).output?.['eu']?.value).toMatch(
      /^\$\{replace\(aws_secretsmanager_secret\.y_secret_[0-9A-F]+\.arn, ":us-east-1:", ":eu-west-1:"\)\}$/,
    );
  });
});
