// Reading a file poscust wrote or was given (a plan, a state file, a job of the history) without
// following a symbolic link and only when it is a regular file: a link planted where such a file
// is expected is refused (ELOOP), never followed to somebody else's file.
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

/** Runs `use` on the open file; throws the fs error (ENOENT, ELOOP, ...) or "not a regular file". */
export function withRegularFile<T>(path: string, use: (fd: number, st: Stats) => T): T {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    return use(fd, st);
  } finally {
    closeSync(fd);
  }
}

/** The whole file, as bytes. */
export function readRegularFile(path: string): Buffer {
  return withRegularFile(path, (fd) => readFileSync(fd));
}
