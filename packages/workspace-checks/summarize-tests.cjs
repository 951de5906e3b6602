// Prints one closing line over every project's jest results (tmp/test-results/*.json, restored
// from the Nx cache for cached tasks), so a reader or CI sees how many tests actually ran.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = path.resolve(__dirname, '../../tmp/test-results');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const result = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + result.numTodoTests;
}
if (files.length === 0 || passed === 0) {
  console.error('no test results found in tmp/test-results: no test ran');
  process.exitCode = 1;
} else {
  console.log(`jest: ${files.length} projects`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (failed > 0) process.exitCode = 1;
}
