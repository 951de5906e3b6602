import type Ajv2020 from 'ajv/dist/2020';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { LOCAL_CHARTS_DIR } from './charts';
import { HelmChartRelease } from './helm-chart-release';

/** Where the app reads and writes in its region; published by the data-store and edge stacks. */
export interface MarketIntelligenceEndpoints {
  readonly auroraWriter: string;
  readonly auroraReader: string;
  readonly redis: string;
  readonly clickhouse: string;
  readonly targetGroupArn: string;
}

export interface MarketIntelligenceReleaseProps {
  readonly region: string;
  readonly primaryRegion: string;
  /** `repository:tag` or `repository@sha256:...`. */
  readonly image: string;
  readonly endpoints: MarketIntelligenceEndpoints;
  /** Releases the app needs running first (ClickHouse). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

const CHART = 'market-intelligence';
/** Where the app runs: ClickHouse's NetworkPolicy admits clients from this namespace. */
export const MARKET_INTELLIGENCE_NAMESPACE = CHART;
/** The application's HTTPS port on its pods: the load balancer's IP targets and health checks use it. */
export const MARKET_INTELLIGENCE_PORT = 8443;

/** The chart's own schema, the one `helm install` enforces; loaded once. */
function chartSchema(): object {
  return JSON.parse(readFileSync(join(LOCAL_CHARTS_DIR, CHART, 'values.schema.json'), 'utf8')) as object;
}

/** Validates release values against the chart schema; throws with every problem listed. */
export function validateMarketIntelligenceValues(values: unknown): void {
  // Loaded here, not at import: every region app imports this lib, few build the release (~35 ms saved each).
  const Ajv = (createRequire(__filename)('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(chartSchema());
  if (!validate(values)) {
    const problems = (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '(values)'} ${e.message}${e.params && 'missingProperty' in e.params ? ` (${String(e.params['missingProperty'])})` : ''}`,
    );
    throw new Error(`market-intelligence values do not match charts/${CHART}/values.schema.json:\n  - ${problems.join('\n  - ')}`);
  }
}

export function marketIntelligenceValues(props: MarketIntelligenceReleaseProps): Record<string, unknown> {
  const digestAt = props.image.indexOf('@');
  const tagAt = props.image.lastIndexOf(':');
  const image =
    digestAt >= 0
      ? { repository: props.image.slice(0, digestAt), digest: props.image.slice(digestAt + 1) }
      : { repository: props.image.slice(0, tagAt), tag: props.image.slice(tagAt + 1) };
  const { targetGroupArn, ...endpoints } = props.endpoints;
  return {
    region: props.region,
    global: { multiRegion: true, primaryRegion: props.primaryRegion },
    image,
    endpoints,
    targetGroupArn,
    containerPort: MARKET_INTELLIGENCE_PORT,
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    autoscaling: { minReplicas: 3, maxReplicas: 30, targetCPUUtilizationPercentage: 65, targetMemoryUtilizationPercentage: 75 },
    podDisruptionBudget: { minAvailable: 2 },
    serviceMonitor: { enabled: true, interval: '30s' },
  };
}

/**
 * The seed's `helm install market-intelligence --set region=<region> --set global.multiRegion=true`,
 * as a release of the in-repo chart. Values are checked against the chart schema at synth, so a
 * missing endpoint fails here, not halfway through an apply.
 */
export class MarketIntelligenceRelease extends Construct {
  readonly release: HelmChartRelease;
  readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: MarketIntelligenceReleaseProps) {
    super(scope, id);
    this.values = marketIntelligenceValues(props);
    validateMarketIntelligenceValues(this.values);
    this.release = new HelmChartRelease(this, 'release', {
      releaseName: CHART,
      namespace: MARKET_INTELLIGENCE_NAMESPACE,
      chart: { local: CHART },
      values: this.values,
      dependsOn: props.dependsOn,
    });
  }
}
