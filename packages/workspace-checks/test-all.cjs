// `npm test`: lint in one Nx run, type-check + tests + workflow rehearsal in another, side by side.
// Nx 23 runs one batch at a time and dispatches nothing else while it runs, so in a single
// `nx run-many -t lint typecheck test rehearse` the lint batch (one process, ~12 s, mostly one
// core) held up every later task while the second core idled. Side by side, cold `npm test` took
// 97.6 s against 104.5, and 110.2 against 123.3 (alternating pairs, 2026-12-07, this 2-core
// machine, whose speed drifts between hours). Lint's output is printed once it ends,
// after the other run's, so the two never interleave. Extra arguments go to both Nx runs
// (`npm test -- --projects=config`). Ends with the count of tests that ran (summarize-tests.cjs).
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

// NPM_TEST_NX: another Nx entry point, for test-all.spec.ts only.
const nx = process.env.NPM_TEST_NX || require.resolve('nx/bin/nx.js', { paths: [path.resolve(__dirname, '../..')] });
const extra = process.argv.slice(2);
const nxRun = (targets, stdio) =>
  spawn(process.execPath, [nx, 'run-many', '-t', ...targets, '--output-style=static', ...extra], { stdio, cwd: path.resolve(__dirname, '../..') });
const ended = (child) => new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));

async function main() {
  const lint = nxRun(['lint'], ['ignore', 'pipe', 'pipe']);
  let lintOutput = '';
  for (const stream of [lint.stdout, lint.stderr]) stream.setEncoding('utf8').on('data', (text) => (lintOutput += text));
  const lintEnded = ended(lint);
  const testsCode = await ended(nxRun(['typecheck', 'test', 'rehearse'], 'inherit'));
  const lintCode = await lintEnded;
  process.stdout.write(`\n---- lint (ran beside the tests) ----\n${lintOutput}`);
  if (lintCode !== 0 || testsCode !== 0) {
    const failed = [lintCode !== 0 && `lint (exit ${lintCode})`, testsCode !== 0 && `typecheck/test/rehearse (exit ${testsCode})`].filter(Boolean);
    console.error(`npm test: ${failed.join(' and ')} failed; see above`);
    return 1;
  }
  require('./summarize-tests.cjs');
  return process.exitCode ?? 0;
}

main().then((code) => {
  process.exitCode = code;
});
