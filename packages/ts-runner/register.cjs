// Runs the workspace's TypeScript in plain Node, transpile-only: `node --require <this> app.ts`.
//
// Why not tsx or ts-node: tsx costs ~0.25 s of start-up per process (esbuild service + loader
// thread) and ts-node loads the TypeScript compiler (~0.4 s); synth runs one process per app, so
// that start-up is most of the work. This hook transpiles with swc and caches the output on disk
// by content hash, so a warm run never loads a compiler at all. Types are checked by the separate
// `typecheck` target, never here.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const workspaceRoot = path.resolve(__dirname, '../..');
const cacheDir = path.join(workspaceRoot, 'node_modules/.cache/ts-runner');
const swcOptions = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
// Part of every cache key: a new swc or new options invalidate old entries.
const cacheSalt = JSON.stringify([require('@swc/core/package.json').version, swcOptions]);

// tsconfig path aliases (`@platform/config` -> libs/config/src/index.ts), read once.
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));
const aliases = new Map(Object.entries(compilerOptions.paths || {}).map(([alias, [target]]) => [alias, path.join(workspaceRoot, target)]));

// cdktf requires `archiver` (with its dependency tree, ~70 ms of every synth's start-up, `--cpu-prof`
// 2026-12-04) at load time, for ARCHIVE assets this workspace does not use (the canary's zip is
// committed). cdktf only ever calls it (`archiver("zip", ...)`), so it gets a function that loads
// the real module on its first call.
const CDKTF_FS = path.join('cdktf', 'lib', 'private', 'fs.js');
const originalLoad = Module._load;
Module._load = function loadArchiverLazily(request, parent, ...rest) {
  if (request !== 'archiver' || !parent || !parent.filename || !parent.filename.endsWith(CDKTF_FS)) {
    return originalLoad.call(this, request, parent, ...rest);
  }
  let archiver;
  return function lazyArchiver(...args) {
    archiver ??= originalLoad.call(Module, request, parent, false);
    return archiver(...args);
  };
};

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithAliases(request, ...rest) {
  const target = aliases.get(request);
  return originalResolve.call(this, target === undefined ? request : target, ...rest);
};

let swc; // loaded on the first cache miss only
function transpile(source, filename) {
  // swc sees the file's name, not its path: the output (its inline map names the source relative to
  // the file itself) is then the same in every checkout, so checkouts of the same tree share the
  // cache (the workflow rehearsal's eight synths ran in cold checkouts, ~0.5 CPU-s each, 2026-12-07).
  const name = path.basename(filename);
  const key = crypto.createHash('sha1').update(cacheSalt).update(name).update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    swc ??= require('@swc/core');
    const { code } = swc.transformSync(source, { ...swcOptions, filename: name, swcrc: false, configFile: false });
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`; // rename is atomic: parallel runs never read half a file
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, cached);
    return code;
  }
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
// Inline source maps are kept in the output; run with NODE_OPTIONS=--enable-source-maps to have
// stack traces point at .ts lines (off by default: it costs ~40 ms per process).
