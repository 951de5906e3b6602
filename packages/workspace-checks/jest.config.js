// The workflow rehearsal is an end-to-end check (synths, real offline plans), run by the `rehearse`
// target like `validate`, not by the unit-test target the benchmark times.
module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  displayName: 'workspace-checks',
  testPathIgnorePatterns: ['/node_modules/', 'workflow-rehearsal.*\\.spec\\.ts$'],
};
