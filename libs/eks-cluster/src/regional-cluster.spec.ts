import { resolveConfig, seedRegionsConfig, seedRegionsInput } from '@platform/config';
import { PlatformStack, onlyResource, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { ciRunnerLabel } from './ci-runner-access';
import { CONTROL_PLANE_LOG_TYPES } from './eks-cluster';
import {
  ebsCsiKmsStatements,
  externalDnsStatements,
  karpenterControllerStatements,
  loadBalancerControllerStatements,
  targetRegistrationStatements,
} from './addon-policies';
import { PodIdentityRole } from './pod-identity-role';
import { RegionalCluster } from './regional-cluster';

const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/origin/0123456789abcdef';
const KEYS = { dataKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/data', logsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/logs' };

function synth(config = seedRegionsConfig(), regionName = 'us-east') {
  const stack = new PlatformStack(Testing.app(), `${regionName}-infra`, testContext({}, config));
  const region = config.regions.find((r) => r.name === regionName)!;
  const cluster = new RegionalCluster(stack, 'kubernetes', {
    config,
    region,
    privateSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
    vpcId: 'vpc-1',
    hostedZoneId: 'Z123',
    ...KEYS,
  });
  cluster.allowTargetRegistration('origin', TARGET_GROUP_ARN);
  return synthesizeStack(stack);
}

describe('RegionalCluster', () => {
  const json = synth();
  const values = (type: string) => Object.values(resourcesOf(json, type));

  it('runs the pinned Kubernetes version with a private endpoint, KMS secrets, all logs and API access mode', () => {
    expect(onlyResource(json, 'aws_eks_cluster')).toMatchObject({
      name: '254carbon-prod-us-east',
      version: '1.35',
      vpc_config: { endpoint_private_access: true, endpoint_public_access: false, subnet_ids: ['subnet-a', 'subnet-b', 'subnet-c'] },
      encryption_config: { resources: ['secrets'], provider: { key_arn: KEYS.dataKeyArn } },
      enabled_cluster_log_types: CONTROL_PLANE_LOG_TYPES,
      access_config: { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false },
      upgrade_policy: { support_type: 'STANDARD' },
      lifecycle: { prevent_destroy: true },
    });
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    expect(values('aws_cloudwatch_log_group')).toEqual([
      expect.objectContaining({ name: '/aws/eks/254carbon-prod-us-east/cluster', kms_key_id: KEYS.logsKeyArn }),
    ]);
  });

  it('opens the public endpoint only to configured CIDRs', () => {
    const prod = seedRegionsInput();
    const config = resolveConfig({ ...structuredClone(prod), kubernetes: { ...prod.kubernetes, publicAccessCidrs: ['203.0.113.0/24'] } });
    expect(onlyResource(synth(config), 'aws_eks_cluster')['vpc_config']).toMatchObject({
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
  });

  it('grants people and CI access through access entries; the plan role reads Secrets only where Helm releases live', () => {
    const byPrincipal = new Map<string, Record<string, unknown>>(values('aws_eks_access_entry').map((e) => [String(e['principal_arn']), e]));
    const grants = values('aws_eks_access_policy_association')
      .map((a) => {
        const scope = a['access_scope'] as { type: string; namespaces?: string[] };
        const role = String(a['principal_arn']);
        return `${role} ${String(a['policy_arn']).split('/').pop()} ${scope.type}${scope.namespaces ? `:${scope.namespaces.join(',')}` : ''}`;
      })
      .sort();
    expect(
      grants.map((g) => g.replace(/^\$\{aws_eks_access_entry\.kubernetes_cluster_access-([a-z0-9-]+)_[0-9A-F]+\.principal_arn\}/, '$1')),
    ).toEqual([
      '254carbon-prod-admin AmazonEKSClusterAdminPolicy cluster',
      '254carbon-prod-ci-apply AmazonEKSClusterAdminPolicy cluster',
      '254carbon-prod-ci-plan AmazonEKSAdminViewPolicy namespace:cert-manager,clickhouse,clickhouse-operator,external-dns,kube-system,market-intelligence,monitoring',
      '254carbon-prod-ci-plan AmazonEKSViewPolicy cluster',
      '254carbon-prod-read-only AmazonEKSViewPolicy cluster',
    ]);
    expect([...byPrincipal.values()].map((e) => `${String(e['principal_arn']).replace(/.*role\//, '')} ${e['type']}`)).toEqual(
      expect.arrayContaining([
        '254carbon-prod-admin STANDARD',
        '254carbon-prod-read-only STANDARD',
        '254carbon-prod-ci-plan STANDARD',
        '254carbon-prod-ci-apply STANDARD',
      ]),
    );
    expect([...byPrincipal.values()].filter((e) => e['type'] === 'EC2_LINUX')).toHaveLength(1); // Karpenter's nodes
  });

  it('opens the private API endpoint to exactly two runner groups, plan and apply, on 443', () => {
    const groups = values('aws_security_group').filter((g) => String(g['name']).includes('-ci-'));
    expect(groups.map((g) => g['name']).sort()).toEqual(['254carbon-prod-us-east-ci-apply-runners', '254carbon-prod-us-east-ci-plan-runners']);
    const ingress = values('aws_vpc_security_group_ingress_rule').filter((r) =>
      String(r['security_group_id']).includes('vpc_config[0].cluster_security_group_id'),
    );
    expect(
      ingress
        .map((r) => [r['from_port'], r['to_port'], r['ip_protocol'], String(r['referenced_security_group_id']).replace(/_[0-9A-F]+\.id\}$/, '')])
        .sort(),
    ).toEqual([
      [443, 443, 'tcp', '${aws_security_group.kubernetes_ci-runners_apply-runners'],
      [443, 443, 'tcp', '${aws_security_group.kubernetes_ci-runners_plan-runners'],
    ]);
  });

  it('has the seed node groups on AL2023, GPU nodes on the NVIDIA AMI with label and taint', () => {
    const groups: Record<string, Record<string, unknown>> = Object.fromEntries(values('aws_eks_node_group').map((g) => [g['node_group_name'], g]));
    expect(Object.keys(groups).sort()).toEqual(['254carbon-prod-us-east-general', '254carbon-prod-us-east-gpu']);
    expect(groups['254carbon-prod-us-east-general']).toMatchObject({
      ami_type: 'AL2023_x86_64_STANDARD',
      scaling_config: { min_size: 3, desired_size: 3, max_size: 9 },
    });
    expect(groups['254carbon-prod-us-east-general']?.['taint']).toBeUndefined();
    expect(groups['254carbon-prod-us-east-gpu']).toMatchObject({
      ami_type: 'AL2023_x86_64_NVIDIA',
      instance_types: ['g5.2xlarge'],
      scaling_config: { desired_size: 2 },
      labels: { 'nvidia.com/gpu.present': 'true' },
      taint: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }],
    });
    for (const group of Object.values(groups)) expect(group['lifecycle']).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  it('launches nodes with IMDSv2 (hop limit 1) and encrypted gp3 root volumes', () => {
    for (const template of values('aws_launch_template')) {
      expect(template).toMatchObject({
        metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 },
        block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_type: 'gp3', encrypted: 'true', kms_key_id: KEYS.dataKeyArn } }],
      });
    }
  });

  it("scales each group's own Auto Scaling group, the one EKS made for it", () => {
    const groups = Object.keys(resourcesOf(json, 'aws_eks_node_group'));
    const targets = values('aws_autoscaling_schedule').map((s) => s['autoscaling_group_name']);
    // Both us-east groups scale down at night: general and gpu.
    expect(new Set(targets)).toEqual(new Set(groups.map((id) => `\${aws_eks_node_group.${id}.resources[0].autoscaling_groups[0].name}`)));
  });

  it('removes nodes off-peak in local time (minimum and desired) and restores both in the morning', () => {
    const schedules = values('aws_autoscaling_schedule').map((s) => [
      s['scheduled_action_name'],
      s['recurrence'],
      s['time_zone'],
      s['min_size'],
      s['desired_capacity'],
      s['max_size'],
    ]);
    expect(schedules.sort()).toEqual([
      ['254carbon-prod-us-east-general-off-peak', '0 22 * * *', 'America/New_York', 2, 2, -1],
      ['254carbon-prod-us-east-general-peak', '0 6 * * *', 'America/New_York', 3, 3, -1],
      ['254carbon-prod-us-east-gpu-off-peak', '0 22 * * *', 'America/New_York', 1, 1, -1],
      ['254carbon-prod-us-east-gpu-peak', '0 6 * * *', 'America/New_York', 2, 2, -1],
    ]);
  });

  it('gives Karpenter an interruption queue fed by four EventBridge rules, and Pod Identity roles to the add-ons', () => {
    expect(onlyResource(json, 'aws_sqs_queue')).toMatchObject({ name: '254carbon-prod-us-east-karpenter', sqs_managed_sse_enabled: true });
    expect(values('aws_cloudwatch_event_rule')).toHaveLength(4);
    expect(
      values('aws_eks_pod_identity_association')
        .map((a) => `${a['namespace']}/${a['service_account']}`)
        .sort(),
    ).toEqual(['external-dns/external-dns', 'kube-system/aws-load-balancer-controller', 'kube-system/karpenter']);
  });

  it("associates the EBS CSI driver's role once, through its add-on (EKS allows one association per service account)", () => {
    const ebs = values('aws_eks_addon').find((a) => a['addon_name'] === 'aws-ebs-csi-driver')!;
    expect(ebs['pod_identity_association']).toEqual([
      { role_arn: expect.stringMatching(/^\$\{aws_iam_role\.kubernetes_ebs-csi_role_[0-9A-F]+\.arn\}$/), service_account: 'ebs-csi-controller-sa' },
    ]);
    expect(values('aws_eks_pod_identity_association').filter((a) => a['service_account'] === 'ebs-csi-controller-sa')).toEqual([]);
  });

  it("lets the EBS CSI driver encrypt volumes with the region's data key (StorageClass kmsKeyId), grants for AWS resources only", () => {
    const synthesized = String(values('aws_iam_role_policy').find((p) => p['name'] === '254carbon-prod-us-east-ebs-csi')!['policy']);
    expect(synthesized).toContain(`"Resource" = "${KEYS.dataKeyArn}"`);
    expect(ebsCsiKmsStatements(KEYS.dataKeyArn)).toEqual([
      {
        Sid: 'GrantsForEbs',
        Effect: 'Allow',
        Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: KEYS.dataKeyArn,
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
      {
        Sid: 'UseDataKey',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: KEYS.dataKeyArn,
      },
    ]);
  });

  it('turns on NetworkPolicy enforcement in the VPC CNI (otherwise every NetworkPolicy is accepted and ignored)', () => {
    const cni = values('aws_eks_addon').find((a) => a['addon_name'] === 'vpc-cni')!;
    expect(JSON.parse(String(cni['configuration_values']))).toEqual({ enableNetworkPolicy: 'true' });
  });

  it("gives Karpenter's controller exactly upstream's policy for 1.14, minus what is unused, plus the region's data key through EC2", () => {
    const synthesized = String(values('aws_iam_role_policy').find((p) => p['name'] === '254carbon-prod-us-east-karpenter')!['policy']);
    expect(synthesized).toContain(`"Resource" = "${KEYS.dataKeyArn}"`); // the synthesized policy names this region's data key
    expect(synthesized).toContain('"Sid" = "AllowScopedInstanceProfileActions"');
    // Upstream: aws/karpenter-provider-aws website/content/en/v1.14/getting-started/getting-started-with-karpenter/
    // cloudformation.yaml (commit 692ccdd0, read 2026-12-04), for cluster "c" in us-east-1, account 111111111111.
    const launched = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map(
      (t) => `arn:aws:ec2:us-east-1:*:${t}/*`,
    );
    const ownedLaunch = { 'aws:ResourceTag/kubernetes.io/cluster/c': 'owned' };
    const profiles = 'arn:aws:iam::111111111111:instance-profile/*';
    expect(
      karpenterControllerStatements({
        accountId: '111111111111',
        awsRegion: 'us-east-1',
        clusterName: 'c',
        clusterArn: 'arn:c',
        nodeRoleArn: 'arn:node',
        interruptionQueueArn: 'arn:q',
        volumeKeyArn: KEYS.dataKeyArn,
      }),
    ).toStrictEqual([
      {
        Sid: 'AllowScopedEC2InstanceAccessActions',
        Effect: 'Allow',
        Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
        Resource: [
          'arn:aws:ec2:us-east-1::image/*',
          'arn:aws:ec2:us-east-1::snapshot/*',
          'arn:aws:ec2:us-east-1:*:security-group/*',
          'arn:aws:ec2:us-east-1:*:subnet/*',
          'arn:aws:ec2:us-east-1:*:capacity-reservation/*',
        ],
      },
      {
        Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        Effect: 'Allow',
        Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
        Resource: 'arn:aws:ec2:us-east-1:*:launch-template/*',
        Condition: { StringEquals: ownedLaunch, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
      },
      {
        Sid: 'AllowScopedEC2InstanceActionsWithTags',
        Effect: 'Allow',
        Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        Resource: launched,
        Condition: {
          StringEquals: { 'aws:RequestTag/kubernetes.io/cluster/c': 'owned', 'aws:RequestTag/eks:eks-cluster-name': 'c' },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedResourceCreationTagging',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: launched,
        Condition: {
          StringEquals: {
            'aws:RequestTag/kubernetes.io/cluster/c': 'owned',
            'aws:RequestTag/eks:eks-cluster-name': 'c',
            'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
          },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedResourceTagging',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: 'arn:aws:ec2:us-east-1:*:instance/*',
        Condition: {
          StringEquals: ownedLaunch,
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
          StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': 'c' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
        },
      },
      {
        Sid: 'AllowScopedDeletion',
        Effect: 'Allow',
        Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        Resource: ['arn:aws:ec2:us-east-1:*:instance/*', 'arn:aws:ec2:us-east-1:*:launch-template/*'],
        Condition: { StringEquals: ownedLaunch, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
      },
      {
        Sid: 'AllowPassingInstanceRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: 'arn:node',
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
      {
        Sid: 'AllowScopedInstanceProfileCreationActions',
        Effect: 'Allow',
        Action: 'iam:CreateInstanceProfile',
        Resource: profiles,
        Condition: {
          StringEquals: {
            'aws:RequestTag/kubernetes.io/cluster/c': 'owned',
            'aws:RequestTag/eks:eks-cluster-name': 'c',
            'aws:RequestTag/topology.kubernetes.io/region': 'us-east-1',
          },
          StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      {
        Sid: 'AllowScopedInstanceProfileTagActions',
        Effect: 'Allow',
        Action: 'iam:TagInstanceProfile',
        Resource: profiles,
        Condition: {
          StringEquals: {
            'aws:ResourceTag/kubernetes.io/cluster/c': 'owned',
            'aws:ResourceTag/topology.kubernetes.io/region': 'us-east-1',
            'aws:RequestTag/kubernetes.io/cluster/c': 'owned',
            'aws:RequestTag/eks:eks-cluster-name': 'c',
            'aws:RequestTag/topology.kubernetes.io/region': 'us-east-1',
          },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      {
        Sid: 'AllowScopedInstanceProfileActions',
        Effect: 'Allow',
        Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
        Resource: profiles,
        Condition: {
          StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/c': 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': 'us-east-1' },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      { Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: 'arn:c' },
      {
        Sid: 'AllowInterruptionQueueActions',
        Effect: 'Allow',
        Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        Resource: 'arn:q',
      },
      {
        Sid: 'AllowRegionalReadActions',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeCapacityReservations',
          'ec2:DescribeImages',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      },
      { Sid: 'AllowSSMReadActions', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:us-east-1::parameter/aws/service/*' },
      { Sid: 'AllowPricingReadActions', Effect: 'Allow', Action: 'pricing:GetProducts', Resource: '*' },
      { Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Action: 'iam:ListInstanceProfiles', Resource: '*' },
      { Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Action: 'iam:GetInstanceProfile', Resource: profiles },
      // Ours: the customer key of node volumes, through EC2 of this region only.
      {
        Sid: 'EncryptNodeVolumesThroughEc2',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*'],
        Resource: KEYS.dataKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } },
      },
      {
        Sid: 'GrantEc2TheNodeVolumeKey',
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: KEYS.dataKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ]);
  });

  it('manages the core add-ons, CoreDNS and EBS CSI after the nodes', () => {
    const addons = Object.fromEntries(values('aws_eks_addon').map((a) => [a['addon_name'], a]));
    expect(Object.keys(addons).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    expect(addons['coredns']?.['depends_on']).toHaveLength(2);
  });

  it('writes no policy that allows every action', () => {
    for (const policy of values('aws_iam_role_policy')) expect(String(policy['policy'])).not.toMatch(/"Action" = "\*"|"Action":"\*"/);
  });

  it('makes exactly these roles: who may assume each, and which AWS policies and inline policies each carries', () => {
    const roles = resourcesOf(json, 'aws_iam_role');
    const nameOf = (ref: unknown) => String(roles[String(ref).replace(/^\$\{aws_iam_role\.([^.]+)\.(name|id)\}$/, '$1')]?.['name']);
    const trust = (r: Record<string, unknown>) => {
      const [statement, ...rest] = (JSON.parse(String(r['assume_role_policy'])) as { Version: string; Statement: Record<string, unknown>[] })
        .Statement;
      return rest.length ? 'more than one statement' : statement;
    };
    const pods = {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    };
    const ec2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    const eks = { Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] };
    const nodePolicies = ['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore'];
    const attached = (name: string) =>
      values('aws_iam_role_policy_attachment')
        .filter((a) => nameOf(a['role']) === name)
        .map((a) => String(a['policy_arn']).replace('arn:aws:iam::aws:policy/', ''))
        .sort();
    const inline = (name: string) =>
      values('aws_iam_role_policy')
        .filter((p) => nameOf(p['role']) === name)
        .map((p) => p['name'])
        .sort();
    const summary = Object.values(roles)
      .map((r) => {
        const name = String(r['name']);
        return [name, trust(r), attached(name), inline(name)];
      })
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const p = '254carbon-prod-us-east';
    expect(summary).toStrictEqual([
      [`${p}-aws-load-balancer-controller`, pods, [], [`${p}-aws-load-balancer-controller`, 'register-origin']],
      [`${p}-cluster`, eks, ['AmazonEKSClusterPolicy'], []],
      [`${p}-ebs-csi`, pods, ['service-role/AmazonEBSCSIDriverPolicy'], [`${p}-ebs-csi`]],
      [`${p}-external-dns`, pods, [], [`${p}-external-dns`]],
      [`${p}-karpenter`, pods, [], [`${p}-karpenter`]],
      [`${p}-karpenter-node`, ec2, nodePolicies, []],
      [`${p}-node`, ec2, nodePolicies, []],
    ]);
    for (const r of Object.values(roles)) expect(JSON.parse(String(r['assume_role_policy']))).toMatchObject({ Version: '2012-10-17' });
    for (const inlinePolicy of values('aws_iam_role_policy'))
      expect(String(inlinePolicy['policy'])).toMatch(/^\$\{jsonencode\(\{"Version" = "2012-10-17", /);
  });

  it('binds each add-on role to its one service account, and the EBS CSI driver through its add-on', () => {
    expect(
      values('aws_eks_pod_identity_association')
        .map(
          (a) =>
            `${String(a['namespace'])}/${String(a['service_account'])} -> ${String(a['role_arn']).replace(/^\$\{aws_iam_role\.kubernetes_(.+)_role_[0-9A-F]+\.arn\}$/, '$1')}`,
        )
        .sort(),
    ).toEqual([
      'external-dns/external-dns -> external-dns',
      'kube-system/aws-load-balancer-controller -> load-balancer-controller',
      'kube-system/karpenter -> karpenter_controller',
    ]);
    for (const a of values('aws_eks_pod_identity_association'))
      expect(a['cluster_name']).toMatch(/^\$\{aws_eks_cluster\.kubernetes_cluster_[0-9A-F]+\.name\}$/);
  });

  it("feeds Karpenter's queue from exactly the four EventBridge patterns upstream lists, over TLS only", () => {
    const queue = `\${aws_sqs_queue.${Object.keys(resourcesOf(json, 'aws_sqs_queue'))[0]!}.arn}`;
    const rules = resourcesOf(json, 'aws_cloudwatch_event_rule');
    expect(
      Object.values(rules)
        .map((r) => [r['name'], JSON.parse(String(r['event_pattern']))])
        .sort(),
    ).toEqual([
      ['254carbon-prod-us-east-karpenter-instance-state-change', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }],
      ['254carbon-prod-us-east-karpenter-rebalance', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] }],
      ['254carbon-prod-us-east-karpenter-scheduled-change', { source: ['aws.health'], 'detail-type': ['AWS Health Event'] }],
      ['254carbon-prod-us-east-karpenter-spot-interruption', { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] }],
    ]);
    const targets = values('aws_cloudwatch_event_target');
    expect(targets.map((t) => rules[String(t['rule']).replace(/^\$\{aws_cloudwatch_event_rule\.([^.]+)\.name\}$/, '$1')]?.['name']).sort()).toEqual(
      Object.values(rules)
        .map((r) => r['name'])
        .sort(),
    );
    for (const t of targets) expect(t).toMatchObject({ arn: queue, target_id: 'karpenter-interruption-queue' });
    const queuePolicy = onlyResource(json, 'aws_sqs_queue_policy');
    expect(queuePolicy['queue_url']).toBe(queue.replace('.arn}', '.url}'));
    const hcl = String(queuePolicy['policy']);
    const arnRef = queue.slice(2, -1);
    expect(hcl).toBe(
      `\${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Sid" = "EventBridgeDelivers", "Effect" = "Allow", "Principal" = {"Service" = ["events.amazonaws.com", "sqs.amazonaws.com"]}, "Action" = "sqs:SendMessage", "Resource" = ${arnRef}}, {"Sid" = "DenyInsecureTransport", "Effect" = "Deny", "Principal" = "*", "Action" = "sqs:*", "Resource" = ${arnRef}, "Condition" = {"Bool" = {"aws:SecureTransport" = "false"}}}]})}`,
    );
    expect(values('aws_eks_access_entry').find((e) => e['type'] === 'EC2_LINUX')?.['principal_arn']).toMatch(
      /^\$\{aws_iam_role\.kubernetes_karpenter_node-role_[0-9A-F]+\.arn\}$/,
    );
  });

  it('gives each runner group HTTPS out and nothing in, under names the workflows use', () => {
    for (const role of ['plan', 'apply'] as const) {
      const name = `254carbon-prod-us-east-ci-${role}-runners`;
      const [id, group] = Object.entries(resourcesOf(json, 'aws_security_group')).find(([, g]) => g['name'] === name)!;
      expect(group).toMatchObject({
        description: `CI ${role} runners that reach the cluster API`,
        egress: [],
        tags: { Name: name },
        vpc_id: 'vpc-1',
      });
      const ref = `\${aws_security_group.${id}.id}`;
      expect(
        values('aws_vpc_security_group_egress_rule')
          .filter((r) => r['security_group_id'] === ref)
          .map(({ ['//']: _, ...r }) => r),
      ).toEqual([{ security_group_id: ref, cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443, description: 'HTTPS out' }]);
      expect(values('aws_vpc_security_group_ingress_rule').filter((r) => r['security_group_id'] === ref)).toEqual([]); // nothing in
      expect(values('aws_vpc_security_group_ingress_rule').find((r) => r['referenced_security_group_id'] === ref)?.['description']).toBe(
        `Kubernetes API from CI ${role} runners`,
      );
    }
    expect(ciRunnerLabel('prod', 'eu-west', 'apply')).toBe('prod-eu-west-apply');
  });

  it('tags the cluster security group for Karpenter discovery and manages add-ons over console edits', () => {
    expect(onlyResource(json, 'aws_ec2_tag')).toMatchObject({
      key: 'karpenter.sh/discovery',
      value: '254carbon-prod-us-east',
      resource_id: expect.stringMatching(/vpc_config\[0\]\.cluster_security_group_id\}$/),
    });
    for (const addon of values('aws_eks_addon'))
      expect(addon).toMatchObject({ resolve_conflicts_on_create: 'OVERWRITE', resolve_conflicts_on_update: 'OVERWRITE' });
    expect(onlyResource(json, 'aws_eks_cluster')['depends_on']).toEqual([
      expect.stringMatching(/^aws_iam_role_policy_attachment\.kubernetes_cluster_cluster-policy_[0-9A-F]+$/),
      expect.stringMatching(/^aws_cloudwatch_log_group\.kubernetes_cluster_log-group_[0-9A-F]+$/),
    ]);
    expect(CONTROL_PLANE_LOG_TYPES).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(onlyResource(json, 'aws_eks_cluster')['vpc_config']).not.toHaveProperty('public_access_cidrs');
  });

  it('gives each node group its own launch template: names, tags on instances and volumes, one node at a time on update', () => {
    for (const group of values('aws_eks_node_group')) {
      const name = String(group['node_group_name']);
      const templateId = String((group['launch_template'] as { id: string }).id).replace(/^\$\{aws_launch_template\.([^.]+)\.id\}$/, '$1');
      expect(group['launch_template']).toEqual({
        id: `\${aws_launch_template.${templateId}.id}`,
        version: `\${aws_launch_template.${templateId}.latest_version}`,
      });
      expect(group['update_config']).toEqual({ max_unavailable: 1 });
      const { ['//']: _, ...template } = resourcesOf(json, 'aws_launch_template')[templateId]!;
      expect(template).toStrictEqual({
        name_prefix: `${name}-`,
        description: `Nodes of ${name}`,
        update_default_version: true,
        metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' },
        block_device_mappings: [
          {
            device_name: '/dev/xvda',
            ebs: { volume_size: 100, volume_type: 'gp3', encrypted: 'true', kms_key_id: KEYS.dataKeyArn, delete_on_termination: 'true' },
          },
        ],
        tag_specifications: [
          { resource_type: 'instance', tags: { Name: name } },
          { resource_type: 'volume', tags: { Name: name } },
        ],
      });
    }
  });

  it('schedules off-peak only for groups whose off-peak minimum is below their minimum', () => {
    const input = seedRegionsInput();
    const regions = input.regions.map((r) =>
      r.name === 'us-east'
        ? {
            ...r,
            nodeGroups: r.nodeGroups.map((g) =>
              g.name === 'general' ? { ...g, offPeakMinSize: g.minSize } : (({ offPeakMinSize: _, ...rest }) => rest)(g),
            ),
          }
        : r,
    );
    expect(Object.keys(resourcesOf(synth(resolveConfig({ ...input, regions })), 'aws_autoscaling_schedule'))).toEqual([]);
  });

  it('has no GPU group, taint or schedule for it in regions without GPUs', () => {
    const eu = synth(seedRegionsConfig(), 'eu-west');
    expect(Object.values(resourcesOf(eu, 'aws_eks_node_group')).map((g) => g['ami_type'])).toEqual(['AL2023_x86_64_STANDARD']);
  });
});

describe('external-dns policy', () => {
  // external-dns's AWS tutorial (kubernetes-sigs/external-dns docs/tutorials/aws.md, read 2026-11-25) grants
  // ChangeResourceRecordSets on hosted zones and the three list actions on "*"; here the write is
  // narrowed to the platform's zone, and nothing else is allowed.
  it('changes records in the platform zone only, and lists what discovery needs', () => {
    expect(externalDnsStatements('Z123')).toStrictEqual([
      { Sid: 'ChangePlatformZone', Effect: 'Allow', Action: ['route53:ChangeResourceRecordSets'], Resource: 'arn:aws:route53:::hostedzone/Z123' },
      {
        Sid: 'Discover',
        Effect: 'Allow',
        Action: ['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        Resource: '*',
      },
    ]);
    // The synthesized policy is those statements, and only those, in the current policy language.
    const synthesized = String(
      Object.values(resourcesOf(synth(), 'aws_iam_role_policy')).find((p) => p['name'] === '254carbon-prod-us-east-external-dns')!['policy'],
    );
    expect(synthesized).toBe(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Sid" = "ChangePlatformZone", "Effect" = "Allow", "Action" = ["route53:ChangeResourceRecordSets"], "Resource" = "arn:aws:route53:::hostedzone/Z123"}, {"Sid" = "Discover", "Effect" = "Allow", "Action" = ["route53:ListHostedZones", "route53:ListResourceRecordSets", "route53:ListTagsForResources"], "Resource" = "*"}]})}',
    );
  });
});

describe('load balancer controller policy', () => {
  // Upstream's reference policy (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json,
  // commit 00a1fab5, read 2026-11-25): the actions it grants that a TargetGroupBinding-only controller could use.
  const UPSTREAM_ACTIONS = [
    'ec2:DescribeVpcs',
    'ec2:DescribeSubnets',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeInstances',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeTags',
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
    'elasticloadbalancing:DescribeTags',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupIngress',
    'elasticloadbalancing:RegisterTargets',
    'elasticloadbalancing:DeregisterTargets',
  ];

  it('grants nothing upstream does not, creates nothing, and changes only security groups the cluster owns', () => {
    const statements = loadBalancerControllerStatements('p-us-east');
    expect(statements[0]).toStrictEqual({
      Sid: 'Discover',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeVpcs',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeTags',
      ],
      Resource: '*',
    });
    expect(statements.map((st) => st['Sid'])).toEqual(['Discover', 'AllowLoadBalancerToPods']);
    const actions = statements.flatMap((st) => [st['Action']].flat() as string[]);
    expect(actions.filter((a) => !UPSTREAM_ACTIONS.includes(a))).toEqual([]);
    expect(actions.filter((a) => /:(Create|Delete|Modify|Set|RegisterTargets)/.test(a))).toEqual([]);
    expect(statements.find((st) => st['Sid'] === 'AllowLoadBalancerToPods')).toEqual({
      Sid: 'AllowLoadBalancerToPods',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: 'arn:aws:ec2:*:*:security-group/*',
      Condition: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/p-us-east': 'owned' } },
    });
  });

  it("registers pods in the region's origin target group only, through its own role", () => {
    expect(targetRegistrationStatements(TARGET_GROUP_ARN)).toStrictEqual([
      {
        Sid: 'RegisterPodsInTheOrigin',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        Resource: TARGET_GROUP_ARN,
      },
    ]);
    const json = synth();
    const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy'));
    const register = policies.find((p) => p['name'] === 'register-origin')!;
    expect(register['role']).toMatch(/^\$\{aws_iam_role\.kubernetes_load-balancer-controller_role_[0-9A-F]+\.id\}$/);
    expect(String(register['policy'])).toContain(`"Resource" = "${TARGET_GROUP_ARN}"`);
    expect(String(register['policy'])).toContain('"Action" = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]');
    const base = policies.find((p) => p['name'] === '254carbon-prod-us-east-aws-load-balancer-controller')!;
    expect(String(base['policy'])).not.toContain('RegisterTargets');
  });
});

describe('PodIdentityRole', () => {
  it('makes no inline policy when given none, and one attachment per managed policy', () => {
    const stack = new PlatformStack(Testing.app(), 'us-east-infra', testContext());
    new PodIdentityRole(stack, 'r', {
      roleName: 'p-x',
      accountId: '111111111111',
      clusterName: 'c',
      namespace: 'n',
      serviceAccount: 's',
      managedPolicyArns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/service-role/B'],
    });
    const json = synthesizeStack(stack);
    expect(resourcesOf(json, 'aws_iam_role_policy')).toEqual({});
    expect(Object.keys(resourcesOf(json, 'aws_iam_role_policy_attachment'))).toEqual([
      expect.stringMatching(/^r_managed-A_[0-9A-F]+$/),
      expect.stringMatching(/^r_managed-B_[0-9A-F]+$/),
    ]);
    expect(Object.values(resourcesOf(json, 'aws_eks_pod_identity_association'))).toEqual([
      expect.objectContaining({ cluster_name: 'c', namespace: 'n', service_account: 's' }),
    ]);
  });
});
