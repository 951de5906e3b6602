import { PlatformStack, onlyResource, regionalAwsProvider, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { TerraformOutput, Testing } from 'cdktf';
import {
  CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS,
  cloudFrontOriginPrefixList,
  ELB_LOG_DELIVERY_ACCOUNTS,
  elbLogDeliveryAccount,
} from './aws-edge-facts';
import { DistributionAccessLogs } from './distribution-access-logs';
import { DnsValidatedCertificate } from './dns-validated-certificate';
import { EdgeDistribution, type EdgeDistributionProps } from './edge-distribution';
import { EdgeWebAcl } from './edge-web-acl';
import { loadBalancerName, OriginLoadBalancer, type OriginLoadBalancerProps } from './origin-load-balancer';
import { OriginRouting, type OriginRoutingProps, type RoutedRegion } from './origin-routing';
import { OriginVerifySecret } from './origin-verify-secret';

const context = testContext();
const newStack = (name = 'us-east-infra', awsRegion = 'us-east-1') => {
  const stack = new PlatformStack(Testing.app(), name, context);
  regionalAwsProvider(stack, 'aws', { config: context.config, awsRegion, stackName: name });
  return stack;
};
/** Minimal valid OriginLoadBalancer props; each test overrides what it checks. */
const minimalOrigin = (overrides: Partial<OriginLoadBalancerProps> = {}): OriginLoadBalancerProps => ({
  name: 'x',
  awsRegion: 'us-east-1',
  accountId: '111111111111',
  vpcId: 'v',
  vpcCidr: '10.0.0.0/16',
  publicSubnetIds: ['a', 'b'],
  originDomainNames: ['a.example.com'],
  hostedZoneId: 'Z',
  targetPort: 8443,
  healthCheckPath: '/healthz',
  originVerifyValues: ['c'],
  rateLimitPerFiveMinutes: 100,
  ...overrides,
});
type Rule = { Name: string; Priority: number; Statement: Record<string, Record<string, unknown>>; Action?: object; OverrideAction?: object };

describe('OriginLoadBalancer', () => {
  const stack = newStack();
  new OriginLoadBalancer(stack, 'origin', {
    name: '254carbon-prod-us-east',
    awsRegion: 'us-east-1',
    accountId: '111111111111',
    vpcId: 'vpc-1',
    vpcCidr: '10.10.0.0/16',
    publicSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
    originDomainNames: ['us-east.origin.example.com', 'origin.example.com'],
    hostedZoneId: 'Z1',
    targetPort: 8443,
    healthCheckPath: '/healthz',
    originVerifyValues: ['current', 'previous'],
    rateLimitPerFiveMinutes: 2000,
  });
  const json = synthesizeStack(stack);
  const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));

  it("admits CloudFront's origin-facing prefix list and the Route 53 checkers on 443, and nothing else", () => {
    expect(ingress.filter((r) => r['prefix_list_id']).map((r) => [r['prefix_list_id'], r['from_port'], r['to_port']])).toEqual([
      ['pl-3b927c52', 443, 443],
    ]);
    expect(
      ingress
        .filter((r) => r['cidr_ipv4'])
        .map((r) => r['cidr_ipv4'])
        .sort(),
    ).toEqual([
      '107.23.255.0/26',
      '15.177.0.0/18',
      '176.34.159.192/26',
      '54.228.16.0/26',
      '54.243.31.192/26',
      '54.251.31.128/26',
      '54.255.254.192/26',
    ]);
    expect(ingress.every((r) => r['from_port'] === 443 && r['to_port'] === 443 && r['ip_protocol'] === 'tcp')).toBe(true);
    expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule')).map((r) => [r['cidr_ipv4'], r['from_port']])).toEqual([
      ['10.10.0.0/16', 8443],
    ]);
  });

  it('is internet-facing in the public subnets, drops invalid headers, is protected, and logs to its bucket', () => {
    expect(onlyResource(json, 'aws_lb')).toMatchObject({
      internal: false,
      load_balancer_type: 'application',
      subnets: ['subnet-a', 'subnet-b', 'subnet-c'],
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: { enabled: true, prefix: 'alb' },
      lifecycle: { prevent_destroy: true },
    });
    expect(String((onlyResource(json, 'aws_lb')['depends_on'] as string[])[0])).toMatch(/^aws_s3_bucket_policy\./);
    const sse = onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration') as {
      rule: { apply_server_side_encryption_by_default: { sse_algorithm: string } }[];
    };
    expect(sse.rule[0]!.apply_server_side_encryption_by_default.sse_algorithm).toBe('AES256');
    const doc = Object.values(json.data?.['aws_iam_policy_document'] ?? {})[0] as {
      statement: { sid?: string; principals?: { identifiers: string[] }[]; resources?: string[] }[];
    };
    expect(doc.statement.find((s) => s.sid === 'ElbAccessLogDelivery')).toMatchObject({
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::127311923021:root'] }],
      resources: ['arn:aws:s3:::254carbon-prod-us-east-alb-logs-111111111111/alb/AWSLogs/111111111111/*'],
    });
  });

  it('listens on HTTPS only, TLS 1.3 only, forwarding only requests with the origin secret (or the health path)', () => {
    const listener = onlyResource(json, 'aws_lb_listener');
    expect(listener).toMatchObject({
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
      default_action: [{ type: 'fixed-response', fixed_response: { status_code: '403' } }],
    });
    expect(String(listener['certificate_arn'])).toMatch(/^\$\{aws_acm_certificate_validation\./);
    const rules = Object.values(resourcesOf(json, 'aws_lb_listener_rule')).map((r) => [r['priority'], r['condition']]);
    expect(rules).toEqual([
      [10, [{ http_header: { http_header_name: 'X-Origin-Verify', values: ['current', 'previous'] } }]],
      [20, [{ path_pattern: { values: ['/healthz'] } }, { http_request_method: { values: ['GET'] } }]],
    ]);
  });

  it('targets the pods by IP over HTTPS, health-checked on the real path', () => {
    expect(onlyResource(json, 'aws_lb_target_group')).toMatchObject({
      target_type: 'ip',
      protocol: 'HTTPS',
      port: 8443,
      health_check: { protocol: 'HTTPS', path: '/healthz', matcher: '200', interval: 10 },
    });
  });

  it('certifies its own name and the shared origin name, validated in the zone, and points its own name at itself', () => {
    expect(onlyResource(json, 'aws_acm_certificate')).toMatchObject({
      domain_name: 'us-east.origin.example.com',
      subject_alternative_names: ['origin.example.com'],
      validation_method: 'DNS',
    });
    const records = Object.values(resourcesOf(json, 'aws_route53_record'));
    expect(records.filter((r) => r['alias'])).toEqual([
      expect.objectContaining({
        name: 'us-east.origin.example.com',
        type: 'A',
        zone_id: 'Z1',
        alias: expect.objectContaining({ evaluate_target_health: true }),
      }),
    ]);
    expect(records.filter((r) => !r['alias'])).toHaveLength(2);
  });

  it('attaches a regional web ACL that limits clients by their forwarded address (every source is CloudFront)', () => {
    const acl = onlyResource(json, 'aws_wafv2_web_acl');
    expect(acl['scope']).toBe('REGIONAL');
    const rate = (JSON.parse(String(acl['rule_json'])) as Rule[]).find((r) => r.Name === 'rate-limit-per-ip')!;
    expect(rate.Statement['RateBasedStatement']).toEqual({
      Limit: 2000,
      AggregateKeyType: 'FORWARDED_IP',
      ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'NO_MATCH' },
    });
    expect(String(onlyResource(json, 'aws_wafv2_web_acl_association')['resource_arn'])).toMatch(/^\$\{aws_lb\./);
  });

  it('refuses a single subnet, a relative health path and more than two origin secrets', () => {
    const base = minimalOrigin();
    expect(() => new OriginLoadBalancer(newStack(), 'o', { ...base, publicSubnetIds: ['a'] })).toThrow(
      'x: 1 public subnet(s); fix: pass one per zone',
    );
    expect(() => new OriginLoadBalancer(newStack(), 'o', { ...base, healthCheckPath: 'healthz' })).toThrow(
      'healthCheckPath = "healthz"; fix: use an absolute path',
    );
    expect(() => new OriginLoadBalancer(newStack(), 'o', { ...base, originVerifyValues: ['a', 'b', 'c'] })).toThrow('3 origin secrets');
    expect(() => new OriginLoadBalancer(newStack('x', 'af-south-1'), 'o', { ...base, awsRegion: 'af-south-1' })).toThrow(
      'no CloudFront origin-facing prefix list id is recorded for af-south-1',
    );
  });
});

