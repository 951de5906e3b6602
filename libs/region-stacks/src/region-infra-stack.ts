import { clusterName, edgeDomainNames, namePrefix, prometheusFederationDomainName, type RegionConfig } from '@platform/config';
import { OriginLoadBalancer } from '@platform/edge';
import { RegionalCluster } from '@platform/eks-cluster';
import {
  AlarmTopic,
  AlertPublisherRole,
  ApiCanary,
  ErrorBudgetBurn,
  FederationEndpoint,
  RatioAlarm,
  runbookReference,
  ThresholdAlarm,
} from '@platform/monitoring';
import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import { RegionalNetwork } from '@platform/network';
import { MARKET_INTELLIGENCE_PORT } from '@platform/platform';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { globalFoundationContract, publishOutputs, readOutputs, regionInfraContract, stackNames } from '@platform/stack-contracts';
import { PlatformStack, regionalAwsProvider, type AppContext } from '@platform/stack-kit';
import type { Construct } from 'constructs';

export interface RegionStackProps extends AppContext {
  readonly region: RegionConfig;
}

/**
 * `<region>-infra`: everything in one region that only needs the AWS provider (network, EKS, data
 * stores, load balancer, alarms), so the whole stack can be validated and planned offline.
 */
export class RegionInfraStack extends PlatformStack {
  readonly region: RegionConfig;
  readonly network: RegionalNetwork;
  readonly cluster: RegionalCluster;
  readonly origin: OriginLoadBalancer;

