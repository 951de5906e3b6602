import type { PlatformConfig } from '@platform/config';
import type { SynthesizedStack } from '@platform/terraform-check';
import type { PriceTable } from './price-table';
import { referencedAddress, resourcesOf } from './synthesized-resources';

export const COST_CATEGORIES = ['compute', 'database', 'cache', 'cdn', 'networking', 'storage', 'other'] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

/** The seed's monthly estimate, per category (USD). */
export const SEED_ESTIMATE: Readonly<Record<CostCategory, number>> = {
  compute: 8000,
  database: 6000,
  cache: 2500,
  cdn: 3500,
  networking: 2000,
  storage: 1500,
  other: 0,
};

export interface CostLine {
  /** A stack name, or `usage: ...` for what comes from the assumptions file. */
  readonly stack: string;
  readonly region: string;
  readonly category: CostCategory;
  readonly item: string;
  readonly monthlyUsd: number;
  /** Price keys used, so every line can be traced to a dated source. */
  readonly priceKeys: readonly string[];
}

export interface UsageAssumptions {
  readonly hoursPerMonth: number;
  readonly cloudfront: { readonly transferOutGB: number; readonly httpsRequestsMillions: number };
  readonly crossRegionTransferGB: number;
  readonly natProcessedGBPerRegion: number;
  readonly endpointProcessedGBPerRegion: number;
  readonly logsIngestedGBPerRegion: number;
  readonly logsStoredGBPerRegion: number;
  readonly s3StoredGB: number;
  readonly karpenterAverageNodes: Readonly<
    Record<string, { readonly instanceType: string; readonly count: number; readonly capacityType: 'ON_DEMAND' | 'SPOT' }>
  >;
  readonly spotPriceFraction: number;
  readonly nodeVolumeGiB: number;
  /** Aurora cluster volume per region (each region stores a full copy). */
  readonly auroraStorageGBPerRegion: number;
  /** Aurora I/O per region, replicated writes included, millions per month. */
  readonly auroraIoMillionsPerRegion: number;
  /** ClickHouse backups per region (and as much again in its replica region). */
  readonly backupStoredGBPerRegion: number;
  /** Average load balancer capacity units per region's ALB. */
  readonly loadBalancerAverageLcuPerRegion: number;
  /** Share of viewer requests that reach an origin (cache misses and writes): what the regional WAF ACLs inspect. */
  readonly originRequestShare: number;
}

/** Resources whose data crosses regions: their presence is what makes replication traffic real. */
const REPLICATED_STORE_TYPES = ['aws_rds_global_cluster', 'aws_elasticache_global_replication_group', 'aws_s3_bucket_replication_configuration'];

