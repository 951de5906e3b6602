import { loadEnvironment } from '@platform/config';
import { regionalContracts, singletonContracts } from '@platform/stack-contracts';
import type { SynthesizedStack } from '@platform/terraform-check';
import { allSynthesizedStacks, resourcesIn } from './synthesized-apps';

/**
 * Every published contract output holds what its name says: the resource type and attribute, and
 * for outputs of one tier, purpose or region, the right one of several alike (private vs data route
 * tables, the plan vs apply runners' group, the application vs Prometheus target group, each
 * region's own key of each purpose). A value published under a neighbour's name passes every type
 * check and `terraform validate`; consumers would build on the wrong thing.
 */
const config = loadEnvironment(process.env['PLATFORM_ENV'] ?? 'prod');
const stacks = allSynthesizedStacks(config.environment);

type Body = Record<string, unknown>;
interface Kind {
  /** `type.attribute` the value references (a literal value has none). */
  readonly ref?: string;
  /** What it must be besides, checked on the referenced resource. */
  readonly is?: (body: Body) => boolean;
  /** A literal value's shape. */
  readonly literal?: RegExp;
  /** A secret the home region makes and replicates: other regions publish the home ARN with their own region in it. */
  readonly replicatedFromHome?: boolean;
}

const tier = (name: string) => (body: Body) => (body['tags'] as Record<string, string> | undefined)?.['tier'] === name;
const named = (suffix: string) => (body: Body) => String(body['name']).endsWith(suffix);

const OUTPUT_KINDS: Readonly<Record<string, Kind>> = {
  stateBucketName: { ref: 'aws_s3_bucket.bucket', is: (b) => String(b['bucket']).includes('-tfstate-') },
  stateBucketArn: { ref: 'aws_s3_bucket.arn', is: (b) => String(b['bucket']).includes('-tfstate-') },
  stateKeyArn: { ref: 'aws_kms_key.arn' },
  hostedZoneId: { ref: 'aws_route53_zone.zone_id' },
  hostedZoneName: { ref: 'aws_route53_zone.name' },
  hostedZoneNameServers: { ref: 'aws_route53_zone.name_servers' },
  auditBucketName: { ref: 'aws_s3_bucket.bucket', is: (b) => !String(b['bucket']).includes('-tfstate-') },
  trailArn: { ref: 'aws_cloudtrail.arn', is: (b) => b['is_multi_region_trail'] === true },
  auroraGlobalClusterId: { ref: 'aws_rds_global_cluster.global_cluster_identifier' },
  originVerifySecretArn: { ref: 'aws_secretsmanager_secret.arn' },
  vpcId: { ref: 'aws_vpc.id' },
  vpcCidr: { ref: 'aws_vpc.cidr_block' },
  publicSubnetIds: { ref: 'aws_subnet.id', is: tier('public') },
  privateSubnetIds: { ref: 'aws_subnet.id', is: tier('private') },
  dataSubnetIds: { ref: 'aws_subnet.id', is: tier('data') },
  privateRouteTableIds: { ref: 'aws_route_table.id', is: tier('private') },
  dataRouteTableIds: { ref: 'aws_route_table.id', is: tier('data') },
  dataSecurityGroupId: { ref: 'aws_security_group.id', is: named('-data') },
  planRunnerSecurityGroupId: { ref: 'aws_security_group.id', is: named('-ci-plan-runners') },
  applyRunnerSecurityGroupId: { ref: 'aws_security_group.id', is: named('-ci-apply-runners') },
  clusterName: { ref: 'aws_eks_cluster.name' },
  clusterEndpoint: { ref: 'aws_eks_cluster.endpoint' },
  clusterCertificateAuthorityData: { ref: 'aws_eks_cluster.certificate_authority[0].data' },
  karpenterNodeRoleName: { ref: 'aws_iam_role.name', is: named('-karpenter-node') },
  karpenterInterruptionQueueName: { ref: 'aws_sqs_queue.name', is: named('-karpenter') },
  alarmTopicArn: { ref: 'aws_sns_topic.arn' },
  originDomainName: { literal: /^[a-z0-9-]+\.origin\.[a-z0-9.-]+$/ },
  originLoadBalancerDnsName: { ref: 'aws_lb.dns_name', is: (b) => b['internal'] !== true },
  originLoadBalancerZoneId: { ref: 'aws_lb.zone_id', is: (b) => b['internal'] !== true },
  originLoadBalancerArnSuffix: { ref: 'aws_lb.arn_suffix', is: (b) => b['internal'] !== true },
  // The application's pods take HTTPS on 8443; Prometheus federation is TCP 9090.
  originTargetGroupArn: { ref: 'aws_lb_target_group.arn', is: (b) => b['port'] === 8443 && b['protocol'] === 'HTTPS' },
  prometheusTargetGroupArn: { ref: 'aws_lb_target_group.arn', is: (b) => b['port'] === 9090 && b['protocol'] === 'TCP' },
  prometheusFederationAddress: { literal: /^prometheus\.[a-z0-9-]+\.[a-z0-9.-]+:9090$/ },
  auroraReaderEndpoint: { ref: 'aws_rds_cluster.reader_endpoint' },
  auroraPort: { literal: /^5432$/ },
  auroraDatabaseName: { literal: /^[a-z][a-z0-9_]*$/ },
  auroraSecretArn: { ref: 'aws_secretsmanager_secret.arn', is: (b) => !String(b['name'] ?? '').includes('redis'), replicatedFromHome: true },
  redisEndpoint: { ref: 'aws_elasticache_replication_group.primary_endpoint_address' },
  redisReaderEndpoint: { ref: 'aws_elasticache_replication_group.reader_endpoint_address' },
  redisPort: { literal: /^6379$/ },
  redisAuthSecretArn: { ref: 'aws_secretsmanager_secret.arn', is: (b) => !String(b['name'] ?? '').includes('aurora'), replicatedFromHome: true },
  clickhouseBackupBucket: { ref: 'aws_s3_bucket.bucket', is: (b) => String(b['bucket']).includes('-clickhouse-backup-') },
  clickhouseBackupRoleArn: { ref: 'aws_iam_role.arn', is: named('-clickhouse-backup') },
};

