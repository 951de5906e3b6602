import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../../..');

/**
 * The rehearsal's terraform stand-in in front of a "real" terraform that, at plan time, asks the
 * secretsmanager endpoint of the override for a password, as the provider does for
 * aws_secretsmanager_random_password. No real terraform: what is checked is the stand-in's wiring.
 */
function rehearse(command: string[], stackJson: object, dir = mkdtempSync(join(tmpdir(), 'stand-in-stack-'))) {
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stackJson));
  const fake = join(mkdtempSync(join(tmpdir(), 'fake-terraform-')), 'terraform');
  writeFileSync(
    fake,
    `#!${process.execPath}
const { readFileSync } = require('node:fs');
if (process.argv[2] !== 'plan') process.exit(0);
const override = JSON.parse(readFileSync('zz_rehearsal_override.tf.json', 'utf8'));
const endpoint = override.provider.aws[0].endpoints?.[0]?.secretsmanager;
if (!endpoint) { console.log('no secretsmanager endpoint'); process.exit(0); }
fetch(endpoint, { method: 'POST', headers: { 'x-amz-target': 'secretsmanager.GetRandomPassword' }, body: '{"PasswordLength":8}' })
  .then((r) => r.json()).then((b) => console.log('password ' + b.RandomPassword))
  .catch((e) => { console.log('plan failed: ' + e.cause?.code); process.exit(1); });
`,
  );
  chmodSync(fake, 0o755);
  const result = spawnSync(
    process.execPath,
    ['--require', join(root, 'packages/ts-runner/register.cjs'), join(__dirname, 'terraform-stand-in.ts'), ...command],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, REHEARSAL_TERRAFORM: fake, REHEARSAL_MIRROR: '/nonexistent-mirror' } },
  );
  return { dir, code: result.status, out: result.stdout.trim(), err: result.stderr };
}

const withRandomPassword = {
  provider: { aws: [{ region: 'us-east-1' }] },
  data: { aws_secretsmanager_random_password: { aurora: { password_length: 8 } } },
};

describe('rehearsal terraform stand-in', () => {
  it('plans a stack that asks AWS for a random password: the stand-in answering it lives as long as the plan', () => {
    const { dir } = rehearse(['init', '-input=false'], withRandomPassword);
    // init's own AWS stand-in ended with init; plan must not be pointed at it.
    expect(rehearse(['plan', '-input=false', '-out=tfplan'], withRandomPassword, dir)).toMatchObject({ code: 0, out: 'password offlineS' });
  });

  it('points a stack that makes no plan-time call at nothing', () => {
    expect(rehearse(['plan', '-out=tfplan'], { provider: { aws: [{ region: 'us-east-1' }] } })).toMatchObject({
      code: 0,
      out: 'no secretsmanager endpoint',
    });
  });

  it('refuses a command it does not rehearse, naming where to teach it', () => {
    expect(rehearse(['import', 'aws_s3_bucket.b', 'b'], withRandomPassword)).toMatchObject({
      code: 1,
      err: expect.stringContaining(
        'terraform stand-in: "import" is not rehearsed; teach packages/workspace-checks/src/rehearsal/terraform-stand-in.ts',
      ),
    });
  });
});
