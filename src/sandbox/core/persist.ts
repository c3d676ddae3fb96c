// `--data <file>` persistence for the sandbox.
//
// - Load: the file is read once at start. A missing file means "seed and create it"; a file that is
//   unreadable, not JSON or not a sandbox state of this backend fails start-up with an error naming
//   the file. It is never silently reseeded over, because it may hold a user's rehearsal data.
// - Write: each snapshot goes to a temp file in the same directory (mode 0600), is fsynced, then
//   renamed over the data file, so a reader or a crash sees the old or the new state, never half.
// - Coalescing: at most one write is in flight. Changes made during a write set a dirty flag and
//   cause exactly one more write when it ends, so a bulk import of 100,000 rows makes a few hundred
//   writes, not 100,000. The pause between writes grows with the time a write takes, keeping
//   persistence a bounded share of the sandbox's time on big states.
// - Big states are serialised in chunks with awaits between them, so a snapshot of hundreds of
//   thousands of customers does not freeze the server. This is safe because emulators never mutate
//   a stored record (see dealpos-store.ts): the snapshot's array of record objects does not change.
// - `flush()`/`close()` wait for the write in flight and write the last state; `flushSync()` does it
//   synchronously for a process 'exit' handler.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PersistenceHook, SandboxLogger } from './emulator.js';
import { DataFileError } from './errors.js';

export { DataFileError };

export const DATA_FILE_FORMAT = 'poscust-sandbox';
export const DATA_FILE_VERSION = 1;


export interface DataFileEnvelope {
  format: typeof DATA_FILE_FORMAT;
  version: number;
  backend: string;
  savedAt: string;
  state: unknown;
}

/**
 * Reads the state saved in `file` for `backend`. Returns null when the file does not exist.
 * A bare JSON array is accepted as a hand-written customer list.
 */
export function loadDataFile(file: string, backend: string): { state: unknown } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DataFileError(file, `cannot read sandbox data file ${file}: ${(err as Error).message}`);
  }
  const corrupt = (why: string) =>
    new DataFileError(
      file,
      `sandbox data file ${file} is not usable: ${why}. Fix it, move it away, or pass another --data file; the sandbox will not overwrite it.`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (err) {
    throw corrupt(text.trim() === '' ? 'it is empty' : `it is not valid JSON (${(err as Error).message})`);
  }
  if (Array.isArray(data)) return { state: data };
  if (data === null || typeof data !== 'object') throw corrupt('it holds neither a sandbox state nor a list of customers');
  const env = data as Partial<DataFileEnvelope>;
  if (env.format !== DATA_FILE_FORMAT) throw corrupt(`it is not a poscust sandbox file (no "format": "${DATA_FILE_FORMAT}")`);
  if (typeof env.version !== 'number' || env.version > DATA_FILE_VERSION) {
    throw corrupt(`it has format version ${String(env.version)}, this poscust reads up to ${DATA_FILE_VERSION}`);
  }
  if (env.backend !== backend) throw corrupt(`it holds a ${String(env.backend)} sandbox, not ${backend}`);
  if (env.state === undefined) throw corrupt('it has no "state"');
  return { state: env.state };
}

/** Wraps a restore error so it names the data file. */
export function dataFileRestoreError(file: string, err: unknown): DataFileError {
  const why = err instanceof Error ? err.message : String(err);
  return new DataFileError(
    file,
    `sandbox data file ${file} is not usable: ${why}. Fix it, move it away, or pass another --data file; the sandbox will not overwrite it.`,
  );
}

/** JSON text of `value` in pieces: big arrays one element at a time, so writing can yield. */
function* jsonChunks(value: unknown, depth = 0): Generator<string> {
  if (Array.isArray(value) && value.length > 64) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield (i === 0 ? '' : ',') + (JSON.stringify(value[i]) ?? 'null');
    }
    yield ']';
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 4 && Object.getPrototypeOf(value) === Object.prototype) {
    yield '{';
    let first = true;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      yield (first ? '' : ',') + JSON.stringify(key) + ':';
      first = false;
      yield* jsonChunks(item, depth + 1);
    }
    yield '}';
  } else {
    yield JSON.stringify(value) ?? 'null';
  }
}

/** fsync the directory so the rename itself survives a crash; best effort (not all systems allow it). */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse to open or sync a directory; the rename still happened.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export interface SnapshotWriterOptions {
  file: string;
  backend: string;
  /** Returns the state to save; called when a write starts. */
  snapshot: () => unknown;
  logger?: SandboxLogger;
  /** Pause before a write, so a burst of changes becomes one write. */
  coalesceMs?: number;
  /** Upper bound of the adaptive pause between writes. */
  maxPauseMs?: number;
}

const CHUNK_BYTES = 1 << 20;

