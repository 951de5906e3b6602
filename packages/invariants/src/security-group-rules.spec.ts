import { loadEnvironment } from '@platform/config';
import { stackNames } from '@platform/stack-contracts';
import type { SynthesizedStack } from '@platform/terraform-check';
import { RULES_PER_GROUP_QUOTA, securityGroupRuleFindings } from './security-group-rules';
import { allSynthesizedStacks } from './synthesized-apps';

const config = loadEnvironment(process.env['PLATFORM_ENV'] ?? 'prod');
const stacks = allSynthesizedStacks(config.environment);
const check = (input: readonly SynthesizedStack[]) => securityGroupRuleFindings(input, config.project, config.environment);

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const usEastInfra = stackNames.regionInfra('us-east');

/** Every stack, with `edit` applied to a deep copy of us-east-infra's resources. */
function withBroken(edit: (resource: Resources) => void): SynthesizedStack[] {
  return stacks.map((stack) => {
    if (stack.name !== usEastInfra) return stack;
    const json = structuredClone(stack.json) as { resource: Resources };
    edit(json.resource);
    return { ...stack, json };
  });
}

const groupId = (resource: Resources, nameEnd: string) =>
  `\${aws_security_group.${Object.entries(resource['aws_security_group']!).find(([, g]) => String(g['name']).endsWith(nameEnd))![0]}.id}`;
const ingress = (resource: Resources, id: string, rule: Record<string, unknown>) => {
  resource['aws_vpc_security_group_ingress_rule']![id] = { ip_protocol: 'tcp', ...rule };
};

