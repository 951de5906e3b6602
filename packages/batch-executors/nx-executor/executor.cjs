// Entry point Nx loads for `@platform/batch-executors:<lint|jest|typecheck|validate>` (through the
// node_modules link); the implementations are the workspace's own (packages/ts-runner/workspace-require.cjs says why).
'use strict';
const path = require('node:path');

const implementation = (root, executor) =>
  require(path.join(root, 'packages/ts-runner/workspace-require.cjs'))(root, `packages/batch-executors/src/${executor}/${executor}-executor.ts`);

for (const executor of ['lint', 'jest', 'typecheck', 'validate']) {
  exports[executor] = (options, context) => implementation(context.root, executor)[executor](options, context);
  exports[`${executor}Batch`] = (taskGraph, inputs, overrides, context) =>
    implementation(context.root, executor)[`${executor}Batch`](taskGraph, inputs, overrides, context);
}
