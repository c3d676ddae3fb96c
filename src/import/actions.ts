// What happens to one row on the server: a create that is never sent twice blindly, an update of
// only the changed fields, and the sorting of failures into "the row is wrong" (rejected), "it did
// not work this time" (failed, retried by --resume) and "the whole job cannot go on" (thrown).
import type { CustomerBackend, CustomerRecord } from '../backends/types.js';
import type { Clock } from '../deps.js';
import { AuthError, ConfigError, ConflictError, InterruptedError, NotFoundError, PoscustError, TemporaryError, UnsupportedError, UsageError } from '../errors.js';
import { createOnce } from '../backends/create-once.js';
import { RETRY_LIMITS, retryRow } from '../http/retry-policy.js';
import type { ColumnPlan } from './columns.js';
import type { ImportJournal } from './journal.js';

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

/** Runs `fn`, trying it again as the retry policy says when it fails for a passing reason. */
export async function withRetries<T>(ctx: RowContext, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const wait = retryRow({ temporary: err instanceof TemporaryError, maybeApplied: err instanceof TemporaryError && err.maybeApplied }, attempt);
      if (wait === null) throw err;
      await pause(ctx, wait);
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
 * Creates the customer of a row through create-once: a create whose answer is lost is looked up by
 * a key the row carries before it is sent again. `inDoubt`: an earlier run may have sent it already
 * (it was in flight when that run died), so look first.
 */
export async function createRow(ctx: RowContext, ordinal: number, record: CustomerRecord, inDoubt: boolean): Promise<Outcome> {
  const outcome = await createOnce(ctx.backend, record, {
    inDoubt,
    beforeSend: () => ctx.journal?.started(ordinal),
    pause: (attempt) => pause(ctx, attempt * 1000),
    lookup: (find) => withRetries(ctx, find),
  });
  switch (outcome.status) {
    case 'created':
      return { action: 'created', id: outcome.result.id };
    case 'found':
      return { action: 'created', id: outcome.id };
    case 'unconfirmed':
      // Final, not "failed": without a key no later run could find out either, and a --resume that
      // retried it would only say the same again. The row waits in the rejects file, ready to import.
      return {
        action: 'rejected',
        reason: `unconfirmed: ${outcome.why}, and the row has no key to look the customer up by (${ctx.backend.name} assigns every key itself); check whether the customer exists, and if not, import this row again from the rejects file`,
      };
    case 'failed':
      return { action: 'failed', reason: `the create did not go through in ${RETRY_LIMITS.createSends} attempts: ${outcome.error.message}`, temporary: true };
  }
}
