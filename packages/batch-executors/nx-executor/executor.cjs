// Entry point Nx loads for `@platform/lint-executor:lint` (through the node_modules link); the
// implementation is the workspace's own (packages/ts-runner/workspace-require.cjs says why).
'use strict';
const path = require('node:path');

const implementation = (root) =>
  require(path.join(root, 'packages/ts-runner/workspace-require.cjs'))(root, 'packages/lint-executor/src/lint-executor.ts');

exports.lint = (options, context) => implementation(context.root).lint(options, context);
exports.lintBatch = (taskGraph, inputs, overrides, context) => implementation(context.root).lintBatch(taskGraph, inputs, overrides, context);
