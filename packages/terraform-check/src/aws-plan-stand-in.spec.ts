import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The stand-in as offline plans start it, and a way to call it as the AWS provider does. */
describe('offline AWS stand-in (aws-plan-stand-in.cjs)', () => {
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const portFile = join(mkdtempSync(join(tmpdir(), 'stand-in-spec-')), 'port');
    child = spawn(process.execPath, [join(__dirname, 'aws-plan-stand-in.cjs'), portFile], { stdio: ['pipe', 'ignore', 'inherit'] });
    for (let i = 0; i < 250 && !(existsSync(portFile) && readFileSync(portFile, 'utf8')); i++) await new Promise((r) => setTimeout(r, 20));
    url = `http://127.0.0.1:${readFileSync(portFile, 'utf8')}`;
  });
  afterAll(() => child.stdin?.end());

  const call = async (target: string, body: object) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers GetRandomPassword with a fake of the length asked, letters and digits only', async () => {
    const { status, body } = await call('secretsmanager.GetRandomPassword', { PasswordLength: 40, ExcludePunctuation: true, IncludeSpace: false });
    expect(status).toBe(200);
    expect(body).toEqual({ RandomPassword: 'offlineStandInPassword0123456789offlineS' });
    expect((await call('secretsmanager.GetRandomPassword', { PasswordLength: 64 })).body['RandomPassword']).toHaveLength(64);
  });

  it('refuses any other operation by name, so a new plan-time call fails the plan instead of being guessed', async () => {
    expect(await call('secretsmanager.GetSecretValue', { SecretId: 'x' })).toEqual({
      status: 400,
      body: {
        __type: 'UnknownOperationException',
        message:
          'offline AWS stand-in (packages/terraform-check/src/aws-plan-stand-in.cjs) answers only secretsmanager.GetRandomPassword; the plan called secretsmanager.GetSecretValue',
      },
    });
  });

  it('exits when the process that started it closes its stdin', async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin?.end();
    await expect(exited).resolves.toBe(0);
  });
});
