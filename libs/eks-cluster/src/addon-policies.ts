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

/** The statements of karpenterControllerPolicy, as objects (what tests and checks read). */
export function karpenterControllerStatements(input: KarpenterPolicyInput): Record<string, unknown>[] {
  const region = input.awsRegion;
  // What Karpenter launches, tagged at creation (the same list the upstream policy gives both statements).
  const launchedResources = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map(
    (type) => `arn:aws:ec2:${region}:*:${type}/*`,
  );
  const ownedByCluster = {
    StringEquals: { [`aws:RequestTag/kubernetes.io/cluster/${input.clusterName}`]: 'owned' },
    StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
  };
  const taggedForCluster = {
    StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${input.clusterName}`]: 'owned' },
    StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
  };
  return [
    {
      Sid: 'LaunchFromSharedResources',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [
        `arn:aws:ec2:${region}::image/*`,
        `arn:aws:ec2:${region}::snapshot/*`,
        `arn:aws:ec2:${region}:*:security-group/*`,
        `arn:aws:ec2:${region}:*:subnet/*`,
        `arn:aws:ec2:${region}:*:capacity-reservation/*`,
      ],
    },
    {
      Sid: 'LaunchTemplateForLaunch',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: `arn:aws:ec2:${region}:*:launch-template/*`,
      Condition: taggedForCluster,
    },
    {
      Sid: 'CreateTaggedResources',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Resource: launchedResources,
      Condition: ownedByCluster,
    },
    {
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: launchedResources,
      Condition: {
        ...ownedByCluster,
        StringEquals: { ...ownedByCluster.StringEquals, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
      },
    },
    {
      Sid: 'TagOwnInstances',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: `arn:aws:ec2:${region}:*:instance/*`,
      Condition: taggedForCluster,
    },
    {
      Sid: 'DeleteOwnResources',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Resource: [`arn:aws:ec2:${region}:*:instance/*`, `arn:aws:ec2:${region}:*:launch-template/*`],
      Condition: taggedForCluster,
    },
    {
      Sid: 'Discover',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
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
    // The Price List API has endpoints in a few regions only (us-east-1, ap-south-1, eu-central-1):
    // Karpenter in eu-west-1 or ap-southeast-1 calls another region, so no RequestedRegion condition,
    // exactly as upstream's AllowPricingReadActions (karpenter cloudformation.yaml, read 2026-11-25).
    { Sid: 'ReadPricing', Effect: 'Allow', Action: 'pricing:GetProducts', Resource: '*' },
    // Launching an instance with a volume encrypted by a customer key runs KMS calls as the caller
    // (Karpenter), through EC2; without these the instance terminates before it is ready.
    {
      Sid: 'EncryptNodeVolumesThroughEc2',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*'],
      Resource: input.volumeKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `ec2.${region}.amazonaws.com` } },
    },
    {
      Sid: 'GrantEc2TheNodeVolumeKey',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: input.volumeKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `ec2.${region}.amazonaws.com` }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
    { Sid: 'ReadAmiParameters', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${region}::parameter/aws/service/*` },
    {
      Sid: 'PassNodeRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: input.nodeRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    },
    {
      Sid: 'ManageInstanceProfiles',
      Effect: 'Allow',
      Action: [
        'iam:CreateInstanceProfile',
        'iam:TagInstanceProfile',
        'iam:AddRoleToInstanceProfile',
        'iam:RemoveRoleFromInstanceProfile',
        'iam:DeleteInstanceProfile',
        'iam:GetInstanceProfile',
        'iam:ListInstanceProfiles',
      ],
      Resource: `arn:aws:iam::${input.accountId}:instance-profile/*`,
    },
    {
      Sid: 'ReadInterruptions',
      Effect: 'Allow',
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: input.interruptionQueueArn,
    },
    { Sid: 'ReadCluster', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: input.clusterArn },
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