  constructor(scope: Construct, props: RegionStackProps) {
    const name = stackNames.regionInfra(props.region.name);
    super(scope, name, props);
    const { config, region } = props;
    this.region = region;
    regionalAwsProvider(this, 'aws', { config, awsRegion: region.awsRegion, stackName: name });
    // Keys are multi-region keys owned by the global foundation; each region uses its own replica.
    const foundation = readOutputs(this, 'global-foundation', globalFoundationContract, props);

    this.network = new RegionalNetwork(this, 'network', {
      name: `${namePrefix(config)}-${region.name}`,
      accountId: config.accountId,
      awsRegion: region.awsRegion,
      cidr: region.vpcCidr,
      availabilityZones: region.availabilityZones,
      natGateways: config.network.natGateways,
      flowLogRetentionDays: config.network.flowLogRetentionDays,
      logsKeyArn: foundation.logsKeyArns[region.name]!,
      clusterName: clusterName(config, region.name),
      peerCidrs: config.regions.filter((r) => r.name !== region.name).map((r) => r.vpcCidr),
    });

    this.cluster = new RegionalCluster(this, 'kubernetes', {
      config,
      region,
      privateSubnetIds: this.network.subnetIds.private,
      vpcId: this.network.vpc.id,
      dataKeyArn: foundation.dataKeyArns[region.name]!,
      logsKeyArn: foundation.logsKeyArns[region.name]!,
      hostedZoneId: foundation.hostedZoneId,
    });
    const cluster = this.cluster.cluster.cluster;
    // Created with the region's first stack, so every later stack's alarms have somewhere to go.
    const alarms = new AlarmTopic(this, 'alarm-topic', {
      name: `${namePrefix(config)}-${region.name}-alarms`,
      awsRegion: region.awsRegion,
      accountId: config.accountId,
      kmsKeyArn: foundation.logsKeyArns[region.name]!,
    });

    // The region's Alertmanager pages through the same topic as the CloudWatch alarms.
    new AlertPublisherRole(this, 'alert-publisher', {
      roleName: `${clusterName(config, region.name)}-alertmanager`,
      accountId: config.accountId,
      clusterName: cluster.name,
      awsRegion: region.awsRegion,
      topicArn: alarms.topic.arn,
      topicKeyArn: foundation.logsKeyArns[region.name]!,
    });

    // The region's entry point: only CloudFront (with the origin secret) and the health checkers reach it.
    const names = edgeDomainNames(config);
    this.origin = new OriginLoadBalancer(this, 'origin', {
      name: `${namePrefix(config)}-${region.name}`,
      awsRegion: region.awsRegion,
      accountId: config.accountId,
      vpcId: this.network.vpc.id,
      vpcCidr: region.vpcCidr,
      publicSubnetIds: this.network.subnetIds.public,
      originDomainNames: [names.ofRegion(region.name), names.latency, names.geoproximity],
      hostedZoneId: foundation.hostedZoneId,
      targetPort: MARKET_INTELLIGENCE_PORT,
      healthCheckPath: config.edge.healthCheckPath,
      healthCheckIntervalSeconds: config.recovery.healthCheckIntervalSeconds,
      originVerifyValues: foundation.originVerifyValues,
      rateLimitPerFiveMinutes: config.edge.rateLimitPerFiveMinutes,
      accessLogRetentionDays: config.edge.accessLogRetentionDays,
    });
    this.cluster.allowTargetRegistration('origin', this.origin.targetGroup.arn);
    // Pods (IP targets) run on nodes in the cluster security group: let the load balancer reach the app port.
    new VpcSecurityGroupIngressRule(this, 'app-from-origin', {
      securityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      referencedSecurityGroupId: this.origin.securityGroupIds.cloudFront,
      ipProtocol: 'tcp',
      fromPort: MARKET_INTELLIGENCE_PORT,
      toPort: MARKET_INTELLIGENCE_PORT,
      description: 'Application port from the origin load balancer',
    });

    // Where the other regions' global Prometheus and Grafana read this region's Prometheus.
    const peerCidrs = config.regions.filter((r) => r.name !== region.name).map((r) => r.vpcCidr);
    const federation = new FederationEndpoint(this, 'prometheus-federation', {
      name: `${namePrefix(config)}-${region.name}`,
      vpcId: this.network.vpc.id,
      vpcCidr: region.vpcCidr,
      privateSubnetIds: this.network.subnetIds.private,
      readerCidrs: peerCidrs,
      clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      domainName: prometheusFederationDomainName(config, region.name),
      hostedZoneId: foundation.hostedZoneId,
    });
    this.cluster.allowTargetRegistration('prometheus', federation.targetGroup.arn);

    // The seed's regional latency target (p95 < 50 ms) and the share of 5xx, at the load balancer.
    const loadBalancer = { LoadBalancer: this.origin.loadBalancer.arnSuffix };
    const alarmPrefix = `${namePrefix(config)}-${region.name}`;
    const latencyAlarm = new ThresholdAlarm(this, 'api-latency-p95', {
      alarmName: `${alarmPrefix}-api-latency-p95`,
      description: `Regional API latency p95 over ${config.monitoring.regionalLatencyP95Ms} ms at the ${region.name} load balancer for 5 minutes (seed target)`,
      runbook: 'highLatency',
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      dimensions: loadBalancer,
      statistic: 'p95',
      threshold: config.monitoring.regionalLatencyP95Ms / 1000,
      treatMissingData: 'notBreaching',
      topicArns: [alarms.topic.arn],
    });
    // Failed requests: the application's 5xx and the load balancer's own (no healthy target, timeouts).
    const fiveXxShare = {
      runbook: 'regionalFailure',
      namespace: 'AWS/ApplicationELB',
      dimensions: loadBalancer,
      numeratorMetrics: ['HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count'],
      denominatorMetric: 'RequestCount',
    } as const;
    const errorAlarm = new RatioAlarm(this, 'api-5xx-rate', {
      ...fiveXxShare,
      alarmName: `${alarmPrefix}-api-5xx-rate`,
      description: `Over ${config.monitoring.error5xxRatePercent} % of requests to the ${region.name} load balancer answered 5xx for 5 minutes`,
      thresholdPercent: config.monitoring.error5xxRatePercent,
      topicArns: [alarms.topic.arn],
    });
    // The seed's 99.99 % uptime as an SLO on this region's requests: page on a fast burn, ticket on a slow one.
    const burn = new ErrorBudgetBurn(this, 'availability', {
      namePrefix: `${alarmPrefix}-availability`,
      ...fiveXxShare,
      subject: `requests to the ${region.name} load balancer`,
      sloPercent: config.monitoring.availabilitySloPercent,
      topicArns: [alarms.topic.arn],
    });
    // The seed's global target (p95 < 150 ms) as users see it: from this region, through CloudFront.
    new ApiCanary(this, 'api-canary', {
      name: `${config.environment}-api-${region.name}`,
      awsRegion: region.awsRegion,
      accountId: config.accountId,
      host: config.domain,
      path: config.edge.healthCheckPath,
      kmsKeyArn: foundation.logsKeyArns[region.name]!,
      latencyP95Ms: config.monitoring.globalLatencyP95Ms,
      intervalMinutes: config.monitoring.canaryIntervalMinutes,
      resourcePrefix: alarmPrefix,
      alarmName: `${alarmPrefix}-global-latency-p95`,
      topicArns: [alarms.topic.arn],
    });
    // One page that says "this region is unhealthy", from the signals that live in this region.
    new CloudwatchCompositeAlarm(this, 'region-unhealthy', {
      alarmName: `${alarmPrefix}-region-unhealthy`,
      alarmDescription: `${region.name} is unhealthy: slow (p95), failing (5xx share) or burning its error budget fast. ${runbookReference('regionalFailure')}`,
      alarmRule: [latencyAlarm.alarm, errorAlarm.alarm, burn.fast].map((a) => `ALARM("${a.alarmName}")`).join(' OR '),
      alarmActions: [alarms.topic.arn],
      okActions: [alarms.topic.arn],
    });

    publishOutputs(
      this,
      regionInfraContract,
      {
        vpcId: this.network.vpc.id,
        vpcCidr: this.network.vpc.cidrBlock,
        publicSubnetIds: this.network.subnetIds.public,
        privateSubnetIds: this.network.subnetIds.private,
        dataSubnetIds: this.network.subnetIds.data,
        privateRouteTableIds: this.network.privateRouteTableIds,
        dataRouteTableIds: this.network.dataRouteTableIds,
        dataSecurityGroupId: this.network.dataSecurityGroup.securityGroup.id,
        clusterName: cluster.name,
        clusterEndpoint: cluster.endpoint,
        clusterCertificateAuthorityData: cluster.certificateAuthority.get(0).data,
        karpenterNodeRoleName: this.cluster.karpenter.nodeRole.role.name,
        karpenterInterruptionQueueName: this.cluster.karpenter.queue.name,
        planRunnerSecurityGroupId: this.cluster.ciRunners.securityGroupIds.plan,
        applyRunnerSecurityGroupId: this.cluster.ciRunners.securityGroupIds.apply,
        alarmTopicArn: alarms.topic.arn,
        originDomainName: names.ofRegion(region.name),
        originLoadBalancerDnsName: this.origin.loadBalancer.dnsName,
        originLoadBalancerZoneId: this.origin.loadBalancer.zoneId,
        originLoadBalancerArnSuffix: this.origin.loadBalancer.arnSuffix,
        originTargetGroupArn: this.origin.targetGroup.arn,
        prometheusFederationAddress: federation.address,
        prometheusTargetGroupArn: federation.targetGroup.arn,
      },
      region.name,
    );
  }
}
