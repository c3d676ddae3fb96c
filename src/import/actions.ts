// What happens to one row on the server: a create that is never sent twice blindly, an update of
// only the changed fields, and the sorting of failures into "the row is wrong" (rejected), "it did
// not work this time" (failed, retried by --resume) and "the whole job cannot go on" (thrown).
import type { CustomerBackend, CustomerRecord } from '../backends/types.js';
import type { Clock } from '../deps.js';
import { AuthError, ConfigError, ConflictError, InterruptedError, NotFoundError, PoscustError, TemporaryError, UnsupportedError, UsageError } from '../errors.js';
import { cellText, valueAt } from '../output/cells.js';
import type { ColumnPlan } from './columns.js';
import { findByKey } from './existing.js';
import type { ImportJournal } from './journal.js';
import { cellValue } from './rows.js';

export type Action = 'created' | 'updated' | 'unchanged' | 'rejected' | 'failed';

export interface Outcome {
  action: Action;
  id?: string;
  reason?: string;
  /** A failure that may pass (server unavailable): counts toward stopping the job with exit 75. */
  temporary?: boolean;
}

export interface RowContext {
  backend: CustomerBackend;
  plan: ColumnPlan;
  journal: ImportJournal | null;
  clock: Clock;
  signal: AbortSignal;
}

/** Sends of one create, counting re-sends after an answer was lost and checked as "not there". */
const CREATE_ATTEMPTS = 4;
/** Row-level tries of a request whose retries in the HTTP client ran out. */
const ROW_ATTEMPTS = 3;

/** Errors after which no further row can succeed: the job stops and says why. */
export function isFatal(err: unknown): boolean {
  return err instanceof InterruptedError || err instanceof AuthError || err instanceof UnsupportedError || err instanceof ConfigError;
}

/** A row-level outcome for an error that is not fatal. */
export function outcomeOf(err: unknown): Outcome {
  if (err instanceof UsageError || err instanceof ConflictError || err instanceof NotFoundError) {
    return { action: 'rejected', reason: err.message };
  }
  if (err instanceof TemporaryError) return { action: 'failed', reason: err.message, temporary: true };
  return { action: 'failed', reason: err instanceof PoscustError || err instanceof Error ? err.message : String(err) };
}

/** Runs `fn`, trying again (after a pause) when it fails with a temporary error. */
export async function withRetries<T>(ctx: RowContext, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof TemporaryError) || err.maybeApplied || attempt >= ROW_ATTEMPTS) throw err;
      await pause(ctx, attempt * 1000);
    }
  }
}

async function pause(ctx: RowContext, ms: number): Promise<void> {
  try {
    await ctx.clock.sleep(ms, ctx.signal);
  } catch {
    throw new InterruptedError();
  }
}

/**
 * The customer a create of this row would have made, looked up by the row's key or another unique
 * column it has; 'unknown' when the row has none the backend can look up.
 */
export async function findCreated(ctx: RowContext, cells: readonly string[]): Promise<CustomerRecord | null | 'unknown'> {
  const { plan } = ctx;
  const candidates = [...(plan.keyIndex >= 0 && !plan.key.serverAssigned ? [{ key: plan.key, index: plan.keyIndex }] : []), ...plan.altKeys];
  for (const { key, index } of candidates) {
    const value = cellValue(cells, index).trim();
    if (!value) continue;
    const found = await withRetries(ctx, () => findByKey(ctx.backend, key, value));
    if (found !== 'unknown') return found;
  }
  return 'unknown';
}

function idOf(ctx: RowContext, record: CustomerRecord): string {
  return cellText(valueAt(record, ctx.backend.schema.idField));
}

/**
 * Creates the customer of a row. `inDoubt`: an earlier run may have sent this create already (it
 * was in flight when that run died), so look first. A create whose answer is lost is looked up by
 * key before it is sent again; without a key to look it up by, it is reported, never re-sent.
 */
export async function createRow(ctx: RowContext, ordinal: number, cells: readonly string[], record: CustomerRecord, inDoubt: boolean): Promise<Outcome> {
  const check = async (why: string): Promise<Outcome | null> => {
    const found = await findCreated(ctx, cells);
    // Final, not "failed": without a key no later run could find out either, and a --resume that
    // retried it would only say the same again. The row waits in the rejects file, ready to import.
    if (found === 'unknown') {
      return {
        action: 'rejected',
        reason: `unconfirmed: ${why}, and the row has no key to look the customer up by (${ctx.backend.name} assigns every key itself); check whether the customer exists, and if not, import this row again from the rejects file`,
      };
    }
    return found ? { action: 'created', id: idOf(ctx, found) } : null;
  };
  if (inDoubt) {
    const known = await check('an earlier run may have created this customer');
    if (known) return known;
  }
  for (let attempt = 1; ; attempt++) {
    ctx.journal?.started(ordinal);
    try {
      const result = await ctx.backend.create(record);
      return { action: 'created', id: result.id };
    } catch (err) {
      const lost = err instanceof TemporaryError && err.maybeApplied;
      if (lost || (err instanceof ConflictError && attempt > 1)) {
        // Lost: it may be there. "Already exists" right after a lost answer: most likely ours.
        const known = await check('the answer to the create was lost');
        if (known) return known;
        if (!lost) throw err;
      } else if (!(err instanceof TemporaryError)) {
        throw err;
      } else {
        await pause(ctx, attempt * 1000);
      }
      if (attempt >= CREATE_ATTEMPTS) {
        return { action: 'failed', reason: `the create did not go through in ${CREATE_ATTEMPTS} attempts: ${(err as Error).message}`, temporary: true };
      }
    }
  }
}
