import { Fn } from 'cdktf';

/**
 * IAM policies of the cluster add-ons, written for how this platform uses each one. Describe/List
 * calls take `*` because AWS offers no resource-level form for them; everything that changes
 * something is scoped to the cluster's resources by ARN or tag.
 */

function policy(statements: Record<string, unknown>[]): string {
  return Fn.jsonencode({ Version: '2012-10-17', Statement: statements });
}

/**
 * The load balancer controller only binds pods to target groups Terraform created
 * (TargetGroupBinding); it never creates load balancers, so it gets no elasticloadbalancing:Create*.
 * Every action is one upstream's reference policy grants (kubernetes-sigs/aws-load-balancer-controller
 * docs/install/iam_policy.json, commit 00a1fab5, read 2026-11-25); registering targets is granted
 * per target group by `targetRegistrationPolicy`, not here.
 */
export function loadBalancerControllerStatements(clusterName: string): Record<string, unknown>[] {
  return [
    {
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
    },
    // Opens the cluster security group (EKS tags it owned by the cluster) to the load balancer for bound services.
    {
      Sid: 'AllowLoadBalancerToPods',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: 'arn:aws:ec2:*:*:security-group/*',
      Condition: { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: 'owned' } },
    },
  ];
}

export function loadBalancerControllerPolicy(clusterName: string): string {
  return policy(loadBalancerControllerStatements(clusterName));
}

/** Pods may be registered in this target group only (the region's origin), not in any target group of the account. */
export function targetRegistrationStatements(targetGroupArn: string): Record<string, unknown>[] {
  return [
    {
      Sid: 'RegisterPodsInTheOrigin',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      Resource: targetGroupArn,
    },
  ];
}

export function targetRegistrationPolicy(targetGroupArn: string): string {
  return policy(targetRegistrationStatements(targetGroupArn));
}

/** external-dns keeps records of the platform zone only, and never deletes what it did not create (upsert-only). */
export function externalDnsPolicy(hostedZoneId: string): string {
  return policy(externalDnsStatements(hostedZoneId));
}