/** Prices what the synthesized resources will run, plus what only the usage assumptions know. */
export function estimateCost(stacks: readonly SynthesizedStack[], config: PlatformConfig, prices: PriceTable, usage: UsageAssumptions): CostLine[] {
  const hours = usage.hoursPerMonth;
  const lines: CostLine[] = [];
  const add = (stack: string, region: string, category: CostCategory, item: string, parts: [string, number][]) =>
    lines.push({
      stack,
      region,
      category,
      item,
      monthlyUsd: parts.reduce((sum, [key, quantity]) => sum + prices.get(key).usd * quantity, 0),
      priceKeys: parts.map(([key]) => key),
    });

  for (const stack of stacks) {
    const resources = resourcesOf(stack);
    for (const r of resources.filter((x) => x.kind === 'resource')) {
      const region = r.awsRegion ?? 'global';
      switch (r.type) {
        case 'aws_eks_cluster':
          add(stack.name, region, 'compute', `EKS control plane ${String(r.body['name'])}`, [['eks.cluster.hour', hours]]);
          break;
        case 'aws_eks_node_group': {
          const scaling = r.body['scaling_config'] as { desired_size: number };
          const type = (r.body['instance_types'] as string[])[0]!;
          const spot = r.body['capacity_type'] === 'SPOT' ? usage.spotPriceFraction : 1;
          add(stack.name, region, 'compute', `${scaling.desired_size} x ${type} (${String(r.body['node_group_name'])})`, [
            [`ec2.${type}.${region}.hour`, scaling.desired_size * hours * spot],
          ]);
          const template = resources.find((t) => t.address === referencedAddress((r.body['launch_template'] as { id: string }).id));
          const volume = (template?.body['block_device_mappings'] as { ebs?: { volume_size?: number } }[] | undefined)?.[0]?.ebs?.volume_size ?? 0;
          add(stack.name, region, 'storage', `${scaling.desired_size} x ${volume} GiB gp3 node volumes`, [
            [`ebs.gp3.${region}.gb-month`, scaling.desired_size * volume],
          ]);
          break;
        }
        case 'aws_autoscaling_schedule': {
          // An off-peak scale-in: price the nodes it removes for the hours until the matching scale-up.
          const name = String(r.body['scheduled_action_name']);
          if (!name.endsWith('-off-peak')) break;
          const groupAddress = /^\$\{(aws_eks_node_group\.[^.]+)\./.exec(String(r.body['autoscaling_group_name']))?.[1];
          const group = resources.find((g) => g.address === groupAddress);
          const peak = resources.find(
            (p) => p.type === 'aws_autoscaling_schedule' && p.body['scheduled_action_name'] === name.replace(/-off-peak$/, '-peak'),
          );
          if (!group || !peak) break;
          const removed = (group.body['scaling_config'] as { desired_size: number }).desired_size - Number(r.body['desired_capacity']);
          const hoursOff = (hourOf(String(peak.body['recurrence'])) - hourOf(String(r.body['recurrence'])) + 24) % 24;
          const type = (group.body['instance_types'] as string[])[0]!;
          const spot = group.body['capacity_type'] === 'SPOT' ? usage.spotPriceFraction : 1;
          if (removed > 0)
            add(
              stack.name,
              region,
              'compute',
              `off-peak: ${removed} x ${type} fewer for ${hoursOff} h a day (${String(group.body['node_group_name'])})`,
              [[`ec2.${type}.${region}.hour`, -removed * hoursOff * (hours / 24) * spot]],
            );
          break;
        }
        case 'aws_rds_cluster_instance':
          add(stack.name, region, 'database', `Aurora ${String(r.body['instance_class'])} (${String(r.body['identifier'])})`, [
            [`rds.${String(r.body['instance_class'])}.${region}.hour`, hours],
          ]);
          break;
        case 'aws_rds_cluster':
          add(stack.name, region, 'database', `Aurora storage and I/O (${String(r.body['cluster_identifier'])})`, [
            ['aurora.storage.gb-month', usage.auroraStorageGBPerRegion],
            ['aurora.io.million', usage.auroraIoMillionsPerRegion],
          ]);
          break;
        case 'aws_elasticache_replication_group': {
          // Secondaries inherit size and shards from the datastore: the config's, as the home member's.
          const nodeType = String(r.body['node_type'] ?? config.redis.nodeType);
          const shards = Number(r.body['num_node_groups'] ?? config.redis.shards);
          const nodes = shards * (Number(r.body['replicas_per_node_group'] ?? 0) + 1);
          add(stack.name, region, 'cache', `${nodes} x ${nodeType} (${String(r.body['replication_group_id'])})`, [
            [`elasticache.${nodeType}.${region}.hour`, nodes * hours],
          ]);
          break;
        }
        case 'aws_nat_gateway':
          add(stack.name, region, 'networking', 'NAT gateway', [[`nat.${region}.hour`, hours]]);
          break;
        case 'aws_vpc_endpoint':
          if (r.body['vpc_endpoint_type'] === 'Interface')
            add(stack.name, region, 'networking', `interface endpoint ${String(r.body['service_name']).split('.').slice(3).join('.')}`, [
              [`endpoint.${region}.hour`, hours * ((r.body['subnet_ids'] as unknown[] | undefined)?.length ?? 1)],
            ]);
          break;
        case 'aws_kms_key':
        case 'aws_kms_replica_key':
          add(stack.name, region, 'other', 'KMS key', [['kms.key.month', 1]]);
          break;
        case 'aws_lb': {
          const network = r.body['load_balancer_type'] === 'network';
          add(
            stack.name,
            region,
            'networking',
            `load balancer ${String(r.body['name'])} (${network ? 'network, hours; NLCUs' : 'hours; LCUs'} not estimated)`,
            [[`${network ? 'nlb' : 'alb'}.${region}.hour`, hours]],
          );
          break;
        }
        case 'aws_wafv2_web_acl': {
          const rules = (JSON.parse(String(r.body['rule_json'] ?? '[]')) as unknown[]).length;
          add(stack.name, region, 'cdn', `WAF web ACL ${String(r.body['name'])} (${String(r.body['scope'])}, ${rules} rules)`, [
            ['waf.web-acl.month', 1],
            ['waf.rule.month', rules],
          ]);
          break;
        }
        case 'aws_route53_health_check': {
          // Each optional feature is billed on its own: HTTPS, the 10-second interval, latency measurement.
          const options = [String(r.body['type']).startsWith('HTTPS'), r.body['request_interval'] === 10, r.body['measure_latency'] === true].filter(
            Boolean,
          ).length;
          add(
            stack.name,
            'global',
            'cdn',
            `Route 53 health check ${String((r.body['tags'] as Record<string, unknown> | undefined)?.['Name'] ?? r.address)} (${options} optional features)`,
            [
              ['route53.health-check.aws.month', 1],
              ['route53.health-check.option.month', options],
            ],
          );
          break;
        }
        case 'aws_route53_zone':
          add(stack.name, region, 'other', 'Route 53 hosted zone', [['route53.zone.month', 1]]);
          break;
        case 'aws_cloudtrail':
          add(stack.name, region, 'other', 'CloudTrail management events (first trail)', [['cloudtrail.management.first-trail', 1]]);
          break;
      }
    }
  }

  // What Terraform cannot see.
  const types = new Set(stacks.flatMap((stack) => Object.keys(stack.json.resource ?? {})));
  for (const region of config.regions) {
    const aws = region.awsRegion;
    const source = `usage: ${region.name}`;
    add(source, aws, 'networking', 'NAT data processed', [[`nat.${aws}.gb`, usage.natProcessedGBPerRegion]]);
    add(source, aws, 'networking', 'interface endpoint data processed', [['endpoint.gb', usage.endpointProcessedGBPerRegion]]);
    add(source, aws, 'other', 'CloudWatch Logs ingest and storage', [
      [`logs.${aws}.ingest-gb`, usage.logsIngestedGBPerRegion],
      ['logs.storage.gb-month', usage.logsStoredGBPerRegion],
    ]);
    if (types.has('aws_s3_bucket_replication_configuration')) {
      // The region's backups and the replica another region keeps of them.
      add(source, aws, 'storage', 'ClickHouse backups and their replica', [[`s3.standard.gb-month`, 2 * usage.backupStoredGBPerRegion]]);
    }
    const regionLoadBalancers = stacks.filter((stack) => stack.name.startsWith(`${region.name}-`)).some((stack) => stack.json.resource?.['aws_lb']);
    if (regionLoadBalancers) {
      add(source, aws, 'networking', `load balancer capacity, average ${usage.loadBalancerAverageLcuPerRegion} LCU`, [
        [`alb.${aws}.lcu-hour`, usage.loadBalancerAverageLcuPerRegion * hours],
      ]);
    }
    const extra = usage.karpenterAverageNodes[region.name];
    // A region the assumptions do not mention would be priced as if Karpenter added nothing there.
    if (!extra)
      throw new Error(
        `usage assumptions: karpenterAverageNodes has no entry for region "${region.name}"; fix: add { "instanceType", "count", "capacityType" } for it in packages/plan-review/data/usage-assumptions.json (count 0 if Karpenter adds no nodes there)`,
      );
    if (extra.count > 0) {
      const fraction = extra.capacityType === 'SPOT' ? usage.spotPriceFraction : 1;
      add(source, aws, 'compute', `Karpenter, average ${extra.count} x ${extra.instanceType} ${extra.capacityType.toLowerCase()}`, [
        [`ec2.${extra.instanceType}.${aws}.hour`, extra.count * hours * fraction],
      ]);
      add(source, aws, 'storage', 'Karpenter node volumes', [[`ebs.gp3.${aws}.gb-month`, extra.count * usage.nodeVolumeGiB]]);
    }
  }
  // Usage is priced only for what exists: no distribution, no CDN bill; no replicated store, no
  // replication traffic (the assumptions describe the finished platform, not this synth).
  if (REPLICATED_STORE_TYPES.some((type) => types.has(type))) {
    add('usage: global', 'global', 'networking', 'cross-region transfer (replication, writes to the primary)', [
      ['transfer.inter-region.gb', usage.crossRegionTransferGB],
    ]);
  }
  if (types.has('aws_cloudfront_distribution')) {
    add('usage: global', 'global', 'cdn', 'CloudFront transfer and HTTPS requests', [
      ['cloudfront.transfer-out.gb', usage.cloudfront.transferOutGB],
      ['cloudfront.https-requests.million', usage.cloudfront.httpsRequestsMillions],
    ]);
    // Every viewer request passes the CLOUDFRONT-scope ACL; the regional ACLs see what reaches an origin.
    add('usage: global', 'global', 'cdn', 'WAF requests inspected at the edge', [['waf.requests.million', usage.cloudfront.httpsRequestsMillions]]);
    if (types.has('aws_wafv2_web_acl_association')) {
      add('usage: global', 'global', 'cdn', 'WAF requests inspected at the origins', [
        ['waf.requests.million', usage.cloudfront.httpsRequestsMillions * usage.originRequestShare],
      ]);
    }
  }
  add('usage: global', 'global', 'storage', 'S3 (audit trail, access logs, state)', [['s3.standard.gb-month', usage.s3StoredGB]]);
  return lines;
}

/** The hour of a daily cron (`M H * * *`). */
function hourOf(cron: string): number {
  return Number(cron.split(' ')[1]) + Number(cron.split(' ')[0]) / 60;
}

export function totalsBy<K extends keyof CostLine>(lines: readonly CostLine[], key: K): Map<CostLine[K], number> {
  const totals = new Map<CostLine[K], number>();
  for (const line of lines) totals.set(line[key], (totals.get(line[key]) ?? 0) + line.monthlyUsd);
  return totals;
}
