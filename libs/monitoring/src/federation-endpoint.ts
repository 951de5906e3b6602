import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { ALB_TLS_POLICY } from '@platform/config';
import { DnsValidatedCertificate, loadBalancerName } from '@platform/edge';
import { Construct } from 'constructs';

/** Prometheus's HTTP port (its default, `--web.listen-address=:9090`), where `/federate` is served. */
export const PROMETHEUS_PORT = 9090;

export interface FederationEndpointProps {
  /** Prefix of every name, e.g. `254carbon-prod-us-east`. */
  readonly name: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** One private subnet per zone. */
  readonly privateSubnetIds: string[];
  /** VPC CIDRs of the regions whose Prometheus and Grafana read this one (over the peering). */
  readonly readerCidrs: string[];
  /** Security group of the cluster's nodes, where the Prometheus pod (an IP target) runs. */
  readonly clusterSecurityGroupId: string;
  /** The endpoint's name (`prometheus.<region>.<domain>`): the certificate's subject and an alias record. */
  readonly domainName: string;
  /** Public zone of the platform's domain (certificate validation and the alias record). */
  readonly hostedZoneId: string;
}

/**
 * How another region's global Prometheus and Grafana reach this region's Prometheus: an internal
 * Network Load Balancer in the private subnets, reachable on 9090 only from the peered VPCs' CIDRs,
 * forwarding to the Prometheus pod (IP target, registered by a TargetGroupBinding in the platform
 * stack, so the load balancer controller never creates load balancers). Cross-region traffic goes
 * over the VPC peering mesh (CIDR-based rules: security groups cannot be referenced across regions).
 * The listener is TLS (the TLS 1.3-only policy, an ACM certificate for `domainName`, whose alias
 * record resolves to the load balancer's private addresses), so readers verify who they talk to
 * and nothing crosses regions in the clear; from the load balancer to the pod it is plain HTTP
 * inside the VPC, as for the origin.
 */
export class FederationEndpoint extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  /** `host:port` readers use (the certificate's name). */
  readonly address: string;

  constructor(scope: Construct, id: string, props: FederationEndpointProps) {
    super(scope, id);
    if (props.privateSubnetIds.length < 2)
      throw new Error(`federation endpoint ${props.name}: ${props.privateSubnetIds.length} private subnet(s); fix: pass one per zone`);
    if (props.readerCidrs.length === 0)
      throw new Error(`federation endpoint ${props.name}: no reader CIDRs; fix: pass the peered regions' VPC CIDRs (nobody else may read it)`);

    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-prometheus-federation`,
      description: 'Prometheus federation from the peered regions only',
      vpcId: props.vpcId,
      egress: [],
      tags: { Name: `${props.name}-prometheus-federation` },
    });
    props.readerCidrs.forEach((cidr) => {
      new VpcSecurityGroupIngressRule(this, `from-${cidr.replace(/[./]/g, '-')}`, {
        securityGroupId: securityGroup.id,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: PROMETHEUS_PORT,
        toPort: PROMETHEUS_PORT,
        description: 'Prometheus federation and Grafana queries from a peered region',
      });
    });
    new VpcSecurityGroupEgressRule(this, 'to-prometheus', {
      securityGroupId: securityGroup.id,
      cidrIpv4: props.vpcCidr,
      ipProtocol: 'tcp',
      fromPort: PROMETHEUS_PORT,
      toPort: PROMETHEUS_PORT,
      description: 'To the Prometheus pod (IP target) in this VPC',
    });
    // The pod sees the load balancer's address (client IP preservation is off for TCP IP targets).
    new VpcSecurityGroupIngressRule(this, 'prometheus-from-load-balancer', {
      securityGroupId: props.clusterSecurityGroupId,
      referencedSecurityGroupId: securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: PROMETHEUS_PORT,
      toPort: PROMETHEUS_PORT,
      description: 'Prometheus from the federation load balancer',
    });

    this.loadBalancer = new Lb(this, 'load-balancer', {
      name: loadBalancerName(`${props.name}-prom`),
      loadBalancerType: 'network',
      internal: true,
      subnets: props.privateSubnetIds,
      securityGroups: [securityGroup.id],
      enableCrossZoneLoadBalancing: true,
      tags: { Name: `${props.name}-prometheus-federation` },
    });
    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      name: loadBalancerName(`${props.name}-prom`),
      targetType: 'ip',
      protocol: 'TCP',
      port: PROMETHEUS_PORT,
      vpcId: props.vpcId,
      deregistrationDelay: '30',
      healthCheck: { enabled: true, protocol: 'HTTP', path: '/-/ready', port: 'traffic-port', matcher: '200' },
    });
    const certificate = new DnsValidatedCertificate(this, 'certificate', { domainNames: [props.domainName], hostedZoneId: props.hostedZoneId });
    new Route53Record(this, 'record', {
      zoneId: props.hostedZoneId,
      name: props.domainName,
      type: 'A',
      alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: false },
    });
    new LbListener(this, 'listener', {
      loadBalancerArn: this.loadBalancer.arn,
      port: PROMETHEUS_PORT,
      protocol: 'TLS',
      sslPolicy: ALB_TLS_POLICY,
      certificateArn: certificate.certificateArn,
      defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
    });
    this.address = `${props.domainName}:${PROMETHEUS_PORT}`;
  }
}
