import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const testAll = resolve(__dirname, '../test-all.cjs');

/** Runs test-all.cjs against a stand-in Nx that exits with the given code per run (lint, or the rest). */
function npmTest(exitCodes: { lint: number; rest: number }, extraArgs: string[] = []) {
  const nx = join(mkdtempSync(join(tmpdir(), 'fake-nx-')), 'nx.js');
  writeFileSync(
    nx,
    [
      "const args = process.argv.slice(2).join(' ');",
      "const lint = args.includes('-t lint ');",
      // Lint ends last, so its output is only seen if the runner waits for it.
      "setTimeout(() => { console.log(`${lint ? 'LINT' : 'REST'} ${args}`); process.exit(lint ? " +
        exitCodes.lint +
        ' : ' +
        exitCodes.rest +
        '); }, lint ? 300 : 0);',
    ].join('\n'),
  );
  const result = spawnSync(process.execPath, [testAll, ...extraArgs], {
    encoding: 'utf8',
    // No test results: summarize-tests.cjs would say so, which is not what these tests look at.
    env: { ...process.env, NPM_TEST_NX: nx },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('npm test (test-all.cjs): lint beside typecheck, tests and rehearsal', () => {
  it('runs both Nx runs with the extra arguments, and prints lint after the rest', () => {
    const { out } = npmTest({ lint: 0, rest: 0 }, ['--projects=config']);
    expect(out.split('\n').filter((line) => /^(LINT|REST) /.test(line))).toEqual([
      'REST run-many -t typecheck test rehearse --output-style=static --projects=config',
      'LINT run-many -t lint --output-style=static --projects=config',
    ]);
    expect(out).toContain('---- lint (ran beside the tests) ----\nLINT ');
  });

  it('fails when lint fails though every test passed, naming lint', () => {
    const { code, err } = npmTest({ lint: 1, rest: 0 });
    expect(code).toBe(1);
    expect(err).toContain('npm test: lint (exit 1) failed; see above');
  });

  it('fails when the tests fail though lint passed, naming them', () => {
    const { code, err } = npmTest({ lint: 0, rest: 2 });
    expect(code).toBe(1);
    expect(err).toContain('npm test: typecheck/test/rehearse (exit 2) failed; see above');
  });
});
