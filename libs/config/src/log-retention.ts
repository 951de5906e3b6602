/**
 * The retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy `retentionInDays`,
 * "Possible values are: 1, 3, 5, ... 3653"; AWS SDK reference, read 2026-11-25). Anything else
 * fails at apply time, so config refuses it first.
 */
export const CLOUDWATCH_LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The smallest accepted period that keeps logs at least `days` (never shortens what was asked). */
export function nextAcceptedLogRetention(days: number): number {
  return CLOUDWATCH_LOG_RETENTION_DAYS.find((d) => d >= days) ?? CLOUDWATCH_LOG_RETENTION_DAYS[CLOUDWATCH_LOG_RETENTION_DAYS.length - 1];
}
