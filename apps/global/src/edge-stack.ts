import { dataStoreIdentifier, edgeDomainNames, namePrefix } from '@platform/config';
import { CLOUDFRONT_CONTROL_REGION, DistributionAccessLogs, EdgeDistribution, OriginRouting } from '@platform/edge';
import { MetricDashboard, platformMetrics, ThresholdAlarm } from '@platform/monitoring';
import { globalFoundationContract, readOutputs, regionInfraContract, stackNames } from '@platform/stack-contracts';
import { PlatformStack, regionalAwsProvider, type AppContext } from '@platform/stack-kit';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * `global-edge`: user -> CloudFront -> Route 53 (latency, health-checked) -> a region's load
 * balancer. Applied last, after every region's platform, so traffic arrives only where the
 * application is released. Its provider is us-east-1: CloudFront's certificate and web ACL must
 * be there, and Route 53 is global.
 */
export class EdgeStack extends PlatformStack {
  readonly routing: OriginRouting;
  readonly distribution: EdgeDistribution;

  constructor(scope: Construct, context: AppContext) {
    super(scope, stackNames.globalEdge, context);
    const { config } = context;
    regionalAwsProvider(this, 'aws', { config, awsRegion: CLOUDFRONT_CONTROL_REGION, stackName: this.stackName });
    const foundation = readOutputs(this, 'global-foundation', globalFoundationContract, context);
    const names = edgeDomainNames(config);
    const infraOf = new Map(
      config.regions.map((region) => [region.name, readOutputs(this, `${region.name}-infra`, regionInfraContract, context, region.name)]),
    );
    const regions = config.regions.map((region) => {
      const infra = infraOf.get(region.name)!;
      return {
        name: region.name,
        awsRegion: region.awsRegion,
        originDomainName: infra.originDomainName,
        loadBalancerDnsName: infra.originLoadBalancerDnsName,
        loadBalancerZoneId: infra.originLoadBalancerZoneId,
        weightPercent: region.traffic.weightPercent,
        geoproximityBias: region.traffic.geoproximityBias,
      };
    });
    this.routing = new OriginRouting(this, 'routing', {
      hostedZoneId: foundation.hostedZoneId,
      latencyDomainName: names.latency,
      geoproximityDomainName: names.geoproximity,
      regions,
      fallbackRegion: config.homeRegion.name,
      healthCheckPath: config.edge.healthCheckPath,
      healthCheckIntervalSeconds: config.recovery.healthCheckIntervalSeconds,
      healthCheckFailureThreshold: config.recovery.healthCheckFailureThreshold,
    });
    const [preferred, second] = failoverOrigins(config);
    this.distribution = new EdgeDistribution(this, 'cdn', {
      name: namePrefix(config),
      domainName: config.domain,
      hostedZoneId: foundation.hostedZoneId,
      awsRegion: CLOUDFRONT_CONTROL_REGION,
      latencyOriginDomainName: names.latency,
      failoverOriginDomainNames: [names.ofRegion(preferred), names.ofRegion(second)],
      // The current secret: the listeners accept it (and the previous one during a rotation).
      originVerifyValue: Fn.element(foundation.originVerifyValues, 0),
      cachedPaths: config.edge.cachedPaths,
      rateLimitPerFiveMinutes: config.edge.rateLimitPerFiveMinutes,
      priceClass: config.edge.priceClass,
    });
    // us-east-1's logs key: CloudFront's log delivery (and metrics) exist only there (config rule).
    const controlRegion = config.regions.find((r) => r.awsRegion === CLOUDFRONT_CONTROL_REGION)!;
    new DistributionAccessLogs(this, 'cdn-logs', {
      name: namePrefix(config),
      distributionArn: this.distribution.distribution.arn,
      accountId: config.accountId,
      logsKeyArn: foundation.logsKeyArns[controlRegion.name]!,
      retentionDays: config.edge.accessLogRetentionDays,
    });

    // Route 53 and CloudFront publish their metrics in us-east-1 only: these alarms live there and
    // notify that region's alarm topic (whose key and policy admit CloudWatch of us-east-1).
    const topicArns = [infraOf.get(controlRegion.name)!.alarmTopicArn];
    const prefix = namePrefix(config);
    for (const region of config.regions) {
      new ThresholdAlarm(this, `origin-health-${region.name}`, {
        alarmName: `${prefix}-${region.name}-origin-unhealthy`,
        description: `Route 53 health checks of ${region.name} fail: ${region.traffic.weightPercent > 0 ? 'its users are being routed to the other regions' : 'the region is not live yet'}`,
        runbook: 'regionalFailure',
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: this.routing.healthChecks.get(region.name)!.id },
        statistic: 'Minimum',
        comparison: 'below',
        threshold: 1,
        evaluationPeriods: 1,
        topicArns,
      });
    }
    const distribution = { DistributionId: this.distribution.distribution.id, Region: 'Global' };
    new ThresholdAlarm(this, 'cdn-5xx-rate', {
      alarmName: `${prefix}-cdn-5xx-rate`,
      description: `Over ${config.monitoring.error5xxRatePercent} % of viewer requests answered 5xx at CloudFront for 5 minutes`,
      runbook: 'regionalFailure',
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      dimensions: distribution,
      statistic: 'Average',
      threshold: config.monitoring.error5xxRatePercent,
      treatMissingData: 'notBreaching',
      topicArns,
    });
    // An additional metric: the monitoring subscription on the distribution publishes it.
    new ThresholdAlarm(this, 'cdn-cache-hit-rate', {
      alarmName: `${prefix}-cdn-cache-hit-rate`,
      description: `CloudFront cache hit rate under ${config.monitoring.cacheHitRatePercent} % for 15 minutes: origins take load the cache should`,
      runbook: 'highLatency',
      namespace: 'AWS/CloudFront',
      metricName: 'CacheHitRate',
      dimensions: distribution,
      statistic: 'Average',
      comparison: 'below',
      threshold: config.monitoring.cacheHitRatePercent,
      periodSeconds: 300,
      evaluationPeriods: 3,
      treatMissingData: 'notBreaching',
      topicArns,
    });

