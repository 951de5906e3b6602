import { prodWithFourthRegion } from '@platform/config';
import { buildRegionApp } from '@platform/region-stacks';
import { rolloutSteps } from '@platform/stack-contracts';
import { onlyResource, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { buildGlobalApp } from './global-app';

// Adding `us-west` to the config (and nothing else in code) yields a working platform of four regions.
describe('a fourth region is a config change', () => {
  const config = prodWithFourthRegion();
  const context = testContext({}, config);
  const global = buildGlobalApp(Testing.app(), context);
  const usWest = buildRegionApp(Testing.app(), context, 'us-west');
  const peering = synthesizeStack(global.peering);
  const foundation = synthesizeStack(global.foundation);
  const edge = synthesizeStack(global.edge);
  const infra = synthesizeStack(usWest.infra);
  const data = synthesizeStack(usWest.data);

  it('grows the peering mesh to n(n-1)/2 = 6 connections, three of them to us-west', () => {
    const connections = Object.values(resourcesOf(peering, 'aws_vpc_peering_connection'));
    expect(connections).toHaveLength(6);
    expect(connections.filter((c) => c['peer_region'] === 'us-west-2')).toHaveLength(3);
  });

  it("replicates every key to us-west-2 and puts the new region's network in its own /16 and zones", () => {
    const replicas = Object.keys(resourcesOf(foundation, 'aws_kms_replica_key'));
    expect(replicas.filter((id) => id.includes('replica-us-west')).map((id) => id.split('_')[1])).toEqual(['data', 'logs', 'secrets']);
    expect(onlyResource(infra, 'aws_vpc')['cidr_block']).toBe('10.40.0.0/16');
    expect(
      Object.values(resourcesOf(infra, 'aws_subnet'))
        .map((s) => s['availability_zone'])
        .sort(),
    ).toEqual(['us-west-2a', 'us-west-2a', 'us-west-2a', 'us-west-2b', 'us-west-2b', 'us-west-2b', 'us-west-2c', 'us-west-2c', 'us-west-2c']);
    expect((infra.provider?.['aws'] ?? []).map((p) => p['region'])).toEqual(['us-west-2']);
  });

  it('joins the data stores as a reader: an Aurora secondary and no Global Datastore member beyond its two secondaries', () => {
    expect(onlyResource(data, 'aws_rds_cluster')).toMatchObject({ source_region: 'us-east-1' });
    expect(onlyResource(data, 'aws_rds_cluster')['master_password']).toBeUndefined();
    expect(resourcesOf(data, 'aws_elasticache_replication_group')).toEqual({});
  });

  it('is health-checked from the start but takes no users at weight 0', () => {
    const checks = Object.values(resourcesOf(edge, 'aws_route53_health_check')).map((c) => c['fqdn']);
    expect(checks).toContain('${data.terraform_remote_state.us-west-infra.outputs.originDomainName}');
    expect(checks).toHaveLength(4);
    const latencyRegions = Object.values(resourcesOf(edge, 'aws_route53_record'))
      .map((r) => (r['latency_routing_policy'] as { region?: string } | undefined)?.region)
      .filter(Boolean);
    expect(latencyRegions.sort()).toEqual(['ap-southeast-1', 'eu-west-1', 'us-east-1']);
  });

  it("rolls out us-west's stacks after the first three regions' in every phase, behind its own environment", () => {
    const order = rolloutSteps(config).flatMap((step) => step.stacks.map((stack) => `${stack}@${step.githubEnvironment}`));
    const at = (stack: string) => order.findIndex((entry) => entry.startsWith(`${stack}@`));
    expect(order).toContain('us-west-infra@prod-us-west');
    expect(at('us-west-infra')).toBe(at('apac-infra') + 1);
    expect(at('global-peering')).toBe(at('us-west-infra') + 1);
    expect(at('us-west-data')).toBe(at('apac-data') + 1);
    expect(at('us-west-platform')).toBe(at('global-edge') - 1);
  });
});
