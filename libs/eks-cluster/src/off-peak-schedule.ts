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
  readonly offPeakMinSize: number;
  readonly minSize: number;
}

function dailyCron(clock: string): string {
  const [hours, minutes] = clock.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}

/**
 * Seed cost strategy "scale down during off-peak": lowers the node group's floor at night (local
 * time) and restores it in the morning. Only the minimum moves; the autoscaler still removes nodes
 * only when they are empty enough, and adds them whenever pods need them.
 */
export class OffPeakSchedule extends Construct {
  constructor(scope: Construct, id: string, props: OffPeakScheduleProps) {
    super(scope, id);
    const autoscalingGroupName = `\${${props.nodeGroup.fqn}.resources[0].autoscaling_groups[0].name}`;
    // -1 leaves desired and maximum sizes as they are.
    const common = { autoscalingGroupName, timeZone: props.timeZone, desiredCapacity: -1, maxSize: -1 };
    new AutoscalingSchedule(this, 'scale-down', { ...common, scheduledActionName: `${props.name}-off-peak`, recurrence: dailyCron(props.scaleDownAt), minSize: props.offPeakMinSize });
    new AutoscalingSchedule(this, 'scale-up', { ...common, scheduledActionName: `${props.name}-peak`, recurrence: dailyCron(props.scaleUpAt), minSize: props.minSize });
  }
}
