// One job of the history as JSON lines, appended as the job runs:
//   {"job", "v", "startedAt", "command", "profile", "backend", "baseUrl", "undoes"?}   first line
//   {"n", "op", ...}      a write about to be sent: its target and before/after images (WriteIntent)
//   {"ok": n, "id"?, "after"?, "before"?}  it went through (a create: the new ID; a merge: the
//                         survivor's changed fields; an update that read the record itself: its before-image)
//   {"fail": n, "reason"} it did not (the server refused it; nothing changed)
//   {"end", "status"}     the job is over
// A write with neither `ok` nor `fail` is uncertain (the answer was lost, or the process died): undo
// resolves it by looking at the customer as it is now. Only a torn last line (a crash mid-write) is
// skipped; anything else unreadable is an error naming the file and line.
import { ConfigError } from '../errors.js';
import type { Lookup } from '../backends/types.js';

export const HISTORY_VERSION = 1;

export type WriteOp = 'create' | 'update' | 'delete' | 'suspend' | 'unsuspend' | 'verify' | 'unverify' | 'merge' | 'pin-set' | 'app-signin';

export interface JobHeader {
  job: string;
  v: number;
  startedAt: string;
  /** The command line, secrets removed. */
  command: string;
  profile: string | null;
  backend: string;
  baseUrl: string;
  /** For an undo: the job it reverts. */
  undoes?: string;
}

export interface WriteIntent {
  n: number;
  op: WriteOp;
  /** The customer's ID, when known before the write. */
  id?: string;
  /** How the command named the customer (when the ID was not known). */
  lookup?: Lookup;
  /** Fields as they were (update: the changed ones; delete and merge: the whole record). */
  before?: Record<string, unknown>;
  /** Fields as written (create: the record sent; update: the changes; merge: the survivor's changed fields). */
  after?: Record<string, unknown>;
  /** verify/unverify: which. */
  what?: 'email' | 'mobile';
  /** merge: the whole records of the customers merged away. */
  merged?: Record<string, unknown>[];
  /** In an undo job: the write of the undone job this one reverts. */
  undoes?: number;
}

export type WriteStatus = 'done' | 'failed' | 'uncertain';

export interface WriteEntry extends WriteIntent {
  status: WriteStatus;
  /** What the server said (ok: the ID it gave a create). */
  resultId?: string;
  reason?: string;
}

export interface JobRecord {
  header: JobHeader;
  writes: WriteEntry[];
  ended?: { end: string; status: string };
  path: string;
}

export interface WriteCounts {
  created: number;
  updated: number;
  deleted: number;
  other: number;
}

export function parseJobFile(text: string, path: string): JobRecord {
  const lines = text.split('\n');
  const torn = !text.endsWith('\n');
  let header: JobHeader | undefined;
  const writes = new Map<number, WriteEntry>();
  let ended: JobRecord['ended'];
  const damaged = (line: number, why: string) => new ConfigError(`history file ${path} is damaged at line ${line} (${why}); move it away to go on without it`);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(line) as Record<string, unknown>;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    } catch (err) {
      if (torn && i === lines.length - 1) break; // the last write of a process that died mid-line
      throw damaged(i + 1, (err as Error).message);
    }
    if (i === 0 || header === undefined) {
      if (typeof v.job !== 'string' || typeof v.backend !== 'string' || typeof v.v !== 'number') throw damaged(i + 1, 'no job header');
      if (v.v > HISTORY_VERSION) throw new ConfigError(`history file ${path} was written by a newer poscust (format ${String(v.v)}); upgrade poscust to read it`);
      header = v as unknown as JobHeader;
      continue;
    }
    if (typeof v.n === 'number' && typeof v.op === 'string') {
      writes.set(v.n, { ...(v as unknown as WriteIntent), status: 'uncertain' });
    } else if (typeof v.ok === 'number' && writes.has(v.ok)) {
      const w = writes.get(v.ok)!;
      w.status = 'done';
      if (typeof v.id === 'string') w.resultId = v.id;
      // A merge's survivor as it was after the merge (read once it went through).
      if (v.after && typeof v.after === 'object' && !Array.isArray(v.after)) w.after = v.after as Record<string, unknown>;
      // An update through a read-merge-write adapter learns its before-image with the answer.
      if (v.before && typeof v.before === 'object' && !Array.isArray(v.before)) w.before = v.before as Record<string, unknown>;
    } else if (typeof v.fail === 'number' && writes.has(v.fail)) {
      const w = writes.get(v.fail)!;
      w.status = 'failed';
      if (typeof v.reason === 'string') w.reason = v.reason;
    } else if (typeof v.end === 'string') {
      ended = { end: v.end, status: typeof v.status === 'string' ? v.status : 'ok' };
    } else {
      throw damaged(i + 1, 'a line of no known kind');
    }
  }
  if (!header) throw damaged(1, 'empty');
  return { header, writes: [...writes.values()].sort((a, b) => a.n - b.n), ended, path };
}

/** What a job did, by kind, counting the writes that went through (or may have). */
export function countWrites(job: JobRecord): WriteCounts {
  const counts: WriteCounts = { created: 0, updated: 0, deleted: 0, other: 0 };
  for (const w of job.writes) {
    if (w.status === 'failed') continue;
    if (w.op === 'create') counts.created++;
    else if (w.op === 'update') counts.updated++;
    else if (w.op === 'delete') counts.deleted++;
    else counts.other++;
  }
  return counts;
}