    // The global dashboard: the seed's key metrics across regions (each metric names its region).
    const alb = (region: (typeof config.regions)[number], metric: Parameters<typeof platformMetrics.loadBalancer>[2], stat: string, label: string) =>
      platformMetrics.loadBalancer(infraOf.get(region.name)!.originLoadBalancerArnSuffix, region.awsRegion, metric, stat, label);
    const cdn = this.distribution.distribution.id;
    const secondaries = config.regions.filter((r) => r.name !== config.homeRegion.name);
    new MetricDashboard(this, 'dashboard', {
      dashboardName: `${prefix}-global`,
      widgets: [
        { title: 'Traffic per region (requests at each load balancer)', metrics: config.regions.map((r) => alb(r, 'RequestCount', 'Sum', r.name)) },
        {
          title: `API latency per region, p50 / p95 / p99 (seed: p95 < ${config.monitoring.regionalLatencyP95Ms} ms)`,
          metrics: config.regions.flatMap((r) => (['p50', 'p95', 'p99'] as const).map((p) => alb(r, 'TargetResponseTime', p, `${r.name} ${p}`))),
          targets: [{ label: 'p95 target', value: config.monitoring.regionalLatencyP95Ms / 1000 }],
        },
        {
          title: 'Region health in Route 53 (1 = in routing; a drop is a failover)',
          metrics: config.regions.map((r) => platformMetrics.healthCheckStatus(this.routing.healthChecks.get(r.name)!.id, r.name)),
        },
        {
          title: 'CloudFront: requests, 5xx rate, origin latency',
          metrics: [
            platformMetrics.cloudFront(cdn, 'Requests', 'Sum', 'requests'),
            platformMetrics.cloudFront(cdn, '5xxErrorRate', 'Average', '5xx %'),
            platformMetrics.cloudFront(cdn, 'OriginLatency', 'p95', 'origin latency p95'),
          ],
        },
        {
          title: 'Cache hit rate (CloudFront)',
          metrics: [platformMetrics.cloudFront(cdn, 'CacheHitRate', 'Average', 'hit %')],
          targets: [{ label: 'alarm', value: config.monitoring.cacheHitRatePercent }],
        },
        {
          title: `Replication lag into each secondary (seed: < ${config.monitoring.replicationLagSeconds} s; Aurora in ms, Valkey in s)`,
          metrics: [
            ...secondaries.map((r) =>
              platformMetrics.auroraReplicationLag(dataStoreIdentifier(config, 'aurora', r.name), r.awsRegion, `${r.name} Aurora`),
            ),
            ...secondaries
              .filter((r) => config.redis.secondaryRegions.includes(r.name))
              .map((r) => platformMetrics.redisReplicationLag(dataStoreIdentifier(config, 'redis', r.name), r.awsRegion, `${r.name} Valkey`)),
          ],
        },
      ],
    });
  }
}

/** The cached paths' two origins: configured, or the first two live regions (the home region first when live). */
export function failoverOrigins(config: AppContext['config']): [string, string] {
  if (config.edge.failoverOrigins) return [config.edge.failoverOrigins[0]!, config.edge.failoverOrigins[1]!];
  const byPreference = [...config.regions].sort((a, b) => Number(b.name === config.homeRegion.name) - Number(a.name === config.homeRegion.name));
  // Rollout week 1 (one live region): the second member is a region built but not yet serving, so a
  // failed cached read gets that region's answer; only reads fail over, and there is nowhere better.
  const ordered = [...byPreference.filter((r) => r.traffic.weightPercent > 0), ...byPreference.filter((r) => r.traffic.weightPercent === 0)];
  return [ordered[0]!.name, ordered[1]!.name];
}
