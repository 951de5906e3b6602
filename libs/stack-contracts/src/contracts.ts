import { defineContract } from './contract';
import { stackNames } from './stack-names';

/** The state bucket and its key, created by apps/bootstrap. */
export const bootstrapContract = defineContract({
  name: 'bootstrap',
  stackName: () => stackNames.bootstrap,
  outputs: {
    stateBucketName: { kind: 'string', description: 'S3 bucket holding every stack state of this environment' },
    stateBucketArn: { kind: 'string', description: 'ARN of the state bucket' },
    stateKeyArn: { kind: 'string', description: 'KMS key encrypting the state objects' },
  },
});

/** Global resources every region refers to, created by apps/global. */
export const globalFoundationContract = defineContract({
  name: 'global-foundation',
  stackName: () => stackNames.globalFoundation,
  outputs: {
    hostedZoneId: { kind: 'string', description: 'Route 53 public zone of the platform domain' },
    hostedZoneName: { kind: 'string', description: 'The platform domain' },
    hostedZoneNameServers: { kind: 'list', description: 'Name servers to delegate the domain to' },
    dataKeyArns: { kind: 'map', description: 'Data key (multi-region primary or replica) by region name: data stores, volumes, EKS secrets' },
    logsKeyArns: { kind: 'map', description: 'Logs key by region name: CloudWatch log groups, flow logs, trail' },
    secretsKeyArns: { kind: 'map', description: 'Secrets key by region name: Secrets Manager' },
    auditBucketName: { kind: 'string', description: 'Bucket the multi-region CloudTrail trail writes to' },
    trailArn: { kind: 'string', description: 'The account-wide multi-region trail' },
    auroraGlobalClusterId: { kind: 'string', description: "The Aurora Global Database every region's cluster joins" },
    auroraWriterEndpoint: { kind: 'string', description: 'Its global writer endpoint: follows the writer region through switchovers and failovers' },
    originVerifySecretArn: { kind: 'string', description: 'Secrets Manager secret of the header CloudFront sends to the regional load balancers' },
    originVerifyValues: {
      kind: 'list',
      sensitive: true,
      description: 'Values of that header the load balancers accept: the current one first, then the previous one during a rotation',
    },
  },
});

/** A region's network, created by apps/<region> (`<region>-infra`). */
export const regionInfraContract = defineContract({
  name: 'region-infra',
  stackName: (region: string) => stackNames.regionInfra(region),
  outputs: {
    vpcId: { kind: 'string', description: 'The region VPC' },
    vpcCidr: { kind: 'string', description: 'Its IPv4 range' },
    publicSubnetIds: { kind: 'list', description: 'Public subnets, one per zone (load balancers, NAT)' },
    privateSubnetIds: { kind: 'list', description: 'Private subnets, one per zone (EKS nodes and pods)' },
    dataSubnetIds: { kind: 'list', description: 'Data subnets, one per zone (no internet route)' },
    privateRouteTableIds: { kind: 'list', description: 'Private route tables, one per zone, in zone order' },
    dataRouteTableIds: { kind: 'list', description: 'Data route tables, one per zone, in zone order' },
    dataSecurityGroupId: { kind: 'string', description: 'Security group of the data stores' },
    clusterName: { kind: 'string', description: 'EKS cluster of the region' },
    clusterEndpoint: { kind: 'string', description: 'Its Kubernetes API endpoint (private unless public CIDRs are configured)' },
    clusterCertificateAuthorityData: { kind: 'string', description: 'Base64 CA bundle of the API endpoint' },
    karpenterNodeRoleName: { kind: 'string', description: 'IAM role of nodes Karpenter launches' },
    karpenterInterruptionQueueName: { kind: 'string', description: 'SQS queue of EC2 interruption events for Karpenter' },
    planRunnerSecurityGroupId: {
      kind: 'string',
      description: 'Security group of the self-hosted runners that plan pull requests (443 to the private cluster API only)',
    },
    applyRunnerSecurityGroupId: {
      kind: 'string',
      description: 'Security group of the self-hosted runners that apply main (443 to the private cluster API only)',
    },
    alarmTopicArn: { kind: 'string', description: 'SNS topic (logs key) every alarm of the region notifies' },
    originDomainName: { kind: 'string', description: "The region's own origin name (`<region>.origin.<domain>`), pointing at its load balancer" },
    originLoadBalancerDnsName: { kind: 'string', description: "DNS name of the region's internet-facing load balancer (alias target)" },
    originLoadBalancerZoneId: { kind: 'string', description: 'Its Route 53 alias zone id' },
    originLoadBalancerArnSuffix: { kind: 'string', description: 'Its CloudWatch dimension (`app/<name>/<id>`), for dashboards' },
    originTargetGroupArn: { kind: 'string', description: "Target group (IP targets, HTTPS) the application's TargetGroupBinding attaches to" },
    prometheusFederationAddress: {
      kind: 'string',
      description: "`host:port` of the region's Prometheus for other regions (internal load balancer, TLS), read over the peering",
    },
    prometheusTargetGroupArn: { kind: 'string', description: 'Target group (IP targets, TCP 9090) the Prometheus TargetGroupBinding attaches to' },
  },
});

/** A region's data stores, created by apps/<region> (`<region>-data`). */
export const regionDataContract = defineContract({
  name: 'region-data',
  stackName: (region: string) => stackNames.regionData(region),
  outputs: {
    auroraWriterEndpoint: { kind: 'string', description: 'Global writer endpoint of the Aurora Global Database (the same in every region)' },
    auroraReaderEndpoint: { kind: 'string', description: "Reader endpoint of this region's cluster" },
    auroraPort: { kind: 'string', description: 'PostgreSQL port' },
    auroraDatabaseName: { kind: 'string', description: 'The application database' },
    auroraSecretArn: { kind: 'string', description: "Secrets Manager secret (this region's replica) of the database credentials" },
    redisEndpoint: {
      kind: 'string',
      description: "Primary endpoint of this region's Global Datastore member: writable only while it is the datastore's primary",
    },
    redisReaderEndpoint: { kind: 'string', description: "Reader endpoint of this region's member (local reads)" },
    redisPort: { kind: 'string', description: 'Valkey/Redis TLS port' },
    redisAuthSecretArn: { kind: 'string', description: "Secrets Manager secret (this region's replica) of the AUTH token" },
    redisGlobalReplicationGroupId: { kind: 'string', description: 'The Global Datastore secondaries join' },
    clickhouseBackupBucket: { kind: 'string', description: "Bucket of this region's ClickHouse backups" },
    clickhouseBackupRoleArn: {
      kind: 'string',
      description: 'Pod Identity role of the backup job (namespace clickhouse, service account clickhouse-backup)',
    },
  },
});

/** Contracts whose producer is a single stack, for checks over the whole synthesized output. */
export const singletonContracts = [bootstrapContract, globalFoundationContract] as const;

/** Contracts published once per configured region. */
export const regionalContracts = [regionInfraContract, regionDataContract] as const;
