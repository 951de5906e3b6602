// The temp folder of one jest run: its own, so what specs leave behind goes with it.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where jest keeps its transform cache by default (jest-config's getCacheDirectory), under `temp`. */
export function jestCacheDirectory(temp: string): string {
  return `${join(realpathSync(temp), 'jest')}_${process.getuid?.().toString(36) ?? ''}`.replace(/_$/, '');
}

/**
 * Runs `body` with the system temp folder (TMPDIR, which os.tmpdir(), git and terraform read) set to
 * a folder of its own, which jest's workers inherit, then removes that folder unless `keep` says a
 * test failed. Specs make scratch folders freely (checkouts, plans, stand-ins) and leave them: ~170 MB per
 * `npm test`, 26 GB under /tmp after a few days of runs here (2026-12-07). After a failure it stays,
 * for the next engineer to look into, and its path is returned.
 */
export async function inScratchTemp<T>(body: () => Promise<T>, keep: (result: T) => boolean): Promise<{ result: T; keptAt?: string }> {
  const previous = process.env['TMPDIR'];
  const scratch = mkdtempSync(join(tmpdir(), 'jest-run-'));
  process.env['TMPDIR'] = scratch;
  let result: T;
  try {
    result = await body();
  } finally {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  }
  if (keep(result)) return { result, keptAt: scratch };
  // A stand-in a spec started (it exits when its stdin closes) may still be writing its last file.
  rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  return { result };
}
