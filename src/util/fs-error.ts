// A file system error said for a person: what failed, on which path, and the real cause, never a
// bare `ENOSPC: no space left on device, open '/x/.y.123.tmp'` naming a temporary file.

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  ELOOP: 'it is a symbolic link (or a loop of them)',
  EMFILE: 'too many open files',
  EIO: 'an input/output error (a failing disk?)',
};

/** "no space left on the device (ENOSPC)", or the error's own message. */
export function fsCause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && CAUSES[code]) return `${CAUSES[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
