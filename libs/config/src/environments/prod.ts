import type { PlatformConfigInput } from '../schema';
import { PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_DOMAIN, PLACEHOLDER_GITHUB_REPOSITORY } from './placeholders';

/** Production: the seed's numbers (three regions, node counts, Sunday 02:00-06:00 local windows). */
export const prod: PlatformConfigInput = {
  environment: 'prod',
  project: '254carbon',
  accountId: PLACEHOLDER_ACCOUNT_ID,
  domain: PLACEHOLDER_DOMAIN,
  owner: 'infrastructure-team',
  state: { region: 'us-east-1' },
  regions: [
    {
      name: 'us-east',
      awsRegion: 'us-east-1',
      primary: true,
      vpcCidr: '10.10.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      timeZone: 'America/New_York',
      maintenance: { day: 'sun', start: '02:00', end: '06:00' },
      backupWindow: { start: '00:00', end: '01:00' },
      nodeGroups: [
        { name: 'general', instanceTypes: ['m6i.2xlarge', 'm6a.2xlarge'], minSize: 3, desiredSize: 3, maxSize: 9, offPeakMinSize: 2 },
        { name: 'gpu', instanceTypes: ['g5.2xlarge'], gpu: true, minSize: 2, desiredSize: 2, maxSize: 4, offPeakMinSize: 1 },
      ],
    },
    {
      name: 'eu-west',
      awsRegion: 'eu-west-1',
      vpcCidr: '10.20.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      timeZone: 'Europe/Dublin',
      maintenance: { day: 'sun', start: '02:00', end: '06:00' },
      backupWindow: { start: '00:00', end: '01:00' },
      nodeGroups: [{ name: 'general', instanceTypes: ['m6i.2xlarge', 'm6a.2xlarge'], minSize: 3, desiredSize: 3, maxSize: 9, offPeakMinSize: 2 }],
    },
    {
      name: 'apac',
      awsRegion: 'ap-southeast-1',
      vpcCidr: '10.30.0.0/16',
      availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
      timeZone: 'Asia/Singapore',
      maintenance: { day: 'sun', start: '02:00', end: '06:00' },
      backupWindow: { start: '00:00', end: '01:00' },
      nodeGroups: [{ name: 'general', instanceTypes: ['m6i.2xlarge', 'm6a.2xlarge'], minSize: 2, desiredSize: 2, maxSize: 6, offPeakMinSize: 2 }],
    },
  ],
  network: { natGateways: 'per-az', flowLogRetentionDays: 90 },
  audit: { trailRetentionDays: 2555, trailLogRetentionDays: 365 },
  access: { githubRepository: PLACEHOLDER_GITHUB_REPOSITORY },
  kubernetes: {
    version: '1.35',
    // Seed cost strategy "scale down during off-peak": local time of each region.
    offPeak: { scaleDownAt: '22:00', scaleUpAt: '06:00' },
    karpenter: { generalCpuLimit: 256, batchSpotCpuLimit: 256, gpuLimit: 8 },
    controlPlaneLogRetentionDays: 90,
    // A dated AL2023 EKS AMI release (awslabs/amazon-eks-ami, seen pinned in public repos 2026-09..11;
    // confirm it is still published before the first apply: aws ssm get-parameters-by-path
    // --path /aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/).
    nodeAmiAlias: 'al2023@v20260903',
  },
  workloads: {
    // Every endpoint is published now; off until the chart carries the app's credentials (README, market-intelligence).
    marketIntelligence: { enabled: false, image: 'ghcr.io/254carbon/market-intelligence:1.0.0' },
  },
  // The region the global data stores were created in; never changes (see schema.ts).
  data: { homeRegion: 'us-east' },
  aurora: { engineVersion: '17.5', instanceClass: 'db.r7g.xlarge', instancesPerRegion: 2, backupRetentionDays: 14 },
  redis: { engine: 'valkey', engineVersion: '8.1', snapshotRetentionDays: 7, nodeType: 'cache.r7g.large', shards: 1, replicasPerShard: 1 },
  clickhouse: { backupRetentionDays: 30, shards: 1, replicasPerShard: 2, storageGiB: 200 },
};
