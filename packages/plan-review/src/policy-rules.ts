import { ALB_TLS_POLICY, CLOUDFRONT_VIEWER_TLS, CLOUDFRONT_VIEWER_TLS_REASON, type PlatformConfig } from '@platform/config';
import type { SynthesizedStack } from '@platform/terraform-check';
import { STATEFUL_RESOURCE_TYPES } from './stateful-types';
import { referencedAddress, resourcesOf, type StackResource } from './synthesized-resources';

/** A policy violation: where, what, why it matters and how to fix it. */
export interface PolicyFinding {
  readonly rule: string;
  readonly stack: string;
  readonly address: string;
  readonly attribute: string;
  readonly why: string;
  readonly fix: string;
}

/** Something a rule deliberately lets through because AWS offers nothing better, said out loud. */
export interface PolicyException {
  readonly rule: string;
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
}

export interface PolicyContext {
  readonly stacks: readonly SynthesizedStack[];
  readonly resources: readonly StackResource[];
  readonly config: PlatformConfig;
}

export interface PolicyRule {
  readonly id: string;
  readonly title: string;
  readonly check: (context: PolicyContext) => { findings: PolicyFinding[]; exceptions?: PolicyException[] };
}

const ALB_TLS13_POLICY = ALB_TLS_POLICY;
const CLOUDFRONT_TLS13 = 'TLSv1.3_2025';
/** Viewer policies below TLSv1.3_2025 that the pinned provider forces on us, with the reason (libs/config/src/tls-policies.ts). */
const PROVIDER_IMPOSED_VIEWER_TLS: Readonly<Record<string, string>> = { [CLOUDFRONT_VIEWER_TLS]: CLOUDFRONT_VIEWER_TLS_REASON };
/** Database, cache and analytics ports: never open to the internet. */
const DATA_PORTS = [3306, 5432, 6379, 8123, 8443, 9000, 9440, 27017];

const finding = (rule: string, r: StackResource, attribute: string, why: string, fix: string): PolicyFinding => ({
  rule,
  stack: r.stack.name,
  address: r.address,
  attribute,
  why,
  fix,
});
const ofType = (context: PolicyContext, ...types: string[]) => context.resources.filter((r) => r.kind === 'resource' && types.includes(r.type));
const attachedTo = (context: PolicyContext, type: string, bucket: StackResource) =>
  context.resources.filter((r) => r.stack === bucket.stack && r.type === type && r.body['bucket'] === `\${${bucket.address}.id}`);
/** The bucket a name refers to: a reference to a bucket of the same stack (`${aws_s3_bucket.x.bucket}`), or a literal name. */
const bucketNamed = (context: PolicyContext, from: StackResource, value: unknown): StackResource | undefined => {
  const address = /^\$\{(aws_s3_bucket\.[^.]+)\.(bucket|id)\}$/.exec(String(value))?.[1];
  return address
    ? context.resources.find((b) => b.stack === from.stack && b.address === address)
    : context.resources.find((b) => b.type === 'aws_s3_bucket' && b.body['bucket'] === value);
};
/** Buckets that receive S3 server access logs: AWS delivers those only to SSE-S3 buckets. */
const accessLogTargets = (context: PolicyContext) =>
  new Set(ofType(context, 'aws_s3_bucket_logging').map((l) => bucketNamed(context, l, l.body['target_bucket'])));
/** Buckets that receive ALB access logs: ELB delivers those only to SSE-S3 buckets too. */
const loadBalancerLogTargets = (context: PolicyContext) =>
  new Set(ofType(context, 'aws_lb').map((lb) => bucketNamed(context, lb, (lb.body['access_logs'] as { bucket?: unknown } | undefined)?.bucket)));

/**
 * Whether a KMS reference points into the resource's own region: remote-state maps are indexed by
 * region name, keys in the same stack carry their provider's region, literal ARNs name theirs.
 */
function keyRegionProblem(context: PolicyContext, r: StackResource, keyRef: string): string | undefined {
  const regionName = context.config.regions.find((region) => region.awsRegion === r.awsRegion)?.name;
  const mapIndex = /KeyArns(?:\.([a-z0-9-]+)|\["([a-z0-9-]+)"\])\}$/.exec(keyRef);
  if (mapIndex) {
    const keyRegion = mapIndex[1] ?? mapIndex[2];
    return keyRegion === regionName ? undefined : `uses the ${keyRegion} key for a resource in ${r.awsRegion}`;
  }
  const local = referencedAddress(keyRef);
  if (local) {
    const key = context.resources.find((k) => k.stack === r.stack && k.address === local);
    if (!key) return undefined;
    return key.awsRegion === r.awsRegion ? undefined : `uses a key in ${key.awsRegion} for a resource in ${r.awsRegion}`;
  }
  const literal = /^arn:aws:kms:([a-z0-9-]+):/.exec(keyRef)?.[1];
  if (literal) return literal === r.awsRegion ? undefined : `uses a key in ${literal} for a resource in ${r.awsRegion}`;
  return undefined;
}

