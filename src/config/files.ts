// Owner-only files: the profile store and the token cache hold secrets, so their directories are
// 0700 and owned by the user, the files 0600, and we refuse to use one that other users can read.
// A directory someone else can write is refused too: whoever can write it can swap `tokens` for a
// link to a place of their choosing, and our next write would go there.
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { tempPathBeside } from '../util/temp-path.js';
import { ConfigError } from '../errors.js';

const POSIX = process.platform !== 'win32';

/** Why `dir` is not safe to keep credentials in, or null. `st` is its lstat (a link is refused by callers that care). */
function unsafeDirReason(dir: string, st: Stats): string | null {
  if (!st.isDirectory()) return `${dir} is not a directory`;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `${dir} belongs to another user (uid ${st.uid})`;
  if (st.mode & 0o022) return `other users can write to ${dir} (mode ${(st.mode & 0o777).toString(8)}); fix with: chmod 700 '${dir}'`;
  return null;
}

/**
 * Makes `dir` (0700) if needed, and checks it is a real directory of ours that nobody else can
 * write; a readable one is tightened to 0700. With `noLink`, the directory itself must not be a
 * symbolic link (the `tokens` folder is ours alone; the config folder may be a link the user made).
 */
export function ensurePrivateDir(dir: string, options: { noLink?: boolean } = {}): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (!POSIX) return;
  checkPrivateDir(dir, options);
  const mode = statSync(dir).mode & 0o777;
  if (mode & 0o077) chmodSync(dir, 0o700);
}

/** Throws ConfigError when an existing `dir` is a link (with `noLink`), not ours, or writable by others. */
export function checkPrivateDir(dir: string, options: { noLink?: boolean } = {}): void {
  if (!POSIX) return;
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (st.isSymbolicLink()) {
    if (options.noLink) throw new ConfigError(`${dir} is a symbolic link; poscust keeps credentials only in a real folder of its own: remove the link`);
    st = statSync(dir);
  }
  const why = unsafeDirReason(dir, st);
  if (why) throw new ConfigError(`${why}; poscust keeps credentials there, so it will not use it`);
}

/** Throws when `file` is readable or writable by group or others (the user must fix it: we say how). */
export function assertPrivate(file: string, what: string): void {
  if (!POSIX) return;
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return;
  }
  if (mode & 0o077) {
    throw new ConfigError(
      `${what} ${file} can be read by other users (mode ${mode.toString(8)}); ` +
        `it holds credentials, so poscust will not use it until you run: chmod 600 '${file}'`,
    );
  }
}

/** Writes a whole file atomically with mode 0600: temp file, fsync, rename. */
export function writePrivateFileAtomic(file: string, text: string): void {
  const tmp = tempPathBeside(file);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    // A full or failing disk must not leave an empty temporary file behind.
    rmSync(tmp, { force: true });
    throw err;
  }
}

