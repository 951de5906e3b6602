import { PlatformStack, onlyResource, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import {
  MarketIntelligenceRelease,
  marketIntelligenceValues,
  validateMarketIntelligenceValues,
  type MarketIntelligenceReleaseProps,
} from './market-intelligence-release';

const props: MarketIntelligenceReleaseProps = {
  region: 'eu-west',
  primaryRegion: 'us-east',
  image: 'ghcr.io/254carbon/market-intelligence:1.0.0',
  endpoints: {
    auroraWriter: 'global.cluster-x.us-east-1.rds.amazonaws.com',
    auroraReader: 'eu.cluster-ro-x.eu-west-1.rds.amazonaws.com',
    redis: 'master.eu.x.euw1.cache.amazonaws.com',
    clickhouse: 'clickhouse.clickhouse.svc.cluster.local',
    targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/mi/abc',
  },
};

describe('MarketIntelligenceRelease', () => {
  const stack = new PlatformStack(Testing.app(), 'eu-west-platform', testContext());
  const construct = new MarketIntelligenceRelease(stack, 'market-intelligence', props);
  const release = onlyResource(synthesizeStack(stack), 'helm_release');

  it('is the seed install: region=<region>, global.multiRegion=true, from the chart in the repo', () => {
    expect(construct.values).toMatchObject({ region: 'eu-west', global: { multiRegion: true, primaryRegion: 'us-east' } });
    expect(release).toMatchObject({
      name: 'market-intelligence',
      namespace: 'market-intelligence',
      version: '1.0.0',
      chart: expect.stringMatching(/^assets\//),
    });
    expect(release['values']).toEqual([expect.stringContaining('"multiRegion" = true')]);
  });

  it('wires the region endpoints and the target group into the values', () => {
    expect(construct.values).toMatchObject({
      endpoints: { auroraReader: props.endpoints.auroraReader, redis: props.endpoints.redis },
      targetGroupArn: props.endpoints.targetGroupArn,
      image: { repository: 'ghcr.io/254carbon/market-intelligence', tag: '1.0.0' },
    });
  });

  it('refuses values without an endpoint, naming it (the chart schema helm also enforces)', () => {
    const values = marketIntelligenceValues(props) as { endpoints: Record<string, string> };
    delete values.endpoints['redis'];
    expect(() => validateMarketIntelligenceValues(values)).toThrow(/\/endpoints must have required property 'redis'/);
    const other = new PlatformStack(Testing.app(), 's', testContext());
    expect(() => new MarketIntelligenceRelease(other, 'm', { ...props, endpoints: { ...props.endpoints, clickhouse: '' } })).toThrow(
      /\/endpoints\/clickhouse must NOT have fewer than 1 characters/,
    );
  });

  it('accepts image digests', () => {
    const values = marketIntelligenceValues({ ...props, image: `registry:5000/app@sha256:${'a'.repeat(64)}` });
    expect(values['image']).toEqual({ repository: 'registry:5000/app', digest: `sha256:${'a'.repeat(64)}` });
    expect(() => validateMarketIntelligenceValues(values)).not.toThrow();
  });
});
