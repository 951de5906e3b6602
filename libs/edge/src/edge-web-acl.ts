import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CLOUDFRONT_CONTROL_REGION } from './aws-edge-facts';

/** AWS managed rule groups every ACL runs (WAF developer guide, "AWS Managed Rules rule groups list", read 2026-11-25). */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
] as const;

export interface EdgeWebAclProps {
  readonly name: string;
  /** `CLOUDFRONT` for a distribution (the ACL must then live in us-east-1), `REGIONAL` for a load balancer. */
  readonly scope: 'CLOUDFRONT' | 'REGIONAL';
  /** Region of the provider the ACL is created with; checked against the scope. */
  readonly awsRegion: string;
  /** Requests per client IP per 5 minutes before the rate rule blocks it. */
  readonly rateLimitPerFiveMinutes: number;
  /**
   * Where the client's IP is: `source` at the edge; `x-forwarded-for` behind CloudFront, where every
   * source address is a CloudFront server and a per-source limit would throttle whole edge locations.
   * A request without the header (only the Route 53 checkers send none) is not rate limited: with
   * fallback MATCH the rule would block them, and every region would look down.
   * @default 'source'
   */
  readonly clientIp?: 'source' | 'x-forwarded-for';
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * A WAFv2 web ACL: AWS's common, known-bad-inputs and IP-reputation rule groups, then a per-IP rate
 * limit; everything else is allowed. Each rule publishes CloudWatch metrics and samples requests,
 * so a block can be explained. The same rules guard CloudFront and each regional load balancer.
 */
export class EdgeWebAcl extends Construct {
  readonly acl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    if (props.scope === 'CLOUDFRONT' && props.awsRegion !== CLOUDFRONT_CONTROL_REGION) {
      throw new Error(
        `web acl ${props.name}: scope CLOUDFRONT in ${props.awsRegion}; fix: create it with a ${CLOUDFRONT_CONTROL_REGION} provider (CloudFront takes web ACLs from us-east-1 only)`,
      );
    }
    const limit = props.rateLimitPerFiveMinutes;
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
      throw new Error(`web acl ${props.name}: rateLimitPerFiveMinutes = ${limit}; fix: use a whole number from 10 to 2000000000 (WAF's range)`);
    }
    // Rules as WAF's API JSON (`rule_json`): the provider's nested statement blocks are too deep for
    // cdktf's typed bindings, which pass them through without converting names.
    const visibility = (metric: string) => ({ CloudWatchMetricsEnabled: true, MetricName: `${props.name}-${metric}`, SampledRequestsEnabled: true });
    const rules = [
      ...MANAGED_RULE_GROUPS.map((group, i) => ({
        Name: group,
        Priority: i,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { Name: group, VendorName: 'AWS' } },
        VisibilityConfig: visibility(group),
      })),
      {
        Name: 'rate-limit-per-ip',
        Priority: MANAGED_RULE_GROUPS.length,
        Action: { Block: {} },
        Statement: {
          RateBasedStatement:
            props.clientIp === 'x-forwarded-for'
              ? { Limit: limit, AggregateKeyType: 'FORWARDED_IP', ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'NO_MATCH' } }
              : { Limit: limit, AggregateKeyType: 'IP' },
        },
        VisibilityConfig: visibility('rate-limit-per-ip'),
      },
    ];
    this.acl = new Wafv2WebAcl(this, 'acl', {
      name: props.name,
      scope: props.scope,
      description: `Managed rule groups and a per-IP rate limit (${props.scope})`,
      defaultAction: { allow: {} },
      ruleJson: JSON.stringify(rules),
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${props.name}-acl`, sampledRequestsEnabled: true },
      provider: props.provider,
    });
  }
}
