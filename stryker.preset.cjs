// Mutation testing (Stryker) for one project: `nx run <project>:mutate`, or `npm run mutate` for all
// that have a stryker.config.cjs. Runs from the workspace root through the project's own jest config
// (the same swc transform as `npm test`); reports go to tmp/mutation/<project>.
// Not part of `npm test`: a full run takes minutes per project.
const path = require('node:path');

const root = __dirname;

module.exports = function strykerConfigFor(projectDir) {
  const project = path.relative(root, projectDir);
  const name = path.basename(projectDir);
  const out = `tmp/mutation/${name}`;
  return {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    testRunner: 'jest',
    jest: { projectType: 'custom', configFile: `${project}/jest.config.js`, enableFindRelatedTests: true },
    mutate: [`${project}/src/**/*.ts`, `!${project}/src/**/*.spec.ts`, `!${project}/src/**/fixtures.ts`, `!${project}/src/cli.ts`],
    coverageAnalysis: 'perTest',
    // Incremental reruns (`nx run <project>:mutate -- --incremental`) test only mutants whose code or
    // tests changed, but they missed edits inside existing tests here (kms: 89 % incremental, 98.5 %
    // in full), so the default is a full run and the score is always current.
    incremental: false,
    incrementalFile: `${out}/incremental.json`,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `${out}/index.html` },
    jsonReporter: { fileName: `${out}/report.json` },
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    tempDirName: 'tmp/.stryker-tmp',
    // The sandbox is a copy of the workspace without what is generated or installed.
    ignorePatterns: ['dist', 'tmp', '.nx', '.git', 'node_modules'],
    concurrency: 2,
    timeoutMS: 30000,
    thresholds: { high: 90, low: 80, break: null },
  };
};
