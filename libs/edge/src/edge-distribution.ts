import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontMonitoringSubscription } from '@cdktf/provider-aws/lib/cloudfront-monitoring-subscription';
import { CloudfrontOriginRequestPolicy } from '@cdktf/provider-aws/lib/cloudfront-origin-request-policy';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CLOUDFRONT_CONTROL_REGION, CLOUDFRONT_HOSTED_ZONE_ID } from './aws-edge-facts';
import { DnsValidatedCertificate } from './dns-validated-certificate';
import { EdgeWebAcl } from './edge-web-acl';
import { ORIGIN_VERIFY_HEADER } from './origin-load-balancer';
import { CLOUDFRONT_ORIGIN_TLS, CLOUDFRONT_VIEWER_TLS } from '@platform/config';

/** Methods an origin group may serve: CloudFront fails over only GET, HEAD and OPTIONS (developer guide, "origin failover", read 2026-11-25). */
export const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'];
/** Origin answers that send a read to the second origin of the group. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];
export const LATENCY_ORIGIN_ID = 'latency-routed';
export const FAILOVER_GROUP_ID = 'read-failover';

export interface CachedPath {
  readonly pattern: string;
  readonly cache: 'static' | 'api-read';
  readonly allowedMethods: readonly string[];
}

export interface EdgeDistributionProps {
  /** Prefix of the policy and ACL names. */
  readonly name: string;
  /** The platform's domain: the distribution's alias and certificate name, and the zone's apex. */
  readonly domainName: string;
  readonly hostedZoneId: string;
  /** Region of `provider`; CloudFront's certificate and web ACL must be created in us-east-1. */
  readonly awsRegion: string;
  /** The latency-routed origin name every write and uncached request goes to. */
  readonly latencyOriginDomainName: string;
  /** The two regional origin names the cached paths fail over between, preferred first. */
  readonly failoverOriginDomainNames: readonly [string, string];
  /** The secret the origins' listeners require in X-Origin-Verify. */
  readonly originVerifyValue: string;
  readonly cachedPaths: readonly CachedPath[];
  readonly rateLimitPerFiveMinutes: number;
  readonly priceClass: string;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * The platform's front door. Every request reaches CloudFront (HTTP/2 and 3, HTTPS only, the
 * strongest viewer TLS the provider accepts, a CLOUDFRONT-scope WAF ACL, certificate and ACL both
 * in us-east-1). The default behavior, which carries every write, goes to the latency-routed origin
 * name, so Route 53 picks the nearest healthy region. Read-only cached paths go to an origin group of
 * two regional origins that fails over on 5xx and timeouts (origin groups cannot serve writes). Every
 * origin request carries the origin secret and uses TLS 1.2 (CloudFront's highest to origins).
 */
export class EdgeDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly webAcl: EdgeWebAcl;
  readonly certificate: DnsValidatedCertificate;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const provider = props.provider;
    if (props.awsRegion !== CLOUDFRONT_CONTROL_REGION) {
      throw new Error(
        `edge distribution ${props.name}: provider region ${props.awsRegion}; fix: create it with a ${CLOUDFRONT_CONTROL_REGION} provider (CloudFront takes its ACM certificate and web ACL from us-east-1 only)`,
      );
    }
    for (const path of props.cachedPaths) {
      const writes = path.allowedMethods.filter((m) => !(READ_METHODS as readonly string[]).includes(m));
      if (writes.length)
        throw new Error(
          `edge distribution ${props.name}: cached path ${path.pattern} allows ${writes.join(', ')} but is served by an origin group; fix: remove the write methods (writes go to the default behavior)`,
        );
    }
    if (props.failoverOriginDomainNames[0] === props.failoverOriginDomainNames[1])
      throw new Error(`edge distribution ${props.name}: both failover origins are ${props.failoverOriginDomainNames[0]}; fix: name two regions`);

    this.certificate = new DnsValidatedCertificate(this, 'certificate', {
      domainNames: [props.domainName],
      hostedZoneId: props.hostedZoneId,
      provider,
    });
    this.webAcl = new EdgeWebAcl(this, 'web-acl', {
      name: `${props.name}-edge`,
      scope: 'CLOUDFRONT',
      awsRegion: props.awsRegion,
      rateLimitPerFiveMinutes: props.rateLimitPerFiveMinutes,
      provider,
    });

    const encodings = { enableAcceptEncodingGzip: true, enableAcceptEncodingBrotli: true };
    const none = {
      cookiesConfig: { cookieBehavior: 'none' },
      headersConfig: { headerBehavior: 'none' },
      queryStringsConfig: { queryStringBehavior: 'none' },
    };
    // Seed "cache optimization": static assets for a day (a year at most), API reads for seconds.
    const staticPolicy = new CloudfrontCachePolicy(this, 'cache-static', {
      name: `${props.name}-static`,
      comment: 'Static assets: long TTL, no cookies, headers or query strings in the key',
      minTtl: 0,
      defaultTtl: 86_400,
      maxTtl: 31_536_000,
      parametersInCacheKeyAndForwardedToOrigin: { ...encodings, ...none },
      provider,
    });
    // Authorization is in the key so one user's response is never served to another.
    const apiReadPolicy = new CloudfrontCachePolicy(this, 'cache-api-read', {
      name: `${props.name}-api-read`,
      comment: 'API reads: seconds, keyed by query string and Authorization',
      minTtl: 0,
      defaultTtl: 5,
      maxTtl: 60,
      parametersInCacheKeyAndForwardedToOrigin: {
        ...encodings,
        cookiesConfig: { cookieBehavior: 'none' },
        headersConfig: { headerBehavior: 'whitelist', headers: { items: ['Authorization'] } },
        queryStringsConfig: { queryStringBehavior: 'all' },
      },
      provider,
    });
    // Writes and dynamic pages: not cached (max 1 s so Authorization may be a key header and so reach the origin).
    const dynamicPolicy = new CloudfrontCachePolicy(this, 'cache-dynamic', {
      name: `${props.name}-dynamic`,
      comment: 'Dynamic requests: effectively uncached; forwards Authorization, cookies and query strings',
      minTtl: 0,
      defaultTtl: 0,
      maxTtl: 1,
      parametersInCacheKeyAndForwardedToOrigin: {
        ...encodings,
        cookiesConfig: { cookieBehavior: 'all' },
        headersConfig: { headerBehavior: 'whitelist', headers: { items: ['Authorization'] } },
        queryStringsConfig: { queryStringBehavior: 'all' },
      },
      provider,
    });
    // What the application reads beyond the cache key; never Host (the origin's certificate is for its own name).
    const originRequest = new CloudfrontOriginRequestPolicy(this, 'origin-request', {
      name: `${props.name}-app`,
      comment: 'Headers the application needs, without Host',
      cookiesConfig: { cookieBehavior: 'none' },
      headersConfig: {
        headerBehavior: 'whitelist',
        headers: { items: ['Accept', 'Accept-Language', 'Content-Type', 'Origin', 'Referer', 'User-Agent', 'CloudFront-Viewer-Country'] },
      },
      queryStringsConfig: { queryStringBehavior: 'none' },
      provider,
    });

    const origin = (originId: string, domainName: string) => ({
      originId,
      domainName,
      connectionAttempts: 3,
      connectionTimeout: 10,
      customHeader: [{ name: ORIGIN_VERIFY_HEADER, value: props.originVerifyValue }],
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: 'https-only',
        originSslProtocols: CLOUDFRONT_ORIGIN_TLS,
        originKeepaliveTimeout: 5,
        originReadTimeout: 30,
      },
    });
    const [primaryName, secondaryName] = props.failoverOriginDomainNames;
    const behavior = { viewerProtocolPolicy: 'redirect-to-https', compress: true, originRequestPolicyId: originRequest.id };

    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: `${props.name}: latency-routed origin, read failover between two regions`,
      aliases: [props.domainName],
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      priceClass: props.priceClass,
      webAclId: this.webAcl.acl.arn,
      origin: [
        origin(LATENCY_ORIGIN_ID, props.latencyOriginDomainName),
        origin('failover-primary', primaryName),
        origin('failover-secondary', secondaryName),
      ],
      originGroup: [
        {
          originId: FAILOVER_GROUP_ID,
          failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES },
          member: [{ originId: 'failover-primary' }, { originId: 'failover-secondary' }],
        },
      ],
      defaultCacheBehavior: {
        ...behavior,
        targetOriginId: LATENCY_ORIGIN_ID,
        allowedMethods: ALL_METHODS,
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: dynamicPolicy.id,
      },
      orderedCacheBehavior: props.cachedPaths.map((path) => ({
        ...behavior,
        pathPattern: path.pattern,
        targetOriginId: FAILOVER_GROUP_ID,
        allowedMethods: [...path.allowedMethods],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: path.cache === 'static' ? staticPolicy.id : apiReadPolicy.id,
      })),
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: {
        acmCertificateArn: this.certificate.certificateArn,
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: CLOUDFRONT_VIEWER_TLS,
      },
      provider,
    });
    // Origin latency and cache-hit-rate metrics (the monitoring issue alarms on them); priced per metric.
    new CloudfrontMonitoringSubscription(this, 'additional-metrics', {
      distributionId: this.distribution.id,
      monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: 'Enabled' } },
      provider,
    });
    for (const type of ['A', 'AAAA']) {
      new Route53Record(this, `alias-${type.toLowerCase()}`, {
        zoneId: props.hostedZoneId,
        name: props.domainName,
        type,
        alias: { name: this.distribution.domainName, zoneId: CLOUDFRONT_HOSTED_ZONE_ID, evaluateTargetHealth: false },
        provider,
      });
    }
  }
}
