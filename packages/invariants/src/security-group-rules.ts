import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS, HEALTH_CHECKER_CIDRS } from '@platform/edge';
import type { SynthesizedStack } from '@platform/terraform-check';
import type { Findings } from './apply-time-checks';
import { resourcesIn } from './synthesized-apps';

/**
 * Where a rule may lead, named by what it is, not by an address: ranges are read from the output
 * itself (every VPC's cidr_block), so a wrong config cannot make a wrong rule look right.
 */
type Peer =
  | 'own VPC'
  | 'another platform VPC'
  | 'any platform VPC'
  | 'CloudFront origin-facing prefix list'
  | 'Route 53 health checkers'
  | 'the internet'
  | `group ${string}`;

interface Allowed {
  readonly ports: readonly number[];
  readonly peers: readonly Peer[];
}

interface GroupPurpose {
  readonly ingress: readonly Allowed[];
  readonly egress: readonly Allowed[];
}

/**
 * Each security group the platform makes, by the purpose its name ends with
 * (`<project>-<env>-<region>-<purpose>`), and the one group EKS makes (`cluster`). A group not in
 * this table, or a rule outside its purpose's row, is a finding: opening a port means adding it here.
 */
export const SECURITY_GROUP_PURPOSES: Readonly<Record<string, GroupPurpose>> = {
  // Aurora, Valkey and ClickHouse (HTTPS and native TLS) from the platform's VPCs, peering included.
  data: { ingress: [{ ports: [5432, 6379, 8443, 9440], peers: ['any platform VPC'] }], egress: [] },
  // Interface endpoints: AWS APIs over HTTPS, from this VPC only.
  endpoints: { ingress: [{ ports: [443], peers: ['own VPC'] }], egress: [] },
  // The origin load balancer: CloudFront in, the application pods (IP targets) of this VPC out.
  'origin-cloudfront': {
    ingress: [{ ports: [443], peers: ['CloudFront origin-facing prefix list'] }],
    egress: [{ ports: [8443], peers: ['own VPC'] }],
  },
  'origin-health-checkers': { ingress: [{ ports: [443], peers: ['Route 53 health checkers'] }], egress: [] },
  'prometheus-federation': {
    ingress: [{ ports: [9090], peers: ['another platform VPC'] }],
    egress: [{ ports: [9090], peers: ['own VPC'] }],
  },
  // CI runners reach the cluster API and, through NAT, GitHub and AWS APIs: HTTPS out, nothing in.
  'ci-apply-runners': { ingress: [], egress: [{ ports: [443], peers: ['the internet'] }] },
  'ci-plan-runners': { ingress: [], egress: [{ ports: [443], peers: ['the internet'] }] },
  // The cluster group (made by EKS, its egress EKS's own): the API from CI, the application and
  // Prometheus from their load balancers.
  cluster: {
    ingress: [
      { ports: [443], peers: ['group ci-apply-runners', 'group ci-plan-runners'] },
      { ports: [8443], peers: ['group origin-cloudfront'] },
      { ports: [9090], peers: ['group prometheus-federation'] },
    ],
    egress: [],
  },
};

/**
 * AWS's default quota of inbound, and separately outbound, rules per security group (Amazon VPC
 * quotas, "Inbound or outbound rules per security group": 60, adjustable; read 2026-12-04). A rule
 * naming an AWS-managed prefix list counts as the list's weight (VPC user guide, "AWS-managed prefix
 * list weight": CloudFront's origin-facing list weighs 55).
 */
export const RULES_PER_GROUP_QUOTA = 60;
const PREFIX_LIST_WEIGHT: Readonly<Record<string, number>> = Object.fromEntries(
  Object.values(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS).map((id) => [id, 55]),
);

const RULE_TYPES = { aws_vpc_security_group_ingress_rule: 'ingress', aws_vpc_security_group_egress_rule: 'egress' } as const;
const GROUP_REF = /^\$\{aws_security_group\.([^.]+)\.id\}$/;
const CLUSTER_GROUP_REF = /^\$\{aws_eks_cluster\.[^.]+\.vpc_config\[0\]\.cluster_security_group_id\}$/;

function stackRegion(stack: SynthesizedStack): string | undefined {
  const providers = (stack.json as { provider?: { aws?: { region?: string; alias?: string }[] } }).provider?.aws ?? [];
  return providers.find((p) => !p.alias)?.region;
}

/**
 * Every security group rule leads only where its group's purpose allows, on the purpose's ports,
 * no group carries rules outside the standalone rule resources (inline rules would fight them),
 * and no group exceeds AWS's rules-per-group quota in either direction.
 */
