// Entry point Nx loads for `@platform/synth-executor:synth` (through the node_modules link). The
// implementation is loaded from the workspace Nx runs in (context.root), not from wherever the
// link points: a scratch copy of the workspace that shares node_modules (the workflow rehearsal)
// must synthesize with its own code. Nx runs executors in plain Node, so the workspace's
// TypeScript hook is registered first.
'use strict';
const path = require('node:path');

function implementation(root) {
  require(path.join(root, 'packages/ts-runner/register.cjs'));
  return require(path.join(root, 'packages/synth-executor/src/synth-executor.ts'));
}

exports.synth = (options, context) => implementation(context.root).synth(options, context);
exports.synthBatch = (taskGraph, inputs, overrides, context) => implementation(context.root).synthBatch(taskGraph, inputs, overrides, context);