const encryptionAtRest: PolicyRule = {
  id: 'encryption-at-rest-cmk',
  title: "Encryption at rest with a customer KMS key of the resource's own region",
  check(context) {
    const findings: PolicyFinding[] = [];
    const exceptions: PolicyException[] = [];
    const rule = this.id;
    const needKey = (r: StackResource, attribute: string, key: unknown, what: string) => {
      if (typeof key !== 'string' || key === '') {
        findings.push(
          finding(
            rule,
            r,
            attribute,
            `${what} is not encrypted with a customer key: no key rotation control, no key policy, no cross-region replica`,
            `set ${attribute} to the region's KMS key (foundation outputs dataKeyArns/logsKeyArns)`,
          ),
        );
        return;
      }
      const problem = keyRegionProblem(context, r, key);
      if (problem)
        findings.push(
          finding(
            rule,
            r,
            attribute,
            `${problem}: every encrypted resource must use a key of its own region (a regional outage must not take the key away)`,
            "use the key of the resource's region",
          ),
        );
    };
    const logTargets = accessLogTargets(context);
    const lbLogTargets = loadBalancerLogTargets(context);
    for (const bucket of ofType(context, 'aws_s3_bucket')) {
      const sse = attachedTo(context, 'aws_s3_bucket_server_side_encryption_configuration', bucket)[0];
      const rule0 = (
        sse?.body['rule'] as { apply_server_side_encryption_by_default?: { sse_algorithm?: string; kms_master_key_id?: string } }[] | undefined
      )?.[0]?.apply_server_side_encryption_by_default;
      if (logTargets.has(bucket) && rule0?.sse_algorithm === 'AES256') {
        exceptions.push({
          rule,
          stack: bucket.stack.name,
          address: bucket.address,
          reason: 'S3 server access logs can only be delivered to buckets with SSE-S3 default encryption',
        });
        continue;
      }
      if (lbLogTargets.has(bucket) && rule0?.sse_algorithm === 'AES256') {
        exceptions.push({
          rule,
          stack: bucket.stack.name,
          address: bucket.address,
          reason: 'ALB access logs can only be delivered to buckets with SSE-S3 default encryption',
        });
        continue;
      }
      if (rule0?.sse_algorithm !== 'aws:kms')
        findings.push(
          finding(
            rule,
            bucket,
            'server_side_encryption_configuration',
            'the bucket has no SSE-KMS default encryption',
            "attach SSE-KMS with the region's key (use SecureBucket)",
          ),
        );
      else needKey(sse!, 'rule.apply_server_side_encryption_by_default.kms_master_key_id', rule0.kms_master_key_id, 'the bucket');
    }
    for (const r of ofType(context, 'aws_cloudwatch_log_group')) needKey(r, 'kms_key_id', r.body['kms_key_id'], 'the log group');
    for (const r of ofType(context, 'aws_eks_cluster'))
      needKey(
        r,
        'encryption_config.provider.key_arn',
        (r.body['encryption_config'] as { provider?: { key_arn?: string } } | undefined)?.provider?.key_arn,
        'Kubernetes secrets',
      );
    for (const r of ofType(context, 'aws_launch_template')) {
      for (const mapping of (r.body['block_device_mappings'] as { ebs?: { encrypted?: string; kms_key_id?: string } }[] | undefined) ?? []) {
        if (mapping.ebs?.encrypted !== 'true')
          findings.push(
            finding(
              rule,
              r,
              'block_device_mappings.ebs.encrypted',
              'node volumes are not encrypted',
              'set encrypted = "true" with the region\'s data key',
            ),
          );
        else needKey(r, 'block_device_mappings.ebs.kms_key_id', mapping.ebs.kms_key_id, 'node volumes');
      }
    }
    for (const r of ofType(context, 'aws_rds_cluster')) {
      if (r.body['storage_encrypted'] !== true)
        findings.push(finding(rule, r, 'storage_encrypted', 'the database is not encrypted at rest', 'set storage_encrypted = true'));
      else needKey(r, 'kms_key_id', r.body['kms_key_id'], 'the database');
    }
    for (const r of ofType(context, 'aws_elasticache_replication_group')) {
      if (r.body['global_replication_group_id']) continue; // secondaries inherit encryption; their own key is set on the member
      if (r.body['at_rest_encryption_enabled'] !== true && r.body['at_rest_encryption_enabled'] !== 'true')
        findings.push(
          finding(
            rule,
            r,
            'at_rest_encryption_enabled',
            'the cache is not encrypted at rest',
            'set at_rest_encryption_enabled = true with kms_key_id',
          ),
        );
      else needKey(r, 'kms_key_id', r.body['kms_key_id'], 'the cache');
    }
    for (const r of ofType(context, 'aws_sqs_queue')) needKey(r, 'kms_master_key_id', r.body['kms_master_key_id'], 'the queue');
    return { findings, exceptions };
  },
};

