import type { DashboardMetric } from './metric-dashboard';

/**
 * The AWS metrics the platform's dashboards show, each named as AWS publishes it (namespace,
 * metric, dimensions), so the region and the global dashboards describe the same series the same way.
 */
export const platformMetrics = {
  loadBalancer: (
    arnSuffix: string,
    region: string,
    metricName: 'TargetResponseTime' | 'RequestCount' | 'HTTPCode_Target_5XX_Count' | 'HTTPCode_ELB_5XX_Count',
    stat: string,
    label: string,
  ): DashboardMetric => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: arnSuffix }, stat, region, label }),
  auroraReplicationLag: (clusterIdentifier: string, region: string, label: string): DashboardMetric => ({
    namespace: 'AWS/RDS',
    metricName: 'AuroraGlobalDBReplicationLag',
    dimensions: { DBClusterIdentifier: clusterIdentifier },
    stat: 'Maximum',
    region,
    label,
  }),
  redisReplicationLag: (replicationGroupId: string, region: string, label: string): DashboardMetric => ({
    namespace: 'AWS/ElastiCache',
    metricName: 'GlobalDatastoreReplicationLag',
    dimensions: { ReplicationGroupId: replicationGroupId },
    stat: 'Maximum',
    region,
    label,
  }),
  healthCheckStatus: (healthCheckId: string, label: string): DashboardMetric => ({
    namespace: 'AWS/Route53',
    metricName: 'HealthCheckStatus',
    dimensions: { HealthCheckId: healthCheckId },
    stat: 'Minimum',
    region: 'us-east-1',
    label,
  }),
  cloudFront: (
    distributionId: string,
    metricName: 'Requests' | '5xxErrorRate' | 'CacheHitRate' | 'OriginLatency',
    stat: string,
    label: string,
  ): DashboardMetric => ({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensions: { DistributionId: distributionId, Region: 'Global' },
    stat,
    region: 'us-east-1',
    label,
  }),
};
