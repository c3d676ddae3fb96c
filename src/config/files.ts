// Owner-only files: the profile store and the token cache hold secrets, so their directory is 0700,
// the files 0600, and we refuse to read one that other users can read.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathBeside } from '../util/temp-path.js';
import { ConfigError } from '../errors.js';

const POSIX = process.platform !== 'win32';

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX) {
    const mode = statSync(dir).mode & 0o777;
    if (mode & 0o077) chmodSync(dir, 0o700);
  }
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
  ensurePrivateDir(dirname(file));
  const tmp = tempPathBeside(file);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
