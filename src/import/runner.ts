// The import job: rows flow from the file through validation into at most `concurrency` requests
// at a time; the parser is not asked for the next row while the window is full, so memory stays
// flat whatever the size of the file. Per row we keep one slot in a typed-array key set (duplicate
// keys) and, on resume, one byte of journal state.
import type { CustomerBackend } from '../backends/types.js';
import type { Clock } from '../deps.js';
import { TemporaryError } from '../errors.js';
import { createRow, isFatal, outcomeOf, withRetries, type Action, type Outcome, type RowContext } from './actions.js';
import type { ColumnPlan, ImportMode } from './columns.js';
import type { SourceRow } from './csv-source.js';
import { findByKey } from '../backends/find.js';
import { RETRY_LIMITS } from '../http/retry-policy.js';
import { ExistingIndex, chooseStrategy, storedCustomer, type StoredCustomer } from './existing.js';
import { RowState, type ImportJournal, type JournalState, type RowStateValue } from './journal.js';
import { KeySet } from './key-set.js';
import type { RejectsFile, ReportFile } from './outputs.js';
import { valueAt } from '../output/cells.js';
import { cellValue, changedFields, comparable, comparableValues, normalizeKey, parseRow, toRecord, unsendableReason, type ParsedRow } from './rows.js';

export interface ImportJob {
  backend: CustomerBackend;
  plan: ColumnPlan;
  rows: AsyncIterable<SourceRow>;
  mode: ImportMode;
  dryRun: boolean;
  concurrency: number;
  /** Data rows in the input (the scan counted them). */
  totalRows: number;
  journal: ImportJournal | null;
  previous: JournalState | null;
  /** Null in a dry run without --rejects: a rehearsal writes nothing it was not asked to. */
  rejects: RejectsFile | null;
  report: ReportFile | null;
  clock: Clock;
  signal: AbortSignal;
  /** Phases worth telling a person about ("reading 12,000 existing customers"). */
  phase?: (text: string) => void;
  /** Told of every create or update a dry run decides, field by field (--diff, --save-plan). */
  onChange?: (change: RowChange) => void;
  /** Told every row's outcome (migrate's ID map). */
  onOutcome?: (row: SourceRow, outcome: Outcome) => void;
}

/** One row's change as a dry run sees it: `from` is the server's value (null for a new customer). */
export interface RowChange {
  line: number;
  action: 'create' | 'update';
  key: string;
  id?: string;
  /** Positions in `plan.writes` of the fields that change, with their old and new values. */
  fields: number[];
  from: unknown[];
  to: unknown[];
}

export type Counts = Record<Action, number>;

export interface ImportResult {
  counts: Counts;
  /** Rows an earlier run had finished (resume). */
  earlier: number;
  stopped: null | 'interrupted' | 'unavailable';
  /** The error that stopped the job (fatal, or the last temporary one). */
  error?: unknown;
}

/** How a plan's conflict reads in the rejects file and the journal. */
const CONFLICT = 'conflict: changed since the plan was made: ';

const EARLIER_ACTION: Partial<Record<RowStateValue, Action>> = {
  [RowState.created]: 'created',
  [RowState.updated]: 'updated',
  [RowState.unchanged]: 'unchanged',
  [RowState.rejected]: 'rejected',
};

export class ImportRunner {
  readonly counts: Counts = { created: 0, updated: 0, unchanged: 0, rejected: 0, failed: 0 };
  /** Rejected rows of a plan whose customer changed since it was planned (counted in `rejected` too). */
  conflicts = 0;
  earlier = 0;
  private stopped: ImportResult['stopped'] = null;
  private error: unknown;
  private fatal = false;
  private temporaryInARow = 0;
  private index: ExistingIndex | null = null;
  private lookupEach = false;
  private seen: KeySet | null = null;
  private readonly ctx: RowContext;

  constructor(private readonly job: ImportJob) {
    this.ctx = { backend: job.backend, plan: job.plan, journal: job.journal, clock: job.clock, signal: job.signal };
  }

