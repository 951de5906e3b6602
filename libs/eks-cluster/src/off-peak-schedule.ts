import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import type { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { Construct } from 'constructs';

export interface OffPeakScheduleProps {
  readonly nodeGroup: EksNodeGroup;
  readonly name: string;
  /** IANA zone the clock times are in (the region's). */
  readonly timeZone: string;
  /** "HH:MM" local time. */
  readonly scaleDownAt: string;
  readonly scaleUpAt: string;
  /** Nodes during the off-peak window (minimum and desired). */
  readonly offPeakSize: number;
  /** The group's daytime minimum and desired size, restored at scaleUpAt. */
  readonly minSize: number;
  readonly desiredSize: number;
}

function dailyCron(clock: string): string {
  const [hours, minutes] = clock.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}

/**
 * Seed cost strategy "scale down during off-peak": at night (local time) the group's minimum and
 * desired capacity drop to the off-peak size, so Auto Scaling really removes nodes (nothing else
 * scales managed groups: Karpenter adds its own nodes, and there is no Cluster Autoscaler); in the
 * morning both are restored. EKS managed groups drain a node before Auto Scaling terminates it.
 * Pods that no longer fit wait for Karpenter's `general` pool.
 */
export class OffPeakSchedule extends Construct {
  constructor(scope: Construct, id: string, props: OffPeakScheduleProps) {
    super(scope, id);
    const autoscalingGroupName = `\${${props.nodeGroup.fqn}.resources[0].autoscaling_groups[0].name}`;
    // -1 leaves the maximum as it is.
    const common = { autoscalingGroupName, timeZone: props.timeZone, maxSize: -1 };
    new AutoscalingSchedule(this, 'scale-down', {
      ...common,
      scheduledActionName: `${props.name}-off-peak`,
      recurrence: dailyCron(props.scaleDownAt),
      minSize: props.offPeakSize,
      desiredCapacity: props.offPeakSize,
    });
    new AutoscalingSchedule(this, 'scale-up', {
      ...common,
      scheduledActionName: `${props.name}-peak`,
      recurrence: dailyCron(props.scaleUpAt),
      minSize: props.minSize,
      desiredCapacity: props.desiredSize,
    });
  }
}
