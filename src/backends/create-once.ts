// A create is the one write that is not safe to repeat: sent twice, it makes the customer twice.
// When its answer is lost (the server may have applied it), the customer is looked up by a unique
// key it carries before anything is sent again; "already exists" right after a lost answer is most
// likely our own create. Without a key to look it up by, the outcome stays unconfirmed: reported,
// never re-sent. `poscust create` and the importer both create through here.
import { ConflictError, TemporaryError } from '../errors.js';
import { RETRY_LIMITS } from '../http/retry-policy.js';
import { cellText, valueAt } from '../output/cells.js';
import { clientKeysOf, findByKey } from './find.js';
import type { ImportKeyDef } from './schema.js';
import type { CustomerBackend, CustomerRecord, WriteResult } from './types.js';

export type CreateOutcome =
  | { status: 'created'; result: WriteResult }
  /** The answer was lost (or an earlier run may have sent it), and the customer is there. */
  | { status: 'found'; id: string; record: CustomerRecord; why: string; via: string }
  /** The answer was lost and the record has no key to look it up by. */
  | { status: 'unconfirmed'; why: string; error?: TemporaryError }
  /** Temporary failures (or lost answers checked as "not there") used up every attempt. */
  | { status: 'failed'; error: Error };

export interface CreateOnceOptions {
  /** An earlier run may have sent this create already (it was in flight when that run died): look first. */
  inDoubt?: boolean;
  /** Before each send (the importer's journal writes its start line then). */
  beforeSend?: () => void | Promise<void>;
  /** Sends at most (default: RETRY_LIMITS.createSends). */
  attempts?: number;
  /** Waits before another send after a temporary failure; default: none (the HTTP client retried already). */
  pause?: (attempt: number) => Promise<void>;
  /** Wraps each lookup (the importer retries a lookup through a passing failure; create says how to check). */
  lookup?: <T>(find: () => Promise<T>, key: { key: ImportKeyDef; value: string }) => Promise<T>;
  /** Told when a lost create is not there and is sent again. */
  onResend?: () => void;
}

export async function createOnce(backend: CustomerBackend, record: CustomerRecord, options: CreateOnceOptions = {}): Promise<CreateOutcome> {
  const attempts = options.attempts ?? RETRY_LIMITS.createSends;
  const lookup = options.lookup ?? ((find) => find());
  /** The customer this create would have made: found, absent, or unknown (no key to look by). */
  const check = async (why: string): Promise<CreateOutcome | 'absent'> => {
    const keys = clientKeysOf(backend, record);
    for (const { key, value } of keys) {
      const found = await lookup(() => findByKey(backend, key, value), { key, value });
      if (found === 'unknown') continue;
      if (found === null) return 'absent';
      return { status: 'found', id: cellText(valueAt(found, backend.schema.idField)), record: found, why, via: `${key.name} '${value}'` };
    }
    return { status: 'unconfirmed', why };
  };

  if (options.inDoubt) {
    const earlier = await check('an earlier run may have created this customer');
    if (earlier !== 'absent') return earlier;
  }
  for (let attempt = 1; ; attempt++) {
    await options.beforeSend?.();
    let error: Error;
    try {
      return { status: 'created', result: await backend.create(record) };
    } catch (err) {
      error = err as Error;
      if (err instanceof TemporaryError && err.maybeApplied) {
        const known = await check('the answer to the create was lost');
        if (known !== 'absent') return known.status === 'unconfirmed' ? { ...known, error: err } : known;
        options.onResend?.();
      } else if (err instanceof ConflictError && attempt > 1) {
        // "Already exists" right after a lost answer and a second send: most likely our first one.
        const known = await check('the answer to the create was lost');
        if (known !== 'absent' && known.status === 'found') return known;
        throw err;
      } else if (!(err instanceof TemporaryError) || !options.pause) {
        throw err;
      } else {
        await options.pause(attempt);
      }
    }
    if (attempt >= attempts) return { status: 'failed', error };
  }
}