  get rowsDone(): number {
    const c = this.counts;
    return c.created + c.updated + c.unchanged + c.rejected + c.failed;
  }

  async run(): Promise<ImportResult> {
    const { job } = this;
    // Room for every key at once: no growth (and no copy) half-way through a big file.
    this.seen = new KeySet(Math.min(job.totalRows, 50_000_000) || 1024);
    if (job.mode === 'upsert') await this.prepareUpsert(job.totalRows);
    // A counting semaphore: a slot frees, the one waiter wakes (no Promise.race over the rows in
    // flight, which allocated per row).
    let active = 0;
    let wake: (() => void) | null = null;
    const release = () => {
      active--;
      const w = wake;
      wake = null;
      w?.();
    };
    const slotFree = () => new Promise<void>((resolve) => (wake = resolve));
    for await (const row of job.rows) {
      if (this.shouldStop()) break;
      const parsed = await this.admit(row);
      if (!parsed) continue;
      while (active >= job.concurrency) await slotFree();
      if (this.shouldStop()) break;
      const state = job.previous?.get(row.ordinal) ?? RowState.none;
      active++;
      // handle() records every outcome itself; what it throws (a rejects file that cannot be
      // written) stops the job as a fatal error.
      void this.handle(row, parsed, state === RowState.started || state === RowState.failed).then(release, (err: unknown) => {
        if (!this.fatal) {
          this.fatal = true;
          this.error = err;
        }
        release();
      });
    }
    while (active > 0) await slotFree();
    if (this.fatal) throw this.error;
    return { counts: this.counts, earlier: this.earlier, stopped: this.stopped, error: this.error };
  }

  private shouldStop(): boolean {
    if (this.job.signal.aborted && !this.stopped) this.stopped = 'interrupted';
    return this.stopped !== null || this.fatal;
  }

  private async prepareUpsert(rows: number): Promise<void> {
    const { job } = this;
    const { strategy, total } = await chooseStrategy(job.backend, job.plan, rows);
    if (strategy === 'lookup') {
      this.lookupEach = true;
      job.phase?.(`${total} customers on the server; looking up each of the ${rows} rows instead of reading them all`);
    } else if (strategy === 'list') {
      job.phase?.(`reading ${total} existing customers`);
      this.index = await ExistingIndex.load(job.backend, job.plan);
    } else {
      this.index = new ExistingIndex();
    }
  }

  /**
   * Validates a row and checks its key against earlier rows. Returns the typed row to send, or null
   * when the row is rejected or an earlier run finished it.
   */
  private async admit(row: SourceRow): Promise<ParsedRow | null> {
    const { plan } = this.job;
    const given = row.planned ?? row.preparsed;
    const parsed = given ? { values: given.values, key: given.key } : parseRow(plan, row);
    const reasons = 'reason' in parsed ? [parsed.reason] : [];
    const key = 'reason' in parsed ? cellValue(row.cells, plan.keyIndex).trim() : parsed.key;
    if (key !== '' && plan.keyIndex >= 0) {
      const first = this.seen!.add(normalizeKey(plan, key), row.line);
      if (first) reasons.push(`${plan.key.field} '${key}' is also on line ${first}; only the first is imported`);
    } else if (this.job.mode === 'upsert' && !plan.key.serverAssigned) {
      reasons.push(`no ${plan.key.field} given (the --key of this upsert)`);
    }
    if (this.job.mode === 'create' && !('reason' in parsed)) {
      const missing = this.missingRequired(parsed);
      if (missing) reasons.push(missing);
    }
    if (reasons.length) {
      await this.record(row, key, { action: 'rejected', reason: reasons.join('; ') }, false);
      return null;
    }
    const done = EARLIER_ACTION[this.job.previous?.get(row.ordinal) ?? RowState.none];
    if (done) {
      this.earlier++;
      const reason = done === 'rejected' ? this.job.previous!.reasons.get(row.ordinal) ?? 'rejected by an earlier run' : undefined;
      if (reason?.startsWith(CONFLICT)) this.conflicts++;
      await this.record(row, key, { action: done, reason }, false, 'done by an earlier run');
      return null;
    }
    return parsed as ParsedRow;
  }

