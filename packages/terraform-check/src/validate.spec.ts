import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readSynthesizedApp, type SynthesizedStack } from './synth-output';
import { TerraformWorkdir } from './terraform-workdir';
import { findToolchain, toolchainOrLoudSkip } from './toolchain';
import { isAwsOnly, validateStack } from './validate';
import { environmentFor, validateApps } from './validate-apps';

const AWS = { aws: { source: 'aws', version: '5.100.0' } };

/** Writes a synthesized app (cdktf.json, manifest, stacks) to a temp folder, as synth would. */
function fakeApp(stacks: Record<string, object>): string {
  const appDir = mkdtempSync(join(tmpdir(), 'tf-check-'));
  writeFileSync(join(appDir, 'cdktf.json'), JSON.stringify({ output: 'out/prod/app' }));
  const manifest: Record<string, object> = {};
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(appDir, 'out/prod/app/stacks', name), { recursive: true });
    writeFileSync(join(appDir, 'out/prod/app/stacks', name, 'cdk.tf.json'), JSON.stringify(json));
    manifest[name] = { synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` };
  }
  writeFileSync(join(appDir, 'out/prod/app/manifest.json'), JSON.stringify({ stacks: manifest }));
  return appDir;
}

const app = fakeApp({
  good: { terraform: { required_providers: AWS }, provider: { aws: [{ region: 'us-east-1' }] }, resource: { aws_s3_bucket: { b: { bucket: 'x' } } } },
  bad: {
    terraform: { required_providers: AWS },
    provider: { aws: [{ region: 'us-east-1' }] },
    resource: { aws_s3_bucket: { b: { bucket: 'x', no_such_argument: true } } },
  },
  cluster: {
    terraform: { required_providers: { helm: { source: 'helm', version: '3.1.1' } } },
    data: { terraform_remote_state: { infra: { backend: 'local', config: {} } } },
  },
});
const stacks = Object.fromEntries(readSynthesizedApp(app, 'prod').map((s) => [s.name, s])) as Record<string, SynthesizedStack>;

describe('validating apps without terraform', () => {
  const twoApps = () => [fakeApp({ good: stacks['good']!.json }), fakeApp({ cluster: stacks['cluster']!.json })];
  const noTerraform = { TERRAFORM_BIN: '/nonexistent/terraform', PATH: process.env['PATH'] };

  it('skips loudly, naming the stacks not checked, and fails only apps with AWS stacks when the check is required', () => {
    const [aws, helm] = twoApps();
    const skipped = validateApps('/nonexistent', [aws!, helm!], 'prod', noTerraform);
    expect(skipped.map((r) => r.success)).toEqual([true, true]);
    expect(skipped[0]!.output).toContain(
      `SKIPPED: offline terraform validate of ${basename(aws!)}/good\n  why: /nonexistent/terraform cannot be run`,
    );
    expect(skipped[0]!.output).toContain('these stacks were NOT checked against the real provider');
    expect(skipped[1]!.output).toBe('');
    const required = validateApps('/nonexistent', [aws!, helm!], 'prod', { ...noTerraform, TERRAFORM_CHECK_REQUIRED: '1' });
    expect(required.map((r) => r.success)).toEqual([false, true]);
    expect(required[0]!.output).toContain('FAILED: offline terraform validate of');
    expect(required[0]!.output).toContain('(TERRAFORM_CHECK_REQUIRED=1, so this is an error)');
  });

  it('refuses apps pinning two hashicorp/aws versions, with the fix', () => {
    const other = { ...stacks['good']!.json, terraform: { required_providers: { aws: { source: 'aws', version: '5.99.0' } } } };
    const results = validateApps('/nonexistent', [fakeApp({ good: stacks['good']!.json }), fakeApp({ other })], 'prod', noTerraform);
    expect(results.map((r) => [r.success, r.output])).toEqual([
      [false, 'stacks pin different hashicorp/aws versions (5.100.0, 5.99.0); fix: keep one @cdktf/provider-aws version in package.json\n'],
      [false, 'stacks pin different hashicorp/aws versions (5.100.0, 5.99.0); fix: keep one @cdktf/provider-aws version in package.json\n'],
    ]);
  });

  it('takes the environment named, else PLATFORM_ENV, else prod, and refuses a named one PLATFORM_ENV contradicts', () => {
    expect(environmentFor('staging', {})).toBe('staging');
    expect(environmentFor(undefined, { PLATFORM_ENV: 'staging' })).toBe('staging');
    expect(environmentFor(undefined, {})).toBe('prod');
    expect(environmentFor('staging', { PLATFORM_ENV: 'staging' })).toBe('staging');
    expect(() => environmentFor('prod', { PLATFORM_ENV: 'staging' })).toThrow(
      'PLATFORM_ENV = "staging" but --env=prod; fix: run the task with -c staging, or unset PLATFORM_ENV',
    );
  });
});

describe('reading synthesized apps', () => {
  it('lists stacks with their providers and whether they read remote state', () => {
    expect(Object.values(stacks).map((s) => [s.name, s.providers, s.readsRemoteState])).toEqual([
      ['good', ['aws'], false],
      ['bad', ['aws'], false],
      ['cluster', ['helm'], true],
    ]);
    expect(isAwsOnly(stacks['good']!)).toBe(true);
    expect(isAwsOnly(stacks['cluster']!)).toBe(false);
  });

  it('says how to fix a missing synth', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tf-check-'));
    writeFileSync(join(empty, 'cdktf.json'), JSON.stringify({ output: 'out/prod/app' }));
    expect(() => readSynthesizedApp(empty, 'prod')).toThrow(/manifest\.json does not exist; fix: synthesize first/);
  });

  it('refuses a mirror that lacks the provider version, naming what it holds', () => {
    const mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
    mkdirSync(join(mirror, 'registry.terraform.io/hashicorp/aws/5.0.0'), { recursive: true });
    const found = findToolchain({ PATH: process.env['PATH'], TF_PROVIDER_MIRROR: mirror }, '5.100.0');
    expect(found.ok).toBe(false);
    if (!found.ok) expect(found.reason).toMatch(/terraform is not on PATH|holds no hashicorp\/aws 5\.100\.0 .*found: 5\.0\.0/);
  });

  it('says TERRAFORM_BIN cannot be run when it points at nothing, instead of crashing', () => {
    expect(findToolchain({ TERRAFORM_BIN: '/nonexistent/terraform' }, '5.100.0')).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^\/nonexistent\/terraform cannot be run \(spawnSync \/nonexistent\/terraform ENOENT\); fix: install terraform >= 1\.10 or point TERRAFORM_BIN at it$/,
      ),
    });
  });
});

describe('the environment terraform runs in', () => {
  // A terraform that prints what it was started with.
  const bin = join(mkdtempSync(join(tmpdir(), 'fake-terraform-')), 'terraform');
  writeFileSync(bin, '#!/usr/bin/env bash\necho "GOGC=$GOGC TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE TF_INPUT=$TF_INPUT"\n');
  chmodSync(bin, 0o755);
  const stackDir = mkdtempSync(join(tmpdir(), 'stack-'));
  writeFileSync(join(stackDir, 'cdk.tf.json'), '{}');
  const stack: SynthesizedStack = { app: 'a', name: 's', dir: stackDir, json: {}, providers: [], providerVersions: {}, readsRemoteState: false };
  const root = mkdtempSync(join(tmpdir(), 'tf-env-'));
  const runWithGogc = (gogc: string | undefined) => {
    const saved = process.env['GOGC'];
    if (gogc === undefined) delete process.env['GOGC'];
    else process.env['GOGC'] = gogc;
    try {
      return new TerraformWorkdir(root, { terraform: bin, terraformVersion: '1.11.4', mirror: '/mirror' }, stack).run(['plan']).stdout.trim();
    } finally {
      if (saved === undefined) delete process.env['GOGC'];
      else process.env['GOGC'] = saved;
    }
  };

  it('collects garbage less often (GOGC=400: ~15% less CPU per plan), reads only its own CLI config and never prompts', () => {
    expect(runWithGogc(undefined)).toBe(`GOGC=400 TF_CLI_CONFIG_FILE=${join(root, 'terraformrc')} TF_INPUT=0`);
  });

  it("keeps the caller's GOGC", () => {
    expect(runWithGogc('150')).toMatch(/^GOGC=150 /);
  });
});

// The real provider from the local mirror; a machine without it gets a loud message, CI fails.
const tools = toolchainOrLoudSkip(process.env, '5.100.0', 'terraform-check: real-provider tests');
const describeWithTerraform = tools ? describe : describe.skip;

describeWithTerraform('terraform validate against the real provider', () => {
  const workRoot = mkdtempSync(join(tmpdir(), 'tf-work-'));

  it("fails a stack the provider rejects, with terraform's own diagnostic", () => {
    const check = validateStack(workRoot, tools!, stacks['bad']!);
    expect(check.status).toBe('invalid');
    expect(check.diagnostics).toEqual([expect.objectContaining({ severity: 'error', detail: expect.stringContaining('"no_such_argument"') })]);
  }, 60_000);

  it('does not pretend to check stacks whose providers are not in the mirror', () => {
    expect(validateStack(workRoot, tools!, stacks['cluster']!)).toMatchObject({
      status: 'not-checked',
      note: 'uses helm; the offline mirror holds only hashicorp/aws',
    });
  });

  // A stack alone (an app with one AWS stack, or the fallback of a combined run): the verdict above;
  // a valid stack is judged valid by the combined run below, whose lock file is checked there too.
  it('validates many apps in one run, each diagnostic staying with its own stack and each verdict with its own app, with a lock file that pins the version but holds no checksums', () => {
    // Names that together outgrow the 255 bytes a folder name may have (a 12-region platform's 42 stacks do).
    const GOOD = `good-${'g'.repeat(125)}`;
    const FINE = `fine-${'f'.repeat(125)}`;
    expect([GOOD, FINE, 'bad'].join('+').length).toBeGreaterThan(255);
    const good = fakeApp({ [GOOD]: stacks['good']!.json, cluster: stacks['cluster']!.json });
    const bad = fakeApp({ [FINE]: stacks['good']!.json, bad: stacks['bad']!.json });
    const unsynthesized = mkdtempSync(join(tmpdir(), 'tf-check-'));
    writeFileSync(join(unsynthesized, 'cdktf.json'), JSON.stringify({ output: 'out/prod/app' }));
    const [goodApp, badApp, missing] = validateApps(workRoot, [good, bad, unsynthesized], 'prod', process.env);
    expect(goodApp).toMatchObject({ appDir: good, success: true });
    expect(goodApp!.output).toMatch(
      new RegExp(
        `^ok ${basename(good)}/${GOOD}: terraform validate valid in [0-9.]+ s\n- ${basename(good)}/cluster: not validated offline \\(uses helm; the offline mirror holds only hashicorp/aws\\)\n$`,
      ),
    );
    expect(badApp).toMatchObject({ appDir: bad, success: false });
    expect(badApp!.output).toMatch(
      new RegExp(
        `^ok ${basename(bad)}/${FINE}: terraform validate valid in [0-9.]+ s\nFAIL ${basename(bad)}/bad: terraform validate invalid in [0-9.]+ s\n    error: Extraneous JSON object property \\(resource\\.aws_s3_bucket\\.b\\)\n      No argument or block type is named "no_such_argument"\\.\n`,
        's',
      ),
    );
    // The scratch lock file pins the mirror's version without the checksums every later run would recompute.
    const lockFiles = readdirSync(join(workRoot, 'combined'));
    expect(lockFiles).toHaveLength(1);
    const lockFile = readFileSync(join(workRoot, 'combined', lockFiles[0]!, '.terraform.lock.hcl'), 'utf8');
    expect(lockFile).toContain('provider "registry.terraform.io/hashicorp/aws" {\n  version     = "5.100.0"');
    expect(lockFile).not.toContain('hashes');
    // An app not synthesized fails alone, with the fix; the others were still validated.
    expect(missing).toEqual({
      appDir: unsynthesized,
      success: false,
      output: `${basename(unsynthesized)}: ${join(unsynthesized, 'out/prod/app/manifest.json')} does not exist; fix: synthesize first (npx nx run ${basename(unsynthesized)}:synth)\n`,
    });
  }, 60_000);
});
