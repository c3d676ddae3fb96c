// Writing a job's history as it runs. Every write is noted before it leaves (so a crash still knows
// what may have changed) with the before-image of what it changes, and its outcome after. One-shot
// commands fsync at once; bulk jobs batch their lines like the import journal: intents of one
// event-loop turn in one write, outcomes in batches, an fsync a second and at the end.
import { closeSync, constants, fsyncSync, openSync, writeSync } from 'node:fs';
import type { JobHeader, WriteCounts, WriteIntent, WriteOp } from './format.js';
import { HISTORY_VERSION } from './format.js';

function kindOf(op: WriteOp): keyof WriteCounts {
  return op === 'create' ? 'created' : op === 'update' ? 'updated' : op === 'delete' ? 'deleted' : 'other';
}
import { KernelLines } from '../util/kernel-lines.js';
import { ensureHistoryDir, jobPath, newJobId, pruneHistory } from './store.js';

const FLUSH_EVERY = 500;
const SYNC_MS = 1000;

export interface HistoryWriterOptions {
  dir: string;
  header: Omit<JobHeader, 'job' | 'v'>;
  /** A bulk job batches its lines; a one-shot command syncs each. */
  bulk: boolean;
  now: () => Date;
  /** Jobs older than this many days are deleted when a new one starts. */
  keepDays: number;
}

export class HistoryWriter {
  private fd: number | null = null;
  private seq = 0;
  private readonly intents = new KernelLines((text) => {
    if (this.fd !== null) writeSync(this.fd, text);
  });
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private readonly ops = new Map<number, WriteOp>();
  private readonly counts: WriteCounts = { created: 0, updated: 0, deleted: 0, other: 0 };
  /** The job's id once its first write is noted (reads alone leave no job). */
  id: string | null = null;

  constructor(private readonly o: HistoryWriterOptions) {}

  get started(): boolean {
    return this.fd !== null;
  }

  /**
   * Notes a write about to be sent; resolves (with its number) once the line is in the kernel
   * (bulk jobs: the intents of one microtask checkpoint in one write, util/kernel-lines.ts).
   */
  intent(write: Omit<WriteIntent, 'n'>): Promise<number> {
    this.open();
    const n = ++this.seq;
    this.ops.set(n, write.op);
    this.counts[kindOf(write.op)]++;
    const line = `${JSON.stringify({ n, ...write })}\n`;
    if (!this.o.bulk) {
      this.flush();
      writeSync(this.fd!, line);
      return Promise.resolve(n);
    }
    return this.intents.add(line).then(() => n);
  }

  ok(n: number, extra: { id?: string; after?: Record<string, unknown>; before?: Record<string, unknown> } = {}): void {
    this.push(JSON.stringify({ ok: n, ...extra }));
  }

  fail(n: number, reason: string): void {
    const op = this.ops.get(n);
    if (op) this.counts[kindOf(op)]--;
    this.push(JSON.stringify({ fail: n, reason }));
  }

  /** Hands buffered lines to the kernel (the process may be about to die). */
  flush(): void {
    this.intents.flush();
    if (this.fd === null || this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    writeSync(this.fd, text);
  }

  /** Ends the job: its last line, fsynced, before the command reports anything. */
  finish(status: string): void {
    clearInterval(this.timer);
    if (this.fd === null || this.ended) return;
    this.ended = true;
    // The counts ride on the last line: `poscust history` reads them without the whole job.
    this.push(JSON.stringify({ end: this.o.now().toISOString(), status, counts: this.counts }));
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }

  private open(): void {
    if (this.fd !== null) return;
    if (this.ended) throw new Error('internal error: a write after the history job ended');
    ensureHistoryDir(this.o.dir);
    try {
      pruneHistory(this.o.dir, this.o.keepDays, this.o.now().getTime());
    } catch {
      // Pruning is housekeeping: a job must not fail for it.
    }
    // A new file, ours alone, never through a link (another job of the same millisecond: another id).
    let id = newJobId(this.o.now());
    for (let tries = 0; ; tries++) {
      try {
        this.fd = openSync(jobPath(this.o.dir, id), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0), 0o600);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 20) throw err;
        id = newJobId(this.o.now());
      }
    }
    this.id = id;
    const header: JobHeader = { job: id, v: HISTORY_VERSION, ...this.o.header };
    writeSync(this.fd, `${JSON.stringify(header)}\n`);
    if (this.o.bulk) {
      this.timer = setInterval(() => this.sync(), SYNC_MS);
      this.timer.unref();
    }
  }

  private push(line: string): void {
    if (this.fd === null) return;
    this.pending.push(line);
    if (!this.o.bulk) this.sync();
    else if (this.pending.length >= FLUSH_EVERY) this.flush();
  }

  private sync(): void {
    this.flush();
    if (this.fd !== null) fsyncSync(this.fd);
  }
}
