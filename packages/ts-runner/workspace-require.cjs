// Loads a TypeScript module of the workspace Nx runs in, for the workspace's Nx executors. Nx loads
// an executor through its node_modules link; the implementation must come from `root` (the
// executor context's root), not from wherever the link points, so a scratch copy of the workspace
// that shares node_modules (the workflow rehearsal) runs its own code. Nx runs executors in plain
// Node, so the workspace's TypeScript hook is registered first.
'use strict';
const path = require('node:path');

module.exports = function workspaceRequire(root, file) {
  require(path.join(root, 'packages/ts-runner/register.cjs'));
  return require(path.join(root, file));
};
