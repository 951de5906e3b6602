import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/**
 * AWS APIs the nodes and add-ons call (image pulls, credentials, logs, node and load balancer
 * management, secrets): reached through interface endpoints instead of NAT, which removes NAT
 * data-processing charges and keeps the traffic in the region (seed: "minimize data transfer").
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  'sts',
  'logs',
  'ec2',
  'elasticloadbalancing',
  'autoscaling',
  'eks',
  'eks-auth',
  'kms',
  'secretsmanager',
] as const;

export interface VpcEndpointsProps {
  readonly name: string;
  readonly awsRegion: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Interface endpoints get a network interface in each of these. */
  readonly subnetIds: readonly string[];
  /** The S3 gateway endpoint is added to these route tables (private and data tiers). */
  readonly routeTableIds: readonly string[];
}

/** The S3 gateway endpoint (free) and the interface endpoints, reachable on 443 from the VPC only. */
export class VpcEndpoints extends Construct {
  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    new VpcEndpoint(this, 's3', {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.awsRegion}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...props.routeTableIds],
      tags: { Name: `${props.name}-s3` },
    });

    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-endpoints`,
      description: 'HTTPS from the VPC to AWS API endpoints',
      vpcId: props.vpcId,
      egress: [],
      tags: { Name: `${props.name}-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'https-from-vpc', {
      securityGroupId: securityGroup.id,
      cidrIpv4: props.vpcCidr,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS from the VPC',
    });
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.awsRegion}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [securityGroup.id],
        tags: { Name: `${props.name}-${service}` },
      });
    }
  }
}
