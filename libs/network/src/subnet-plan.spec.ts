import { parseCidr, rangesOverlap, type Ipv4Range } from '@platform/config';
import { planSubnets } from './subnet-plan';

describe('planSubnets', () => {
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

  it('gives a /16 three /18 private, three /21 public and three /21 data subnets', () => {
    expect(planSubnets('10.10.0.0/16', zones).map((s) => `${s.tier} ${s.availabilityZone} ${s.cidr}`)).toEqual([
      'private us-east-1a 10.10.0.0/18',
      'public us-east-1a 10.10.192.0/21',
      'data us-east-1a 10.10.224.0/21',
      'private us-east-1b 10.10.64.0/18',
      'public us-east-1b 10.10.200.0/21',
      'data us-east-1b 10.10.232.0/21',
      'private us-east-1c 10.10.128.0/18',
      'public us-east-1c 10.10.208.0/21',
      'data us-east-1c 10.10.240.0/21',
    ]);
  });

  it.each(['10.20.0.0/16', '10.30.0.0/18', '172.16.0.0/20'])('never overlaps and stays inside %s', (cidr) => {
    const vpc = parseCidr(cidr) as Ipv4Range;
    const ranges = planSubnets(cidr, zones).map((s) => parseCidr(s.cidr) as Ipv4Range);
    for (const r of ranges) expect(r.first >= vpc.first && r.last <= vpc.last).toBe(true);
    ranges.forEach((a, i) => ranges.slice(i + 1).forEach((b) => expect(rangesOverlap(a, b)).toBe(false)));
  });

  it('refuses more zones than the plan fits, and none', () => {
    expect(() => planSubnets('10.0.0.0/16', ['a', 'b', 'c', 'd'])).toThrow('subnet plan: 4 zones; fix: the plan fits one to three zones');
    expect(() => planSubnets('10.0.0.0/16', [])).toThrow('subnet plan: 0 zones; fix: the plan fits one to three zones');
    expect(planSubnets('10.0.0.0/16', ['a']).map((s) => s.availabilityZone)).toEqual(['a', 'a', 'a']);
  });

  it('refuses a VPC range it cannot parse, saying why', () => {
    expect(() => planSubnets('10.0.0.0/33', zones)).toThrow(/^subnet plan: vpc cidr 10\.0\.0\.0\/33: .+/);
  });
});
