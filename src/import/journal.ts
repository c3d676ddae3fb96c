// The journal of an import job, kept next to the input (`customers.csv.poscust-journal`), so that
// `--resume` skips what is done and never creates a customer twice.
//
// One JSON line says which job it is (the file's fingerprint: size, SHA-256 of the whole file and of
// each block, from scan.ts; mode, key, backend, base URL, column mapping, delimiter); then one short
// line per event:
//   s <row>          a create is about to be sent (written before the request leaves)
//   c|u|n <row> <id> created, updated, unchanged
//   r|f <row> <json> rejected by the server, failed for good (the reason)
// Start lines reach the kernel before their request leaves (a SIGKILL keeps what the kernel has;
// those of one microtask checkpoint in one write), outcome lines in batches;
// everything is fsynced about once a second and when the job stops. A row with a start line and no
// outcome was in flight when the job died: on resume its key is looked up before any create.
import { KernelLines } from '../util/kernel-lines.js';
import { closeSync, constants, createReadStream, existsSync, fchmodSync, fstatSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';
import type { FileFingerprint } from './scan.js';
import { tempPathBeside } from '../util/temp-path.js';

export interface JournalIdentity {
  input: FileFingerprint;
  mode: string;
  key: string;
  backend: string;
  baseUrl: string;
  map: string[];
  delimiter: string;
  /** How the file was read: its encoding, or the workbook's sheet. Older journals lack it (UTF-8). */
  read?: string;
  /** How cells were read (--date-format, --clear-value, --phone-format, the region); '' for the defaults. */
  cells?: string;
}

export const RowState = { none: 0, started: 1, failed: 2, created: 3, updated: 4, unchanged: 5, rejected: 6 } as const;
export type RowStateValue = (typeof RowState)[keyof typeof RowState];
const CODES: Record<string, RowStateValue> = { s: 1, f: 2, c: 3, u: 4, n: 5, r: 6 };
const FLUSH_EVERY = 500;
const SYNC_MS = 1000;

/** What an earlier run of the same job got done, one byte a row. */
export class JournalState {
  private states = new Uint8Array(1024);
  /** Reasons of rows the server rejected or that failed, to report them again. */
  readonly reasons = new Map<number, string>();
  rows = 0;

  get(ordinal: number): RowStateValue {
    return (this.states[ordinal] ?? 0) as RowStateValue;
  }

  set(ordinal: number, state: RowStateValue): void {
    if (ordinal >= this.states.length) {
      const bigger = new Uint8Array(Math.max(ordinal + 1, this.states.length * 2));
      bigger.set(this.states);
      this.states = bigger;
    }
    const before = this.states[ordinal]!;
    // An outcome is final; a later start line (a retry of a failed row) must not hide it.
    if (before >= RowState.created) return;
    if (before === RowState.none) this.rows++;
    this.states[ordinal] = state;
  }
}

export function journalPathFor(inputPath: string): string {
  return `${inputPath}.poscust-journal`;
}

/**
 * Reads a journal; throws UsageError when it belongs to another job. `inputChange` says how the
 * input file differs from the fingerprint the journal recorded (scan.ts), or null when it does not.
 */
export async function readJournal(
  path: string,
  identity: JournalIdentity,
  inputChange: (recorded: Partial<FileFingerprint> | undefined) => string | null,
): Promise<JournalState> {
  // Someone else's journal, or a link to one, must not decide which rows are skipped.
  const st = lstatSync(path);
  if (st.isSymbolicLink()) throw new UsageError(`the journal ${path} is a symbolic link; poscust will not follow it`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new UsageError(`the journal ${path} belongs to another user (uid ${st.uid}); poscust will not continue it`);
  const state = new JournalState();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (first) {
      first = false;
      let previous: JournalIdentity;
      try {
        previous = JSON.parse(line) as JournalIdentity;
      } catch {
        throw new UsageError(`${path} is not a poscust import journal; delete it to start over`);
      }
      const differences = compareIdentity(previous, identity);
      const changed = inputChange(previous.input);
      if (changed !== null) differences.unshift(`the input file changed: ${changed}`);
      if (differences.length) {
        throw new UsageError(
          `cannot resume: ${differences.join('; ')} since the journal ${path} was written. ` +
            'Resuming would skip or repeat the wrong rows: run the job with the file and options it had, or delete the journal to start over',
        );
      }
      continue;
    }
    // A torn last line (the machine went down mid-write) is skipped: that row is simply not done.
    const m = /^([scunrf]) (\d+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const ordinal = Number(m[2]);
    state.set(ordinal, CODES[m[1]!]!);
    if ((m[1] === 'r' || m[1] === 'f') && m[3]) {
      try {
        state.reasons.set(ordinal, JSON.parse(m[3]) as string);
      } catch {
        state.reasons.set(ordinal, m[3]);
      }
    }
  }
  return state;
}

function compareIdentity(before: JournalIdentity, now: JournalIdentity): string[] {
  const out: string[] = [];
  for (const k of ['mode', 'key', 'backend', 'baseUrl', 'delimiter'] as const) {
    if (before[k] !== now[k]) out.push(`${k === 'baseUrl' ? 'the base URL' : `--${k}`} was '${String(before[k])}', now '${now[k]}'`);
  }
  if (JSON.stringify(before.map ?? []) !== JSON.stringify(now.map)) out.push('the --map options differ');
  if ((before.read ?? 'utf-8') !== (now.read ?? 'utf-8')) out.push(`the file was read as ${before.read ?? 'utf-8'}, now as ${now.read ?? 'utf-8'}`);
  if ((before.cells ?? '') !== (now.cells ?? '')) out.push(`cells were read with '${before.cells || 'the defaults'}', now with '${now.cells || 'the defaults'}'`);
  return out;
}

export class ImportJournal {
  private fd: number | null;
  private pending: string[] = [];
  private timer: NodeJS.Timeout;
  /** Whether any row was written to it by this run. */
  touched = false;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
    this.timer = setInterval(() => this.sync(), SYNC_MS);
    this.timer.unref();
  }

  /**
   * A new journal (replacing none: the caller checked) or the continuation of an earlier one. A
   * new one is written under a temporary name (exclusive, 0600) and renamed into place, so nothing
   * planted at the path is followed; an earlier one is opened without following a link, must be
   * ours, and is made owner-only if it was not.
   */
  static open(path: string, identity: JournalIdentity, resume: boolean): ImportJournal {
    const fresh = !resume || !existsSync(path);
    let fd: number;
    try {
      if (fresh) {
        const temp = tempPathBeside(path);
        fd = openSync(temp, 'wx', 0o600);
        writeSync(fd, `${JSON.stringify(identity)}\n`);
        fsyncSync(fd);
        renameSync(temp, path);
      } else {
        fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
        const st = fstatSync(fd);
        const uid = process.getuid?.();
        if (uid !== undefined && st.uid !== uid) {
          closeSync(fd);
          throw new UsageError(`the journal ${path} belongs to another user (uid ${st.uid}); poscust will not continue it`);
        }
        if (st.mode & 0o077) fchmodSync(fd, 0o600);
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new UsageError(`the journal ${path} is a symbolic link; poscust will not follow it`);
      throw new UsageError(`cannot write the journal ${path} (${code ?? err}); pass --journal <file> to keep it elsewhere`);
    }
    return new ImportJournal(path, fd);
  }

  /**
   * Notes that the create of row `ordinal` is about to be sent; resolves once the line is in the
   * kernel (so a SIGKILL keeps it), and only then may the request leave. The start lines of the
   * rows sent in one microtask checkpoint go in one write: a write per row cost a system call
   * each, the largest share of a bulk import's own CPU after the network.
   */
  started(ordinal: number): Promise<void> {
    this.touched = true;
    if (this.fd === null) return Promise.resolve();
    return this.starts.add(`s ${ordinal}\n`);
  }

  private readonly starts = new KernelLines((text) => {
    if (this.fd !== null) writeSync(this.fd, text);
  });

  outcome(ordinal: number, state: 'created' | 'updated' | 'unchanged', id: string | undefined): void {
    this.push(`${state[0] === 'c' ? 'c' : state[0] === 'u' ? 'u' : 'n'} ${ordinal}${id ? ` ${id.replace(/\s/g, '')}` : ''}`);
  }

  problem(ordinal: number, kind: 'rejected' | 'failed', reason: string): void {
    this.push(`${kind === 'rejected' ? 'r' : 'f'} ${ordinal} ${JSON.stringify(reason)}`);
  }

  private push(line: string): void {
    this.touched = true;
    this.pending.push(line);
    if (this.pending.length >= FLUSH_EVERY) this.flush();
  }

  /** Hands buffered lines to the kernel (survives SIGKILL, not a power cut). */
  flush(): void {
    this.starts.flush();
    if (this.fd === null || this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    writeSync(this.fd, text);
  }

  /** Flushes and fsyncs: survives a power cut. */
  sync(): void {
    this.flush();
    if (this.fd !== null) fsyncSync(this.fd);
  }

  /** Syncs and closes; `remove` deletes the journal (the job is finished, nothing to resume). */
  close(remove: boolean): void {
    clearInterval(this.timer);
    if (this.fd === null) return;
    this.sync();
    closeSync(this.fd);
    this.fd = null;
    if (remove) unlinkSync(this.path);
  }
}