/** The statements of externalDnsPolicy, as objects (what tests read). */
export function externalDnsStatements(hostedZoneId: string): Record<string, unknown>[] {
  return [
    {
      Sid: 'ChangePlatformZone',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: `arn:aws:route53:::hostedzone/${hostedZoneId}`,
    },
    {
      Sid: 'Discover',
      Effect: 'Allow',
      Action: ['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
      Resource: '*',
    },
  ];
}

export interface KarpenterPolicyInput {
  readonly accountId: string;
  readonly awsRegion: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly nodeRoleArn: string;
  readonly interruptionQueueArn: string;
  /** The region's data key, which the EC2NodeClass encrypts node volumes with. */
  readonly volumeKeyArn: string;
}

/** Karpenter launches and terminates only instances tagged for this cluster and passes only its node role. */
export function karpenterControllerPolicy(input: KarpenterPolicyInput): string {
  return policy(karpenterControllerStatements(input));
}

/**
 * The statements of karpenterControllerPolicy, as objects (what tests and checks read).
 *
 * Upstream's reference policy for the pinned Karpenter (aws/karpenter-provider-aws
 * website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml,
 * commit 692ccdd0, read 2026-12-04), statement for statement under upstream's Sids, except:
 * - left out: `placement-group/*` and ec2:DescribePlacementGroups (no EC2NodeClass here names a
 *   placement group), arc-zonal-shift:GetManagedResource (settings.enableZonalShift stays off),
 *   the `ec2.amazonaws.com.cn` service name (China partition);
 * - added: the region's data key through EC2 (node volumes are encrypted with a customer key).
 */
export function karpenterControllerStatements(input: KarpenterPolicyInput): Record<string, unknown>[] {
  const region = input.awsRegion;
  const cluster = input.clusterName;
  const ec2 = (type: string, account = '*') => `arn:aws:ec2:${region}:${account}:${type}/*`;
  // What Karpenter launches, tagged at creation (the same list upstream gives both statements).
  const launchedResources = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map((type) =>
    ec2(type),
  );
  const requestTagsOfCluster = { [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': cluster };
  const requestedForNodePool = { StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } };
  const taggedForCluster = {
    StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: 'owned' },
    StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
  };
  // Instance profiles Karpenter makes for its EC2NodeClasses carry the cluster, region and node class tags.
  const profileOfThisCluster = {
    [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: 'owned',
    'aws:ResourceTag/topology.kubernetes.io/region': region,
  };
  const profileRequestTags = {
    [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: 'owned',
    'aws:RequestTag/eks:eks-cluster-name': cluster,
    'aws:RequestTag/topology.kubernetes.io/region': region,
  };
  const instanceProfiles = `arn:aws:iam::${input.accountId}:instance-profile/*`;
  const viaEc2 = { 'kms:ViaService': `ec2.${region}.amazonaws.com` };
  return [
    // NodeLifecyclePolicy
    {
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [
        `arn:aws:ec2:${region}::image/*`,
        `arn:aws:ec2:${region}::snapshot/*`,
        ec2('security-group'),
        ec2('subnet'),
        ec2('capacity-reservation'),
      ],
    },
    {
      Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: ec2('launch-template'),
      Condition: taggedForCluster,
    },
    {
      Sid: 'AllowScopedEC2InstanceActionsWithTags',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Resource: launchedResources,
      Condition: { StringEquals: requestTagsOfCluster, ...requestedForNodePool },
    },
    {
      Sid: 'AllowScopedResourceCreationTagging',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: launchedResources,
      Condition: {
        StringEquals: { ...requestTagsOfCluster, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        ...requestedForNodePool,
      },
    },
    // After launch Karpenter only names its instances and records the node claim: no other tag key.
    {
      Sid: 'AllowScopedResourceTagging',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: ec2('instance'),
      Condition: {
        ...taggedForCluster,
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': cluster },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'AllowScopedDeletion',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Resource: [ec2('instance'), ec2('launch-template')],
      Condition: taggedForCluster,
    },
    // IAMIntegrationPolicy
    {
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: input.nodeRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    },
    {
      Sid: 'AllowScopedInstanceProfileCreationActions',
      Effect: 'Allow',
      Action: 'iam:CreateInstanceProfile',
      Resource: instanceProfiles,
      Condition: { StringEquals: profileRequestTags, StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' } },
    },
    {
      Sid: 'AllowScopedInstanceProfileTagActions',
      Effect: 'Allow',
      Action: 'iam:TagInstanceProfile',
      Resource: instanceProfiles,
      Condition: {
        StringEquals: { ...profileOfThisCluster, ...profileRequestTags },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileActions',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Resource: instanceProfiles,
      Condition: { StringEquals: profileOfThisCluster, StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' } },
    },
    // EKSIntegrationPolicy, InterruptionPolicy
    { Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: input.clusterArn },
    {
      Sid: 'AllowInterruptionQueueActions',
      Effect: 'Allow',
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: input.interruptionQueueArn,
    },
    // ResourceDiscoveryPolicy
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
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    { Sid: 'AllowSSMReadActions', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${region}::parameter/aws/service/*` },
    // The Price List API has endpoints in a few regions only (us-east-1, ap-south-1, eu-central-1):
    // Karpenter in eu-west-1 or ap-southeast-1 calls another region, so no RequestedRegion condition.
    { Sid: 'AllowPricingReadActions', Effect: 'Allow', Action: 'pricing:GetProducts', Resource: '*' },
    { Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Action: 'iam:ListInstanceProfiles', Resource: '*' },
    { Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Action: 'iam:GetInstanceProfile', Resource: instanceProfiles },
    // Not upstream's: launching an instance with a volume encrypted by a customer key runs KMS calls
    // as the caller (Karpenter), through EC2; without these the instance terminates before it is ready.
    {
      Sid: 'EncryptNodeVolumesThroughEc2',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*'],
      Resource: input.volumeKeyArn,
      Condition: { StringEquals: viaEc2 },
    },
    {
      Sid: 'GrantEc2TheNodeVolumeKey',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: input.volumeKeyArn,
      Condition: { StringEquals: viaEc2, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  ];
}

/** KMS rights the EBS CSI driver needs for volumes encrypted with a customer managed key: grants only for AWS resources. */
export function ebsCsiKmsStatements(dataKeyArn: string): Record<string, unknown>[] {
  return [
    {
      Sid: 'GrantsForEbs',
      Effect: 'Allow',
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: dataKeyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
    {
      Sid: 'UseDataKey',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: dataKeyArn,
    },
  ];
}
