import { loadEnvironment, namePrefix } from '@platform/config';
import { policyDocumentOf } from './apply-time-checks';
import { allSynthesizedStacks, resourcesIn } from './synthesized-apps';

/**
 * Every IAM role in the whole synthesized output, with who may assume it, the AWS managed policies
 * it carries and every action its inline policies allow: written out once here, so a role that
 * gains an action, a trust or a managed policy anywhere fails until this table says why. (The lib
 * specs pin each policy's resources and conditions; this is the platform-wide list of powers.)
 * Region names read `<region>`; a role made once per region must be made in every region.
 */
const config = loadEnvironment(process.env['PLATFORM_ENV'] ?? 'prod');
const stacks = allSynthesizedStacks(config.environment);

const pods = 'service pods.eks.amazonaws.com: sts:AssumeRole, sts:TagSession';
const ec2 = 'service ec2.amazonaws.com: sts:AssumeRole';
const nodePolicies = ['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore'];

interface RoleRow {
  readonly stack: string;
  readonly trust: string;
  readonly managed: readonly string[];
  readonly actions: readonly string[];
}

const EXPECTED: Readonly<Record<string, RoleRow>> = {
  // Enhanced Monitoring: AWS's own role policy for it (RDS user guide, "Setting up Enhanced Monitoring").
  '<region>-rds-monitoring': {
    stack: '<region>-data',
    trust: 'service monitoring.rds.amazonaws.com: sts:AssumeRole',
    managed: ['service-role/AmazonRDSEnhancedMonitoringRole'],
    actions: [],
  },
  // clickhouse-backup writes, lists and prunes its region's backup bucket (SSE-KMS with the data key).
  '<region>-clickhouse-backup': {
    stack: '<region>-data',
    trust: pods,
    managed: [],
    actions: [
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ],
  },
  // Alertmanager publishes to the region's encrypted alarm topic.
  '<region>-alertmanager': { stack: '<region>-infra', trust: pods, managed: [], actions: ['kms:Decrypt', 'kms:GenerateDataKey*', 'sns:Publish'] },
  // A Synthetics canary's execution role as the Synthetics guide lists it ("Required roles and permissions for canaries").
  '<region>-canary': {
    stack: '<region>-infra',
    trust: 'service lambda.amazonaws.com: sts:AssumeRole',
    managed: [],
    actions: [
      'cloudwatch:PutMetricData',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListAllMyBuckets',
      's3:PutObject',
    ],
  },
  '<region>-cluster': {
    stack: '<region>-infra',
    trust: 'service eks.amazonaws.com: sts:AssumeRole, sts:TagSession',
    managed: ['AmazonEKSClusterPolicy'],
    actions: [],
  },
  // The managed policy plus the customer key of encrypted volumes (EBS CSI guide, "custom KMS key").
  '<region>-ebs-csi': {
    stack: '<region>-infra',
    trust: pods,
    managed: ['service-role/AmazonEBSCSIDriverPolicy'],
    actions: [
      'kms:CreateGrant',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey*',
      'kms:ListGrants',
      'kms:ReEncrypt*',
      'kms:RevokeGrant',
    ],
  },
  '<region>-external-dns': {
    stack: '<region>-infra',
    trust: pods,
    managed: [],
    actions: ['route53:ChangeResourceRecordSets', 'route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
  },
  // Karpenter 1.14's reference policy (libs/eks-cluster addon-policies.ts names the differences).
  '<region>-karpenter': {
    stack: '<region>-infra',
    trust: pods,
    managed: [],
    actions: [
      'ec2:CreateFleet',
      'ec2:CreateLaunchTemplate',
      'ec2:CreateTags',
      'ec2:DeleteLaunchTemplate',
      'ec2:DescribeCapacityReservations',
      'ec2:DescribeImages',
      'ec2:DescribeInstanceStatus',
      'ec2:DescribeInstanceTypeOfferings',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeInstances',
      'ec2:DescribeLaunchTemplates',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSpotPriceHistory',
      'ec2:DescribeSubnets',
      'ec2:RunInstances',
      'ec2:TerminateInstances',
      'eks:DescribeCluster',
      'iam:AddRoleToInstanceProfile',
      'iam:CreateInstanceProfile',
      'iam:DeleteInstanceProfile',
      'iam:GetInstanceProfile',
      'iam:ListInstanceProfiles',
      'iam:PassRole',
      'iam:RemoveRoleFromInstanceProfile',
      'iam:TagInstanceProfile',
      'kms:CreateGrant',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:GenerateDataKeyWithoutPlaintext',
      'kms:ReEncrypt*',
      'pricing:GetProducts',
      'sqs:DeleteMessage',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'ssm:GetParameter',
    ],
  },
  '<region>-karpenter-node': { stack: '<region>-infra', trust: ec2, managed: nodePolicies, actions: [] },
  // TargetGroupBinding only: discovery, the cluster's own security groups, registration in its target groups.
  '<region>-aws-load-balancer-controller': {
    stack: '<region>-infra',
    trust: pods,
    managed: [],
    actions: [
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:DescribeInstances',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeTags',
      'ec2:DescribeVpcs',
      'ec2:RevokeSecurityGroupIngress',
      'elasticloadbalancing:DeregisterTargets',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:RegisterTargets',
    ],
  },
  '<region>-node': { stack: '<region>-infra', trust: ec2, managed: nodePolicies, actions: [] },
  // The flow-log delivery role as the VPC guide gives it ("IAM role for publishing flow logs to CloudWatch Logs").
  '<region>-flow-logs': {
    stack: '<region>-infra',
    trust: 'service vpc-flow-logs.amazonaws.com: sts:AssumeRole',
    managed: [],
    actions: ['logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
  },
  // People: the account's principals, with MFA (the condition is pinned in libs/access).
  admin: {
    stack: 'global-access',
    trust: `aws arn:aws:iam::${config.accountId}:root: sts:AssumeRole`,
    managed: ['AdministratorAccess'],
    actions: [],
  },
  'read-only': {
    stack: 'global-access',
    trust: `aws arn:aws:iam::${config.accountId}:root: sts:AssumeRole`,
    managed: ['ReadOnlyAccess'],
    actions: [],
  },
  // CI: GitHub's OIDC provider (subjects pinned in libs/access).
  'ci-plan': {
    stack: 'global-access',
    trust: `federated arn:aws:iam::${config.accountId}:oidc-provider/token.actions.githubusercontent.com: sts:AssumeRoleWithWebIdentity`,
    managed: ['ReadOnlyAccess'],
    actions: [
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'secretsmanager:GetRandomPassword',
    ],
  },
  'ci-apply': {
    stack: 'global-access',
    trust: `federated arn:aws:iam::${config.accountId}:oidc-provider/token.actions.githubusercontent.com: sts:AssumeRoleWithWebIdentity`,
    managed: [],
    actions: [
      'acm:*',
      'autoscaling:*',
      'cloudfront:*',
      'cloudtrail:*',
      'cloudwatch:*',
      'ec2:*',
      'eks:*',
      'elasticache:*',
      'elasticloadbalancing:*',
      'events:*',
      'iam:AddRoleToInstanceProfile',
      'iam:AttachRolePolicy',
      'iam:CreateInstanceProfile',
      'iam:CreatePolicy',
      'iam:CreatePolicyVersion',
      'iam:CreateRole',
      'iam:CreateServiceLinkedRole',
      'iam:DeleteInstanceProfile',
      'iam:DeletePolicy',
      'iam:DeletePolicyVersion',
      'iam:DeleteRole',
      'iam:DeleteRolePolicy',
      'iam:DetachRolePolicy',
      'iam:Get*',
      'iam:List*',
      'iam:PassRole',
      'iam:PutRolePermissionsBoundary',
      'iam:PutRolePolicy',
      'iam:RemoveRoleFromInstanceProfile',
      'iam:SetDefaultPolicyVersion',
      'iam:TagInstanceProfile',
      'iam:TagPolicy',
      'iam:TagRole',
      'iam:UntagInstanceProfile',
      'iam:UntagPolicy',
      'iam:UntagRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:UpdateRole',
      'iam:UpdateRoleDescription',
      'kms:*',
      'lambda:*',
      'logs:*',
      'rds:*',
      'route53:*',
      's3:*',
      'secretsmanager:*',
      'sns:*',
      'sqs:*',
      'synthetics:*',
      'wafv2:*',
    ],
  },
  // S3 replication of a region's backups to another region, as the S3 guide's replication role, KMS included.
  '<region>-backup-replication': {
    stack: 'global-data',
    trust: 'service s3.amazonaws.com: sts:AssumeRole',
    managed: [],
    actions: [
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      's3:GetObjectVersionAcl',
      's3:GetObjectVersionForReplication',
      's3:GetObjectVersionTagging',
      's3:GetReplicationConfiguration',
      's3:ListBucket',
      's3:ReplicateDelete',
      's3:ReplicateObject',
      's3:ReplicateTags',
    ],
  },
  // CloudTrail's delivery to its CloudWatch Logs group (CloudTrail guide, "Sending events to CloudWatch Logs").
  'audit-cloudwatch-delivery': {
    stack: 'global-foundation',
    trust: 'service cloudtrail.amazonaws.com: sts:AssumeRole',
    managed: [],
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  },
};

describe('every IAM role the platform makes', () => {
  const prefix = `${namePrefix(config)}-`;
  const regionNames = config.regions.map((r) => r.name);
  const generic = (name: string) => {
    const region = regionNames.find((r) => name.startsWith(`${r}-`));
    return region ? `<region>-${name.slice(region.length + 1)}` : name;
  };

  // Every role as it is made, one entry per stack that makes it (a regional role once per region).
  const made: { name: string; region?: string; row: RoleRow }[] = [];
  for (const stack of stacks) {
    const resources = resourcesIn(stack);
    for (const [type, id, body] of resources) {
      if (type !== 'aws_iam_role') continue;
      const refs = [`\${aws_iam_role.${id}.name}`, `\${aws_iam_role.${id}.id}`];
      const trust = [policyDocumentOf(body['assume_role_policy'])!.Statement]
        .flat()
        .map((s) => {
          const [kind, who] = Object.entries(s.Principal as Record<string, string>)[0]!;
          return `${kind.toLowerCase()} ${who}: ${[s.Action].flat().join(', ')}`;
        })
        .join(' | ');
      const managed = resources
        .filter(([t, , b]) => t === 'aws_iam_role_policy_attachment' && refs.includes(String(b['role'])))
        .map(([, , b]) => String(b['policy_arn']).replace(/^arn:aws:iam::aws:policy\//, ''))
        .sort();
      const actions = resources
        .filter(([t, , b]) => t === 'aws_iam_role_policy' && refs.includes(String(b['role'])))
        .flatMap(([, , b]) => [policyDocumentOf(b['policy'])!.Statement].flat())
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => (s.NotAction ? [`NOT ${[s.NotAction].flat().join(',')}`] : [s.Action ?? []].flat()));
      const fullName = String(body['name']);
      const name = fullName.startsWith(prefix) ? generic(fullName.slice(prefix.length)) : `unprefixed ${fullName}`;
      const region = regionNames.find((r) => fullName.startsWith(`${prefix}${r}-`));
      made.push({ name, ...(region ? { region } : {}), row: { stack: generic(stack.name), trust, managed, actions: [...new Set(actions)].sort() } });
    }
  }

  it('is one of these, with exactly this trust, these AWS policies and these actions, in every stack that makes it', () => {
    expect(new Set(made.map((m) => m.name))).toEqual(new Set(Object.keys(EXPECTED)));
    for (const { name, region, row } of made) expect({ name, region, row }).toStrictEqual({ name, region, row: EXPECTED[name] });
  });

  it('is made in every configured region when it is a regional role', () => {
    for (const name of Object.keys(EXPECTED).filter((n) => n.startsWith('<region>-')))
      expect({
        name,
        regions: made
          .filter((m) => m.name === name)
          .map((m) => m.region)
          .sort(),
      }).toEqual({ name, regions: [...regionNames].sort() });
  });
});
