import { formatIpv4, parseCidr, rangesOverlap, subdivide, type Ipv4Range } from './cidr';

const range = (cidr: string) => parseCidr(cidr) as Ipv4Range;

describe('cidr', () => {
  it('parses a network', () => {
    expect(range('10.20.0.0/16')).toMatchObject({ prefixLength: 16, first: 10 * 2 ** 24 + 20 * 2 ** 16 });
    expect(formatIpv4(range('10.20.0.0/16').last)).toBe('10.20.255.255');
  });

  it('explains what is wrong with a bad one', () => {
    expect(parseCidr('10.20.0.0')).toBe('not an IPv4 CIDR such as 10.10.0.0/16');
    expect(parseCidr('10.256.0.0/16')).toBe('an octet is above 255');
    expect(parseCidr('10.0.0.0/33')).toBe('the prefix length is above 32');
    expect(parseCidr('10.20.1.0/16')).toBe('host bits are set; the network address is 10.20.0.0/16');
  });

  it('takes the edges of the address space: octet 255, a /32, a /0', () => {
    expect(range('10.0.0.255/32')).toMatchObject({ first: 10 * 2 ** 24 + 255, last: 10 * 2 ** 24 + 255, prefixLength: 32 });
    expect(range('0.0.0.0/0')).toMatchObject({ first: 0, last: 2 ** 32 - 1, prefixLength: 0 });
  });

  it('finds overlaps, including containment and one shared address, and accepts neighbours', () => {
    expect(rangesOverlap(range('10.0.0.0/8'), range('10.20.0.0/16'))).toBe(true);
    expect(rangesOverlap(range('10.20.0.0/16'), range('10.21.0.0/16'))).toBe(false);
    // The last address of one is the first of the other, in either order.
    expect(rangesOverlap(range('10.0.0.0/24'), range('10.0.0.255/32'))).toBe(true);
    expect(rangesOverlap(range('10.0.0.255/32'), range('10.0.0.0/24'))).toBe(true);
    expect(rangesOverlap(range('10.0.0.0/32'), range('10.0.0.0/24'))).toBe(true);
  });

  it("subdivides like terraform's cidrsubnet, and refuses a block that does not fit", () => {
    const vpc = range('10.20.0.0/16');
    expect(subdivide(vpc, 18, 0)).toBe('10.20.0.0/18');
    expect(subdivide(vpc, 18, 3)).toBe('10.20.192.0/18');
    expect(subdivide(vpc, 21, 25)).toBe('10.20.200.0/21');
    expect(subdivide(vpc, 16, 0)).toBe('10.20.0.0/16');
    expect(() => subdivide(vpc, 18, 4)).toThrow(new RangeError('cannot take block 4 of /18 from 10.20.0.0/16 (it holds 4, numbered from 0)'));
    expect(() => subdivide(vpc, 18, -1)).toThrow(new RangeError('cannot take block -1 of /18 from 10.20.0.0/16 (it holds 4, numbered from 0)'));
    expect(() => subdivide(vpc, 15, 0)).toThrow(new RangeError('cannot take a /15 from 10.20.0.0/16: the block is larger than the range'));
  });
});
