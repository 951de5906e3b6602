import { loadEnvironment, prodWithFourthRegion } from '@platform/config';
import { readSynthesizedApp, type SynthesizedStack } from '@platform/terraform-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COST_CATEGORIES, estimateCost, totalsBy } from './cost-estimate';
import { loadPriceTable } from './price-table';
import { loadUsageAssumptions } from './usage-assumptions';

/** Every app, in rollout order: the global ones, then one per configured region (npm run sync:regions keeps apps/ in step). */
const apps = ['bootstrap', 'global', ...loadEnvironment('prod').regions.map((region) => region.name)];
const stacks = apps.flatMap((app) => readSynthesizedApp(resolve(__dirname, '../../../apps', app), 'prod'));
const prices = loadPriceTable(resolve(__dirname, '../data/prices.json'));
const usage = loadUsageAssumptions(resolve(__dirname, '../data/usage-assumptions.json'));
const lines = estimateCost(stacks, loadEnvironment('prod'), prices, usage);

describe('cost estimate of the real synthesized output', () => {
  it('prices the seed node groups from the table: 3 + 2 GPU in us-east', () => {
    const usEast = lines.filter((l) => l.stack === 'us-east-infra' && l.category === 'compute').map((l) => [l.item, Math.round(l.monthlyUsd)]);
    expect(usEast).toEqual(
      expect.arrayContaining([
        ['3 x m6i.2xlarge (254carbon-prod-us-east-general)', Math.round(3 * 730 * 0.384)],
        ['2 x g5.2xlarge (254carbon-prod-us-east-gpu)', Math.round(2 * 730 * 1.212)],
        ['EKS control plane 254carbon-prod-us-east', 73],
      ]),
    );
  });

  it('states the off-peak saving: the nodes each schedule removes, priced for the hours they are gone', () => {
    const offPeak = lines.filter((l) => l.item.startsWith('off-peak:')).map((l) => [l.stack, l.item, Math.round(l.monthlyUsd)]);
    expect(offPeak.sort()).toEqual([
      ['eu-west-infra', 'off-peak: 1 x m6i.2xlarge fewer for 8 h a day (254carbon-prod-eu-west-general)', Math.round(-8 * (730 / 24) * 0.428)],
      ['us-east-infra', 'off-peak: 1 x g5.2xlarge fewer for 8 h a day (254carbon-prod-us-east-gpu)', Math.round(-8 * (730 / 24) * 1.212)],
      ['us-east-infra', 'off-peak: 1 x m6i.2xlarge fewer for 8 h a day (254carbon-prod-us-east-general)', Math.round(-8 * (730 / 24) * 0.384)],
    ]);
  });

  it('prices the data stores from the synthesized clusters and groups: two Aurora instances and two cache nodes per region', () => {
    const item = (stack: string, category: string) =>
      lines
        .filter((l) => l.stack === stack && l.category === category)
        .map((l) => [l.item, Math.round(l.monthlyUsd)])
        .sort();
    expect(item('eu-west-data', 'database')).toEqual([
      ['Aurora db.r7g.xlarge (aurora-254carbon-prod-eu-west-1)', Math.round(730 * 0.613)],
      ['Aurora db.r7g.xlarge (aurora-254carbon-prod-eu-west-2)', Math.round(730 * 0.613)],
      ['Aurora storage and I/O (aurora-254carbon-prod-eu-west)', Math.round(500 * 0.1 + 2000 * 0.2)],
    ]);
    // A secondary sets no node type: it is priced at the datastore's (config) size, 1 shard x (1 replica + 1).
    expect(item('eu-west-data', 'cache')).toEqual([['2 x cache.r7g.large (redis-254carbon-prod-eu-west)', Math.round(2 * 730 * 0.243)]]);
    expect(totalsBy(lines, 'category').get('database')).toBeGreaterThan(3000);
  });

  it("prices the edge from what is defined: the distribution's traffic, every web ACL and health check, each load balancer", () => {
    const cdn = lines.filter((l) => l.category === 'cdn').map((l) => [l.stack, l.item, Math.round(l.monthlyUsd * 100) / 100]);
    expect(cdn).toEqual(
      expect.arrayContaining([
        // 30,000 GB x $0.085 + 300 million HTTPS requests x $1.00 per million ($0.0100 per 10,000).
        ['usage: global', 'CloudFront transfer and HTTPS requests', 30_000 * 0.085 + 300 * 1.0],
        ['usage: global', 'WAF requests inspected at the edge', 300 * 0.6],
        // An ACL of 3 managed groups + the rate rule: $5 + 4 x $1.
        ['global-edge', 'WAF web ACL 254carbon-prod-edge (CLOUDFRONT, 4 rules)', 9],
        ['us-east-infra', 'WAF web ACL 254carbon-prod-us-east-origin (REGIONAL, 4 rules)', 9],
        // $0.50 + HTTPS, 10-second interval and latency measurement at $1 each.
        ['global-edge', 'Route 53 health check eu-west-origin (3 optional features)', 3.5],
      ]),
    );
    // 300 million viewer requests, 40 % reaching an origin, at $0.60 per million at the regional ACLs.
    expect(cdn).toContainEqual(['usage: global', 'WAF requests inspected at the origins', 300 * 0.4 * 0.6]);
    // Three usage lines, the edge ACL and one ACL per region, one health check per region.
    const regions = loadEnvironment('prod').regions.length;
    expect(cdn).toHaveLength(3 + (1 + regions) + regions);
    // 10 LCU all month at $0.008 per LCU-hour, in each region (the seed's three first, then any a team added).
    const capacity = lines.filter((l) => l.item.startsWith('load balancer capacity'));
    expect(capacity.map((l) => l.stack)).toEqual(loadEnvironment('prod').regions.map((r) => `usage: ${r.name}`));
    expect(capacity.slice(0, 3).map((l) => [l.stack, l.region, Math.round(l.monthlyUsd * 100) / 100])).toEqual([
      ['usage: us-east', 'us-east-1', Math.round(10 * 730 * 0.008 * 100) / 100],
      ['usage: eu-west', 'eu-west-1', Math.round(10 * 730 * 0.008 * 100) / 100],
      ['usage: apac', 'ap-southeast-1', Math.round(10 * 730 * 0.008 * 100) / 100],
    ]);
    const hours = lines.filter((l) => l.item.startsWith('load balancer 254carbon'));
    expect(hours).toHaveLength(2 * loadEnvironment('prod').regions.length);
    expect(hours.slice(0, 6).map((l) => [l.stack, l.item, Math.round(l.monthlyUsd * 100) / 100])).toEqual([
      ['us-east-infra', 'load balancer 254carbon-prod-us-east (hours; LCUs not estimated)', Math.round(730 * 0.0225 * 100) / 100],
      ['us-east-infra', 'load balancer 254carbon-prod-us-east-prom (network, hours; NLCUs not estimated)', Math.round(730 * 0.0225 * 100) / 100],
      ['eu-west-infra', 'load balancer 254carbon-prod-eu-west (hours; LCUs not estimated)', Math.round(730 * 0.0252 * 100) / 100],
      ['eu-west-infra', 'load balancer 254carbon-prod-eu-west-prom (network, hours; NLCUs not estimated)', Math.round(730 * 0.0252 * 100) / 100],
      ['apac-infra', 'load balancer 254carbon-prod-apac (hours; LCUs not estimated)', Math.round(730 * 0.0252 * 100) / 100],
      ['apac-infra', 'load balancer 254carbon-prod-apac-prom (network, hours; NLCUs not estimated)', Math.round(730 * 0.0252 * 100) / 100],
    ]);
  });

  it('prices usage only for what exists: no distribution, no CDN bill; replication traffic once replicated stores exist', () => {
    const withoutEdge = stacks.filter((s) => s.name !== 'global-edge');
    expect(
      estimateCost(withoutEdge, loadEnvironment('prod'), prices, usage).filter((l) => l.stack === 'usage: global' && l.category === 'cdn'),
    ).toEqual([]);
    expect(lines.filter((l) => l.priceKeys.includes('transfer.inter-region.gb')).map((l) => Math.round(l.monthlyUsd))).toEqual([
      Math.round(15_000 * 0.02),
    ]);
    const withoutDataStores = stacks
      .filter((s) => !s.name.endsWith('-data')) // the regions' data stacks and global-data
      .map((s) => ({
        ...s,
        json: {
          ...s.json,
          resource: Object.fromEntries(Object.entries(s.json.resource ?? {}).filter(([type]) => type !== 'aws_rds_global_cluster')),
        },
      }));
    expect(
      estimateCost(withoutDataStores, loadEnvironment('prod'), prices, usage).filter((l) => l.priceKeys.includes('transfer.inter-region.gb')),
    ).toEqual([]);
  });

  it('has a NAT gateway per zone per region and every line traceable to dated prices', () => {
    // prod: natGateways 'per-az', three zones in each region.
    expect(lines.filter((l) => l.item === 'NAT gateway')).toHaveLength(3 * loadEnvironment('prod').regions.length);
    for (const line of lines) for (const key of line.priceKeys) expect(prices.get(key).date).toMatch(/^\d{4}-/);
  });

  it('totals by category, region and stack', () => {
    const byCategory = totalsBy(lines, 'category');
    expect([...byCategory.keys()].every((c) => (COST_CATEGORIES as readonly string[]).includes(c))).toBe(true);
    expect(byCategory.get('compute')).toBeGreaterThan(4000);
    expect(totalsBy(lines, 'region').get('eu-west-1')).toBeGreaterThan(0);
  });

  it('diffs a change: removing the GPU group lowers compute by its price', () => {
    const withoutGpu = stacks.map((s) =>
      s.name !== 'us-east-infra'
        ? s
        : {
            ...s,
            json: {
              ...s.json,
              resource: {
                ...s.json.resource,
                aws_eks_node_group: Object.fromEntries(
                  Object.entries(s.json.resource?.['aws_eks_node_group'] ?? {}).filter(([id]) => !id.includes('gpu')),
                ),
              },
            },
          },
    );
    const after = totalsBy(estimateCost(withoutGpu, loadEnvironment('prod'), prices, usage), 'category').get('compute')!;
    // Two g5.2xlarge all month, less the one the off-peak schedule already removes 8 h a night (22:00-06:00).
    expect(Math.round(totalsBy(lines, 'category').get('compute')! - after)).toBe(Math.round(2 * 730 * 1.212 - 1 * 8 * (730 / 24) * 1.212));
  });
});

