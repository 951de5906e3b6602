import type { ParsedPlatformConfig } from './schema';

/**
 * How long a region's loss takes to recover from, computed from config (seed: failover < 2 min).
 *
 * Traffic: Route 53 marks the region unhealthy after `interval x threshold` seconds of failed
 * checks, then resolvers keep the old answer for up to the TTL. Nobody acts; this is automatic.
 * Writes: only when the lost region held the writer. Promotion is not automatic here (the failover
 * CLI moves the writer), so the budget holds the operator's response as well as the promotion.
 * Both ignore Route 53's aggregation of its checkers and resolver misbehaviour, so they are floors
 * for planning, not guarantees.
 */
export interface RecoveryBudget {
  readonly detectionSeconds: number;
  readonly dnsSeconds: number;
  /** Traffic leaves the lost region: detection + DNS. */
  readonly trafficSeconds: number;
  /** Writes resume elsewhere when the lost region was the writer: detection + operator + promotion. */
  readonly writesSeconds: number;
  readonly targetSeconds: number;
  readonly trafficWithinTarget: boolean;
  readonly writesWithinTarget: boolean;
}

export function recoveryBudget(recovery: ParsedPlatformConfig['recovery']): RecoveryBudget {
  const detectionSeconds = recovery.healthCheckIntervalSeconds * recovery.healthCheckFailureThreshold;
  const trafficSeconds = detectionSeconds + recovery.dnsTtlSeconds;
  const writesSeconds = detectionSeconds + recovery.operatorResponseSeconds + recovery.databasePromotionSeconds;
  return {
    detectionSeconds,
    dnsSeconds: recovery.dnsTtlSeconds,
    trafficSeconds,
    writesSeconds,
    targetSeconds: recovery.failoverTargetSeconds,
    trafficWithinTarget: trafficSeconds <= recovery.failoverTargetSeconds,
    writesWithinTarget: writesSeconds <= recovery.failoverTargetSeconds,
  };
}
