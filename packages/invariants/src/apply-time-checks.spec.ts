import { loadEnvironment, workloadBoundaryArn } from '@platform/config';
import { stackNames } from '@platform/stack-contracts';
import type { SynthesizedStack } from '@platform/terraform-check';
import { PLATFORM_SERVICES } from '@platform/access';
import {
  applyRolePolicy,
  applyRoleServicesNoStackUses,
  duplicatePodIdentityAssociations,
  keyUsersWithoutGrants,
  literalBucketNames,
  policyDocumentOf,
  principalsThatMayNotExist,
  typesTheApplyRoleCannotManage,
} from './apply-time-checks';
import { allSynthesizedStacks } from './synthesized-apps';

/**
 * What AWS refuses at apply time although `terraform validate` passes, checked over the whole
 * synthesized output, each check also shown failing on a copy broken the way the review found.
 */
const config = loadEnvironment(process.env['PLATFORM_ENV'] ?? 'prod');
const stacks = allSynthesizedStacks(config.environment);
const boundary = workloadBoundaryArn(config);

/** A deep copy of every stack with one changed by `edit` (its JSON, as Terraform would read it). */
function withBroken(stackName: string, edit: (resource: Record<string, Record<string, Record<string, unknown>>>) => void): SynthesizedStack[] {
  return stacks.map((stack) => {
    if (stack.name !== stackName) return stack;
    const json = structuredClone(stack.json) as never;
    edit((json as { resource: never }).resource);
    return { ...stack, json };
  });
}

const only = <T>(record: Record<string, T>): T => Object.values(record)[0]!;

