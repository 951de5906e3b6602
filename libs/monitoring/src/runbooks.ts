/**
 * The runbooks an alarm may point to, as paths from the repository root. The alarm's description
 * carries the path, so the page (SNS includes the description) says what to do; the invariants
 * check that every alarm names one and that the file exists.
 */
export const RUNBOOKS = {
  regionalFailure: 'docs/runbooks/regional-failure.md',
  databaseFailure: 'docs/runbooks/database-failure.md',
  completeRegionOutage: 'docs/runbooks/complete-region-outage.md',
  highLatency: 'docs/runbooks/high-latency.md',
  replicationLag: 'docs/runbooks/replication-lag.md',
  failoverNotWorking: 'docs/runbooks/failover-not-working.md',
  monitoringGap: 'docs/runbooks/monitoring-gap.md',
} as const;

export type Runbook = keyof typeof RUNBOOKS;

/** The suffix every alarm description ends with; the invariants parse it back. */
export function runbookReference(runbook: Runbook): string {
  return `Runbook: ${RUNBOOKS[runbook]}`;
}
