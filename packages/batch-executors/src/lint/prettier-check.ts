// `prettier --check <paths>` through prettier's API, so one process can check many projects without
// loading prettier each time. The files are the ones the CLI picks (prettier 3.10,
// src/cli/expand-patterns.js and format.js): a file named on its own, or every file under a directory, dot files included,
// symbolic links not followed, never inside .git/.sl/.svn/.hg/.jj/node_modules; minus what
// .gitignore and .prettierignore (at the working directory) ignore; minus files prettier has no
// parser for (a directory argument implies --ignore-unknown).
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as prettier from 'prettier';

const NEVER_ENTERED = new Set(['.git', '.sl', '.svn', '.hg', '.jj', 'node_modules']);

export interface PrettierCheck {
  /** Files checked, relative to the workspace root. */
  readonly checked: readonly string[];
  /** Files whose formatting differs from prettier's. */
  readonly unformatted: readonly string[];
  /** Files prettier could not parse, with its message. */
  readonly errors: readonly string[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !NEVER_ENTERED.has(entry.name)) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Files prettier's CLI expands `path` to (relative to `root`); `explicit` when it names a file. */
async function candidates(root: string, path: string): Promise<Array<{ file: string; explicit: boolean }>> {
  const absolute = join(root, path);
  const stat = await lstat(absolute).catch(() => undefined);
  if (stat?.isFile()) return [{ file: relative(root, absolute), explicit: true }];
  if (!stat?.isDirectory()) throw new Error(`prettier: ${path} is neither a file nor a directory under ${root}`);
  return (await filesUnder(absolute)).map((file) => ({ file: relative(root, file), explicit: false })).sort((a, b) => a.file.localeCompare(b.file));
}

/** Checks every file prettier's CLI would check for `prettier --check <paths>` run at `root`. */
export async function prettierCheck(root: string, paths: readonly string[]): Promise<PrettierCheck> {
  const ignorePath = [join(root, '.gitignore'), join(root, '.prettierignore')];
  const checked: string[] = [];
  const unformatted: string[] = [];
  const errors: string[] = [];
  for (const path of paths) {
    for (const { file, explicit } of await candidates(root, path)) {
      const absolute = join(root, file);
      const info = await prettier.getFileInfo(absolute, { ignorePath });
      if (info.ignored) continue;
      if (info.inferredParser === null) {
        // A directory implies --ignore-unknown; a file named on its own must be formattable.
        if (explicit) errors.push(`${file}: No parser could be inferred for file`);
        continue;
      }
      checked.push(file);
      const options = await prettier.resolveConfig(absolute, { editorconfig: true });
      try {
        if (!(await prettier.check(await readFile(absolute, 'utf8'), { ...options, filepath: absolute }))) unformatted.push(file);
      } catch (error) {
        errors.push(`${file}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
  return { checked, unformatted, errors };
}

/** The CLI's report for a failed check (`[warn]`/`[error]` lines); empty when all is well. */
export function prettierReport(check: PrettierCheck): string {
  const lines = [...check.errors.map((error) => `[error] ${error}`), ...check.unformatted.map((file) => `[warn] ${file}`)];
  if (check.unformatted.length > 0) {
    const files = check.unformatted.length === 1 ? 'the above file' : `${check.unformatted.length} files`;
    lines.push(`[warn] Code style issues found in ${files}. Run Prettier with --write to fix.`);
  }
  return lines.map((line) => `${line}\n`).join('');
}
