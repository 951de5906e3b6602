import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/** Ports of the data stores: Aurora PostgreSQL, Redis (TLS), ClickHouse HTTPS and native TLS. */
export const DATA_PORTS = { postgres: 5432, redis: 6379, clickhouseHttps: 8443, clickhouseNativeTls: 9440 } as const;

export interface DataTierSecurityGroupProps {
  readonly name: string;
  readonly vpcId: string;
  /** This VPC and the peered VPCs: security groups cannot be referenced across regions, so CIDRs. */
  readonly clientCidrs: readonly string[];
}

/** The data stores' security group: their ports from the platform's VPCs only, nothing from anywhere else. */
export class DataTierSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: DataTierSecurityGroupProps) {
    super(scope, id);
    const open = props.clientCidrs.find((cidr) => cidr.endsWith('/0'));
    if (open) throw new Error(`data tier ${props.name}: client CIDR ${open} opens the data ports to everyone; fix: list the VPC ranges only`);
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-data`,
      description: 'Data store ports from the platform VPCs',
      vpcId: props.vpcId,
      egress: [],
      tags: { Name: `${props.name}-data` },
    });
    for (const [service, port] of Object.entries(DATA_PORTS)) {
      props.clientCidrs.forEach((cidr) => {
        new VpcSecurityGroupIngressRule(this, `${service}-from-${cidr.replace(/[./]/g, '-')}`, {
          securityGroupId: this.securityGroup.id,
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          description: `${service} from ${cidr}`,
        });
      });
    }
  }
}