describe('EdgeWebAcl', () => {
  it('runs the three AWS managed groups without overriding their actions, then blocks per source IP over the limit', () => {
    const stack = newStack('global-edge');
    new EdgeWebAcl(stack, 'acl', { name: 'edge', scope: 'CLOUDFRONT', awsRegion: 'us-east-1', rateLimitPerFiveMinutes: 500 });
    const rules = JSON.parse(String(onlyResource(synthesizeStack(stack), 'aws_wafv2_web_acl')['rule_json'])) as Rule[];
    expect(rules.map((r) => [r.Priority, r.Name, r.OverrideAction ?? r.Action])).toEqual([
      [0, 'AWSManagedRulesCommonRuleSet', { None: {} }],
      [1, 'AWSManagedRulesKnownBadInputsRuleSet', { None: {} }],
      [2, 'AWSManagedRulesAmazonIpReputationList', { None: {} }],
      [3, 'rate-limit-per-ip', { Block: {} }],
    ]);
    expect(rules[0]!.Statement['ManagedRuleGroupStatement']).toEqual({ Name: 'AWSManagedRulesCommonRuleSet', VendorName: 'AWS' });
    expect(rules[3]!.Statement['RateBasedStatement']).toEqual({ Limit: 500, AggregateKeyType: 'IP' });
  });

  it('refuses a CLOUDFRONT-scope ACL outside us-east-1 and a rate limit WAF does not take', () => {
    expect(
      () => new EdgeWebAcl(newStack(), 'a', { name: 'edge', scope: 'CLOUDFRONT', awsRegion: 'eu-west-1', rateLimitPerFiveMinutes: 500 }),
    ).toThrow('web acl edge: scope CLOUDFRONT in eu-west-1; fix: create it with a us-east-1 provider');
    expect(() => new EdgeWebAcl(newStack(), 'a', { name: 'edge', scope: 'REGIONAL', awsRegion: 'eu-west-1', rateLimitPerFiveMinutes: 5 })).toThrow(
      'rateLimitPerFiveMinutes = 5',
    );
  });
});