/** Outputs whose value is passed through from another stack or built from several: checked elsewhere. */
const CHECKED_ELSEWHERE: Readonly<Record<string, string>> = {
  dataKeyArns: 'per region and purpose, below',
  logsKeyArns: 'per region and purpose, below',
  secretsKeyArns: 'per region and purpose, below',
  auroraWriterEndpoint: 'the global cluster endpoint in the foundation; the data stacks pass it through from remote state',
  redisGlobalReplicationGroupId: 'the Global Datastore in the home region; the others pass it through',
  originVerifyValues: 'built from the secret version (a list expression)',
};

function referenced(stack: SynthesizedStack, ref: string): { type: string; attribute: string; body?: Body } | undefined {
  const match = /^\$\{([a-z0-9_]+)\.([^.]+)\.(.+)\}$/.exec(ref);
  if (!match) return undefined;
  const [, type, id, attribute] = match as unknown as [string, string, string, string];
  return { type, attribute, body: resourcesIn(stack).find(([t, i]) => t === type && i === id)?.[2] };
}

describe('contract outputs hold what their names say', () => {
  const declared = [...singletonContracts, ...regionalContracts].flatMap((c) => Object.keys(c.outputs));

  it('every declared output has a kind here (or says where it is checked)', () => {
    expect(declared.filter((name) => !OUTPUT_KINDS[name] && !CHECKED_ELSEWHERE[name])).toEqual([]);
  });

  it('every published value references the resource type, attribute and tier, purpose or port its name says', () => {
    const problems: string[] = [];
    for (const stack of stacks) {
      for (const [name, output] of Object.entries(stack.json.output ?? {})) {
        const kind = OUTPUT_KINDS[name];
        if (!kind) continue;
        for (const value of [output.value].flat() as unknown[]) {
          const where = `${stack.name} ${name} = ${JSON.stringify(value)}`;
          if (kind.literal) {
            if (!kind.literal.test(String(value))) problems.push(`${where}: expected ${String(kind.literal)}`);
            continue;
          }
          const region = config.regions.find((r) => stack.name.startsWith(`${r.name}-`));
          if (kind.replicatedFromHome && region && region.name !== config.homeRegion.name) {
            const replica = `\${replace(data.terraform_remote_state.home-data.outputs.${name}, ":${config.homeRegion.awsRegion}:", ":${region.awsRegion}:")}`;
            if (value !== replica) problems.push(`${where}: expected the home region's secret ARN in ${region.awsRegion}: ${replica}`);
            continue;
          }
          const target = referenced(stack, String(value));
          if (!target || `${target.type}.${target.attribute}` !== kind.ref) problems.push(`${where}: expected a reference to ${kind.ref!}`);
          else if (!target.body) problems.push(`${where}: references a resource this stack does not make`);
          else if (kind.is && !kind.is(target.body)) problems.push(`${where}: references the wrong ${target.type} for its name`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("each key map holds, for every region, that region's key of the map's purpose (alias in the same provider)", () => {
    const foundation = stacks.find((s) => s.name === 'global-foundation')!;
    const resources = resourcesIn(foundation);
    const providerRegion = new Map(
      ((foundation.json as { provider?: { aws?: { alias?: string; region: string }[] } }).provider?.aws ?? []).map((p) => [
        p.alias ? `aws.${p.alias}` : 'aws',
        p.region,
      ]),
    );
    const problems: string[] = [];
    for (const purpose of ['data', 'logs', 'secrets']) {
      const map = foundation.json.output?.[`${purpose}KeyArns`]?.value as Record<string, string>;
      expect(Object.keys(map).sort()).toEqual(config.regions.map((r) => r.name).sort());
      for (const region of config.regions) {
        const target = referenced(foundation, map[region.name]!);
        const keyRef = `\${${String(map[region.name]).slice(2, -'.arn}'.length)}.key_id}`;
        const alias = resources.find(([t, , b]) => t === 'aws_kms_alias' && b['target_key_id'] === keyRef)?.[2];
        const actual = {
          kind: target ? `${target.type}.${target.attribute}` : 'not a reference',
          keyRegion: providerRegion.get(String(target?.body?.['provider'] ?? 'aws')),
          alias: alias?.['name'],
          aliasRegion: providerRegion.get(String(alias?.['provider'] ?? 'aws')),
        };
        const expected = {
          kind: region.name === config.homeRegion.name ? 'aws_kms_key.arn' : 'aws_kms_replica_key.arn',
          keyRegion: region.awsRegion,
          alias: `alias/${config.project}-${config.environment}-${purpose}`,
          aliasRegion: region.awsRegion,
        };
        if (JSON.stringify(actual) !== JSON.stringify(expected))
          problems.push(`${purpose}KeyArns["${region.name}"]: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
