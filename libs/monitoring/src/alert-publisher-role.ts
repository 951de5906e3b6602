import { PodIdentityRole } from '@platform/eks-cluster';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { MONITORING } from './regional-prometheus';

/** Service account of kube-prometheus-stack's Alertmanager (`<fullnameOverride>-alertmanager`). */
export const ALERTMANAGER_SERVICE_ACCOUNT = { namespace: MONITORING.namespace, name: `${MONITORING.stackName}-alertmanager` } as const;

export interface AlertPublisherRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  /** A reference to the cluster's name, so the association waits for the cluster. */
  readonly clusterName: string;
  readonly awsRegion: string;
  /** The region's alarm topic, where the CloudWatch alarms go too. */
  readonly topicArn: string;
  /** The key the topic is encrypted with. */
  readonly topicKeyArn: string;
}

/**
 * Lets the region's Alertmanager page through the same SNS topic as the CloudWatch alarms (Pod
 * Identity, no static keys): publish to that topic only, and use its key only through SNS in this
 * region (publishing to an encrypted topic needs GenerateDataKey* and Decrypt: SNS developer guide,
 * "Encryption at rest", key management). The key policy delegates to IAM (AccountAdministersKey).
 */
export class AlertPublisherRole extends Construct {
  readonly role: PodIdentityRole;

  constructor(scope: Construct, id: string, props: AlertPublisherRoleProps) {
    super(scope, id);
    this.role = new PodIdentityRole(this, 'role', {
      roleName: props.roleName,
      accountId: props.accountId,
      clusterName: props.clusterName,
      namespace: ALERTMANAGER_SERVICE_ACCOUNT.namespace,
      serviceAccount: ALERTMANAGER_SERVICE_ACCOUNT.name,
      // jsonencode: the ARNs are references resolved by Terraform.
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: props.topicArn },
          {
            Sid: 'UseTopicKeyThroughSns',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: props.topicKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': `sns.${props.awsRegion}.amazonaws.com` } },
          },
        ],
      }),
    });
  }
}