const tls13: PolicyRule = {
  id: 'tls-1-3',
  title: 'TLS 1.3 wherever AWS allows it',
  check(context) {
    const findings: PolicyFinding[] = [];
    const exceptions: PolicyException[] = [];
    for (const r of ofType(context, 'aws_lb_listener').filter((l) => l.body['protocol'] === 'HTTPS')) {
      if (r.body['ssl_policy'] !== ALB_TLS13_POLICY)
        findings.push(finding(this.id, r, 'ssl_policy', 'the listener accepts TLS older than 1.3', `set ssl_policy = "${ALB_TLS13_POLICY}"`));
    }
    for (const r of ofType(context, 'aws_cloudfront_distribution')) {
      const viewer = r.body['viewer_certificate'] as { minimum_protocol_version?: string } | undefined;
      const imposed = viewer?.minimum_protocol_version ? PROVIDER_IMPOSED_VIEWER_TLS[viewer.minimum_protocol_version] : undefined;
      if (imposed)
        exceptions.push({
          rule: this.id,
          stack: r.stack.name,
          address: r.address,
          reason: `viewer TLS ${viewer!.minimum_protocol_version}, provider-imposed: ${imposed}`,
        });
      else if (viewer?.minimum_protocol_version !== CLOUDFRONT_TLS13)
        findings.push(
          finding(
            this.id,
            r,
            'viewer_certificate.minimum_protocol_version',
            'viewers may connect with TLS older than 1.3',
            `set minimum_protocol_version = "${CLOUDFRONT_TLS13}"`,
          ),
        );
      exceptions.push({
        rule: this.id,
        stack: r.stack.name,
        address: r.address,
        reason: 'CloudFront connects to origins with TLS 1.2 at most (AWS offers no TLS 1.3 origin protocol)',
      });
    }
    for (const r of ofType(context, 'aws_elasticache_replication_group')) {
      if (r.body['transit_encryption_enabled'] !== true && !r.body['global_replication_group_id'])
        findings.push(finding(this.id, r, 'transit_encryption_enabled', 'cache traffic is not encrypted', 'set transit_encryption_enabled = true'));
      exceptions.push({
        rule: this.id,
        stack: r.stack.name,
        address: r.address,
        reason: 'ElastiCache in-transit encryption has a TLS 1.2 minimum (AWS does not let it require 1.3)',
      });
    }
    return { findings, exceptions };
  },
};

const dataStoresPrivate: PolicyRule = {
  id: 'data-stores-private',
  title: 'Data stores only in data subnets and never public',
  check(context) {
    const findings: PolicyFinding[] = [];
    for (const r of ofType(context, 'aws_db_instance', 'aws_rds_cluster_instance')) {
      if (r.body['publicly_accessible'] === true)
        findings.push(finding(this.id, r, 'publicly_accessible', 'the database gets a public address', 'set publicly_accessible = false'));
    }
    for (const r of ofType(context, 'aws_db_subnet_group', 'aws_elasticache_subnet_group')) {
      const subnets = JSON.stringify(r.body['subnet_ids'] ?? '');
      if (
        !/dataSubnetIds|subnet_ids|"tier":"data"/.test(subnets) &&
        !context.resources.some(
          (s) =>
            s.stack === r.stack &&
            s.type === 'aws_subnet' &&
            (s.body['tags'] as Record<string, string> | undefined)?.['tier'] === 'data' &&
            subnets.includes(s.address),
        )
      ) {
        findings.push(
          finding(
            this.id,
            r,
            'subnet_ids',
            'the data store is not placed in the data subnets (the only tier without an internet route)',
            'use the region-infra output dataSubnetIds',
          ),
        );
      }
    }
    return { findings };
  },
};

