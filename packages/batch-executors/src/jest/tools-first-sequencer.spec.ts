import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ToolsFirstSequencer = require('./tools-first-sequencer.cjs') as new (options: unknown) => { sort(tests: unknown[]): Array<{ path: string }> };

describe('tools-first test sequencer', () => {
  it('runs the files that drive terraform first, then the rest largest first, as jest does without timings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sequencer-'));
    const files: Record<string, string> = {
      'small.spec.ts': "it('adds', () => expect(1 + 1).toBe(2));\n",
      'large.spec.ts': `${"it('x', () => {});\n".repeat(50)}`,
      'plans.spec.ts': "const tools = toolchainOrLoudSkip(process.env, '5.100.0', 'plans');\n",
      'rehearses.spec.ts': "describeWithTools('rehearsal', () => {});\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    // No timing cache (config.cache false): the state of every file on a fresh CI machine.
    const context = {
      config: { cache: false, id: 'sequencer-test' },
      hasteFS: { getSize: (path: string) => Buffer.byteLength(files[path.split('/').pop()!]!) },
    };
    const tests = Object.keys(files).map((name) => ({ path: join(dir, name), context }));
    const order = new ToolsFirstSequencer({}).sort(tests).map((test) => test.path.split('/').pop());
    expect(order).toEqual(['plans.spec.ts', 'rehearses.spec.ts', 'large.spec.ts', 'small.spec.ts']);
  });
});