describe('a region added to the config', () => {
  it('is priced from the price table by AWS region, and a missing price is named with its fix', () => {
    // The table as it was before anyone priced us-west-2 (a team that added the region has those prices).
    const table = JSON.parse(readFileSync(prices.path, 'utf8')) as { prices: Record<string, unknown> };
    for (const key of Object.keys(table.prices)) if (key.includes('.us-west-2.')) delete table.prices[key];
    const unpriced = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
    writeFileSync(unpriced, JSON.stringify(table));
    expect(() => estimateCost(stacks, prodWithFourthRegion(), loadPriceTable(unpriced), usage)).toThrow(
      /prices\.json has no price "[a-z0-9.-]+\.us-west-2\.[a-z-]+"; fix: add it with usd, unit, source and date/,
    );
  });
});

/**
 * Each priced resource type on a hand-made stack, amounts worked out by hand from prices.json
 * (730 hours a month): what each line costs, not only that a line exists.
 */
describe('pricing rules, one resource type at a time', () => {
  const config = loadEnvironment('prod');
  const stackOf = (resource: Record<string, Record<string, Record<string, unknown>>>): SynthesizedStack => ({
    app: 'x',
    name: 'us-east-infra',
    dir: '/nonexistent',
    json: { provider: { aws: [{ region: 'us-east-1' }] }, resource } as never,
    providers: ['aws'],
    providerVersions: {},
    readsRemoteState: false,
  });
  /** Lines of the stack itself (the usage lines that follow depend on the whole platform). */
  const priced = (resource: Record<string, Record<string, Record<string, unknown>>>) =>
    estimateCost([stackOf(resource)], config, prices, usage)
      .filter((l) => l.stack === 'us-east-infra')
      .map((l) => [l.category, l.item, Math.round(l.monthlyUsd * 100) / 100, l.priceKeys]);
  const group = (capacityType: string) => ({
    node_group_name: 'p-batch',
    instance_types: ['m6i.2xlarge', 'm6a.2xlarge'],
    capacity_type: capacityType,
    scaling_config: { desired_size: 4, min_size: 4, max_size: 8 },
    launch_template: { id: '${aws_launch_template.lt.id}' },
  });
  const template = { lt: { block_device_mappings: [{ ebs: { volume_size: 50 } }] } };

  it('on-demand nodes at the first instance type, and their volumes', () => {
    expect(priced({ aws_eks_node_group: { g: group('ON_DEMAND') }, aws_launch_template: template })).toEqual([
      ['compute', '4 x m6i.2xlarge (p-batch)', Math.round(4 * 730 * 0.384 * 100) / 100, ['ec2.m6i.2xlarge.us-east-1.hour']],
      ['storage', '4 x 50 GiB gp3 node volumes', 4 * 50 * 0.08, ['ebs.gp3.us-east-1.gb-month']],
    ]);
  });

  it('spot nodes at the spot fraction of the on-demand price (0.35), not above it', () => {
    const [compute] = priced({ aws_eks_node_group: { g: group('SPOT') }, aws_launch_template: template });
    expect(compute![2]).toBe(Math.round(4 * 730 * 0.384 * 0.35 * 100) / 100);
  });

  it('the nodes an off-peak schedule removes, for the hours until the morning one, spot-discounted for spot groups', () => {
    const schedules = {
      off: {
        scheduled_action_name: 'p-batch-off-peak',
        autoscaling_group_name: '${aws_eks_node_group.g.resources[0].autoscaling_groups[0].name}',
        desired_capacity: 1,
        recurrence: '0 22 * * *',
      },
      on: {
        scheduled_action_name: 'p-batch-peak',
        autoscaling_group_name: '${aws_eks_node_group.g.resources[0].autoscaling_groups[0].name}',
        desired_capacity: 4,
        recurrence: '30 6 * * *',
      },
    };
    const lines = priced({ aws_eks_node_group: { g: group('SPOT') }, aws_launch_template: template, aws_autoscaling_schedule: schedules });
    expect(lines.filter((l) => String(l[1]).startsWith('off-peak'))).toEqual([
      [
        'compute',
        'off-peak: 3 x m6i.2xlarge fewer for 8.5 h a day (p-batch)',
        Math.round(-3 * 8.5 * (730 / 24) * 0.384 * 0.35 * 100) / 100,
        ['ec2.m6i.2xlarge.us-east-1.hour'],
      ],
    ]);
    // A schedule that removes nothing, or has no morning partner, saves nothing.
    const none = priced({
      aws_eks_node_group: { g: group('ON_DEMAND') },
      aws_launch_template: template,
      aws_autoscaling_schedule: { off: { ...schedules.off, desired_capacity: 4 }, on: schedules.on },
    });
    expect(none.filter((l) => String(l[1]).startsWith('off-peak'))).toEqual([]);
    expect(
      priced({ aws_eks_node_group: { g: group('ON_DEMAND') }, aws_launch_template: template, aws_autoscaling_schedule: { off: schedules.off } })
        .length,
    ).toBe(2);
  });

  it('an interface endpoint per zone it has an interface in (three zones: three times the hourly price); a gateway endpoint is free', () => {
    expect(
      priced({
        aws_vpc_endpoint: {
          sts: { vpc_endpoint_type: 'Interface', service_name: 'com.amazonaws.us-east-1.sts', subnet_ids: ['a', 'b', 'c'] },
          s3: { vpc_endpoint_type: 'Gateway', service_name: 'com.amazonaws.us-east-1.s3' },
        },
      }),
    ).toEqual([['networking', 'interface endpoint sts', 21.9, ['endpoint.us-east-1.hour']]]); // 3 x 730 h x $0.01
  });

  it('NAT gateways, keys, zones, the trail, the EKS control plane, load balancers, web ACLs and health checks', () => {
    expect(
      priced({
        aws_nat_gateway: { n: {} },
        aws_kms_key: { k: {} },
        aws_kms_replica_key: { r: {} },
        aws_route53_zone: { z: {} },
        aws_cloudtrail: { t: {} },
        aws_eks_cluster: { c: { name: 'p-us-east' } },
        aws_lb: { a: { name: 'p-app' }, n: { name: 'p-prom', load_balancer_type: 'network' } },
        aws_wafv2_web_acl: { w: { name: 'p-acl', scope: 'REGIONAL', rule_json: JSON.stringify([{}, {}, {}]) } },
        aws_route53_health_check: {
          h: { type: 'HTTPS', request_interval: 10, measure_latency: true, tags: { Name: 'p-us-east' } },
          i: { type: 'HTTP', request_interval: 30 },
        },
      }),
    ).toEqual([
      ['networking', 'NAT gateway', Math.round(730 * 0.045 * 100) / 100, ['nat.us-east-1.hour']],
      ['other', 'KMS key', 1, ['kms.key.month']],
      ['other', 'KMS key', 1, ['kms.key.month']],
      ['other', 'Route 53 hosted zone', 0.5, ['route53.zone.month']],
      ['other', 'CloudTrail management events (first trail)', 0, ['cloudtrail.management.first-trail']],
      ['compute', 'EKS control plane p-us-east', 73, ['eks.cluster.hour']],
      ['networking', 'load balancer p-app (hours; LCUs not estimated)', Math.round(730 * 0.0225 * 100) / 100, ['alb.us-east-1.hour']],
      ['networking', 'load balancer p-prom (network, hours; NLCUs not estimated)', Math.round(730 * 0.0225 * 100) / 100, ['nlb.us-east-1.hour']],
      ['cdn', 'WAF web ACL p-acl (REGIONAL, 3 rules)', 5 + 3, ['waf.web-acl.month', 'waf.rule.month']],
      [
        'cdn',
        'Route 53 health check p-us-east (3 optional features)',
        0.5 + 3,
        ['route53.health-check.aws.month', 'route53.health-check.option.month'],
      ],
      [
        'cdn',
        'Route 53 health check aws_route53_health_check.i (0 optional features)',
        0.5,
        ['route53.health-check.aws.month', 'route53.health-check.option.month'],
      ],
    ]);
  });
});