  private missingRequired(parsed: ParsedRow): string | null {
    const required = this.job.backend.schema.import?.requiredOnCreate ?? [];
    const missing = required.filter((name) => {
      const i = this.job.plan.writes.findIndex((w) => w.field.name === name);
      return i < 0 || parsed.values[i] === undefined || parsed.values[i] === null;
    });
    return missing.length ? `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} needed to create a customer` : null;
  }

  private async handle(row: SourceRow, parsed: ParsedRow, inDoubt: boolean): Promise<void> {
    let outcome: Outcome | null;
    try {
      outcome = await this.decide(row, parsed, inDoubt);
    } catch (err) {
      if (isFatal(err)) {
        // Interrupted: the row is simply not done (a create in flight has its start line).
        if (!this.fatal && !this.job.signal.aborted) {
          this.fatal = true;
          this.error = err;
        }
        return;
      }
      outcome = outcomeOf(err);
    }
    await this.record(row, parsed.key, outcome, true);
  }

  private async decide(row: SourceRow, parsed: ParsedRow, inDoubt: boolean): Promise<Outcome> {
    const { job, ctx } = this;
    const { plan, backend } = job;
    if (job.mode === 'create') {
      const unsendable = unsendableReason(parsed);
      if (unsendable) return { action: 'rejected', reason: unsendable };
      if (job.dryRun) return this.planned(row, parsed, 'create');
      return createRow(ctx, row.ordinal, toRecord(plan, parsed), inDoubt);
    }
    let stored: StoredCustomer | undefined;
    if (this.lookupEach) {
      // A phone key may be stored in another written form: each is tried, as typed first.
      const forms = plan.keyIsPhone && plan.rules.phones ? plan.rules.phones.variants(parsed.key) : [parsed.key];
      let found: Awaited<ReturnType<typeof findByKey>> = null;
      for (const form of forms) {
        found = await withRetries(ctx, () => findByKey(backend, plan.key, form));
        if (found !== null) break;
      }
      if (found && found !== 'unknown') stored = storedCustomer(backend, plan, found);
    } else if (parsed.key !== '') {
      stored = this.index!.get(plan, parsed.key);
    }
    const expected = row.planned;
    if (expected?.action === 'update' && (!stored || stored.id !== expected.id)) {
      return this.conflict(stored ? `${plan.key.field} '${parsed.key}' is now another customer (ID ${stored.id})` : `the customer with ${plan.key.field} '${parsed.key}' is gone`);
    }
    // A create an earlier run sent without learning the outcome is ours, as create-once would find it.
    if (expected?.action === 'create' && stored && inDoubt) return { action: 'created', id: stored.id };
    if (expected?.action === 'create' && stored) return this.conflict(`a customer with ${plan.key.field} '${parsed.key}' was created since (ID ${stored.id})`);
    if (!stored) {
      if (parsed.key !== '' && plan.key.serverAssigned) {
        return { action: 'rejected', reason: `no customer with ${plan.key.field} '${parsed.key}'` };
      }
      const missing = this.missingRequired(parsed);
      if (missing) return { action: 'rejected', reason: missing };
      const unsendable = unsendableReason(parsed);
      if (unsendable) return { action: 'rejected', reason: unsendable };
      if (job.dryRun) return this.planned(row, parsed, 'create');
      // Lookups and the listing show the server as it is now, so no earlier create is in doubt.
      return createRow(ctx, row.ordinal, toRecord(plan, parsed), false);
    }
    let { values, raw, record: current } = stored;
    const id = stored.id;
    const planned = expected ? expected.from.flatMap((v, i) => (v === undefined ? [] : [i])) : [];
    if ([...changedFields(plan, parsed, values), ...planned].some((i) => values[i] === undefined)) {
      // The listing left out a field we compare (list rows may be a restricted view): read it whole.
      current = await withRetries(ctx, () => backend.get({ by: 'id', value: id }));
      values = comparableValues(plan, current);
      raw = plan.writes.map((w) => valueAt(current!, w.field.name));
    }
    if (expected) {
      // Written only where every field it touches still holds what the plan was computed from.
      // A field that already holds the planned value is no conflict (an apply run twice changes nothing).
      const now = (i: number, v: unknown) => comparable(plan.writes[i]!.field, v, plan.writes[i]!.trimmed, plan.rules.phones) === values[i];
      const moved = planned.filter((i) => !now(i, expected.from[i]) && !now(i, expected.values[i]));
      if (moved.length) {
        return this.conflict(
          moved.map((i) => `${plan.writes[i]!.field.name} is now ${JSON.stringify(raw[i] ?? null)}, planned from ${JSON.stringify(expected.from[i] ?? null)}`).join('; '),
        );
      }
    }
    const changed = changedFields(plan, parsed, values);
    if (changed.length === 0) return { action: 'unchanged', id };
    const unsendable = unsendableReason(parsed, changed);
    if (unsendable) return { action: 'rejected', reason: unsendable };
    if (job.dryRun) return this.planned(row, parsed, 'update', id, changed, raw);
    const changes = toRecord(plan, parsed, changed);
    const before: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const i of changed) before[plan.writes[i]!.field.name] = raw[i] ?? null;
    await withRetries(ctx, () => backend.update({ by: 'id', value: id }, changes, current ? { current, before } : { before }));
    return { action: 'updated', id };
  }

  /** A dry run's create or update, told to onChange (--diff, --save-plan). */
  private planned(row: SourceRow, parsed: ParsedRow, action: 'create' | 'update', id?: string, changed?: number[], raw?: unknown[]): Outcome {
    const fields = changed ?? parsed.values.flatMap((v, i) => (v === undefined || v === null ? [] : [i]));
    this.job.onChange?.({
      line: row.line,
      action,
      key: parsed.key,
      ...(id !== undefined ? { id } : {}),
      fields,
      from: fields.map((i) => (raw ? (raw[i] ?? null) : null)),
      to: fields.map((i) => parsed.values[i]),
    });
    return action === 'create' ? { action: 'created' } : { action: 'updated', id };
  }

  private conflict(why: string): Outcome {
    this.conflicts++;
    return { action: 'rejected', reason: `${CONFLICT}${why}` };
  }

  private async record(row: SourceRow, key: string, outcome: Outcome, journal: boolean, note?: string): Promise<void> {
    const { job } = this;
    this.counts[outcome.action]++;
    job.onOutcome?.(row, outcome);
    if (journal && job.journal) {
      if (outcome.action === 'rejected' || outcome.action === 'failed') job.journal.problem(row.ordinal, outcome.action, outcome.reason ?? '');
      else job.journal.outcome(row.ordinal, outcome.action, outcome.id);
    }
    if (outcome.action === 'rejected' || outcome.action === 'failed') {
      await job.rejects?.add(row.line, row.cells, outcome.reason ?? outcome.action);
    }
    if (job.report) {
      const action = job.dryRun && (outcome.action === 'created' || outcome.action === 'updated') ? `would be ${outcome.action}` : outcome.action;
      await job.report.add(row.line, key, action, outcome.id, outcome.reason ?? note);
    }
    if (outcome.temporary) {
      if (++this.temporaryInARow >= RETRY_LIMITS.unavailableAfter && !this.stopped) {
        this.stopped = 'unavailable';
        this.error = new TemporaryError(outcome.reason ?? 'the server is unavailable');
      }
    } else if (journal && outcome.action !== 'failed') {
      this.temporaryInARow = 0;
    }
  }
}
