// Entry point Nx loads for `@platform/synth-executor:synth` (through the node_modules link); the
// implementation is the workspace's own (packages/ts-runner/workspace-require.cjs says why).
'use strict';
const path = require('node:path');

const implementation = (root) =>
  require(path.join(root, 'packages/ts-runner/workspace-require.cjs'))(root, 'packages/synth-executor/src/synth-executor.ts');

exports.synth = (options, context) => implementation(context.root).synth(options, context);
exports.synthBatch = (taskGraph, inputs, overrides, context) => implementation(context.root).synthBatch(taskGraph, inputs, overrides, context);
