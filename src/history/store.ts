// The history of writes, per profile: one file per job under `<config>/history/<profile>/`, each an
// append-only list of JSON lines (format.ts). The folder is 0700 and the files 0600: they hold
// customers' personal data (the before-image of every field a job changed). A file others can read
// is refused, naming the chmod to run; a damaged one is an error naming it, never skipped.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readSync, statSync, unlinkSync } from 'node:fs';
import { fsCause } from '../util/fs-error.js';
import { readRegularFile, withRegularFile } from '../util/regular-file.js';
import { join } from 'node:path';
import type { Connection } from '../backends/types.js';
import { ensurePrivateDir } from '../config/files.js';
import { ConfigError, NotFoundError, UsageError } from '../errors.js';
import { parseJobFile, type JobHeader, type JobRecord, type WriteCounts } from './format.js';

const POSIX = process.platform !== 'win32';
export const DEFAULT_KEEP_DAYS = 90;

/** The folder of a connection's history: its profile's, or (environment only) its backend's and base URL's. */
export function historyDir(configDir: string, conn: Pick<Connection, 'profileName' | 'backend' | 'baseUrl'>): string {
  const slot =
    conn.profileName !== null && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(conn.profileName)
      ? conn.profileName
      : `env-${conn.backend}-${createHash('sha256').update(`${conn.profileName ?? ''}\n${conn.baseUrl}`).digest('hex').slice(0, 12)}`;
  return join(configDir, 'history', slot);
}

export function ensureHistoryDir(dir: string): void {
  ensurePrivateDir(join(dir, '..'), { noLink: true });
  ensurePrivateDir(dir, { noLink: true });
}

/**
 * A new job's id: sortable by time to the millisecond, short enough to type
 * (`20261205-142501-1237`: date, time, milliseconds and one random hex digit).
 */
export function newJobId(now: Date, random: () => number = Math.random): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
  return `${stamp}-${iso.slice(20, 23)}${Math.floor(random() * 16).toString(16)}`;
}

/** The job files of a folder, newest first (ids sort by time). */
export function jobIds(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => /^\d{8}-\d{6}-[0-9a-f]{4}\.jsonl$/.test(n))
    .map((n) => n.slice(0, -'.jsonl'.length))
    .sort()
    .reverse();
}

/** Reads one job whole; refuses a file others can read, a link, or a damaged file, naming it. */
export function readJob(dir: string, id: string): JobRecord {
  const path = jobPath(dir, id);
  if (POSIX) {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      throw new NotFoundError(`no job ${id} in the history (${dir}); see poscust history`);
    }
    if (!st.isFile()) throw new ConfigError(`${path} is not a regular file; poscust reads its history only from its own files`);
    if (st.mode & 0o077) {
      throw new ConfigError(
        `history file ${path} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); it holds customers' personal data, so poscust will not use it until you run: chmod 600 '${path}'`,
      );
    }
  }
  let text: string;
  try {
    text = readRegularFile(path).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no job ${id} in the history (${dir}); see poscust history`);
    throw new ConfigError(`cannot read history file ${path}: ${fsCause(err)}`);
  }
  return parseJobFile(text, path);
}

/** A job named on the command line: its whole id, or a prefix only one job has. */
export function resolveJobId(dir: string, given: string): string {
  if (!/^[0-9a-f-]{1,20}$/i.test(given)) throw new UsageError(`'${given}' is not a job id (they look like 20261205-142501-1237; see poscust history)`);
  const ids = jobIds(dir);
  if (ids.includes(given)) return given;
  const matches = ids.filter((id) => id.startsWith(given));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UsageError(`job '${given}' is ambiguous: ${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}`);
  throw new NotFoundError(`no job ${given} in the history (${dir}); see poscust history`);
}

/**
 * A finished job's header and counts from its first and last lines, without reading the writes
 * between; null when the job has no end line with counts (then read it whole).
 */
export function readSummary(dir: string, id: string): { header: JobHeader; counts: WriteCounts; status: string } | null {
  const header = readHeader(dir, id);
  if (!header) return null;
  try {
    return withRegularFile(jobPath(dir, id), (fd, st) => {
      if (POSIX && st.mode & 0o077) return null; // readJob refuses it, naming the chmod
      const last = JSON.parse(readAt(fd, st.size - Math.min(st.size, 4096), 4096).trimEnd().split('\n').at(-1)!) as { end?: unknown; status?: unknown; counts?: WriteCounts };
      if (typeof last.end !== 'string' || !last.counts || typeof last.counts.created !== 'number') return null;
      return { header, counts: last.counts, status: typeof last.status === 'string' ? last.status : 'ok' };
    });
  } catch {
    return null;
  }
}

/** Up to `length` bytes of the open file from `position`, as text. */
function readAt(fd: number, position: number, length: number): string {
  const buf = Buffer.alloc(length);
  return buf.subarray(0, readSync(fd, buf, 0, length, position)).toString('utf8');
}

/** Only the first line of a job (which job an undo reverts), without reading a big job whole. */
export function readHeader(dir: string, id: string): JobHeader | null {
  try {
    const v = JSON.parse(withRegularFile(jobPath(dir, id), (fd) => readAt(fd, 0, 65536)).split('\n')[0]!) as JobHeader;
    return typeof v === 'object' && v !== null && typeof v.job === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function jobPath(dir: string, id: string): string {
  return join(dir, `${id}.jsonl`);
}

/** Deletes the jobs older than `days`; returns how many went. */
export function pruneHistory(dir: string, days: number, now: number): number {
  let removed = 0;
  for (const id of jobIds(dir)) {
    const path = jobPath(dir, id);
    const st = statSync(path);
    if (now - st.mtimeMs > days * 86_400_000) {
      unlinkSync(path);
      removed++;
    }
  }
  return removed;
}
