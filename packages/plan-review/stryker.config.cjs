const preset = require('../../stryker.preset.cjs')(__dirname);

module.exports = {
  ...preset,
  // offline-environment.ts only drives terraform (init, plan, show per stack): every mutant would cost
  // real offline plans, and its behaviour is what offline-environment.spec checks end to end.
  mutate: [...preset.mutate, '!packages/plan-review/src/offline-environment.ts'],
  // The review's tests read the synthesized apps (the target depends on every app's synth).
  ignorePatterns: preset.ignorePatterns.filter((pattern) => pattern !== 'dist'),
};