export function securityGroupRuleFindings(stacks: readonly SynthesizedStack[], project: string, environment: string): Findings {
  const findings: Findings = [];
  const platformRanges = new Set<string>();
  for (const stack of stacks) for (const [type, , body] of resourcesIn(stack)) if (type === 'aws_vpc') platformRanges.add(String(body['cidr_block']));

  for (const stack of stacks) {
    const resources = resourcesIn(stack);
    const ownRanges = new Set(resources.filter(([type]) => type === 'aws_vpc').map(([, , body]) => String(body['cidr_block'])));
    const region = stackRegion(stack);
    const namePrefix = new RegExp(`^${project}-${environment}-[a-z0-9-]+?-`);
    // Purpose of each group this stack makes, by construct id.
    const purposeOf = new Map<string, string>();
    for (const [type, id, body] of resources) {
      if (type !== 'aws_security_group') continue;
      const name = String(body['name']);
      const purpose = Object.keys(SECURITY_GROUP_PURPOSES).find((p) => p !== 'cluster' && namePrefix.test(name) && name.endsWith(`-${p}`));
      if (!purpose) {
        findings.push(
          `${stack.name}: security group ${name} (${type}.${id}) has no purpose in SECURITY_GROUP_PURPOSES; fix: add its row (ports and peers) there`,
        );
        continue;
      }
      purposeOf.set(id, purpose);
      for (const direction of ['ingress', 'egress'] as const) {
        const inline = body[direction];
        if (inline !== undefined && !(Array.isArray(inline) && inline.length === 0))
          findings.push(`${stack.name}: ${name} has inline ${direction} rules; fix: use aws_vpc_security_group_${direction}_rule resources only`);
      }
    }

    const weight = new Map<string, number>();
    for (const [type, id, body] of resources) {
      const direction = RULE_TYPES[type as keyof typeof RULE_TYPES];
      if (!direction) continue;
      const groupRef = String(body['security_group_id']);
      const purpose = CLUSTER_GROUP_REF.test(groupRef) ? 'cluster' : purposeOf.get(GROUP_REF.exec(groupRef)?.[1] ?? '');
      const where = `${stack.name}: ${type}.${id}`;
      if (!purpose) {
        findings.push(`${where} is on ${groupRef}, a group of no known purpose; fix: attach it to a group this stack makes`);
        continue;
      }
      const prefixList = body['prefix_list_id'] as string | undefined;
      const key = `${groupRef} ${direction}`;
      weight.set(key, (weight.get(key) ?? 0) + (prefixList ? (PREFIX_LIST_WEIGHT[prefixList] ?? RULES_PER_GROUP_QUOTA) : 1));

      const peers = peersOf(body, { ownRanges, platformRanges, region, purposeOf });
      const port = Number(body['from_port']);
      const allowed = SECURITY_GROUP_PURPOSES[purpose]![direction].filter((row) => row.ports.includes(port));
      const what = `${direction} ${String(body['ip_protocol'])} ${String(body['from_port'])}-${String(body['to_port'])} ${direction === 'ingress' ? 'from' : 'to'} ${describeTarget(body)}`;
      if (body['ip_protocol'] !== 'tcp' || body['from_port'] !== body['to_port'] || allowed.length === 0) {
        findings.push(
          `${where}: ${what} on a "${purpose}" group, which allows ${describePurpose(purpose, direction)}; fix: keep the group to its purpose`,
        );
        continue;
      }
      if (!allowed.some((row) => row.peers.some((peer) => peers.includes(peer))))
        findings.push(
          `${where}: ${what} (${peers.join(', ') || 'unknown'}) on a "${purpose}" group, which allows ${describePurpose(purpose, direction)}; fix: keep the group to its purpose`,
        );
    }
    for (const [key, count] of weight)
      if (count > RULES_PER_GROUP_QUOTA)
        findings.push(
          `${stack.name}: ${key.replace(/ (ingress|egress)$/, '')} has ${count} ${key.endsWith('ingress') ? 'inbound' : 'outbound'} rules (prefix lists by weight), over AWS's default ${RULES_PER_GROUP_QUOTA} per group; fix: split the group or raise the quota (Service Quotas, L-0EA8095F) before applying`,
        );
  }
  return findings;
}

interface Context {
  readonly ownRanges: ReadonlySet<string>;
  readonly platformRanges: ReadonlySet<string>;
  readonly region: string | undefined;
  readonly purposeOf: ReadonlyMap<string, string>;
}

/** Every name the rule's peer answers to (a range of this VPC is also a platform VPC's). */
function peersOf(body: Record<string, unknown>, context: Context): Peer[] {
  const peers: Peer[] = [];
  const cidr = body['cidr_ipv4'] as string | undefined;
  if (cidr !== undefined) {
    if (context.ownRanges.has(cidr)) peers.push('own VPC', 'any platform VPC');
    else if (context.platformRanges.has(cidr)) peers.push('another platform VPC', 'any platform VPC');
    if (HEALTH_CHECKER_CIDRS.includes(cidr)) peers.push('Route 53 health checkers');
    if (cidr === '0.0.0.0/0') peers.push('the internet');
  }
  const prefixList = body['prefix_list_id'] as string | undefined;
  if (prefixList !== undefined && context.region && CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[context.region] === prefixList)
    peers.push('CloudFront origin-facing prefix list');
  const referenced = GROUP_REF.exec(String(body['referenced_security_group_id'] ?? ''))?.[1];
  if (referenced && context.purposeOf.has(referenced)) peers.push(`group ${context.purposeOf.get(referenced)!}`);
  return peers;
}

function describeTarget(body: Record<string, unknown>): string {
  return String(body['cidr_ipv4'] ?? body['cidr_ipv6'] ?? body['prefix_list_id'] ?? body['referenced_security_group_id'] ?? 'nothing');
}

function describePurpose(purpose: string, direction: 'ingress' | 'egress'): string {
  const rows = SECURITY_GROUP_PURPOSES[purpose]![direction];
  return rows.length
    ? rows.map((row) => `${row.ports.join('/')} ${direction === 'ingress' ? 'from' : 'to'} ${row.peers.join(' or ')}`).join('; ')
    : `no ${direction}`;
}
