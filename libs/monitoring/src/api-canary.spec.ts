import { PlatformStack, onlyResource, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { ApiCanary, CANARY_HANDLER, CANARY_STEP, type ApiCanaryProps } from './api-canary';
import { CANARY_ARCHIVE, CANARY_CODE_DIR, zipDirectory } from './canary-archive';

// The script Synthetics runs, loaded as the runtime would load it (CommonJS, from nodejs/node_modules).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require(join(CANARY_CODE_DIR, 'nodejs/node_modules', `${CANARY_HANDLER.split('.')[0]}.js`)) as {
  run: (synthetics: unknown, env: Record<string, string | undefined>) => Promise<unknown>;
  requestOptions: (env: Record<string, string | undefined>) => Record<string, unknown>;
  validateResponse: (res: unknown) => Promise<void>;
  STEP_NAME: string;
};

const env = { CHECK_HOST: 'platform.example.com', CHECK_PATH: '/healthz', AWS_REGION: 'eu-west-1' };

/** A response stream as node's https gives it: status, then data and end events. */
function response(statusCode: number) {
  const res = Object.assign(new EventEmitter(), { statusCode, statusMessage: statusCode === 200 ? 'OK' : 'Service Unavailable', resume: jest.fn() });
  setImmediate(() => {
    res.emit('data', Buffer.from('{"ok":true}'));
    res.emit('end');
  });
  return res;
}

describe('the canary script', () => {
  it('calls the public host over HTTPS on 443 with GET on the configured path', () => {
    expect(script.requestOptions(env)).toEqual({
      hostname: 'platform.example.com',
      method: 'GET',
      path: '/healthz',
      port: 443,
      protocol: 'https:',
      headers: { 'User-Agent': 'platform-canary/eu-west-1' },
    });
  });

  it('refuses a missing or malformed host and a relative path, naming the variable', () => {
    expect(() => script.requestOptions({ ...env, CHECK_HOST: undefined })).toThrow(/CHECK_HOST = "undefined"/);
    expect(() => script.requestOptions({ ...env, CHECK_HOST: 'https://platform.example.com' })).toThrow(/CHECK_HOST/);
    expect(() => script.requestOptions({ ...env, CHECK_PATH: 'healthz' })).toThrow(/CHECK_PATH = "healthz": expected an absolute path/);
  });

  it('passes a 200 only once the body is read, and fails the step on a 5xx', async () => {
    const ok = response(200);
    let done = false;
    const passed = script.validateResponse(ok).then(() => (done = true));
    expect(done).toBe(false);
    await passed;
    expect(done).toBe(true);
    const failing = response(503);
    await expect(script.validateResponse(failing)).rejects.toThrow('public-api: HTTP 503 Service Unavailable');
    expect(failing.resume).toHaveBeenCalled();
  });

  it('runs one step named as the alarm expects, storing no headers or bodies in the artifacts', async () => {
    const setConfig = jest.fn();
    const executeHttpStep = jest.fn().mockResolvedValue('done');
    await expect(script.run({ getConfiguration: () => ({ setConfig }), executeHttpStep }, env)).resolves.toBe('done');
    expect(script.STEP_NAME).toBe(CANARY_STEP);
    expect(executeHttpStep).toHaveBeenCalledWith('public-api', script.requestOptions(env), script.validateResponse);
    expect(setConfig).toHaveBeenCalledWith({
      includeRequestHeaders: false,
      includeResponseHeaders: false,
      includeRequestBody: false,
      includeResponseBody: false,
    });
  });
});

