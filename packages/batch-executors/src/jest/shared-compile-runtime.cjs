// Jest's runtime with one change: files under node_modules are compiled as a `vm.Script` (the
// module wrapper written around the source) instead of through `vm.compileFunction`, so V8's
// per-process compilation cache serves them to every later test file of the worker.
//
// Why: jest gives each test file a fresh module registry, so every spec that imports a stack loads
// cdktf, zod and ~11 MB of @cdktf/provider-aws again. `vm.compileFunction` never hits V8's cache,
// so each of those loads parsed everything anew: in a 20-spec run importing
// @platform/region-stacks, 3.0 of 7.6 CPU-s were `internalCompileFunction` (--cpu-prof,
// 2026-12-07); with this runtime the run took 3.6-5.2 CPU-s against 5.4-8.6 (alternating runs).
// Modules still run once per test file, in that file's context: only the parse is shared.
// The workspace's own files keep jest's compile (their stack traces and coverage untouched).
'use strict';
const path = require('node:path');
const { Script } = require('node:vm');
const { default: Runtime } = require('jest-runtime');

const DEPENDENCY = `${path.sep}node_modules${path.sep}`;
// The key Node's own CJS wrapper shows in stack traces ("at Object.<anonymous> (file:line:col)").
const WRAPPED = 'Object.<anonymous>';

/** The module function of a dependency, compiled so that V8 can reuse the parse in later contexts. */
function compileDependency(executor, source, filename) {
  const vmContext = executor.environment.getVmContext();
  if (vmContext == null) return null; // the test environment is torn down, as jest's compile says
  const prefix = `({${JSON.stringify(WRAPPED)}:function(${executor.injectedModuleParameters.join(',')}){`;
  const script = new Script(`${prefix}${source}\n}});`, {
    filename,
    columnOffset: -prefix.length, // columns of the first line as in the file itself
    importModuleDynamically: (specifier, _script, attributes, ...rest) => executor.dynamicImport(specifier, filename, vmContext, attributes, rest[0]),
  });
  return script.runInContext(vmContext)[WRAPPED];
}

class SharedCompileRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    if (typeof executor?.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters))
      throw new Error(
        `shared-compile-runtime.cjs: jest-runtime ${require('jest-runtime/package.json').version} has no executor.compile(source, filename) ` +
          '(written for 30.5); fix: adapt packages/batch-executors/src/jest/shared-compile-runtime.cjs, or drop `runtime` from jest.preset.js',
      );
    const compileOwn = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      if (!filename.includes(DEPENDENCY)) return compileOwn(source, filename);
      try {
        return compileDependency(executor, source, filename);
      } catch (error) {
        // A dependency that does not parse (jest catches ES modules before compiling): jest's own
        // compile reports it with the help jest users know ("Jest encountered an unexpected token").
        if (error?.name === 'SyntaxError') return compileOwn(source, filename);
        throw error;
      }
    };
  }
}

module.exports = SharedCompileRuntime;
