// The small lookups the rules and the constructs share: their exact values and their edges.
import { ConfigError, showValue } from './config-error';
import { loadEnvironment } from './environments';
import { ec2Family, globalDatastoreNodeTypeProblem, isNvidiaGpuInstanceType } from './instance-types';
import { nextAcceptedLogRetention } from './log-retention';
import { regionNamed } from './resolve-config';
import { ALB_TLS_POLICY, CLOUDFRONT_ORIGIN_TLS, CLOUDFRONT_VIEWER_TLS, CLOUDFRONT_VIEWER_TLS_REASON } from './tls-policies';

describe('regionNamed (how a region app finds its region)', () => {
  const prod = loadEnvironment('prod');

  it('returns the region of that name', () => {
    expect(regionNamed(prod, 'eu-west')).toMatchObject({ name: 'eu-west', awsRegion: 'eu-west-1' });
    expect(regionNamed(prod, 'apac').awsRegion).toBe('ap-southeast-1');
  });

  it('refuses a name the config does not have, listing the regions it has', () => {
    let error: unknown;
    try {
      regionNamed(prod, 'sa-east');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        field: 'regions',
        value: JSON.stringify(prod.regions.map((r) => r.name)),
        problem: 'has no region named "sa-east", which this app deploys',
        fix: 'add a region named "sa-east" or stop deploying this app for prod',
      },
    ]);
  });
});

describe('ConfigError', () => {
  const issue = { field: 'a.b', value: '1', problem: 'is wrong', fix: 'make it right' };

  it('counts its problems in the message, singular and plural, and names the error', () => {
    const one = new ConfigError('prod', [issue]);
    expect(one.name).toBe('ConfigError');
    expect(one.message).toBe('invalid platform config "prod" (1 problem):\n  - a.b = 1: is wrong.\n    fix: make it right');
    expect(new ConfigError('staging', [issue, issue]).message).toMatch(/^invalid platform config "staging" \(2 problems\):\n/);
  });

  it('shows a missing value as (missing), and cuts a long one at 120 characters', () => {
    expect(showValue(undefined)).toBe('(missing)');
    expect(showValue('x'.repeat(118))).toBe(`"${'x'.repeat(118)}"`); // 120 characters: kept whole
    expect(showValue('x'.repeat(119))).toBe(`"${'x'.repeat(116)}...`);
  });
});

describe('instance types', () => {
  it('reads the family of an EC2 type and knows the NVIDIA ones', () => {
    expect(ec2Family('g5.2xlarge')).toBe('g5');
    expect(isNvidiaGpuInstanceType('p4d.24xlarge')).toBe(true);
    expect(isNvidiaGpuInstanceType('m6i.2xlarge')).toBe(false);
  });

  it.each([
    ['cache.r7g.large', undefined],
    ['cache.r7g.xlarge', undefined],
    ['cache.r7g.12xlarge', undefined],
    ['cache.t4g.large', 'burstable t4g nodes cannot join a global datastore'],
    ['cache.r7g.medium', 'size "medium" is below large, the smallest size a global datastore accepts'],
    ['cache.r7g.axlarge', 'size "axlarge" is below large, the smallest size a global datastore accepts'],
    ['cache.r7g.largex', 'size "largex" is below large, the smallest size a global datastore accepts'],
    ['xcache.r7g.large', 'not an ElastiCache node type such as cache.r7g.large'],
    ['cache.r7g.large.x', 'not an ElastiCache node type such as cache.r7g.large'],
  ])('a global datastore node type %s: %s', (nodeType, problem) => {
    expect(globalDatastoreNodeTypeProblem(nodeType)).toBe(problem);
  });
});

describe('CloudWatch log retention', () => {
  it('keeps an accepted period, rounds up to the next one, and tops out at ten years', () => {
    expect(nextAcceptedLogRetention(30)).toBe(30);
    expect(nextAcceptedLogRetention(31)).toBe(60);
    expect(nextAcceptedLogRetention(3653)).toBe(3653);
    expect(nextAcceptedLogRetention(4000)).toBe(3653);
  });
});

describe('TLS settings of the edge', () => {
  it('are TLS 1.3 on the ALB and the newest policies the pinned provider takes at CloudFront', () => {
    expect(ALB_TLS_POLICY).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
    expect(CLOUDFRONT_VIEWER_TLS).toBe('TLSv1.2_2021');
    expect(CLOUDFRONT_VIEWER_TLS_REASON).toMatch(/^hashicorp\/aws 5\.100\.0 rejects TLSv1\.3_2025 at validate/);
    expect(CLOUDFRONT_ORIGIN_TLS).toEqual(['TLSv1.2']);
  });
});
