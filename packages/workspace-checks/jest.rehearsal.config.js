// `nx run workspace-checks:rehearse`: the workflows' run: steps, job by job, with offline stand-ins.
module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  displayName: 'workflow-rehearsal',
  testMatch: ['<rootDir>/src/workflow-rehearsal*.spec.ts'],
};
