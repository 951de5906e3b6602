// Specs synthesize as the app entrypoints do (libs/stack-kit/src/run-app.ts): without cdktf's
// per-token creation stacks, which under jest also pass through its source-map support for every
// frame (~2.6 CPU-s of switchover.spec.ts alone, --cpu-prof of the jest workers, 2026-12-07).
// CDKTF_TOKEN_STACK_TRACES=1 brings them back, as it does for a synth.
require('./libs/stack-kit/src/token-creation-stacks').configureTokenCreationStacks(process.env);
