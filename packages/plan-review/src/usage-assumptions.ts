import { readFileSync } from 'node:fs';
import type { UsageAssumptions } from './cost-estimate';

/** Reads the usage assumptions; a missing number is an error naming it, never a silent zero. */
export function loadUsageAssumptions(path: string): UsageAssumptions {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const need = (value: unknown, name: string) => {
    if (typeof value !== 'number' || value < 0)
      throw new Error(`${path}: ${name} must be a number >= 0; fix: set it (see data/usage-assumptions.json)`);
  };
  for (const key of [
    'hoursPerMonth',
    'crossRegionTransferGB',
    'natProcessedGBPerRegion',
    'endpointProcessedGBPerRegion',
    'logsIngestedGBPerRegion',
    'logsStoredGBPerRegion',
    's3StoredGB',
    'spotPriceFraction',
    'nodeVolumeGiB',
    'auroraStorageGBPerRegion',
    'auroraIoMillionsPerRegion',
    'backupStoredGBPerRegion',
    'loadBalancerAverageLcuPerRegion',
    'originRequestShare',
  ])
    need(raw[key], key);
  const cloudfront = raw['cloudfront'] as Record<string, unknown> | undefined;
  need(cloudfront?.['transferOutGB'], 'cloudfront.transferOutGB');
  need(cloudfront?.['httpsRequestsMillions'], 'cloudfront.httpsRequestsMillions');
  return raw as unknown as UsageAssumptions;
}
