// Jest's order for a run, with one change: among test files jest has no timing for (every file on
// a fresh CI machine), those that drive real tools (terraform, the workflow rehearsal) go first.
// Jest otherwise orders them by size, and those files are small: in one multi-project run they
// then started after ~40 s of quick suites and ran on alone at the end (`npm test` 2026-12-07).
// Jest's own comment on its size rule: "a possible improvement would be to analyse other
// information from the file other than its size".
'use strict';
const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/** What a spec that needs terraform and its mirror calls (packages/terraform-check, the rehearsal's setup). */
const DRIVES_TOOLS = /\b(toolchainOrLoudSkip|describeWithTools)\b/;

class ToolsFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests); // records each test's known duration, if any
    const drivesTools = (test) => test.duration == null && DRIVES_TOOLS.test(fs.readFileSync(test.path, 'utf8'));
    const first = sorted.filter(drivesTools);
    return [...first, ...sorted.filter((test) => !first.includes(test))];
  }
}

module.exports = ToolsFirstSequencer;
