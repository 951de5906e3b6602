const preset = require('../../stryker.preset.cjs')(__dirname);

module.exports = {
  ...preset,
  // offline-environment.ts only drives terraform (init, plan, show per stack): every mutant would cost
  // real offline plans, and its behaviour is what offline-environment.spec checks end to end. What
  // it decides without terraform (phases, served outputs, fakes, explanations) is
  // offline-remote-state.ts, mutated like the rest and judged by its unit tests: the 40-60 s
  // environment plan covers it too, so it is left out of mutation runs, or every surviving mutant
  // there would re-run it.
  mutate: [...preset.mutate, '!packages/plan-review/src/offline-environment.ts'],
  jest: { ...preset.jest, config: { testPathIgnorePatterns: ['/node_modules/', '/offline-environment\\.spec\\.ts$'] } },
  // The review's tests read the synthesized apps (the target depends on every app's synth).
  ignorePatterns: preset.ignorePatterns.filter((pattern) => pattern !== 'dist'),
};
