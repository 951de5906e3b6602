import { formatIpv4, parseCidr, rangesOverlap, type Ipv4Range } from './cidr';

const range = (cidr: string) => parseCidr(cidr) as Ipv4Range;

describe('cidr', () => {
  it('parses a network', () => {
    expect(range('10.20.0.0/16')).toMatchObject({ prefixLength: 16, first: 10 * 2 ** 24 + 20 * 2 ** 16 });
    expect(formatIpv4(range('10.20.0.0/16').last)).toBe('10.20.255.255');
  });

  it('explains what is wrong with a bad one', () => {
    expect(parseCidr('10.20.0.0')).toMatch(/not an IPv4 CIDR/);
    expect(parseCidr('10.256.0.0/16')).toMatch(/above 255/);
    expect(parseCidr('10.0.0.0/33')).toMatch(/above 32/);
  });

  it('finds overlaps, including containment, and accepts neighbours', () => {
    expect(rangesOverlap(range('10.0.0.0/8'), range('10.20.0.0/16'))).toBe(true);
    expect(rangesOverlap(range('10.20.0.0/16'), range('10.21.0.0/16'))).toBe(false);
  });
});