const wafOnCloudFront: PolicyRule = {
  id: 'waf-on-cloudfront',
  title: 'WAF on every CloudFront distribution',
  check(context) {
    return {
      findings: ofType(context, 'aws_cloudfront_distribution')
        .filter((r) => !r.body['web_acl_id'])
        .map((r) =>
          finding(
            this.id,
            r,
            'web_acl_id',
            'the distribution is not behind a web ACL',
            'set web_acl_id to the ARN of the CLOUDFRONT-scope WAFv2 ACL in us-east-1',
          ),
        ),
    };
  },
};

const oneTrail: PolicyRule = {
  id: 'one-multi-region-trail',
  title: 'Exactly one multi-region CloudTrail trail, validated, KMS-encrypted, logging to S3 with access logs',
  check(context) {
    const trails = ofType(context, 'aws_cloudtrail');
    if (trails.length === 0) {
      return {
        findings: [
          {
            rule: this.id,
            stack: '(all stacks)',
            address: '(none)',
            attribute: 'aws_cloudtrail',
            why: 'no trail: API activity in the account is not recorded',
            fix: 'deploy the AuditTrail of global-foundation',
          },
        ],
      };
    }
    const findings: PolicyFinding[] = [];
    if (trails.length > 1)
      for (const extra of trails.slice(1))
        findings.push(
          finding(
            this.id,
            extra,
            'aws_cloudtrail',
            `${trails.length} trails: events are paid for and stored more than once`,
            'keep the one multi-region trail of global-foundation',
          ),
        );
    for (const trail of trails) {
      const expect = { is_multi_region_trail: true, include_global_service_events: true, enable_log_file_validation: true } as const;
      for (const [attribute, value] of Object.entries(expect))
        if (trail.body[attribute] !== value)
          findings.push(finding(this.id, trail, attribute, `the trail is not ${attribute.replace(/_/g, ' ')}`, `set ${attribute} = true`));
      if (!trail.body['kms_key_id'])
        findings.push(finding(this.id, trail, 'kms_key_id', 'trail files are not encrypted with a customer key', 'set kms_key_id to the logs key'));
      const bucket = bucketNamed(context, trail, trail.body['s3_bucket_name']);
      if (!bucket)
        findings.push(
          finding(
            this.id,
            trail,
            's3_bucket_name',
            'the trail writes to a bucket this platform does not manage',
            'write to the audit bucket of the AuditTrail construct',
          ),
        );
      else if (attachedTo(context, 'aws_s3_bucket_logging', bucket).length === 0)
        findings.push(
          finding(this.id, bucket, 'logging', 'access to the audit logs is itself not logged', 'enable server access logging on the audit bucket'),
        );
    }
    return { findings };
  },
};

const imdsv2: PolicyRule = {
  id: 'imdsv2-on-nodes',
  title: 'IMDSv2 required, hop limit 1, on every node',
  check(context) {
    const findings: PolicyFinding[] = [];
    for (const r of ofType(context, 'aws_launch_template', 'aws_instance')) {
      const options = r.body['metadata_options'] as { http_tokens?: string; http_put_response_hop_limit?: number } | undefined;
      if (options?.http_tokens !== 'required')
        findings.push(
          finding(this.id, r, 'metadata_options.http_tokens', "IMDSv1 lets any SSRF read the node's credentials", 'set http_tokens = "required"'),
        );
      if (options?.http_put_response_hop_limit !== 1)
        findings.push(
          finding(
            this.id,
            r,
            'metadata_options.http_put_response_hop_limit',
            "pods can reach the node's instance credentials",
            'set http_put_response_hop_limit = 1 (add-ons use Pod Identity)',
          ),
        );
    }
    return { findings };
  },
};

const noOpenDataPorts: PolicyRule = {
  id: 'no-open-data-ports',
  title: 'No ingress from 0.0.0.0/0 or ::/0 to data ports',
  check(context) {
    const findings: PolicyFinding[] = [];
    const open = (cidr: unknown) => cidr === '0.0.0.0/0' || cidr === '::/0';
    const coversDataPort = (from: unknown, to: unknown, protocol: unknown) =>
      String(protocol) === '-1' || DATA_PORTS.some((p) => Number(from) <= p && p <= Number(to));
    for (const r of ofType(context, 'aws_vpc_security_group_ingress_rule')) {
      if ((open(r.body['cidr_ipv4']) || open(r.body['cidr_ipv6'])) && coversDataPort(r.body['from_port'], r.body['to_port'], r.body['ip_protocol']))
        findings.push(finding(this.id, r, 'cidr_ipv4', 'a data port is open to the whole internet', 'allow only the platform VPC ranges'));
    }
    for (const r of ofType(context, 'aws_security_group_rule').filter((x) => x.body['type'] === 'ingress')) {
      const cidrs = [...((r.body['cidr_blocks'] as string[] | undefined) ?? []), ...((r.body['ipv6_cidr_blocks'] as string[] | undefined) ?? [])];
      if (cidrs.some(open) && coversDataPort(r.body['from_port'], r.body['to_port'], r.body['protocol']))
        findings.push(finding(this.id, r, 'cidr_blocks', 'a data port is open to the whole internet', 'allow only the platform VPC ranges'));
    }
    for (const r of ofType(context, 'aws_security_group')) {
      for (const rule of (r.body['ingress'] as { cidr_blocks?: string[]; from_port?: number; to_port?: number; protocol?: string }[] | undefined) ??
        []) {
        if ((rule.cidr_blocks ?? []).some(open) && coversDataPort(rule.from_port, rule.to_port, rule.protocol))
          findings.push(finding(this.id, r, 'ingress', 'a data port is open to the whole internet', 'allow only the platform VPC ranges'));
      }
    }
    return { findings };
  },
};

