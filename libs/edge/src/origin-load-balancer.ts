import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { SecureBucket } from '@platform/secure-bucket';
import { preventDestroy } from '@platform/stack-kit';
import { Construct } from 'constructs';
import { cloudFrontOriginPrefixList, elbLogDeliveryAccount, HEALTH_CHECKER_CIDRS } from './aws-edge-facts';
import { DnsValidatedCertificate } from './dns-validated-certificate';
import { EdgeWebAcl } from './edge-web-acl';
import { ALB_TLS_POLICY } from '@platform/config';

/** The header CloudFront adds to every origin request; the listener forwards only requests that carry it. */
export const ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';
const ACCESS_LOG_PREFIX = 'alb';

export interface OriginLoadBalancerProps {
  /** Prefix of every name, e.g. `254carbon-prod-us-east`. */
  readonly name: string;
  readonly awsRegion: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** One public subnet per zone. */
  readonly publicSubnetIds: string[];
  /**
   * Names the load balancer answers to, the first its own (e.g. `us-east.origin.example.com`, which
   * this construct points at it), then shared names whose records live elsewhere (the latency-routed
   * `origin.example.com`). CloudFront checks the origin's certificate against the name it connects to.
   */
  readonly originDomainNames: readonly string[];
  readonly hostedZoneId: string;
  /** The application's port on its pods (IP targets). */
  readonly targetPort: number;
  /** Health path of the application, checked over HTTPS. */
  readonly healthCheckPath: string;
  /** Seconds between the load balancer's checks of each target. @default 10 */
  readonly healthCheckIntervalSeconds?: number;
  /** Values of X-Origin-Verify the listener accepts: the current secret and, during a rotation, the previous one. */
  readonly originVerifyValues: string[];
  readonly rateLimitPerFiveMinutes: number;
  /** Access logs are deleted after this many days. @default 90 */
  readonly accessLogRetentionDays?: number;
}

/**
 * A region's entry point: an internet-facing ALB that only CloudFront (and the Route 53 health
 * checkers, on the health path) can reach. Its security groups admit CloudFront's origin-facing
 * prefix list and the checkers' ranges on 443 and nothing else; its only listener is HTTPS with the
 * TLS 1.3-only policy and forwards to the application only requests carrying the origin secret
 * CloudFront sends (anything else gets 403), plus the health path for the checkers. Invalid headers
 * are dropped, deletion is protected, a regional WAF ACL is attached and access logs go to a
 * bucket of their own. The target group (IP targets) is what the application's TargetGroupBinding
 * attaches to.
 */
