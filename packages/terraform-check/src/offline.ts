// `@platform/terraform-check/offline`: what a process that only runs terraform offline needs, without
// the package index, whose synth-output.ts loads @platform/config and @platform/stack-kit (zod, cdktf
// and the provider): 0.19 against 0.06 CPU-s per start. The workflow rehearsal's terraform stand-in
// starts once per terraform call (2026-12-07).
export { offlineOverride } from './offline-plan';
export { offlineTerraformEnv, writeTerraformCliConfig } from './terraform-workdir';