const region = (name: string, awsRegion: string, weightPercent = 100, geoproximityBias = 0): RoutedRegion => ({
  name,
  awsRegion,
  originDomainName: `${name}.origin.example.com`,
  loadBalancerDnsName: `${name}-alb.elb.amazonaws.com`,
  loadBalancerZoneId: `Z-${name}`,
  weightPercent,
  geoproximityBias,
});
const routingProps = (regions: RoutedRegion[], overrides: Partial<OriginRoutingProps> = {}): OriginRoutingProps => ({
  hostedZoneId: 'Z1',
  latencyDomainName: 'origin.example.com',
  geoproximityDomainName: 'geo.origin.example.com',
  regions,
  fallbackRegion: 'us-east',
  healthCheckPath: '/healthz',
  healthCheckIntervalSeconds: 10,
  healthCheckFailureThreshold: 3,
  ...overrides,
});

describe('OriginRouting', () => {
  const stack = newStack('global-edge');
  new OriginRouting(
    stack,
    'routing',
    routingProps([region('us-east', 'us-east-1'), region('eu-west', 'eu-west-1', 25, 10), region('apac', 'ap-southeast-1', 0)]),
  );
  const json = synthesizeStack(stack);
  const records = Object.values(resourcesOf(json, 'aws_route53_record'));
  const checkOf = (name: string) => `\${aws_route53_health_check.routing_health-${name}_`;

  it('health-checks every region over HTTPS on the health path, live or not', () => {
    const checks = Object.values(resourcesOf(json, 'aws_route53_health_check'));
    expect(
      checks.map((c) => [c['fqdn'], c['type'], c['port'], c['resource_path'], c['request_interval'], c['failure_threshold'], c['regions']]).sort(),
    ).toEqual(
      ['apac', 'eu-west', 'us-east'].map((n) => [
        `${n}.origin.example.com`,
        'HTTPS',
        443,
        '/healthz',
        10,
        3,
        ['us-east-1', 'eu-west-1', 'ap-southeast-1'],
      ]),
    );
  });

  it('gives each live region a latency record with its own health check and evaluate-target-health; a region at weight 0 gets none', () => {
    const latency = records.filter((r) => r['latency_routing_policy']);
    expect(latency.map((r) => [r['name'], r['set_identifier'], (r['latency_routing_policy'] as { region: string }).region]).sort()).toEqual([
      ['origin.example.com', 'eu-west', 'eu-west-1'],
      ['origin.example.com', 'us-east', 'us-east-1'],
    ]);
    for (const r of latency) {
      expect(String(r['health_check_id']).startsWith(checkOf(String(r['set_identifier'])))).toBe(true);
      expect((r['alias'] as { evaluate_target_health: boolean }).evaluate_target_health).toBe(true);
    }
    expect(records.some((r) => r['set_identifier'] === 'apac')).toBe(false);
  });

  it('migrates a region gradually: its latency record aliases a weighted pair, weight % to it and the rest to the home region', () => {
    const eu = records.find((r) => r['latency_routing_policy'] && r['set_identifier'] === 'eu-west')!;
    expect(eu['alias']).toEqual({ name: 'eu-west.migrating.origin.example.com', zone_id: 'Z1', evaluate_target_health: true });
    const pair = records.filter((r) => r['name'] === 'eu-west.migrating.origin.example.com');
    expect(
      pair.map((r) => [r['set_identifier'], (r['weighted_routing_policy'] as { weight: number }).weight, (r['alias'] as { name: string }).name]),
    ).toEqual([
      ['eu-west', 25, 'eu-west-alb.elb.amazonaws.com'],
      ['us-east', 75, 'us-east-alb.elb.amazonaws.com'],
    ]);
    const usEast = records.find((r) => r['latency_routing_policy'] && r['set_identifier'] === 'us-east')!;
    expect(usEast['alias']).toEqual({ name: 'us-east-alb.elb.amazonaws.com', zone_id: 'Z-us-east', evaluate_target_health: true });
  });

  it("publishes the geoproximity set under its own name, with each region's bias", () => {
    const geo = records.filter((r) => r['geoproximity_routing_policy']);
    expect(geo.map((r) => [r['name'], r['set_identifier'], r['geoproximity_routing_policy']]).sort()).toEqual([
      ['geo.origin.example.com', 'eu-west', { aws_region: 'eu-west-1', bias: 10 }],
      ['geo.origin.example.com', 'us-east', { aws_region: 'us-east-1', bias: 0 }],
    ]);
    expect(
      records.every((r) => [r['latency_routing_policy'], r['weighted_routing_policy'], r['geoproximity_routing_policy']].filter(Boolean).length <= 1),
    ).toBe(true);
  });

  it('refuses an interval Route 53 does not take, a bias out of range, all-zero or negative weights, and a partially live fallback', () => {
    const make = (props: OriginRoutingProps) => () => new OriginRouting(newStack('global-edge'), 'r', props);
    expect(make(routingProps([region('us-east', 'us-east-1')], { healthCheckIntervalSeconds: 15 }))).toThrow(
      'healthCheckIntervalSeconds = 15; fix: use 10 or 30',
    );
    expect(make(routingProps([region('us-east', 'us-east-1', 100, 120)]))).toThrow('region us-east geoproximityBias = 120; fix: use -99 to 99');
    expect(make(routingProps([region('us-east', 'us-east-1', 0), region('eu-west', 'eu-west-1', 0)]))).toThrow('every region has weight 0');
    expect(make(routingProps([region('us-east', 'us-east-1'), region('eu-west', 'eu-west-1', -5)]))).toThrow(
      'region eu-west weightPercent = -5; fix: use 0 to 100',
    );
    expect(make(routingProps([region('us-east', 'us-east-1', 50), region('eu-west', 'eu-west-1', 30)]))).toThrow(
      'fallback region us-east has weight 50 while another region is being migrated',
    );
  });
});