describe('security group rules lead only where their purpose allows', () => {
  it('holds for every stack', () => {
    expect(check(stacks)).toEqual([]);
  });

  it.each([
    [
      'postgres from the internet',
      '-data',
      { cidr_ipv4: '0.0.0.0/0', from_port: 5432, to_port: 5432 },
      /from 0\.0\.0\.0\/0 \(the internet\) on a "data" group, which allows 5432\/6379\/8443\/9440 from any platform VPC/,
    ],
    [
      'SSH into the data tier from the VPC',
      '-data',
      { cidr_ipv4: '10.10.0.0/16', from_port: 22, to_port: 22 },
      /ingress tcp 22-22 from 10\.10\.0\.0\/16 on a "data" group/,
    ],
    [
      'endpoints from another region',
      '-endpoints',
      { cidr_ipv4: '10.20.0.0/16', from_port: 443, to_port: 443 },
      /another platform VPC, any platform VPC\) on a "endpoints" group/,
    ],
    [
      'federation from its own VPC',
      '-prometheus-federation',
      { cidr_ipv4: '10.10.0.0/16', from_port: 9090, to_port: 9090 },
      /on a "prometheus-federation" group/,
    ],
    [
      'health checks from anywhere',
      '-origin-health-checkers',
      { cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 },
      /\(the internet\) on a "origin-health-checkers" group/,
    ],
    ['a port range on the data tier', '-data', { cidr_ipv4: '10.10.0.0/16', from_port: 5432, to_port: 6379 }, /ingress tcp 5432-6379/],
    [
      'CI runners reachable from the VPC',
      '-ci-apply-runners',
      { cidr_ipv4: '10.10.0.0/16', from_port: 443, to_port: 443 },
      /which allows no ingress/,
    ],
  ])('catches %s', (_what, group, rule, message) => {
    const findings = check(withBroken((resource) => ingress(resource, 'broken', { ...rule, security_group_id: groupId(resource, group) })));
    expect(findings).toEqual([
      expect.stringMatching(new RegExp(`^${usEastInfra}: aws_vpc_security_group_ingress_rule\\.broken: .*${message.source}`)),
    ]);
  });

  it("catches another region's CloudFront prefix list (eu-west-1's in us-east-1)", () => {
    const findings = check(
      withBroken((resource) => {
        resource['aws_vpc_security_group_ingress_rule']!['origin_https-from-cloudfront_0EFA70CF']!['prefix_list_id'] = 'pl-4fa04526';
      }),
    );
    expect(findings).toEqual([
      expect.stringMatching(
        /origin_https-from-cloudfront_0EFA70CF: ingress tcp 443-443 from pl-4fa04526 \(unknown\) on a "origin-cloudfront" group, which allows 443 from CloudFront origin-facing prefix list/,
      ),
    ]);
  });

  it('catches every protocol and IPv6 ranges it cannot place', () => {
    const findings = check(
      withBroken((resource) => {
        ingress(resource, 'all', { ip_protocol: '-1', cidr_ipv4: '10.10.0.0/16', security_group_id: groupId(resource, '-data') });
        ingress(resource, 'v6', { cidr_ipv6: '::/0', from_port: 443, to_port: 443, security_group_id: groupId(resource, '-endpoints') });
      }),
    );
    expect(findings).toEqual([
      expect.stringContaining('aws_vpc_security_group_ingress_rule.all: ingress -1 undefined-undefined from 10.10.0.0/16 on a "data" group'),
      expect.stringContaining('aws_vpc_security_group_ingress_rule.v6: ingress tcp 443-443 from ::/0 (unknown) on a "endpoints" group'),
    ]);
  });

  it('catches a cluster opened to a group other than its load balancers and CI', () => {
    const findings = check(
      withBroken((resource) => {
        const appRule = resource['aws_vpc_security_group_ingress_rule']!['app-from-origin']!;
        appRule['referenced_security_group_id'] = groupId(resource, '-data');
      }),
    );
    expect(findings).toEqual([
      expect.stringMatching(
        /app-from-origin: ingress tcp 8443-8443 from .*data.* \(group data\) on a "cluster" group, which allows .*8443 from group origin-cloudfront/,
      ),
    ]);
  });

  it('catches a group with no declared purpose and inline rules', () => {
    const findings = check(
      withBroken((resource) => {
        resource['aws_security_group']!['bastion'] = {
          name: `${config.project}-${config.environment}-us-east-bastion`,
          ingress: [{ from_port: 22 }],
        };
        const data = Object.values(resource['aws_security_group']!).find((g) => String(g['name']).endsWith('-data'))!;
        data['egress'] = [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }];
      }),
    );
    const prefix = `${config.project}-${config.environment}-us-east`;
    expect(findings).toEqual([
      `${usEastInfra}: ${prefix}-data has inline egress rules; fix: use aws_vpc_security_group_egress_rule resources only`,
      `${usEastInfra}: security group ${prefix}-bastion (aws_security_group.bastion) has no purpose in SECURITY_GROUP_PURPOSES; fix: add its row (ports and peers) there`,
    ]);
  });

  it(`catches a group over AWS's ${RULES_PER_GROUP_QUOTA} inbound rules: one rule per source and port`, () => {
    // The data tier's rules grow as 4 ports x regions: 12 today, 61 with 49 more (about 16 regions).
    const findings = check(
      withBroken((resource) => {
        for (let i = 0; i < 49; i++)
          ingress(resource, `more-${i}`, {
            cidr_ipv4: '10.20.0.0/16',
            from_port: 5432,
            to_port: 5432,
            security_group_id: groupId(resource, '-data'),
          });
      }),
    );
    expect(findings).toEqual([
      expect.stringMatching(
        /^us-east-infra: \$\{aws_security_group\.network_data-tier_security-group_[0-9A-F]+\.id\} has 61 inbound rules \(prefix lists by weight\), over AWS's default 60 per group; fix: split the group or raise the quota/,
      ),
    ]);
  });

  it("counts CloudFront's origin-facing prefix list as 55 rules: six more rules on its group are over the quota", () => {
    const findings = check(
      withBroken((resource) => {
        for (let i = 0; i < 6; i++)
          ingress(resource, `checker-${i}`, {
            cidr_ipv4: '15.177.0.0/18',
            from_port: 443,
            to_port: 443,
            security_group_id: groupId(resource, '-origin-cloudfront'),
          });
      }),
    );
    expect(findings.filter((f) => f.includes('inbound rules'))).toEqual([
      expect.stringMatching(/origin_cloudfront-security-group_[0-9A-F]+\.id\} has 61 inbound rules/),
    ]);
  });
});
