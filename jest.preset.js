// Shared jest settings: transpile-only through swc (type errors are the `typecheck` target's job),
// and the tsconfig path aliases mapped to their sources so specs run without a build.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, path.join(__dirname, target)]),
);

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper,
  setupFiles: [path.join(__dirname, 'jest.token-creation-stacks.js')],
  // Compiles dependencies so that V8 reuses their parse across test files (see the file for numbers).
  runtime: path.join(__dirname, 'packages/batch-executors/src/jest/shared-compile-runtime.cjs'),
  // No `watchman: false` here: in the jest executor's multi-project run it is a run-wide option
  // (jest warns for each project that sets it); the executor passes it for the whole run.
};
