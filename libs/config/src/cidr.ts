/** IPv4 CIDR arithmetic, enough to prove that VPC ranges never overlap. */
export interface Ipv4Range {
  readonly cidr: string;
  readonly first: number;
  readonly last: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "10.0.0.0/16"; returns an explanation instead of a range when the text is not a network address. */
export function parseCidr(cidr: string): Ipv4Range | string {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) return 'not an IPv4 CIDR such as 10.10.0.0/16';
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255)) return 'an octet is above 255';
  if (prefixLength > 32) return 'the prefix length is above 32';
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const size = 2 ** (32 - prefixLength);
  if (address % size !== 0) {
    const network = Math.floor(address / size) * size;
    return `host bits are set; the network address is ${formatIpv4(network)}/${prefixLength}`;
  }
  return { cidr, first: address, last: address + size - 1, prefixLength };
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/**
 * The `index`-th block of size /`newPrefix` inside `range` (Terraform's cidrsubnet). Throws when
 * the block does not fit, which is a bug in a subnet plan, not a config problem.
 */
export function subdivide(range: Ipv4Range, newPrefix: number, index: number): string {
  if (newPrefix < range.prefixLength) throw new RangeError(`cannot take a /${newPrefix} from ${range.cidr}: the block is larger than the range`);
  const count = 2 ** (newPrefix - range.prefixLength);
  if (index < 0 || index >= count)
    throw new RangeError(`cannot take block ${index} of /${newPrefix} from ${range.cidr} (it holds ${count}, numbered from 0)`);
  return `${formatIpv4(range.first + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}