const distributionProps = (overrides: Partial<EdgeDistributionProps> = {}): EdgeDistributionProps => ({
  name: '254carbon-prod',
  domainName: 'example.com',
  hostedZoneId: 'Z1',
  awsRegion: 'us-east-1',
  latencyOriginDomainName: 'origin.example.com',
  failoverOriginDomainNames: ['us-east.origin.example.com', 'eu-west.origin.example.com'],
  originVerifyValue: 'secret-value',
  cachedPaths: [
    { pattern: '/static/*', cache: 'static', allowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
    { pattern: '/api/v1/market-data/*', cache: 'api-read', allowedMethods: ['GET', 'HEAD'] },
  ],
  rateLimitPerFiveMinutes: 2000,
  priceClass: 'PriceClass_All',
  ...overrides,
});

describe('EdgeDistribution', () => {
  const stack = newStack('global-edge');
  new EdgeDistribution(stack, 'cdn', distributionProps());
  const json = synthesizeStack(stack);
  type Behavior = { path_pattern?: string; target_origin_id: string; allowed_methods: string[] };
  type Origin = {
    origin_id: string;
    domain_name: string;
    custom_origin_config: { origin_protocol_policy: string; origin_ssl_protocols: string[] };
    custom_header: unknown;
  };
  const distribution = onlyResource(json, 'aws_cloudfront_distribution') as Record<string, unknown> & {
    viewer_certificate: Record<string, string>;
    ordered_cache_behavior: Behavior[];
    origin: Origin[];
    web_acl_id: string;
  };

  it("serves the domain over HTTP/2 and 3 with its us-east-1 certificate, the provider's strongest viewer TLS and the CLOUDFRONT ACL", () => {
    expect(distribution).toMatchObject({
      aliases: ['example.com'],
      http_version: 'http2and3',
      is_ipv6_enabled: true,
      viewer_certificate: { ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' },
    });
    expect(distribution.viewer_certificate['acm_certificate_arn']).toMatch(/^\$\{aws_acm_certificate_validation\./);
    expect(distribution['web_acl_id']).toMatch(/^\$\{aws_wafv2_web_acl\.cdn_web-acl_[A-F0-9]+\.arn\}$/);
    expect(onlyResource(json, 'aws_wafv2_web_acl')['scope']).toBe('CLOUDFRONT');
  });

  it('sends every write and uncached request to the latency-routed origin, reads of cached paths to the failover group', () => {
    expect(distribution['default_cache_behavior']).toMatchObject({
      target_origin_id: 'latency-routed',
      allowed_methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
      viewer_protocol_policy: 'redirect-to-https',
    });
    expect(distribution.ordered_cache_behavior.map((b) => [b.path_pattern, b.target_origin_id, b.allowed_methods])).toEqual([
      ['/static/*', 'read-failover', ['GET', 'HEAD', 'OPTIONS']],
      ['/api/v1/market-data/*', 'read-failover', ['GET', 'HEAD']],
    ]);
    expect(distribution['origin_group']).toEqual([
      {
        origin_id: 'read-failover',
        failover_criteria: { status_codes: [500, 502, 503, 504] },
        member: [{ origin_id: 'failover-primary' }, { origin_id: 'failover-secondary' }],
      },
    ]);
  });

  it('reaches every origin over HTTPS only, TLS 1.2, with the origin secret header', () => {
    expect(
      distribution.origin.map((o) => [
        o.origin_id,
        o.domain_name,
        o.custom_origin_config.origin_protocol_policy,
        o.custom_origin_config.origin_ssl_protocols,
        o.custom_header,
      ]),
    ).toEqual(
      [
        ['latency-routed', 'origin.example.com'],
        ['failover-primary', 'us-east.origin.example.com'],
        ['failover-secondary', 'eu-west.origin.example.com'],
      ].map(([id, name]) => [id, name, 'https-only', ['TLSv1.2'], [{ name: 'X-Origin-Verify', value: 'secret-value' }]]),
    );
  });

  it('caches static content for a day, API reads for seconds keyed by Authorization, and the rest not at all', () => {
    const policies = Object.values(resourcesOf(json, 'aws_cloudfront_cache_policy'))
      .map((p) => [p['name'], p['default_ttl'], p['max_ttl']])
      .sort();
    expect(policies).toEqual([
      ['254carbon-prod-api-read', 5, 60],
      ['254carbon-prod-dynamic', 0, 1],
      ['254carbon-prod-static', 86_400, 31_536_000],
    ]);
    const headers = (onlyResource(json, 'aws_cloudfront_origin_request_policy')['headers_config'] as { headers: { items: string[] } }).headers.items;
    expect(headers).not.toContain('Host');
  });

  it('subscribes to the additional metrics and aliases the domain (A and AAAA) to the distribution', () => {
    expect(onlyResource(json, 'aws_cloudfront_monitoring_subscription')).toMatchObject({
      monitoring_subscription: { realtime_metrics_subscription_config: { realtime_metrics_subscription_status: 'Enabled' } },
    });
    const aliases = Object.values(resourcesOf(json, 'aws_route53_record')).filter((r) => r['alias']);
    expect(aliases.map((r) => [r['name'], r['type'], (r['alias'] as { zone_id: string }).zone_id])).toEqual([
      ['example.com', 'A', 'Z2FDTNDATAQYW2'],
      ['example.com', 'AAAA', 'Z2FDTNDATAQYW2'],
    ]);
  });

  it('refuses a certificate and ACL outside us-east-1, a write method on a cached path, and one region twice', () => {
    expect(() => new EdgeDistribution(newStack('global-edge', 'eu-west-1'), 'c', distributionProps({ awsRegion: 'eu-west-1' }))).toThrow(
      'provider region eu-west-1; fix: create it with a us-east-1 provider',
    );
    expect(
      () =>
        new EdgeDistribution(
          newStack('global-edge'),
          'c',
          distributionProps({
            cachedPaths: [{ pattern: '/api/*', cache: 'api-read', allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'] }],
          }),
        ),
    ).toThrow('cached path /api/* allows PUT, POST, PATCH, DELETE but is served by an origin group');
    expect(
      () => new EdgeDistribution(newStack('global-edge'), 'c', distributionProps({ failoverOriginDomainNames: ['a.example.com', 'a.example.com'] })),
    ).toThrow('both failover origins are a.example.com');
  });
});

describe('OriginVerifySecret', () => {
  it("writes a value once from Terraform's own randomness (no AWS call), encrypted with the given key, and publishes current then previous", () => {
    const stack = newStack('global-foundation');
    const secret = new OriginVerifySecret(stack, 'ov', { name: 'p/edge/origin-verify', kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/s' });
    const json = synthesizeStack(stack);
    expect(onlyResource(json, 'aws_secretsmanager_secret')).toMatchObject({
      name: 'p/edge/origin-verify',
      kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/s',
      lifecycle: { prevent_destroy: true },
    });
    const version = onlyResource(json, 'aws_secretsmanager_secret_version');
    expect(version).toMatchObject({ lifecycle: { ignore_changes: ['secret_string'] } });
    expect(String(version['secret_string'])).toBe('${jsonencode({"current" = replace(join("", [uuid(), uuid()]), "-", "")})}');
    expect(json.data?.['aws_secretsmanager_random_password']).toBeUndefined();
    expect(secret.acceptedValues).toBeDefined();
  });
});

describe('DistributionAccessLogs', () => {
  const stack = newStack('global-edge');
  new DistributionAccessLogs(stack, 'logs', {
    name: '254carbon-prod',
    distributionArn: 'arn:aws:cloudfront::111111111111:distribution/E1',
    accountId: '111111111111',
    logsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/logs',
    retentionDays: 90,
  });
  const json = synthesizeStack(stack);

  it("delivers the distribution's access logs to a log group under the logs key, kept for the configured days", () => {
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({
      name: '/aws/cloudfront/254carbon-prod',
      kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/logs',
      retention_in_days: 90,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, 'aws_cloudwatch_log_delivery_source')).toMatchObject({
      log_type: 'ACCESS_LOGS',
      resource_arn: 'arn:aws:cloudfront::111111111111:distribution/E1',
    });
    expect(
      String(
        (
          onlyResource(json, 'aws_cloudwatch_log_delivery_destination')['delivery_destination_configuration'] as {
            destination_resource_arn: string;
          }[]
        )[0]!.destination_resource_arn,
      ),
    ).toMatch(/^\$\{aws_cloudwatch_log_group\./);
  });

  it("lets only this account's log delivery write, and only after that policy exists", () => {
    const policy = JSON.parse(
      String(onlyResource(json, 'aws_cloudwatch_log_resource_policy')['policy_document'])
        .replace(/^\$\{jsonencode\((.*)\)\}$/s, '$1')
        .replace(/ = /g, ': ')
        .replace(/"Resource": "\$\{[^}]+\}:log-stream:\*"/, '"Resource": "group:log-stream:*"'),
    ) as { Statement: { Principal: unknown; Action: string[]; Condition: unknown }[] };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:111111111111:*' } },
      }),
    ]);
    expect(String((onlyResource(json, 'aws_cloudwatch_log_delivery')['depends_on'] as string[])[0])).toMatch(/^aws_cloudwatch_log_resource_policy\./);
  });
});

describe('DnsValidatedCertificate', () => {
  const stack = newStack();
  new DnsValidatedCertificate(stack, 'cert', { domainNames: ['a.example.com', 'b.example.com'], hostedZoneId: 'Z1' });
  const json = synthesizeStack(stack);

  it('requests an ECDSA certificate by DNS, replaced before destroyed so a listener never loses it', () => {
    expect(onlyResource(json, 'aws_acm_certificate')).toEqual(
      expect.objectContaining({
        domain_name: 'a.example.com',
        subject_alternative_names: ['b.example.com'],
        validation_method: 'DNS',
        key_algorithm: 'EC_prime256v1',
        lifecycle: { create_before_destroy: true },
      }),
    );
  });

  it('writes one validation record per name in the zone, shared with other certificates of the name, and waits on all of them', () => {
    const records = Object.entries(resourcesOf(json, 'aws_route53_record'));
    expect(records.map(([, r]) => [r['zone_id'], r['ttl'], r['allow_overwrite'], r['records']])).toEqual([
      ['Z1', 60, true, ['${tolist(aws_acm_certificate.cert_certificate_EC6438D5.domain_validation_options).0.resource_record_value}']],
      ['Z1', 60, true, ['${tolist(aws_acm_certificate.cert_certificate_EC6438D5.domain_validation_options).1.resource_record_value}']],
    ]);
    expect(onlyResource(json, 'aws_acm_certificate_validation')['validation_record_fqdns']).toEqual(
      records.map(([id]) => `\${aws_route53_record.${id}.fqdn}`),
    );
  });

  it('refuses no name, a name twice and a wildcard', () => {
    expect(() => new DnsValidatedCertificate(newStack(), 'c', { domainNames: [], hostedZoneId: 'Z' })).toThrow(
      'certificate []: expected one or more distinct names',
    );
    expect(() => new DnsValidatedCertificate(newStack(), 'c', { domainNames: ['a.x', 'a.x'], hostedZoneId: 'Z' })).toThrow('certificate [a.x, a.x]');
    expect(() => new DnsValidatedCertificate(newStack(), 'c', { domainNames: ['*.x'], hostedZoneId: 'Z' })).toThrow('without wildcards');
  });
});

describe('AWS facts of the configured regions', () => {
  // The values a typo would break at apply: prefix lists and ELB log accounts of the three seed regions.
  it('names the CloudFront origin-facing prefix list and the ELB log account of each seed region', () => {
    expect(['us-east-1', 'eu-west-1', 'ap-southeast-1'].map((r) => [cloudFrontOriginPrefixList(r), elbLogDeliveryAccount(r)])).toEqual([
      ['pl-3b927c52', '127311923021'],
      ['pl-4fa04526', '156460612806'],
      ['pl-31a34658', '114774131450'],
    ]);
  });

  it('keeps every recorded id in its shape, and refuses an unrecorded region with the fix', () => {
    for (const id of Object.values(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS)) expect(id).toMatch(/^pl-[0-9a-f]{8}$/);
    for (const id of Object.values(ELB_LOG_DELIVERY_ACCOUNTS)) expect(id).toMatch(/^\d{12}$/);
    expect(() => elbLogDeliveryAccount('af-south-1')).toThrow(
      'no Elastic Load Balancing log delivery account is recorded for af-south-1; fix: look it up',
    );
  });
});

describe('OriginLoadBalancer, the values a review would check', () => {
  const stack = newStack();
  new OriginLoadBalancer(stack, 'origin', {
    name: 'p-us-east',
    awsRegion: 'us-east-1',
    accountId: '111111111111',
    vpcId: 'vpc-1',
    vpcCidr: '10.10.0.0/16',
    publicSubnetIds: ['subnet-a', 'subnet-b'],
    originDomainNames: ['us-east.origin.example.com'],
    hostedZoneId: 'Z1',
    targetPort: 8443,
    healthCheckPath: '/healthz',
    originVerifyValues: ['current'],
    rateLimitPerFiveMinutes: 100,
    accessLogRetentionDays: 30,
  });
  const json = synthesizeStack(stack);
  const groups = resourcesOf(json, 'aws_security_group');

  it('has two security groups of its own, neither with inline egress, both on the load balancer', () => {
    expect(Object.values(groups).map((g) => [g['name'], g['egress'], (g['tags'] as Record<string, string>)['Name']])).toEqual([
      ['p-us-east-origin-cloudfront', [], 'p-us-east-origin-cloudfront'],
      ['p-us-east-origin-health-checkers', [], 'p-us-east-origin-health-checkers'],
    ]);
    expect(onlyResource(json, 'aws_lb')['security_groups']).toEqual(Object.keys(groups).map((id) => `\${aws_security_group.${id}.id}`));
  });

  it('forwards the secret-bearing requests and the health checks to the target group, and answers everything else 403', () => {
    const targetGroup = `\${${'aws_lb_target_group'}.${Object.keys(resourcesOf(json, 'aws_lb_target_group'))[0]}.arn}`;
    expect(Object.values(resourcesOf(json, 'aws_lb_listener_rule')).map((r) => r['action'])).toEqual([
      [{ type: 'forward', target_group_arn: targetGroup }],
      [{ type: 'forward', target_group_arn: targetGroup }],
    ]);
    expect(onlyResource(json, 'aws_lb_listener')['default_action']).toEqual([
      { type: 'fixed-response', fixed_response: { content_type: 'text/plain', status_code: '403', message_body: 'Forbidden' } },
    ]);
  });

  it('checks targets on their own port, drains them in 30 s, and keeps logs the configured days', () => {
    expect(onlyResource(json, 'aws_lb_target_group')).toMatchObject({
      name: 'p-us-east-app',
      deregistration_delay: '30',
      health_check: { enabled: true, port: 'traffic-port', healthy_threshold: 2, unhealthy_threshold: 3, timeout: 5 },
    });
    const lifecycle = onlyResource(json, 'aws_s3_bucket_lifecycle_configuration') as { rule: { expiration: { days: number }[] }[] };
    expect(lifecycle.rule[0]!.expiration).toEqual([{ days: 30 }]);
    const doc = Object.values(json.data?.['aws_iam_policy_document'] ?? {})[0] as {
      statement: { sid?: string; effect?: string; actions?: string[] }[];
    };
    expect(doc.statement.find((s) => s.sid === 'ElbAccessLogDelivery')).toMatchObject({ effect: 'Allow', actions: ['s3:PutObject'] });
  });

  it("keeps load balancer and target group names within AWS's 32 characters", () => {
    expect(loadBalancerName('x'.repeat(32))).toBe('x'.repeat(32));
    expect(() => loadBalancerName('x'.repeat(33))).toThrow(`load balancer name "${'x'.repeat(33)}" has 33 characters; fix: shorten`);
    expect(() => new OriginLoadBalancer(newStack(), 'o', minimalOrigin({ originVerifyValues: [] }))).toThrow('0 origin secrets');
  });
});

describe('OriginRouting, limits and record details', () => {
  const make =
    (overrides: Partial<OriginRoutingProps>, regions = [region('us-east', 'us-east-1')]) =>
    () =>
      new OriginRouting(newStack('global-edge'), 'r', routingProps(regions, overrides));

  it("takes AWS's full ranges and nothing beyond them", () => {
    expect(make({ healthCheckFailureThreshold: 1 })).not.toThrow();
    expect(make({ healthCheckFailureThreshold: 10, healthCheckIntervalSeconds: 30 })).not.toThrow();
    expect(make({ healthCheckFailureThreshold: 0 })).toThrow('origin routing: healthCheckFailureThreshold = 0; fix: use 1 to 10');
    expect(make({ healthCheckFailureThreshold: 11 })).toThrow('healthCheckFailureThreshold = 11');
    expect(make({}, [region('us-east', 'us-east-1', 100, 99), region('eu-west', 'eu-west-1', 100, -99)])).not.toThrow();
    expect(make({}, [region('us-east', 'us-east-1', 100, -100)])).toThrow('geoproximityBias = -100');
    expect(make({}, [region('us-east', 'us-east-1', 101)])).toThrow('weightPercent = 101');
    expect(make({ fallbackRegion: 'nowhere' })).toThrow('fallbackRegion = nowhere is not among the routed regions');
    // A fallback at 0 is fine while no region is partly live.
    expect(make({}, [region('us-east', 'us-east-1', 0), region('eu-west', 'eu-west-1', 100)])).not.toThrow();
  });

  it('leaves a drain (an inverted check, made by the failover CLI) to the CLI: applies ignore it', () => {
    const stack = newStack('global-edge');
    new OriginRouting(stack, 'r', routingProps([region('us-east', 'us-east-1')]));
    expect(onlyResource(synthesizeStack(stack), 'aws_route53_health_check')['lifecycle']).toEqual({ ignore_changes: ['invert_healthcheck'] });
  });

  it('checks with SNI and measures latency, and answers with A records', () => {
    const stack = newStack('global-edge');
    new OriginRouting(stack, 'r', routingProps([region('us-east', 'us-east-1'), region('eu-west', 'eu-west-1', 50)]));
    const json = synthesizeStack(stack);
    expect(
      Object.values(resourcesOf(json, 'aws_route53_health_check'))
        .map((c) => [c['enable_sni'], c['measure_latency'], (c['tags'] as Record<string, string>)['Name']])
        .sort(),
    ).toEqual([
      [true, true, 'eu-west-origin'],
      [true, true, 'us-east-origin'],
    ]);
    expect(new Set(Object.values(resourcesOf(json, 'aws_route53_record')).map((r) => r['type']))).toEqual(new Set(['A']));
  });
});

describe('EdgeDistribution, cache and request policies', () => {
  const stack = newStack('global-edge');
  new EdgeDistribution(stack, 'cdn', distributionProps());
  const json = synthesizeStack(stack);
  type Params = {
    enable_accept_encoding_gzip: boolean;
    enable_accept_encoding_brotli: boolean;
    cookies_config: unknown;
    headers_config: unknown;
    query_strings_config: unknown;
  };
  const policy = (name: string) =>
    Object.values(resourcesOf(json, 'aws_cloudfront_cache_policy')).find((p) => p['name'] === name)![
      'parameters_in_cache_key_and_forwarded_to_origin'
    ] as Params;
  const distribution = onlyResource(json, 'aws_cloudfront_distribution') as {
    enabled: boolean;
    default_cache_behavior: Record<string, unknown>;
    ordered_cache_behavior: Record<string, unknown>[];
  };

  it('keys static assets on nothing, API reads on query string and Authorization, dynamic requests on everything the app reads; all compressed', () => {
    expect(policy('254carbon-prod-static')).toEqual({
      enable_accept_encoding_gzip: true,
      enable_accept_encoding_brotli: true,
      cookies_config: { cookie_behavior: 'none' },
      headers_config: { header_behavior: 'none' },
      query_strings_config: { query_string_behavior: 'none' },
    });
    expect(policy('254carbon-prod-api-read')).toEqual({
      enable_accept_encoding_gzip: true,
      enable_accept_encoding_brotli: true,
      cookies_config: { cookie_behavior: 'none' },
      headers_config: { header_behavior: 'whitelist', headers: { items: ['Authorization'] } },
      query_strings_config: { query_string_behavior: 'all' },
    });
    expect(policy('254carbon-prod-dynamic')).toEqual({
      enable_accept_encoding_gzip: true,
      enable_accept_encoding_brotli: true,
      cookies_config: { cookie_behavior: 'all' },
      headers_config: { header_behavior: 'whitelist', headers: { items: ['Authorization'] } },
      query_strings_config: { query_string_behavior: 'all' },
    });
  });

  it('forwards the headers the application reads and no cookies or query strings beyond the key', () => {
    expect(onlyResource(json, 'aws_cloudfront_origin_request_policy')).toMatchObject({
      name: '254carbon-prod-app',
      cookies_config: { cookie_behavior: 'none' },
      headers_config: {
        header_behavior: 'whitelist',
        headers: { items: ['Accept', 'Accept-Language', 'Content-Type', 'Origin', 'Referer', 'User-Agent', 'CloudFront-Viewer-Country'] },
      },
      query_strings_config: { query_string_behavior: 'none' },
    });
  });

  it('is enabled, compresses, caches only GET and HEAD, and gives each cached path the policy of its kind', () => {
    const ids = Object.fromEntries(
      Object.entries(resourcesOf(json, 'aws_cloudfront_cache_policy')).map(([id, p]) => [`\${aws_cloudfront_cache_policy.${id}.id}`, p['name']]),
    );
    expect(distribution.enabled).toBe(true);
    for (const behavior of [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior])
      expect([behavior['compress'], behavior['cached_methods']]).toEqual([true, ['GET', 'HEAD']]);
    expect([distribution.default_cache_behavior, ...distribution.ordered_cache_behavior].map((b) => ids[String(b['cache_policy_id'])])).toEqual([
      '254carbon-prod-dynamic',
      '254carbon-prod-static',
      '254carbon-prod-api-read',
    ]);
  });

  it('allows what WAF does not block, with metrics and samples on every rule and on the ACL', () => {
    const acl = onlyResource(json, 'aws_wafv2_web_acl');
    expect(acl['default_action']).toEqual({ allow: {} });
    expect(acl['visibility_config']).toEqual({
      cloudwatch_metrics_enabled: true,
      metric_name: '254carbon-prod-edge-acl',
      sampled_requests_enabled: true,
    });
    expect((JSON.parse(String(acl['rule_json'])) as { VisibilityConfig: unknown }[]).map((r) => r.VisibilityConfig)).toEqual(
      ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList', 'rate-limit-per-ip'].map(
        (m) => ({ CloudWatchMetricsEnabled: true, MetricName: `254carbon-prod-edge-${m}`, SampledRequestsEnabled: true }),
      ),
    );
  });

  it("takes WAF's whole rate-limit range", () => {
    expect(
      () => new EdgeWebAcl(newStack(), 'a', { name: 'a', scope: 'REGIONAL', awsRegion: 'us-east-1', rateLimitPerFiveMinutes: 10 }),
    ).not.toThrow();
    expect(
      () => new EdgeWebAcl(newStack(), 'a', { name: 'a', scope: 'REGIONAL', awsRegion: 'us-east-1', rateLimitPerFiveMinutes: 2_000_000_000 }),
    ).not.toThrow();
    expect(
      () => new EdgeWebAcl(newStack(), 'a', { name: 'a', scope: 'REGIONAL', awsRegion: 'us-east-1', rateLimitPerFiveMinutes: 2_000_000_001 }),
    ).toThrow('rateLimitPerFiveMinutes = 2000000001');
  });
});

describe('remaining details worth pinning', () => {
  it('publishes the stored current value first, then the previous one (or the current again), deduplicated', () => {
    const stack = newStack('global-foundation');
    const secret = new OriginVerifySecret(stack, 'ov', { name: 'n', kmsKeyArn: 'k' });
    new TerraformOutput(stack, 'values', { value: secret.acceptedValues });
    const value = String((synthesizeStack(stack).output?.['values'] as { value: string }).value);
    const stored = 'jsondecode(aws_secretsmanager_secret_version.ov_value_F3DA80F8.secret_string)';
    expect(value).toBe(`\${distinct([${stored}.current, lookup(${stored}, "previous", ${stored}.current)])}`);
  });

  it("lets log delivery write only into the log group's streams", () => {
    const stack = newStack('global-edge');
    new DistributionAccessLogs(stack, 'logs', { name: 'p', distributionArn: 'arn:d', accountId: '111111111111', logsKeyArn: 'k', retentionDays: 90 });
    const policy = String(onlyResource(synthesizeStack(stack), 'aws_cloudwatch_log_resource_policy')['policy_document']);
    expect(policy).toContain('"Version" = "2012-10-17"');
    expect(policy).toContain('"Effect" = "Allow"');
    expect(policy).toMatch(/"Resource" = "\$\{aws_cloudwatch_log_group\.logs_log-group_[0-9A-F]+\.arn\}:log-stream:\*"/);
  });

  it('opens only TCP to the targets, and aliases the domain to CloudFront without target health (AWS refuses it there)', () => {
    const stack = newStack();
    new OriginLoadBalancer(stack, 'o', minimalOrigin());
    expect(onlyResource(synthesizeStack(stack), 'aws_vpc_security_group_egress_rule')['ip_protocol']).toBe('tcp');
    const edge = newStack('global-edge');
    new EdgeDistribution(edge, 'cdn', distributionProps());
    const aliases = Object.values(resourcesOf(synthesizeStack(edge), 'aws_route53_record')).filter((r) => r['alias']);
    expect(aliases.map((r) => (r['alias'] as { evaluate_target_health: boolean }).evaluate_target_health)).toEqual([false, false]);
  });

  it('refuses a fallback that is not fully live even when only some regions are being migrated', () => {
    expect(
      () =>
        new OriginRouting(
          newStack('global-edge'),
          'r',
          routingProps([region('us-east', 'us-east-1', 50), region('eu-west', 'eu-west-1', 30), region('apac', 'ap-southeast-1', 0)]),
        ),
    ).toThrow('fallback region us-east has weight 50');
  });
});
