import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/** The two kinds of CI runner that reach a cluster: plans of pull requests, and applies of main. */
export const CI_RUNNER_ROLES = ['plan', 'apply'] as const;
export type CiRunnerRole = (typeof CI_RUNNER_ROLES)[number];

/** The GitHub runner label of a region's runner group, e.g. `prod-us-east-apply`; the workflows use the same. */
export function ciRunnerLabel(githubEnvironmentPrefix: string, regionName: string, role: CiRunnerRole): string {
  return `${githubEnvironmentPrefix}-${regionName}-${role}`;
}

export interface CiRunnerAccessProps {
  /** Prefix of the security group names, e.g. the cluster name. */
  readonly name: string;
  readonly vpcId: string;
  /** The cluster security group EKS made (it guards the private API endpoint's interfaces). */
  readonly clusterSecurityGroupId: string;
}

/**
 * The one network path into the private API endpoint from CI: a security group per runner group
 * (plan runners for pull requests, apply runners for main, kept apart so untrusted pull-request code
 * never runs where prod is applied), each allowed 443 into the cluster security group and nothing
 * else. Self-hosted runners in this VPC launch with their group's security group.
 */
export class CiRunnerAccess extends Construct {
  readonly securityGroupIds: Readonly<Record<CiRunnerRole, string>>;

  constructor(scope: Construct, id: string, props: CiRunnerAccessProps) {
    super(scope, id);
    const ids: Partial<Record<CiRunnerRole, string>> = {};
    for (const role of CI_RUNNER_ROLES) {
      const name = `${props.name}-ci-${role}-runners`;
      const group = new SecurityGroup(this, `${role}-runners`, {
        name,
        description: `CI ${role} runners that reach the cluster API`,
        vpcId: props.vpcId,
        egress: [],
        tags: { Name: name },
      });
      // Runners talk HTTPS only: GitHub, AWS APIs (through NAT or endpoints) and the cluster API.
      new VpcSecurityGroupEgressRule(this, `${role}-runners-https-out`, {
        securityGroupId: group.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'HTTPS out',
      });
      new VpcSecurityGroupIngressRule(this, `api-from-${role}-runners`, {
        securityGroupId: props.clusterSecurityGroupId,
        referencedSecurityGroupId: group.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: `Kubernetes API from CI ${role} runners`,
      });
      ids[role] = group.id;
    }
    this.securityGroupIds = ids as Record<CiRunnerRole, string>;
  }
}
