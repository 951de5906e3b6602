/**
 * Every stack's name, in one place. A stack name is its state key and its synth folder: renaming
 * one orphans its state, so these never change once deployed.
 */
export const stackNames = {
  bootstrap: 'bootstrap',
  globalFoundation: 'global-foundation',
  globalAccess: 'global-access',
  globalPeering: 'global-peering',
  globalData: 'global-data',
  globalEdge: 'global-edge',
  regionInfra: (region: string) => `${region}-infra`,
  regionData: (region: string) => `${region}-data`,
  regionPlatform: (region: string) => `${region}-platform`,
} as const;