describe('ApiCanary', () => {
  const props: ApiCanaryProps = {
    name: 'prod-api-eu-west',
    awsRegion: 'eu-west-1',
    accountId: '111111111111',
    host: 'platform.example.com',
    path: '/healthz',
    kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/logs',
    latencyP95Ms: 150,
    resourcePrefix: 'p-eu-west',
    alarmName: 'p-eu-west-global-latency-p95',
    topicArns: ['arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms'],
  };
  const stack = new PlatformStack(Testing.app(), 'eu-west-infra', testContext());
  new ApiCanary(stack, 'canary', props);
  const json = synthesizeStack(stack);

  it('runs the script every minute on the current runtime, against the public host, artifacts encrypted in its own bucket', () => {
    expect(onlyResource(json, 'aws_synthetics_canary')).toMatchObject({
      name: 'prod-api-eu-west',
      runtime_version: 'syn-nodejs-puppeteer-15.0',
      handler: 'api-latency.handler',
      zip_file: expect.stringMatching(/^assets\/canary_code_[0-9A-F]+\/[0-9A-F]+\/api-latency\.zip$/),
      schedule: { expression: 'rate(1 minute)' },
      run_config: { timeout_in_seconds: 30, environment_variables: { CHECK_HOST: 'platform.example.com', CHECK_PATH: '/healthz' } },
      artifact_config: { s3_encryption: { encryption_mode: 'SSE_KMS', kms_key_arn: 'arn:aws:kms:eu-west-1:111111111111:key/logs' } },
      artifact_s3_location: expect.stringMatching(/^s3:\/\/\$\{aws_s3_bucket\.canary_artifacts_bucket_[0-9A-F]+\.bucket\}\/canary\/$/),
      start_canary: true,
      delete_lambda: true,
    });
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({ bucket: 'p-eu-west-canary-111111111111' });
  });

  it("alarms when the step's 15-minute p95 exceeds the seed's 150 ms twice running", () => {
    expect(onlyResource(json, 'aws_cloudwatch_metric_alarm')).toMatchObject({
      alarm_name: 'p-eu-west-global-latency-p95',
      namespace: 'CloudWatchSynthetics',
      metric_name: 'Duration',
      dimensions: { CanaryName: expect.stringMatching(/^\$\{aws_synthetics_canary.canary_[0-9A-F]+\.name\}$/), StepName: 'public-api' },
      extended_statistic: 'p95',
      threshold: 150,
      period: 900,
      evaluation_periods: 2,
      alarm_actions: ['arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms'],
    });
  });

  it("lets the canary write only its artifacts, its own logs and Synthetics' metrics, and use the key only through S3", () => {
    const policy = String(onlyResource(json, 'aws_iam_role_policy')['policy']);
    expect(policy).toMatch(
      /"Action" = \["s3:PutObject", "s3:GetObject"\], "Resource" = "\$\{aws_s3_bucket\.canary_artifacts_bucket_[0-9A-F]+\.arn\}\/canary\/\*"/,
    );
    expect(policy).toContain('"Resource" = "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/cwsyn-prod-api-eu-west-*"');
    expect(policy).toContain('"Condition" = {"StringEquals" = {"cloudwatch:namespace" = "CloudWatchSynthetics"}}');
    expect(policy).toContain(
      '"Action" = ["kms:GenerateDataKey", "kms:Decrypt"], "Resource" = "arn:aws:kms:eu-west-1:111111111111:key/logs", "Condition" = {"StringEquals" = {"kms:ViaService" = "s3.eu-west-1.amazonaws.com"}}',
    );
    expect(JSON.parse(String(onlyResource(json, 'aws_iam_role')['assume_role_policy']))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  it('refuses a name Synthetics would refuse, and a relative path', () => {
    const fresh = () => new PlatformStack(Testing.app(), 'x-infra', testContext());
    expect(() => new ApiCanary(fresh(), 'c', { ...props, name: 'staging-api-ap-southeast' })).toThrow(
      /canary name "staging-api-ap-southeast": expected 1-21/,
    );
    expect(() => new ApiCanary(fresh(), 'c', { ...props, name: 'Prod-API' })).toThrow(/expected 1-21 lowercase/);
    expect(() => new ApiCanary(fresh(), 'c', { ...props, path: 'healthz' })).toThrow(/path = "healthz"; fix/);
  });

  it('writes a longer interval in the plural form Synthetics parses, and refuses one AWS or the alarm cannot use', () => {
    const fresh = () => new PlatformStack(Testing.app(), 'x-infra', testContext());
    const five = fresh();
    new ApiCanary(five, 'c', { ...props, intervalMinutes: 5 });
    expect(Object.values(synthesizeStack(five).resource!['aws_synthetics_canary']!)[0]!['schedule']).toEqual({ expression: 'rate(5 minutes)' });
    for (const bad of [0, 6, 1.5])
      expect(() => new ApiCanary(fresh(), 'c', { ...props, intervalMinutes: bad })).toThrow(
        `canary prod-api-eu-west: intervalMinutes = ${bad}; fix: a whole number from 1 to 5`,
      );
  });
});

describe('the canary archive', () => {
  /** The entries of a zip, read from its central directory, each inflated: an independent check of zipDirectory. */
  function entries(zip: Buffer): Record<string, { mode: number; content: string }> {
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    let at = zip.readUInt32LE(end + 16);
    const out: Record<string, { mode: number; content: string }> = {};
    for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
      const nameLength = zip.readUInt16LE(at + 28);
      const name = zip.subarray(at + 46, at + 46 + nameLength).toString();
      const local = zip.readUInt32LE(at + 42);
      const data = zip.subarray(local + 30 + zip.readUInt16LE(local + 26), local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt32LE(at + 20));
      const content = inflateRawSync(data);
      expect(crc32(content)).toBe(zip.readUInt32LE(at + 16));
      out[name] = { mode: zip.readUInt32LE(at + 38) >>> 16, content: content.toString() };
      at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    }
    return out;
  }

  it('is committed exactly as the code builds it from canary/ (else: npm run build:canary)', () => {
    expect(readFileSync(CANARY_ARCHIVE).equals(zipDirectory())).toBe(true);
  });

  it("holds the script where Synthetics' Node.js runtimes load it, readable, byte for byte", () => {
    expect(entries(readFileSync(CANARY_ARCHIVE))).toEqual({
      'nodejs/node_modules/api-latency.js': {
        mode: 0o100644,
        content: readFileSync(join(CANARY_CODE_DIR, 'nodejs/node_modules/api-latency.js'), 'utf8'),
      },
    });
  });
});
