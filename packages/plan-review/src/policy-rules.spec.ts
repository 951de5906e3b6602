import { loadEnvironment } from '@platform/config';
import type { SynthesizedStack } from '@platform/terraform-check';
import { bucketResources, fixtureStack } from './fixtures';
import { runPolicyGate } from './policy-gate';

const config = loadEnvironment('prod');
const trail = {
  aws_cloudtrail: {
    t: {
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/l',
      s3_bucket_name: 'audit-name',
      lifecycle: { prevent_destroy: true },
    },
  },
};

/** A compliant baseline: one trail into a hardened, access-logged bucket. */
function baseline(): SynthesizedStack {
  const audit = bucketResources('audit');
  return fixtureStack(
    'global-foundation',
    { ...audit.resource, ...trail, aws_s3_bucket_logging: { l: { bucket: '${aws_s3_bucket.audit.id}', target_bucket: 'logs' } } },
    { data: audit.data },
  );
}

const findingsOf = (...stacks: SynthesizedStack[]) => runPolicyGate(stacks, config, []).findings.map((f) => `${f.rule} ${f.address} ${f.attribute}`);

describe('policy rules', () => {
  it('pass the compliant baseline', () => {
    expect(findingsOf(baseline())).toEqual([]);
  });

  describe('encryption-at-rest-cmk', () => {
    it('fails a bucket without SSE-KMS and a log group without a key', () => {
      const b = bucketResources('b', { sse: { sse_algorithm: 'AES256' } });
      const stack = fixtureStack(
        's',
        { ...b.resource, aws_cloudwatch_log_group: { g: { name: 'x', lifecycle: { prevent_destroy: true } } } },
        { data: b.data },
      );
      expect(findingsOf(baseline(), stack)).toEqual([
        'encryption-at-rest-cmk aws_s3_bucket.b server_side_encryption_configuration',
        'encryption-at-rest-cmk aws_cloudwatch_log_group.g kms_key_id',
      ]);
    });

    it('fails a key from another region, and passes the own region key', () => {
      const stack = fixtureStack(
        'eu-west-infra',
        {
          aws_cloudwatch_log_group: {
            wrong: { kms_key_id: '${data.terraform_remote_state.f.outputs.logsKeyArns["us-east"]}', lifecycle: { prevent_destroy: true } },
            right: { kms_key_id: '${data.terraform_remote_state.f.outputs.logsKeyArns["eu-west"]}', lifecycle: { prevent_destroy: true } },
          },
        },
        { regions: { aws: 'eu-west-1' } },
      );
      expect(findingsOf(baseline(), stack)).toEqual(['encryption-at-rest-cmk aws_cloudwatch_log_group.wrong kms_key_id']);
    });

    it('lets an SSE-S3 access-log target through as a reported AWS exception only', () => {
      const logs = bucketResources('logs', { sse: { sse_algorithm: 'AES256' } });
      const stack = fixtureStack(
        's',
        { ...logs.resource, aws_s3_bucket_logging: { l: { bucket: 'x', target_bucket: 'logs-name' } } },
        { data: logs.data },
      );
      const result = runPolicyGate([baseline(), stack], config, []);
      expect(result.findings).toEqual([]);
      expect(result.exceptions).toEqual([expect.objectContaining({ address: 'aws_s3_bucket.logs', reason: expect.stringMatching(/SSE-S3/) })]);
    });

    it('lets an SSE-S3 ALB access-log bucket through as an exception, and no other SSE-S3 bucket', () => {
      const logs = bucketResources('logs', { sse: { sse_algorithm: 'AES256' } });
      const other = bucketResources('other', { sse: { sse_algorithm: 'AES256' } });
      type Blocks = Record<string, Record<string, Record<string, unknown>>>;
      const merge = (a: Blocks, b: Blocks): Blocks =>
        Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((t) => [t, { ...a[t], ...b[t] }]));
      const stack = fixtureStack(
        's',
        merge(merge(logs.resource, other.resource), { aws_lb: { alb: { access_logs: { bucket: '${aws_s3_bucket.logs.bucket}', enabled: true } } } }),
        { data: merge(logs.data, other.data) },
      );
      const result = runPolicyGate([baseline(), stack], config, []);
      expect(result.findings.map((f) => `${f.rule} ${f.address}`)).toEqual(['encryption-at-rest-cmk aws_s3_bucket.other']);
      expect(result.exceptions).toEqual([
        expect.objectContaining({
          address: 'aws_s3_bucket.logs',
          reason: 'ALB access logs can only be delivered to buckets with SSE-S3 default encryption',
        }),
      ]);
    });
  });

  describe('tls-1-3', () => {
    it('fails an ALB listener below TLS 1.3 and passes the TLS 1.3 policy', () => {
      const stack = fixtureStack('s', {
        aws_lb_listener: {
          old: { protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-2016-08' },
          ok: { protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' },
        },
      });
      expect(findingsOf(baseline(), stack)).toEqual(['tls-1-3 aws_lb_listener.old ssl_policy']);
    });

    it('fails CloudFront below TLSv1.2_2021 and lists the origin-side exception', () => {
      const stack = fixtureStack('edge', {
        aws_cloudfront_distribution: { d: { web_acl_id: 'arn', viewer_certificate: { minimum_protocol_version: 'TLSv1.2_2019' } } },
      });
      const result = runPolicyGate([baseline(), stack], config, []);
      expect(result.findings.map((f) => f.attribute)).toEqual(['viewer_certificate.minimum_protocol_version']);
      expect(result.exceptions.map((e) => e.reason)).toEqual([expect.stringMatching(/origins with TLS 1\.2/)]);
    });

    it('reports TLSv1.2_2021 as the provider-imposed exception, not as a finding and not silently', () => {
      const stack = fixtureStack('edge', {
        aws_cloudfront_distribution: { d: { web_acl_id: 'arn', viewer_certificate: { minimum_protocol_version: 'TLSv1.2_2021' } } },
      });
      const result = runPolicyGate([baseline(), stack], config, []);
      expect(result.findings).toEqual([]);
      expect(result.exceptions.map((e) => e.reason)).toEqual([
        expect.stringMatching(/^viewer TLS TLSv1\.2_2021, provider-imposed: hashicorp\/aws 5\.100\.0 rejects TLSv1\.3_2025/),
        expect.stringMatching(/origins with TLS 1\.2/),
      ]);
    });
  });

  it('data-stores-private: fails a public database instance', () => {
    const stack = fixtureStack('s', { aws_rds_cluster_instance: { i: { publicly_accessible: true }, ok: { publicly_accessible: false } } });
    expect(findingsOf(baseline(), stack)).toEqual(['data-stores-private aws_rds_cluster_instance.i publicly_accessible']);
  });

  it('waf-on-cloudfront: fails a distribution without a web ACL', () => {
    const stack = fixtureStack('edge', { aws_cloudfront_distribution: { d: { viewer_certificate: { minimum_protocol_version: 'TLSv1.3_2025' } } } });
    expect(findingsOf(baseline(), stack)).toEqual(['waf-on-cloudfront aws_cloudfront_distribution.d web_acl_id']);
  });

  it('one-multi-region-trail: fails no trail, a second trail, and a single-region trail', () => {
    expect(findingsOf(fixtureStack('s', {}))).toEqual(['one-multi-region-trail (none) aws_cloudtrail']);
    const second = fixtureStack('s', { aws_cloudtrail: { regional: { ...trail.aws_cloudtrail.t, is_multi_region_trail: false } } });
    expect(findingsOf(baseline(), second)).toEqual([
      'one-multi-region-trail aws_cloudtrail.regional aws_cloudtrail',
      'one-multi-region-trail aws_cloudtrail.regional is_multi_region_trail',
    ]);
  });

  it('imdsv2-on-nodes: fails IMDSv1 and a hop limit above 1', () => {
    const stack = fixtureStack('s', {
      aws_launch_template: {
        lt: {
          metadata_options: { http_tokens: 'optional', http_put_response_hop_limit: 2 },
          block_device_mappings: [{ ebs: { encrypted: 'true', kms_key_id: 'arn:aws:kms:us-east-1:1:key/k' } }],
        },
      },
    });
    expect(findingsOf(baseline(), stack)).toEqual([
      'imdsv2-on-nodes aws_launch_template.lt metadata_options.http_tokens',
      'imdsv2-on-nodes aws_launch_template.lt metadata_options.http_put_response_hop_limit',
    ]);
  });

  it('no-open-data-ports: fails 0.0.0.0/0 to Postgres, passes 443 from anywhere and 5432 from a VPC', () => {
    const stack = fixtureStack('s', {
      aws_vpc_security_group_ingress_rule: {
        bad: { cidr_ipv4: '0.0.0.0/0', from_port: 5432, to_port: 5432, ip_protocol: 'tcp' },
        web: { cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443, ip_protocol: 'tcp' },
        vpc: { cidr_ipv4: '10.10.0.0/16', from_port: 5432, to_port: 5432, ip_protocol: 'tcp' },
      },
    });
    expect(findingsOf(baseline(), stack)).toEqual(['no-open-data-ports aws_vpc_security_group_ingress_rule.bad cidr_ipv4']);
  });

  it('deletion-protection: fails an unprotected bucket and a database without deletion protection', () => {
    const b = bucketResources('b', { protected: false });
    const stack = fixtureStack(
      's',
      {
        ...b.resource,
        aws_rds_cluster: { db: { storage_encrypted: true, kms_key_id: 'arn:aws:kms:us-east-1:1:key/k', lifecycle: { prevent_destroy: true } } },
      },
      { data: b.data },
    );
    expect(findingsOf(baseline(), stack)).toEqual([
      'deletion-protection aws_s3_bucket.b lifecycle.prevent_destroy',
      'deletion-protection aws_rds_cluster.db deletion_protection',
    ]);
  });

  it('s3-closed-and-tls-only: fails a bucket that is unversioned, can go public and accepts plain HTTP', () => {
    const b = bucketResources('b', { publicAccess: { restrict_public_buckets: false }, tlsDeny: false, versioned: false });
    const stack = fixtureStack('s', b.resource, { data: b.data });
    expect(findingsOf(baseline(), stack)).toEqual([
      's3-closed-and-tls-only aws_s3_bucket.b versioning',
      's3-closed-and-tls-only aws_s3_bucket.b public_access_block.restrict_public_buckets',
      's3-closed-and-tls-only aws_s3_bucket.b policy',
    ]);
  });

  it('suppressions let a finding through only with their reason, and show it', () => {
    const stack = fixtureStack('s', { aws_rds_cluster_instance: { i: { publicly_accessible: true } } });
    const result = runPolicyGate([baseline(), stack], config, [
      {
        rule: 'data-stores-private',
        stack: 's',
        address: 'aws_rds_cluster_instance.i',
        reason: 'a demo database behind a client VPN, approved in ticket OPS-1',
      },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toEqual([expect.objectContaining({ address: 'aws_rds_cluster_instance.i', reason: expect.stringMatching(/OPS-1/) })]);
  });

  it('a suppression for <region>-infra covers the infra stack of every configured region, and no other stack', () => {
    const queue = { aws_sqs_queue: { q: { sqs_managed_sse_enabled: true } } };
    const regionStacks = config.regions.map((r) => fixtureStack(`${r.name}-infra`, queue));
    const elsewhere = fixtureStack('global-foundation', queue);
    const result = runPolicyGate([baseline(), ...regionStacks, elsewhere], config, [
      { rule: 'encryption-at-rest-cmk', stack: '<region>-infra', address: 'aws_sqs_queue.q', reason: 'event notices only, no customer data in them' },
    ]);
    expect(result.suppressed.map((f) => f.stack)).toEqual(config.regions.map((r) => `${r.name}-infra`));
    expect(result.findings.map((f) => `${f.rule} ${f.stack} ${f.address}`)).toEqual(['encryption-at-rest-cmk global-foundation aws_sqs_queue.q']);
    expect(result.unusedSuppressions).toEqual([]);
  });
});

/**
 * Each branch of each rule on the smallest stack that reaches it: the exact findings (rule, address,
 * attribute), and nothing for the compliant twin. Keys are literal ARNs of us-east-1 unless a case
 * is about the region.
 */
describe('policy rules, branch by branch', () => {
  const key = 'arn:aws:kms:us-east-1:111111111111:key/k';
  const protectedDb = { deletion_protection: true, lifecycle: { prevent_destroy: true } };
  const cases: [string, Record<string, Record<string, Record<string, unknown>>>, string[]][] = [
    [
      'an EKS cluster without a secrets key',
      { aws_eks_cluster: { c: { lifecycle: { prevent_destroy: true } } } },
      ['encryption-at-rest-cmk aws_eks_cluster.c encryption_config.provider.key_arn'],
    ],
    [
      'an EKS cluster with its key',
      { aws_eks_cluster: { c: { encryption_config: { provider: { key_arn: key } }, lifecycle: { prevent_destroy: true } } } },
      [],
    ],
    [
      'node volumes unencrypted, and encrypted without a customer key',
      {
        aws_launch_template: {
          plain: {
            metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 },
            block_device_mappings: [{ ebs: { encrypted: 'false' } }],
          },
          aws: {
            metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 },
            block_device_mappings: [{ ebs: { encrypted: 'true' } }],
          },
        },
      },
      [
        'encryption-at-rest-cmk aws_launch_template.plain block_device_mappings.ebs.encrypted',
        'encryption-at-rest-cmk aws_launch_template.aws block_device_mappings.ebs.kms_key_id',
      ],
    ],
    [
      'a database unencrypted, and one without a customer key',
      {
        aws_rds_cluster: {
          plain: { storage_encrypted: false, ...protectedDb },
          aws: { storage_encrypted: true, ...protectedDb },
          ok: { storage_encrypted: true, kms_key_id: key, ...protectedDb },
        },
      },
      ['encryption-at-rest-cmk aws_rds_cluster.plain storage_encrypted', 'encryption-at-rest-cmk aws_rds_cluster.aws kms_key_id'],
    ],
    [
      'a cache unencrypted at rest and in transit; a Global Datastore secondary inherits both',
      {
        aws_elasticache_replication_group: {
          plain: { at_rest_encryption_enabled: false, transit_encryption_enabled: false, lifecycle: { prevent_destroy: true } },
          text: { at_rest_encryption_enabled: 'true', kms_key_id: key, transit_encryption_enabled: true, lifecycle: { prevent_destroy: true } },
          secondary: { global_replication_group_id: 'g', lifecycle: { prevent_destroy: true } },
        },
      },
      [
        'encryption-at-rest-cmk aws_elasticache_replication_group.plain at_rest_encryption_enabled',
        'tls-1-3 aws_elasticache_replication_group.plain transit_encryption_enabled',
      ],
    ],
    [
      'a queue without a customer key',
      { aws_sqs_queue: { q: { sqs_managed_sse_enabled: true }, ok: { kms_master_key_id: key } } },
      ['encryption-at-rest-cmk aws_sqs_queue.q kms_master_key_id'],
    ],
    [
      'a log group with a literal key of another region',
      { aws_cloudwatch_log_group: { g: { kms_key_id: 'arn:aws:kms:eu-west-1:1:key/k', lifecycle: { prevent_destroy: true } } } },
      ['encryption-at-rest-cmk aws_cloudwatch_log_group.g kms_key_id'],
    ],
    [
      "a database in subnets that are not the data tier's; one in them passes",
      {
        aws_subnet: { d: { tags: { tier: 'data' } }, p: { tags: { tier: 'private' } } },
        aws_db_subnet_group: {
          bad: { subnet_ids: ['${aws_subnet.p.id}'] },
          good: { subnet_ids: ['${aws_subnet.d.id}'] },
          remote: { subnet_ids: '${data.terraform_remote_state.i.outputs.dataSubnetIds}' },
        },
        aws_elasticache_subnet_group: { bad: { subnet_ids: ['subnet-123'] } },
      },
      ['data-stores-private aws_db_subnet_group.bad subnet_ids', 'data-stores-private aws_elasticache_subnet_group.bad subnet_ids'],
    ],
    [
      'a public database instance of the classic kind',
      { aws_db_instance: { i: { publicly_accessible: true, storage_encrypted: true, kms_key_id: key, ...protectedDb } } },
      ['data-stores-private aws_db_instance.i publicly_accessible'],
    ],
    [
      'data ports open to the internet through old-style rules, inline rules, IPv6 and all protocols',
      {
        aws_security_group_rule: {
          range: { type: 'ingress', cidr_blocks: ['0.0.0.0/0'], from_port: 0, to_port: 65535, protocol: 'tcp' },
          v6: { type: 'ingress', ipv6_cidr_blocks: ['::/0'], from_port: 6379, to_port: 6379, protocol: 'tcp' },
          out: { type: 'egress', cidr_blocks: ['0.0.0.0/0'], from_port: 0, to_port: 65535, protocol: '-1' },
          web: { type: 'ingress', cidr_blocks: ['0.0.0.0/0'], from_port: 443, to_port: 443, protocol: 'tcp' },
        },
        aws_security_group: {
          inline: {
            ingress: [
              { cidr_blocks: ['0.0.0.0/0'], from_port: 0, to_port: 0, protocol: '-1' },
              { cidr_blocks: ['10.0.0.0/8'], from_port: 5432, to_port: 5432, protocol: 'tcp' },
            ],
          },
        },
        aws_vpc_security_group_ingress_rule: {
          all: { cidr_ipv6: '::/0', ip_protocol: '-1' },
          below: { cidr_ipv4: '0.0.0.0/0', from_port: 5000, to_port: 5431, ip_protocol: 'tcp' },
        },
      },
      [
        'no-open-data-ports aws_vpc_security_group_ingress_rule.all cidr_ipv4',
        'no-open-data-ports aws_security_group_rule.range cidr_blocks',
        'no-open-data-ports aws_security_group_rule.v6 cidr_blocks',
        'no-open-data-ports aws_security_group.inline ingress',
      ],
    ],
    [
      'a bucket that force-destroys, a global cluster and a classic database without deletion protection',
      {
        aws_route53_zone: { z: { force_destroy: true, lifecycle: { prevent_destroy: true } } },
        aws_rds_global_cluster: { g: { storage_encrypted: true, lifecycle: { prevent_destroy: true } } },
        aws_db_instance: { i: { storage_encrypted: true, kms_key_id: key, lifecycle: { prevent_destroy: true } } },
      },
      [
        'deletion-protection aws_rds_global_cluster.g deletion_protection',
        'deletion-protection aws_db_instance.i deletion_protection',
        'deletion-protection aws_route53_zone.z force_destroy',
      ],
    ],
  ];

  it.each(cases)('%s', (_what, resources, expected) => {
    expect(findingsOf(baseline(), fixtureStack('s', resources)).sort()).toEqual([...expected].sort());
  });

  it.each(['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])(
    'a bucket with %s off can be made public',
    (flag) => {
      const b = bucketResources('b', { publicAccess: { [flag]: false } });
      expect(findingsOf(baseline(), fixtureStack('s', b.resource, { data: b.data }))).toEqual([
        `s3-closed-and-tls-only aws_s3_bucket.b public_access_block.${flag}`,
      ]);
    },
  );

  it('a trail that is not validated, not global, without a key, into an unmanaged bucket', () => {
    const stack = fixtureStack('global-foundation', {
      aws_cloudtrail: {
        t: {
          is_multi_region_trail: true,
          include_global_service_events: false,
          enable_log_file_validation: false,
          s3_bucket_name: 'elsewhere',
          lifecycle: { prevent_destroy: true },
        },
      },
    });
    expect(findingsOf(stack)).toEqual([
      'one-multi-region-trail aws_cloudtrail.t include_global_service_events',
      'one-multi-region-trail aws_cloudtrail.t enable_log_file_validation',
      'one-multi-region-trail aws_cloudtrail.t kms_key_id',
      'one-multi-region-trail aws_cloudtrail.t s3_bucket_name',
    ]);
  });

  it("a trail whose bucket's access is not logged", () => {
    const audit = bucketResources('audit');
    const stack = fixtureStack('global-foundation', { ...audit.resource, ...trail }, { data: audit.data });
    expect(findingsOf(stack)).toEqual(['one-multi-region-trail aws_s3_bucket.audit logging']);
  });

  it('says why and how to fix, for the reviewer', () => {
    const result = runPolicyGate([baseline(), fixtureStack('s', { aws_rds_cluster_instance: { i: { publicly_accessible: true } } })], config, []);
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'data-stores-private',
        stack: 's',
        address: 'aws_rds_cluster_instance.i',
        attribute: 'publicly_accessible',
        why: 'the database gets a public address',
        fix: 'set publicly_accessible = false',
      }),
    ]);
  });
});