export class OriginLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly securityGroupIds: { readonly cloudFront: string; readonly healthCheckers: string };
  readonly certificate: DnsValidatedCertificate;
  readonly logBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: OriginLoadBalancerProps) {
    super(scope, id);
    if (props.publicSubnetIds.length < 2)
      throw new Error(
        `origin load balancer ${props.name}: ${props.publicSubnetIds.length} public subnet(s); fix: pass one per zone (an ALB needs at least two zones)`,
      );
    if (!props.healthCheckPath.startsWith('/'))
      throw new Error(`origin load balancer ${props.name}: healthCheckPath = "${props.healthCheckPath}"; fix: use an absolute path such as /healthz`);
    if (props.originVerifyValues.length < 1 || props.originVerifyValues.length > 2)
      throw new Error(
        `origin load balancer ${props.name}: ${props.originVerifyValues.length} origin secrets; fix: pass the current one and at most the previous one`,
      );
    const interval = props.healthCheckIntervalSeconds ?? 10;

    // CloudFront's prefix list weighs 55 of a group's 60 rules, so the checkers get a group of their own.
    const cloudFront = new SecurityGroup(this, 'cloudfront-security-group', {
      name: `${props.name}-origin-cloudfront`,
      description: 'HTTPS from CloudFront origin-facing servers only',
      vpcId: props.vpcId,
      egress: [],
      tags: { Name: `${props.name}-origin-cloudfront` },
    });
    new VpcSecurityGroupIngressRule(this, 'https-from-cloudfront', {
      securityGroupId: cloudFront.id,
      prefixListId: cloudFrontOriginPrefixList(props.awsRegion),
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS from CloudFront origin-facing servers',
    });
    new VpcSecurityGroupEgressRule(this, 'to-targets', {
      securityGroupId: cloudFront.id,
      cidrIpv4: props.vpcCidr,
      ipProtocol: 'tcp',
      fromPort: props.targetPort,
      toPort: props.targetPort,
      description: 'To the application pods (IP targets) in this VPC',
    });
    const checkers = new SecurityGroup(this, 'health-checker-security-group', {
      name: `${props.name}-origin-health-checkers`,
      description: 'HTTPS from Route 53 health checkers only',
      vpcId: props.vpcId,
      egress: [],
      tags: { Name: `${props.name}-origin-health-checkers` },
    });
    HEALTH_CHECKER_CIDRS.forEach((cidr) => {
      new VpcSecurityGroupIngressRule(this, `https-from-health-checkers-${cidr.replace(/[./]/g, '-')}`, {
        securityGroupId: checkers.id,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'HTTPS from Route 53 health checkers',
      });
    });
    this.securityGroupIds = { cloudFront: cloudFront.id, healthCheckers: checkers.id };

    // ALB log delivery accepts only SSE-S3 buckets: "The only server-side encryption option that's
    // supported is Amazon S3-managed keys (SSE-S3)" (ELB user guide, bucket requirements on "Enable
    // health check logs for your Application Load Balancer", read 2026-11-25; aws-cdk issue 21947
    // shows access logs failing on a KMS bucket), as the audit trail's log bucket does for S3.
    const bucketName = `${props.name}-alb-logs-${props.accountId}`;
    this.logBucket = new SecureBucket(this, 'access-logs', {
      bucketName,
      s3ManagedEncryptionReason: 'ALB access log delivery supports only SSE-S3 buckets',
      expireObjectsAfterDays: props.accessLogRetentionDays ?? 90,
      extraPolicyStatements: [
        {
          sid: 'ElbAccessLogDelivery',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [`arn:aws:iam::${elbLogDeliveryAccount(props.awsRegion)}:root`] }],
          actions: ['s3:PutObject'],
          resources: [`arn:aws:s3:::${bucketName}/${ACCESS_LOG_PREFIX}/AWSLogs/${props.accountId}/*`],
        },
      ],
    });

    this.loadBalancer = preventDestroy(
      new Lb(this, 'load-balancer', {
        name: loadBalancerName(props.name),
        loadBalancerType: 'application',
        internal: false,
        subnets: props.publicSubnetIds,
        securityGroups: [cloudFront.id, checkers.id],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        idleTimeout: 60,
        accessLogs: { bucket: this.logBucket.bucket.bucket, prefix: ACCESS_LOG_PREFIX, enabled: true },
        // ELB checks it can write when logging is turned on: the bucket policy must exist first.
        dependsOn: [this.logBucket.policy],
      }),
    );

    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      name: loadBalancerName(`${props.name}-app`),
      targetType: 'ip',
      protocol: 'HTTPS',
      port: props.targetPort,
      vpcId: props.vpcId,
      deregistrationDelay: '30',
      healthCheck: {
        enabled: true,
        protocol: 'HTTPS',
        path: props.healthCheckPath,
        port: 'traffic-port',
        matcher: '200',
        interval,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });

    this.certificate = new DnsValidatedCertificate(this, 'certificate', { domainNames: props.originDomainNames, hostedZoneId: props.hostedZoneId });
    // The region's own origin name: origin groups and health checks reach this region by it.
    new Route53Record(this, 'origin-record', {
      zoneId: props.hostedZoneId,
      name: props.originDomainNames[0]!,
      type: 'A',
      alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
    });
    const listener = new LbListener(this, 'https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: ALB_TLS_POLICY,
      certificateArn: this.certificate.certificateArn,
      // Anything that did not come through CloudFront with the secret.
      defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '403', messageBody: 'Forbidden' } }],
    });
    new LbListenerRule(this, 'from-cloudfront', {
      listenerArn: listener.arn,
      priority: 10,
      condition: [{ httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: props.originVerifyValues } }],
      action: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
    });
    // Route 53 checkers cannot send headers: they may reach the health path (GET only) and nothing else.
    new LbListenerRule(this, 'health-checks', {
      listenerArn: listener.arn,
      priority: 20,
      condition: [{ pathPattern: { values: [props.healthCheckPath] } }, { httpRequestMethod: { values: ['GET'] } }],
      action: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
    });

    const acl = new EdgeWebAcl(this, 'web-acl', {
      name: `${props.name}-origin`,
      scope: 'REGIONAL',
      awsRegion: props.awsRegion,
      rateLimitPerFiveMinutes: props.rateLimitPerFiveMinutes,
      clientIp: 'x-forwarded-for',
    });
    new Wafv2WebAclAssociation(this, 'web-acl-association', { resourceArn: this.loadBalancer.arn, webAclArn: acl.acl.arn });
  }
}

/** ALB and target group names: at most 32 characters, letters, digits and hyphens. */
export function loadBalancerName(name: string): string {
  if (name.length <= 32) return name;
  throw new Error(`load balancer name "${name}" has ${name.length} characters; fix: shorten the project, environment or region name (AWS allows 32)`);
}