export class SnapshotWriter implements PersistenceHook {
  readonly file: string;
  private readonly backend: string;
  private readonly snapshot: () => unknown;
  private readonly logger: SandboxLogger | undefined;
  private readonly coalesceMs: number;
  private readonly maxPauseMs: number;
  private dirty = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private nextAllowedAt = 0;
  /** Each write gets a generation; an older write never replaces a newer one. */
  private generation = 0;
  private committedGeneration = 0;
  private snapshotsWritten = 0;
  private lastError: string | null = null;

  constructor(opts: SnapshotWriterOptions) {
    this.file = opts.file;
    this.backend = opts.backend;
    this.snapshot = opts.snapshot;
    this.logger = opts.logger;
    this.coalesceMs = opts.coalesceMs ?? 20;
    this.maxPauseMs = opts.maxPauseMs ?? 2000;
  }

  stats(): { file: string; snapshotsWritten: number; lastError: string | null } {
    return { file: this.file, snapshotsWritten: this.snapshotsWritten, lastError: this.lastError };
  }

  /** The state changed: make sure a write follows. */
  markDirty(): void {
    this.dirty = true;
    this.schedule();
  }

  /** Waits for the write in flight, then writes the current state if it changed. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    if (this.dirty) {
      this.dirty = false;
      const work = this.writeAsync();
      this.inFlight = work;
      try {
        await work;
      } catch (err) {
        this.dirty = true;
        throw err;
      } finally {
        this.inFlight = null;
      }
    }
  }

  /** Writes the current state now, unconditionally (used for the first file at start-up). */
  async writeNow(): Promise<void> {
    this.dirty = true;
    await this.flush();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /**
   * Writes the current state synchronously, for a process 'exit' handler where nothing async runs.
   * A write still in flight is superseded: its rename is skipped if it has not happened yet.
   */
  flushSync(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty && !this.inFlight) return;
    const gen = ++this.generation;
    const tmp = this.tempName(gen);
    const text = Array.from(jsonChunks(this.envelope())).join('');
    let fd: number | null = null;
    try {
      fd = openSync(tmp, 'wx', 0o600);
      writeSync(fd, text);
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(tmp, this.file);
      syncDirectory(dirname(this.file));
      this.committedGeneration = gen;
      this.snapshotsWritten++;
      this.dirty = false;
    } catch (err) {
      if (fd !== null) closeSync(fd);
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
      this.lastError = (err as Error).message;
      throw new DataFileError(this.file, `cannot write sandbox data file ${this.file}: ${(err as Error).message}`);
    }
  }

  private envelope(): DataFileEnvelope {
    return {
      format: DATA_FILE_FORMAT,
      version: DATA_FILE_VERSION,
      backend: this.backend,
      savedAt: new Date().toISOString(),
      state: this.snapshot(),
    };
  }

  private tempName(gen: number): string {
    return join(dirname(this.file), `.${basename(this.file)}.${process.pid}.${gen}.tmp`);
  }

  private schedule(): void {
    if (this.closed || this.timer || this.inFlight) return;
    const wait = Math.max(this.coalesceMs, this.nextAllowedAt - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.dirty || this.inFlight) return;
      this.dirty = false;
      const work = this.writeAsync();
      this.inFlight = work;
      work
        .catch((err: unknown) => {
          // Keep serving; the next change (or flush) tries again.
          this.dirty = true;
          this.logger?.error((err as Error).message);
        })
        .finally(() => {
          this.inFlight = null;
          if (this.dirty) this.schedule();
        });
    }, wait);
  }

  private async writeAsync(): Promise<void> {
    const started = Date.now();
    const gen = ++this.generation;
    const tmp = this.tempName(gen);
    const envelope = this.envelope();
    let handle: Awaited<ReturnType<typeof open>> | null = null;
    try {
      handle = await open(tmp, 'wx', 0o600);
      let buffer: string[] = [];
      let size = 0;
      for (const chunk of jsonChunks(envelope)) {
        buffer.push(chunk);
        size += chunk.length;
        if (size >= CHUNK_BYTES) {
          await handle.write(buffer.join(''));
          buffer = [];
          size = 0;
        }
      }
      if (buffer.length > 0) await handle.write(buffer.join(''));
      await handle.sync();
      await handle.close();
      handle = null;
      if (this.committedGeneration > gen) {
        await unlink(tmp); // a newer (synchronous) write already landed
        return;
      }
      await rename(tmp, this.file);
      syncDirectory(dirname(this.file));
      this.committedGeneration = gen;
      this.snapshotsWritten++;
      this.lastError = null;
    } catch (err) {
      if (handle) await handle.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      this.lastError = (err as Error).message;
      throw new DataFileError(this.file, `cannot write sandbox data file ${this.file}: ${(err as Error).message}`);
    } finally {
      const took = Date.now() - started;
      // Pause about as long as the write took, so writing is at most half of the time.
      this.nextAllowedAt = Date.now() + Math.min(this.maxPauseMs, took);
    }
  }
}
