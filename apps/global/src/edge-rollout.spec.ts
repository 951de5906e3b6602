import { resolveConfig, seedRegionsInput, type PlatformConfigInput } from '@platform/config';

const prod = seedRegionsInput();
import { resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { EdgeStack, failoverOrigins } from './edge-stack';

/**
 * The seed's rollout as the config changes docs/edge.md walks through ("Rolling out, week by week"):
 * each step is a weight per region, and each must synthesize to the routing described there.
 */
const STEPS: readonly { readonly step: string; readonly weights: Readonly<Record<string, number>> }[] = [
  { step: 'week 1: US-East takes every user', weights: { 'us-east': 100, 'eu-west': 0, apac: 0 } },
  { step: 'week 2: EU-West takes 10 % of its nearest users', weights: { 'us-east': 100, 'eu-west': 10, apac: 0 } },
  { step: 'week 2: EU-West live', weights: { 'us-east': 100, 'eu-west': 100, apac: 0 } },
  { step: 'week 3: APAC takes 25 % of its nearest users', weights: { 'us-east': 100, 'eu-west': 100, apac: 25 } },
  { step: 'week 4: production, every region live', weights: { 'us-east': 100, 'eu-west': 100, apac: 100 } },
];

function routingAt(weights: Readonly<Record<string, number>>) {
  const input = structuredClone(prod) as PlatformConfigInput & { regions: { name: string; traffic?: { weightPercent?: number } }[] };
  for (const region of input.regions) region.traffic = { weightPercent: weights[region.name]! };
  const stack = new EdgeStack(Testing.app(), testContext({}, resolveConfig(input)));
  const json = synthesizeStack(stack);
  const records = Object.values(resourcesOf(json, 'aws_route53_record'));
  const latency = records.filter((r) => r['latency_routing_policy']);
  return {
    latency: Object.fromEntries(latency.map((r) => [String(r['set_identifier']), String((r['alias'] as { name: string }).name)])),
    weighted: records
      .filter((r) => r['weighted_routing_policy'])
      .map((r) => `${String(r['name']).split('.')[0]}->${String(r['set_identifier'])}:${(r['weighted_routing_policy'] as { weight: number }).weight}`)
      .sort(),
    healthChecks: Object.keys(resourcesOf(json, 'aws_route53_health_check')).length,
  };
}

describe('the four rollout weeks, as config changes', () => {
  const alb = (region: string) => `\${data.terraform_remote_state.${region}-infra.outputs.originLoadBalancerDnsName}`;
  const migrating = (region: string) => `${region}.migrating.origin.platform.example.com`;
  const expected = [
    { latency: { 'us-east': alb('us-east') }, weighted: [] },
    { latency: { 'us-east': alb('us-east'), 'eu-west': migrating('eu-west') }, weighted: ['eu-west->eu-west:10', 'eu-west->us-east:90'] },
    { latency: { 'us-east': alb('us-east'), 'eu-west': alb('eu-west') }, weighted: [] },
    { latency: { 'us-east': alb('us-east'), 'eu-west': alb('eu-west'), apac: migrating('apac') }, weighted: ['apac->apac:25', 'apac->us-east:75'] },
    { latency: { 'us-east': alb('us-east'), 'eu-west': alb('eu-west'), apac: alb('apac') }, weighted: [] },
  ];

  it.each(STEPS.map((s, i) => [s.step, s.weights, expected[i]!] as const))('%s', (_step, weights, want) => {
    // Every region is health-checked from the start, so a region's health is visible before it takes users.
    expect(routingAt(weights)).toEqual({ ...want, healthChecks: 3 });
  });

  it('fails cached reads over between the first two live regions, the home region first when it is live', () => {
    const at = (weights: Record<string, number>) => {
      const input = structuredClone(prod) as PlatformConfigInput & { regions: { name: string; traffic?: { weightPercent?: number } }[] };
      for (const region of input.regions) region.traffic = { weightPercent: weights[region.name]! };
      return failoverOrigins(resolveConfig(input));
    };
    expect(at({ 'us-east': 100, 'eu-west': 100, apac: 100 })).toEqual(['us-east', 'eu-west']);
    expect(at({ 'us-east': 0, 'eu-west': 100, apac: 100 })).toEqual(['eu-west', 'apac']);
    // Week 1: one live region; the second member is built but not live yet.
    expect(at({ 'us-east': 100, 'eu-west': 0, apac: 0 })).toEqual(['us-east', 'eu-west']);
  });

  it('ends where the prod config is today', () => {
    expect(resolveConfig(prod).regions.map((r) => [r.name, r.traffic.weightPercent])).toEqual(Object.entries(STEPS.at(-1)!.weights));
  });
});