describe('principals a policy names exist before it is applied', () => {
  it('holds for every stack', () => {
    expect(principalsThatMayNotExist(stacks, config)).toEqual([]);
  });

  it('catches a key policy naming the Auto Scaling service-linked role when nobody creates it', () => {
    const broken = withBroken(stackNames.globalFoundation, (resource) => {
      delete resource['aws_iam_service_linked_role'];
      const key = only(resource['aws_kms_key']!);
      const policy = JSON.parse(String(key['policy']));
      policy.Statement.push({
        Sid: 'X',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${config.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` },
        Action: 'kms:Decrypt',
        Resource: '*',
      });
      key['policy'] = JSON.stringify(policy);
    });
    expect(principalsThatMayNotExist(broken, config)).toEqual([
      expect.stringMatching(
        /^global-foundation: aws_kms_key\.keys_data_primary_[0-9A-F]+ names arn:aws:iam::\d+:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling, which no stack creates/,
      ),
    ]);
  });

  it('catches roles whose permissions boundary no stack creates', () => {
    const broken = withBroken(stackNames.globalAccess, (resource) => {
      delete resource['aws_iam_policy'];
    });
    const findings = principalsThatMayNotExist(broken, config);
    expect(findings.length).toBeGreaterThan(10); // every CI-made role of every stack
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^global-foundation: aws_iam_role\.audit_log-delivery-role_[0-9A-F]+ names arn:aws:iam::\d+:policy\/254carbon-prod-workload-boundary, which no stack creates/,
        ),
      ]),
    );
  });

  it('catches a same-stack role named by literal without ordering', () => {
    const broken = withBroken(stackNames.regionInfra('us-east'), (resource) => {
      const entry = only(resource['aws_eks_access_entry']!);
      entry['principal_arn'] = `arn:aws:iam::${config.accountId}:role/254carbon-prod-us-east-karpenter-node`;
    });
    expect(principalsThatMayNotExist(broken, config)).toEqual([
      expect.stringContaining('by literal while aws_iam_role.kubernetes_karpenter_node-role_'),
    ]);
  });
});

describe('the CI apply role can manage every resource type its stacks contain', () => {
  const applyPolicy = applyRolePolicy(stacks, config);

  it('holds for every stack CI applies', () => {
    expect(typesTheApplyRoleCannotManage(stacks, config, applyPolicy, boundary)).toEqual([]);
  });

  it("catches Karpenter's queue and rules when sqs and events are missing from the role (the defect found)", () => {
    const narrowed = structuredClone(applyPolicy) as unknown as { Statement: { Sid?: string; Action?: string[] }[] };
    const services = narrowed.Statement.find((s) => s.Sid === 'ManagePlatformServices')!;
    services.Action = services.Action!.filter((a) => a !== 'sqs:*' && a !== 'events:*');
    const findings = typesTheApplyRoleCannotManage(stacks, config, narrowed as never, boundary);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/-infra: aws_sqs_queue needs sqs:CreateOrUpdate/),
        expect.stringMatching(/-infra: aws_cloudwatch_event_rule needs events:CreateOrUpdate/),
      ]),
    );
  });

  it('catches Route 53 records, zones and health checks when route53 is missing (they once counted as EC2 routes)', () => {
    const narrowed = structuredClone(applyPolicy) as unknown as { Statement: { Sid?: string; Action?: string[] }[] };
    const services = narrowed.Statement.find((s) => s.Sid === 'ManagePlatformServices')!;
    services.Action = services.Action!.filter((a) => a !== 'route53:*');
    const findings = typesTheApplyRoleCannotManage(stacks, config, narrowed as never, boundary);
    expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/^global-foundation: aws_route53_zone needs route53:CreateOrUpdate/)]));
    expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/^global-edge: aws_route53_health_check needs route53:CreateOrUpdate/)]));
  });

  it('catches a role named outside the prefix the apply role may manage', () => {
    const broken = withBroken(stackNames.regionData('eu-west'), (resource) => {
      const role = Object.values(resource['aws_iam_role']!).find((r) => String(r['name']).endsWith('-rds-monitoring'))!;
      role['name'] = 'aurora-254carbon-prod-eu-west-rds-monitoring';
    });
    expect(typesTheApplyRoleCannotManage(broken, config, applyPolicy, boundary)).toEqual([
      expect.stringMatching(
        /^eu-west-data: aws_iam_role\.aurora_monitoring-role_[0-9A-F]+ needs iam:CreateRole on arn:aws:iam::\d+:role\/aurora-254carbon-prod-eu-west-rds-monitoring, which the CI apply role may not call; fix: name it inside 254carbon-prod-\*/,
      ),
      expect.stringMatching(/needs iam:PassRole on .*aurora-254carbon-prod-eu-west-rds-monitoring/),
    ]);
  });

  it('catches a resource type nobody mapped to a service', () => {
    const broken = withBroken(stackNames.regionInfra('apac'), (resource) => {
      resource['aws_batch_job_queue'] = { q: {} };
    });
    expect(typesTheApplyRoleCannotManage(broken, config, applyPolicy, boundary)).toEqual([
      expect.stringContaining('apac-infra: aws_batch_job_queue belongs to no known IAM service'),
    ]);
  });
});

describe('the CI apply role is granted no service its stacks do not use', () => {
  it('holds: every service of PLATFORM_SERVICES has a resource in a stack CI applies', () => {
    expect(applyRoleServicesNoStackUses(stacks, PLATFORM_SERVICES)).toEqual([]);
  });

  it('catches a service left in the list after its last resource went (the canaries: synthetics and the Lambda functions they make)', () => {
    const withoutCanaries = stacks.map((stack) => {
      const json = structuredClone(stack.json) as { resource?: Record<string, unknown> };
      for (const type of Object.keys(json.resource ?? {})) if (type.startsWith('aws_synthetics_')) delete json.resource![type];
      return { ...stack, json } as SynthesizedStack;
    });
    expect(applyRoleServicesNoStackUses(withoutCanaries, PLATFORM_SERVICES)).toEqual([
      'the CI apply role grants lambda:* but no stack it applies has a resource of that service; fix: remove "lambda" from PLATFORM_SERVICES (libs/access)',
      'the CI apply role grants synthetics:* but no stack it applies has a resource of that service; fix: remove "synthetics" from PLATFORM_SERVICES (libs/access)',
    ]);
  });

  it('does not count global-access, which the MFA admin applies', () => {
    expect(
      applyRoleServicesNoStackUses(
        stacks.filter((s) => s.name === stackNames.globalAccess),
        ['iam'],
      ),
    ).toEqual([
      'the CI apply role grants iam:* but no stack it applies has a resource of that service; fix: remove "iam" from PLATFORM_SERVICES (libs/access)',
    ]);
  });
});

describe('one Pod Identity association per cluster, namespace and service account', () => {
  it('holds for every cluster', () => {
    expect(duplicatePodIdentityAssociations(stacks)).toEqual([]);
  });

  it('catches the EBS CSI driver associated by its add-on and by a standalone association (the defect found)', () => {
    const broken = withBroken(stackNames.regionInfra('eu-west'), (resource) => {
      const addon = Object.values(resource['aws_eks_addon']!).find((a) => a['addon_name'] === 'aws-ebs-csi-driver')!;
      resource['aws_eks_pod_identity_association']!['extra'] = {
        cluster_name: addon['cluster_name'],
        namespace: 'kube-system',
        service_account: 'ebs-csi-controller-sa',
        role_arn: 'x',
      };
    });
    expect(duplicatePodIdentityAssociations(broken)).toEqual([
      expect.stringMatching(/^eu-west-infra .* kube-system\/ebs-csi-controller-sa: 2 Pod Identity associations/),
    ]);
  });
});

describe('every user of a customer-managed key is granted what it calls', () => {
  it('holds: log groups, the trail, node volumes of managed groups and of Karpenter (controller and spot)', () => {
    expect(keyUsersWithoutGrants(stacks, config)).toEqual([]);
  });

  const breakKey = (purpose: string, edit: (statements: { Sid: string; Condition?: Record<string, Record<string, string>> }[]) => unknown) =>
    withBroken(stackNames.globalFoundation, (resource) => {
      for (const type of ['aws_kms_key', 'aws_kms_replica_key']) {
        for (const key of Object.values(resource[type]!).filter((k) => String(k['description']).startsWith(`${purpose} key`))) {
          const policy = JSON.parse(String(key['policy']));
          policy.Statement = edit(policy.Statement);
          key['policy'] = JSON.stringify(policy);
        }
      }
    });

  it('catches node volume launchers left to IAM policies they do not have (the Karpenter defect found)', () => {
    const broken = breakKey('data', (statements) => statements.filter((s) => s.Sid !== 'Ec2UsesKeyForVolumesLaunchedByThisAccount'));
    const findings = keyUsersWithoutGrants(broken, config);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^us-east-infra: aws_launch_template\..*AWSServiceRoleForAutoScaling may not call kms:CreateGrant/),
        expect.stringMatching(/^apac-infra: Karpenter spot launches: .*AWSServiceRoleForEC2Spot may not call kms:CreateGrant/),
      ]),
    );
    // The controller itself still passes: its own policy grants the calls and the root statement delegates to IAM.
    expect(findings.filter((f) => f.includes('Karpenter controller'))).toEqual([]);
  });

  it("catches CloudTrail's DescribeKey behind an encryption-context condition it never carries (the defect found)", () => {
    const broken = breakKey('logs', (statements) =>
      statements.map((s) =>
        s.Sid === 'CloudTrailDescribesKey'
          ? { ...s, Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:*:trail/*' } } }
          : s,
      ),
    );
    expect(keyUsersWithoutGrants(broken, config)).toEqual([
      expect.stringMatching(/^global-foundation: aws_cloudtrail\.audit_trail_[0-9A-F]+: cloudtrail\.amazonaws\.com may not call kms:DescribeKey/),
    ]);
  });

  it('catches an S3 writer and a replication role without the bucket keys they need', () => {
    const dropKms = (resource: Record<string, Record<string, Record<string, unknown>>>, sid: string) => {
      for (const policy of Object.values(resource['aws_iam_role_policy'] ?? {}))
        policy['policy'] = String(policy['policy']).replace(new RegExp(`, \\{"Sid" = "${sid}"[^}]*\\{[^}]*\\}\\}\\}`), '');
    };
    const noBackupKey = withBroken(stackNames.regionData('apac'), (resource) => dropKms(resource, 'UseDataKeyThroughS3'));
    expect(keyUsersWithoutGrants(noBackupKey, config)).toEqual([
      expect.stringMatching(
        /^apac-data: aws_iam_role_policy\..* \(writes aws_s3_bucket\.clickhouse-backups_bucket_[0-9A-F]+\): arn:aws:iam::\d+:role\/254carbon-prod-apac-clickhouse-backup may not call kms:GenerateDataKey/,
      ),
    ]);
    const wrongReplicaKey = withBroken(stackNames.globalData, (resource) => {
      for (const configuration of Object.values(resource['aws_s3_bucket_replication_configuration']!)) {
        const rule = (configuration['rule'] as { destination: { encryption_configuration: { replica_kms_key_id: string } } }[])[0]!;
        rule.destination.encryption_configuration.replica_kms_key_id = rule.destination.encryption_configuration.replica_kms_key_id.replace(
          'dataKeyArns',
          'logsKeyArns',
        );
      }
    });
    const findings = keyUsersWithoutGrants(wrongReplicaKey, config);
    expect(findings).toHaveLength(config.regions.length);
    expect(findings[0]).toMatch(
      /^global-data: aws_s3_bucket_replication_configuration\..* \(replicas\): arn:aws:iam::\d+:role\/254carbon-prod-[a-z-]+-backup-replication may not call kms:Encrypt/,
    );
  });

  it('catches an alarm topic whose key does not let CloudWatch publish (alarms that fire into nothing)', () => {
    const broken = breakKey('logs', (statements) => statements.filter((s) => s.Sid !== 'CloudWatchAlarmsPublishToEncryptedTopics'));
    const findings = keyUsersWithoutGrants(broken, config).filter((f) => f.includes('aws_sns_topic'));
    expect(findings).toHaveLength(2 * config.regions.length); // GenerateDataKey and Decrypt, per region
    expect(findings[0]).toMatch(/-infra: aws_sns_topic\.alarm-topic_[0-9A-F]+: cloudwatch\.amazonaws\.com may not call kms:GenerateDataKey/);
  });

  it("catches a log group whose region's logs service is not admitted", () => {
    const broken = breakKey('logs', (statements) => statements.filter((s) => s.Sid !== 'CloudWatchLogsEncryptsLogGroupsOfThisAccount'));
    expect(keyUsersWithoutGrants(broken, config).filter((f) => f.includes('aws_cloudwatch_log_group')).length).toBeGreaterThanOrEqual(
      config.regions.length,
    );
  });
});

describe('ordering is expressed by reference', () => {
  it('no resource names a bucket of its own stack by literal name', () => {
    expect(literalBucketNames(stacks)).toEqual([]);
  });

  it("catches access logging configured with the target bucket's literal name (the defect found)", () => {
    const foundation = stacks.find((s) => s.name === stackNames.globalFoundation)!;
    const target = Object.values(foundation.json.resource!['aws_s3_bucket']!)
      .map((b) => String(b['bucket']))
      .find((name) => name.includes('access-logs'))!;
    const broken = withBroken(stackNames.globalFoundation, (resource) => {
      const logging = only(resource['aws_s3_bucket_logging']!);
      logging['target_bucket'] = target;
      delete logging['depends_on'];
    });
    expect(literalBucketNames(broken)).toEqual([
      expect.stringMatching(new RegExp(`^global-foundation: aws_s3_bucket_logging\\..*\\.target_bucket names bucket "${target}" by literal`)),
    ]);
  });
});

describe('policyDocumentOf', () => {
  it("reads cdktf's jsonencode form, references included", () => {
    expect(
      policyDocumentOf(
        '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = "sqs:SendMessage", "Resource" = aws_sqs_queue.q_1.arn}]})}',
      ),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '${aws_sqs_queue.q_1.arn}' }],
    });
  });
});
