import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SyntheticsCanary } from '@cdktf/provider-aws/lib/synthetics-canary';
import { SecureBucket } from '@platform/secure-bucket';
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { CANARY_ARCHIVE } from './canary-archive';
import { ThresholdAlarm } from './threshold-alarm';

export const CANARY_HANDLER = 'api-latency.handler';
/** The step the script times (STEP_NAME in the script); the alarm reads its Duration. */
export const CANARY_STEP = 'public-api';
/**
 * The newest Node.js + Puppeteer runtime (CloudWatch user guide, "Runtime versions using Node.js and
 * Puppeteer", read 2026-11-25: syn-nodejs-puppeteer-15.0 "is the most recent"). The script uses no
 * browser, only `executeHttpStep`, and the library name of 13.1 and later (@aws/synthetics-puppeteer).
 */
export const CANARY_RUNTIME = 'syn-nodejs-puppeteer-15.0';

export interface ApiCanaryProps {
  /** Canary name: lowercase letters, digits, `-` and `_`, at most 21 characters (the limit CreateCanary long had). */
  readonly name: string;
  readonly awsRegion: string;
  readonly accountId: string;
  /** The public API host (CloudFront's alias), e.g. `api.example.com`. */
  readonly host: string;
  /** The path it calls, e.g. `/healthz`. */
  readonly path: string;
  /** Key of this region that encrypts the artifacts (the logs key). */
  readonly kmsKeyArn: string;
  /** p95 of the step's duration, in milliseconds, over which the alarm fires (the seed's global 150 ms). */
  readonly latencyP95Ms: number;
  /** Minutes between runs, 1 to 5 (three or more runs in each 15-minute alarm period). @default 1 */
  readonly intervalMinutes?: number;
  /** Names prefix of the bucket and role, e.g. `254carbon-prod-us-east`. */
  readonly resourcePrefix: string;
  readonly alarmName: string;
  readonly topicArns: readonly string[];
}

/**
 * The seed's global latency target measured where users are: a Synthetics canary in this region
 * calls the public API through CloudFront once a minute, and an alarm fires when the p95 of that
 * call over 15 minutes exceeds the target twice running (one sample a minute: a 5-minute p95 would be
 * nearly the maximum). Artifacts go to a bucket of their own, SSE-KMS with the region's key, kept 30
 * days; the execution role can write only there, its own log groups and Synthetics' metric namespace.
 */
export class ApiCanary extends Construct {
  readonly canary: SyntheticsCanary;
  readonly alarm: ThresholdAlarm;
  readonly artifacts: SecureBucket;

  constructor(scope: Construct, id: string, props: ApiCanaryProps) {
    super(scope, id);
    if (!/^[0-9a-z_-]{1,21}$/.test(props.name))
      throw new Error(
        `canary name "${props.name}": expected 1-21 lowercase letters, digits, - or _; fix: shorten it (the environment and region short names make it)`,
      );
    const intervalMinutes = props.intervalMinutes ?? 1;
    if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || intervalMinutes > 5)
      throw new Error(
        `canary ${props.name}: intervalMinutes = ${intervalMinutes}; fix: a whole number from 1 to 5 (AWS runs a canary at most once a minute, and the 15-minute p95 needs three runs)`,
      );
    if (!props.path.startsWith('/')) throw new Error(`canary ${props.name}: path = "${props.path}"; fix: an absolute path such as /healthz`);

    const bucketName = `${props.resourcePrefix}-canary-${props.accountId}`;
    this.artifacts = new SecureBucket(this, 'artifacts', { bucketName, kmsKeyArn: props.kmsKeyArn, expireObjectsAfterDays: 30 });
    const bucketArn = this.artifacts.bucket.arn;

    const role = new IamRole(this, 'role', {
      name: `${props.resourcePrefix}-canary`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    // The statements of AWS's "Required roles and permissions for canaries" (CloudWatch user guide,
    // read 2026-11-25), scoped to this canary; plus the key, used only through S3 in this region.
    new IamRolePolicy(this, 'policy', {
      role: role.id,
      name: `${props.resourcePrefix}-canary`,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'WriteArtifacts', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${bucketArn}/canary/*` },
          { Sid: 'LocateBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: bucketArn },
          { Sid: 'ListBuckets', Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
          {
            Sid: 'OwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `arn:aws:logs:${props.awsRegion}:${props.accountId}:log-group:/aws/lambda/cwsyn-${props.name}-*`,
          },
          {
            Sid: 'SyntheticsMetrics',
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'CloudWatchSynthetics' } },
          },
          {
            Sid: 'EncryptArtifacts',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: props.kmsKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${props.awsRegion}.amazonaws.com` } },
          },
        ],
      }),
    });

    const code = new TerraformAsset(this, 'code', { path: CANARY_ARCHIVE, type: AssetType.FILE });
    this.canary = new SyntheticsCanary(this, 'canary', {
      name: props.name,
      runtimeVersion: CANARY_RUNTIME,
      handler: CANARY_HANDLER,
      zipFile: code.path,
      executionRoleArn: role.arn,
      artifactS3Location: `s3://${this.artifacts.bucket.bucket}/canary/`,
      artifactConfig: { s3Encryption: { encryptionMode: 'SSE_KMS', kmsKeyArn: props.kmsKeyArn } },
      schedule: { expression: intervalMinutes === 1 ? 'rate(1 minute)' : `rate(${intervalMinutes} minutes)` },
      runConfig: { timeoutInSeconds: 30, environmentVariables: { CHECK_HOST: props.host, CHECK_PATH: props.path } },
      startCanary: true,
      deleteLambda: true,
      successRetentionPeriod: 7,
      failureRetentionPeriod: 30,
    });

    this.alarm = new ThresholdAlarm(this, 'latency-p95', {
      alarmName: props.alarmName,
      description: `Global API latency p95 over ${props.latencyP95Ms} ms seen from ${props.awsRegion} (canary ${props.name}, 15-minute p95, twice running; seed target)`,
      runbook: 'highLatency',
      namespace: 'CloudWatchSynthetics',
      metricName: 'Duration',
      dimensions: { CanaryName: this.canary.name, StepName: CANARY_STEP },
      statistic: 'p95',
      threshold: props.latencyP95Ms,
      periodSeconds: 900,
      evaluationPeriods: 2,
      // A canary that stops running is its own failure (SuccessPercent); silence is not slowness.
      treatMissingData: 'notBreaching',
      topicArns: props.topicArns,
    });
  }
}
