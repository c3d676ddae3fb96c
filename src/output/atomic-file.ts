// Files that hold customer data (export, the import's rejects and report) appear whole or not at
// all, owner-only, and never through a link: they are written under a new temporary name beside the
// target (opened exclusively, so an existing file or a planted link there makes it fail rather than
// be followed), flushed to disk, then renamed over the target. A rename replaces a link at the
// target instead of writing through it. A target the user names is checked before any request: a
// link or another user's file is refused, and so is a folder we cannot write.
import { closeSync, createWriteStream, fsyncSync, lstatSync, openSync, renameSync, rmSync, unlinkSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { type OutStream, writeOut } from '../deps.js';
import { UsageError } from '../errors.js';
import { tempPathBeside } from '../util/temp-path.js';

/**
 * Throws UsageError (exit 2) naming `what` when `path` cannot be written safely: it is a link, a
 * folder or another user's file, or its folder is missing or not writable (tried with a temporary
 * file, which is what the real write will do).
 */
export function checkOutputPath(path: string, what: string): void {
  const refuse = (why: string) => new UsageError(`cannot write ${what} ${path}: ${why}`);
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) throw refuse('it is a symbolic link; poscust writes customer data only to a real file');
    if (st.isDirectory()) throw refuse('it is a folder; give a file name');
    if (!st.isFile()) throw refuse('it is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) throw refuse(`it belongs to another user (uid ${st.uid})`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse((err as Error).message);
  }
  const probe = tempPathBeside(path);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const folder = dirname(path);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw refuse(`the folder ${folder} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw refuse(`the folder ${folder} is not writable`);
    if (code === 'EROFS') throw refuse(`the folder ${folder} is on a read-only file system`);
    if (code === 'ENOSPC' || code === 'EDQUOT') throw refuse(`no space left in ${folder}`);
    throw refuse((err as Error).message);
  }
}

/** A file written under a temporary name and renamed into place by `commit()`. */
export class AtomicFile {
  private stream: WriteStream | null = null;
  private opening: Promise<WriteStream> | null = null;
  private temp: string | null = null;

  constructor(readonly path: string) {}

  /** True from the first call of out() on (the file may still be opening). */
  get opened(): boolean {
    return this.opening !== null;
  }

  /** The stream to write to, opened on first use (concurrent callers share the one file). */
  out(): Promise<WriteStream> {
    this.opening ??= (async () => {
      const temp = tempPathBeside(this.path);
      this.temp = temp;
      const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
      this.stream = stream;
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
      return stream;
    })();
    return this.opening;
  }

  async write(text: string): Promise<void> {
    await writeOut(await this.out(), text);
  }

  /** Ends the file, flushes it to disk and renames it over the target. */
  async commit(): Promise<void> {
    const stream = await this.out();
    await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const fd = openSync(this.temp!, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.temp!, this.path);
    this.stream = null;
    this.opening = null;
    this.temp = null;
  }

  /** Drops what was written; the target stays as it was. */
  discard(): void {
    this.stream?.destroy();
    if (this.temp) rmSync(this.temp, { force: true });
    this.stream = null;
    this.opening = null;
    this.temp = null;
  }
}

export async function writeFileAtomically(path: string, fill: (out: OutStream) => Promise<void>): Promise<void> {
  const file = new AtomicFile(path);
  try {
    await fill(await file.out());
    await file.commit();
  } catch (err) {
    file.discard();
    throw err;
  }
}