const deletionProtection: PolicyRule = {
  id: 'deletion-protection',
  title: 'Stateful resources protected from deletion',
  check(context) {
    const findings: PolicyFinding[] = [];
    for (const r of ofType(context, ...STATEFUL_RESOURCE_TYPES)) {
      if ((r.body['lifecycle'] as { prevent_destroy?: boolean } | undefined)?.prevent_destroy !== true)
        findings.push(
          finding(
            this.id,
            r,
            'lifecycle.prevent_destroy',
            `deleting a ${r.type} loses data or takes hand work to undo`,
            'wrap it in preventDestroy() (libs/stack-kit)',
          ),
        );
      if (r.body['force_destroy'] === true)
        findings.push(finding(this.id, r, 'force_destroy', 'a destroy would empty the bucket or zone first', 'remove force_destroy'));
      if (
        (r.type === 'aws_rds_cluster' || r.type === 'aws_rds_global_cluster' || r.type === 'aws_db_instance') &&
        r.body['deletion_protection'] !== true
      )
        findings.push(finding(this.id, r, 'deletion_protection', 'the database can be deleted by an API call', 'set deletion_protection = true'));
    }
    return { findings };
  },
};

const bucketsClosedAndTlsOnly: PolicyRule = {
  id: 's3-closed-and-tls-only',
  title: 'Buckets versioned, with every public-access switch on and a TLS-only policy',
  check(context) {
    const findings: PolicyFinding[] = [];
    for (const bucket of ofType(context, 'aws_s3_bucket')) {
      const versioning = attachedTo(context, 'aws_s3_bucket_versioning', bucket)[0]?.body['versioning_configuration'] as
        { status?: string } | undefined;
      if (versioning?.status !== 'Enabled')
        findings.push(finding(this.id, bucket, 'versioning', 'an overwrite or delete cannot be undone', 'enable versioning (use SecureBucket)'));
      const block = attachedTo(context, 'aws_s3_bucket_public_access_block', bucket)[0];
      for (const flag of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
        if (block?.body[flag] !== true)
          findings.push(
            finding(
              this.id,
              bucket,
              `public_access_block.${flag}`,
              'the bucket can be made public',
              `attach a public access block with ${flag} = true (use SecureBucket)`,
            ),
          );
      }
      const policy = attachedTo(context, 'aws_s3_bucket_policy', bucket)[0];
      const documentAddress = referencedAddress(policy?.body['policy']);
      const document = context.resources.find((d) => d.stack === bucket.stack && d.address === documentAddress);
      const statements =
        (document?.body['statement'] as { effect?: string; condition?: { variable?: string; values?: string[] }[] }[] | undefined) ?? [];
      const tlsOnly = statements.some(
        (s) => s.effect === 'Deny' && (s.condition ?? []).some((c) => c.variable === 'aws:SecureTransport' && c.values?.includes('false')),
      );
      if (!tlsOnly)
        findings.push(
          finding(this.id, bucket, 'policy', 'requests without TLS are not refused', 'add a Deny on aws:SecureTransport = false (use SecureBucket)'),
        );
    }
    return { findings };
  },
};

/** Every rule the gate runs, in report order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  encryptionAtRest,
  tls13,
  dataStoresPrivate,
  wafOnCloudFront,
  oneTrail,
  imdsv2,
  noOpenDataPorts,
  deletionProtection,
  bucketsClosedAndTlsOnly,
];

export function policyContext(stacks: readonly SynthesizedStack[], config: PlatformConfig): PolicyContext {
  return { stacks, resources: stacks.flatMap(resourcesOf), config };
}