describe('usage the stacks cannot show, per region', () => {
  const p = (key: string) => prices.get(key).usd;
  const round = (n: number) => Math.round(n * 100) / 100;

  it("prices us-east's traffic, logs, backups, load balancer capacity and Karpenter's average spot nodes from the assumptions", () => {
    const usEast = lines.filter((l) => l.stack === 'usage: us-east').map((l) => [l.category, l.item, round(l.monthlyUsd), l.priceKeys]);
    expect(usEast).toEqual([
      ['networking', 'NAT data processed', round(1500 * p('nat.us-east-1.gb')), ['nat.us-east-1.gb']],
      ['networking', 'interface endpoint data processed', round(2000 * p('endpoint.gb')), ['endpoint.gb']],
      [
        'other',
        'CloudWatch Logs ingest and storage',
        round(250 * p('logs.us-east-1.ingest-gb') + 1500 * p('logs.storage.gb-month')),
        ['logs.us-east-1.ingest-gb', 'logs.storage.gb-month'],
      ],
      // The region's backups and the copy another region keeps: twice the stored GB.
      ['storage', 'ClickHouse backups and their replica', round(2 * 1000 * p('s3.standard.gb-month')), ['s3.standard.gb-month']],
      ['networking', 'load balancer capacity, average 10 LCU', round(10 * 730 * p('alb.us-east-1.lcu-hour')), ['alb.us-east-1.lcu-hour']],
      [
        'compute',
        'Karpenter, average 3 x m6i.2xlarge spot',
        round(3 * 730 * 0.35 * p('ec2.m6i.2xlarge.us-east-1.hour')),
        ['ec2.m6i.2xlarge.us-east-1.hour'],
      ],
      ['storage', 'Karpenter node volumes', round(3 * 100 * p('ebs.gp3.us-east-1.gb-month')), ['ebs.gp3.us-east-1.gb-month']],
    ]);
    expect(lines.filter((l) => l.item === 'S3 (audit trail, access logs, state)').map((l) => [l.stack, round(l.monthlyUsd)])).toEqual([
      ['usage: global', round(1500 * p('s3.standard.gb-month'))],
    ]);
  });

  it('leaves out backups without replication, capacity without a load balancer, and Karpenter where it adds no nodes; prices on-demand ones in full', () => {
    const bare = stacks.filter((s) => !s.name.endsWith('-data') && s.name !== 'global-data' && !s.name.endsWith('-infra'));
    const onDemand = {
      ...usage,
      karpenterAverageNodes: {
        'us-east': { instanceType: 'm6i.2xlarge', count: 2, capacityType: 'ON_DEMAND' as const },
        'eu-west': { instanceType: 'm6i.2xlarge', count: 0, capacityType: 'SPOT' as const },
        apac: { instanceType: 'm6i.2xlarge', count: 0, capacityType: 'SPOT' as const },
      },
    };
    const items = estimateCost(bare, loadEnvironment('prod'), prices, onDemand).filter(
      (l) => l.stack.startsWith('usage: ') && l.stack !== 'usage: global',
    );
    expect(items.filter((l) => /backups|capacity/.test(l.item))).toEqual([]);
    expect(items.filter((l) => l.item.startsWith('Karpenter')).map((l) => [l.stack, l.item, round(l.monthlyUsd)])).toEqual([
      ['usage: us-east', 'Karpenter, average 2 x m6i.2xlarge on_demand', round(2 * 730 * p('ec2.m6i.2xlarge.us-east-1.hour'))],
      ['usage: us-east', 'Karpenter node volumes', round(2 * 100 * p('ebs.gp3.us-east-1.gb-month'))],
    ]);
  });
});

describe('usage assumptions that leave a region out', () => {
  it('refuse to price it as if Karpenter added nothing there, naming the region and the fix', () => {
    const { apac: _, ...twoRegions } = usage.karpenterAverageNodes;
    expect(() => estimateCost(stacks, loadEnvironment('prod'), prices, { ...usage, karpenterAverageNodes: twoRegions })).toThrow(
      'usage assumptions: karpenterAverageNodes has no entry for region "apac"; fix: add { "instanceType", "count", "capacityType" } for it in packages/plan-review/data/usage-assumptions.json (count 0 if Karpenter adds no nodes there)',
    );
  });
});
