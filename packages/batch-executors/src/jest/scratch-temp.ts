// The temp folder of one jest run: its own, so what specs leave behind goes with it.
import { mkdtempSync, readFileSync, realpathSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Free space a RAM-backed folder needs to take a run's scratch: a run leaves ~170 MB (2026-12-07), a kept one stays. */
const MIN_FREE_BYTES = 1024 ** 3;

export interface ScratchPlaces {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The text of /proc/self/mounts ('' where there is none). */
  readonly mounts: string;
  readonly freeBytes: (path: string) => number;
  /** os.tmpdir(). */
  readonly systemTemp: string;
}

/**
 * Where a jest run's temp folder goes: under TMPDIR when it is set (the user chose); else under
 * /dev/shm when that is a tmpfs that lets files run (rehearsals run stand-in scripts from their
 * folders; hardened hosts mount it noexec) with 1 GiB free (Docker's default is 64 MB); else the
 * system temp folder. Specs create and copy many files (checkouts, plans, synth output), and on a
 * disk that costs kernel CPU a tmpfs does not: `cp -a` of a 1,600-file checkout took 0.38-0.40 s
 * of system CPU into /tmp on this machine's ext4 against 0.06 s into /dev/shm, and whole cold
 * `npm test` runs 129.9-132.2 CPU-s with TMPDIR=/dev/shm against 133.8-139.2 without
 * (alternating, 2026-12-07).
 */
export function scratchParent({ env, mounts, freeBytes, systemTemp }: ScratchPlaces): string {
  if (env['TMPDIR']) return systemTemp;
  const shm = mounts
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([, mountPoint]) => mountPoint === '/dev/shm')
    .pop();
  if (!shm || shm[2] !== 'tmpfs' || (shm[3] ?? '').split(',').includes('noexec')) return systemTemp;
  try {
    return freeBytes('/dev/shm') >= MIN_FREE_BYTES ? '/dev/shm' : systemTemp;
  } catch {
    return systemTemp;
  }
}

/** scratchParent on this machine. */
function scratchParentHere(): string {
  let mounts = '';
  try {
    mounts = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    // Not Linux: no /dev/shm to consider.
  }
  const freeBytes = (path: string) => {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize;
  };
  return scratchParent({ env: process.env, mounts, freeBytes, systemTemp: tmpdir() });
}

/** Where jest keeps its transform cache by default (jest-config's getCacheDirectory), under `temp`. */
export function jestCacheDirectory(temp: string): string {
  return `${join(realpathSync(temp), 'jest')}_${process.getuid?.().toString(36) ?? ''}`.replace(/_$/, '');
}

/**
 * Runs `body` with the system temp folder (TMPDIR, which os.tmpdir(), git and terraform read) set to
 * a folder of its own (under scratchParent), which jest's workers inherit, then removes that folder unless `keep` says a
 * test failed. Specs make scratch folders freely (checkouts, plans, stand-ins) and leave them: ~170 MB per
 * `npm test`, 26 GB under /tmp after a few days of runs here (2026-12-07). After a failure it stays,
 * for the next engineer to look into, and its path is returned.
 */
export async function inScratchTemp<T>(body: () => Promise<T>, keep: (result: T) => boolean): Promise<{ result: T; keptAt?: string }> {
  const previous = process.env['TMPDIR'];
  const scratch = mkdtempSync(join(scratchParentHere(), 'jest-run-'));
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
