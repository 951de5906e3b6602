import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validateBatch } from './validate-executor';

const AWS_STACK = {
  terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
  resource: { aws_s3_bucket: { b: { bucket: 'x' } } },
};
const HELM_STACK = { terraform: { required_providers: { helm: { source: 'helm', version: '3.1.1' } } } };

/** Apps as synth leaves them: apps/<app>/cdktf.json, dist/<env>/<app>/{manifest.json,stacks/...}. */
function scratchWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'validate-executor-'));
  const write = (path: string, value: object) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), JSON.stringify(value));
  };
  const synthesized = (env: string, app: string, stacks: Record<string, object>) => {
    write(`apps/${app}/cdktf.json`, { output: `../../dist/prod/${app}` });
    for (const [name, json] of Object.entries(stacks)) write(`dist/${env}/${app}/stacks/${name}/cdk.tf.json`, json);
    write(`dist/${env}/${app}/manifest.json`, {
      stacks: Object.fromEntries(
        Object.keys(stacks).map((name) => [name, { synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` }]),
      ),
    });
  };
  synthesized('prod', 'aws-app', { 'aws-stack': AWS_STACK });
  synthesized('prod', 'cluster-app', { 'cluster-stack': HELM_STACK });
  synthesized('staging', 'staging-app', { 'staging-stack': AWS_STACK });
  return root;
}

describe('validate executor', () => {
  const root = scratchWorkspace();
  const task = (project: string, env: string) => ({ id: `${project}:validate:${env}`, target: { project, target: 'validate', configuration: env } });
  const context = {
    root,
    projectsConfigurations: { projects: Object.fromEntries(['aws-app', 'cluster-app', 'staging-app'].map((app) => [app, { root: `apps/${app}` }])) },
  };
  const run = async (env: NodeJS.ProcessEnv) => {
    const saved = process.env;
    process.env = { PATH: saved['PATH'], TERRAFORM_BIN: '/nonexistent/terraform', ...env };
    try {
      const tasks = [task('aws-app', 'prod'), task('cluster-app', 'prod'), task('staging-app', 'staging')];
      const inputs = Object.fromEntries(tasks.map((t) => [t.id, { platformEnv: t.target.configuration }]));
      const out: Record<string, { success: boolean; output: string }> = {};
      for await (const r of validateBatch(
        { tasks: Object.fromEntries(tasks.map((t) => [t.id, t])) } as never,
        inputs,
        { platformEnv: 'prod' },
        context as never,
      ))
        out[r.task] = { success: r.result.success, output: r.result.terminalOutput };
      return out;
    } finally {
      process.env = saved;
    }
  };

  it("reads each task's own app in its own environment, and gives each task its own verdict", async () => {
    const results = await run({ TERRAFORM_CHECK_REQUIRED: '1' });
    expect(results['aws-app:validate:prod']!.success).toBe(false);
    expect(results['aws-app:validate:prod']!.output).toContain('FAILED: offline terraform validate of aws-app/aws-stack\n');
    expect(results['cluster-app:validate:prod']).toEqual({ success: true, output: '' });
    expect(results['staging-app:validate:staging']!.output).toContain('FAILED: offline terraform validate of staging-app/staging-stack\n');
  });

  it('refuses every task of an environment PLATFORM_ENV contradicts, and runs the others', async () => {
    const results = await run({ PLATFORM_ENV: 'staging' });
    const refusal = 'validate: PLATFORM_ENV = "staging" but --env=prod; fix: run the task with -c staging, or unset PLATFORM_ENV\n';
    expect(results['aws-app:validate:prod']).toEqual({ success: false, output: refusal });
    expect(results['cluster-app:validate:prod']).toEqual({ success: false, output: refusal });
    expect(results['staging-app:validate:staging']!.success).toBe(true);
    expect(results['staging-app:validate:staging']!.output).toContain('SKIPPED: offline terraform validate of staging-app/staging-stack\n');
  });
});
