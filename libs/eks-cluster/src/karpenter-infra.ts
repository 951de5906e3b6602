import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import type { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { karpenterControllerPolicy } from './addon-policies';
import { NodeRole } from './node-role';
import { PodIdentityRole } from './pod-identity-role';

export interface KarpenterInfraProps {
  /** The cluster's name as text (it goes into names, tags and policy condition keys). */
  readonly clusterName: string;
  /** The cluster resource: entries are made after it exists. */
  readonly cluster: AwsEksCluster;
  readonly accountId: string;
  readonly awsRegion: string;
  /** The region's data key: Karpenter's nodes encrypt their volumes with it. */
  readonly volumeKeyArn: string;
}

/** EC2 events Karpenter reacts to before AWS takes a node away (spot reclaim, rebalance, maintenance). */
const INTERRUPTION_EVENTS: Record<string, { source: string[]; 'detail-type': string[] }> = {
  'spot-interruption': { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
  rebalance: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  'instance-state-change': { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
  'scheduled-change': { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
};

/**
 * What Karpenter needs from AWS: a node role with an EC2_LINUX access entry (so its nodes can join),
 * an interruption queue fed by EventBridge, and a Pod Identity role for the controller.
 */
export class KarpenterInfra extends Construct {
  readonly nodeRole: NodeRole;
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: KarpenterInfraProps) {
    super(scope, id);
    this.nodeRole = new NodeRole(this, 'node-role', { roleName: `${props.clusterName}-karpenter-node` });
    new EksAccessEntry(this, 'node-access', { clusterName: props.cluster.name, principalArn: this.nodeRole.role.arn, type: 'EC2_LINUX' });

    this.queue = new SqsQueue(this, 'interruption-queue', {
      name: `${props.clusterName}-karpenter`,
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    new SqsQueuePolicy(this, 'interruption-queue-policy', {
      queueUrl: this.queue.url,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EventBridgeDelivers',
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
            Action: 'sqs:SendMessage',
            Resource: this.queue.arn,
          },
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sqs:*',
            Resource: this.queue.arn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    for (const [name, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
      const rule = new CloudwatchEventRule(this, `rule-${name}`, {
        name: `${props.clusterName}-karpenter-${name}`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `target-${name}`, { rule: rule.name, arn: this.queue.arn, targetId: 'karpenter-interruption-queue' });
    }

    new PodIdentityRole(this, 'controller', {
      roleName: `${props.clusterName}-karpenter`,
      accountId: props.accountId,
      clusterName: props.cluster.name,
      namespace: 'kube-system',
      serviceAccount: 'karpenter',
      policy: karpenterControllerPolicy({
        accountId: props.accountId,
        awsRegion: props.awsRegion,
        clusterName: props.clusterName,
        clusterArn: props.cluster.arn,
        nodeRoleArn: this.nodeRole.role.arn,
        interruptionQueueArn: this.queue.arn,
        volumeKeyArn: props.volumeKeyArn,
      }),
    });
  }
}
