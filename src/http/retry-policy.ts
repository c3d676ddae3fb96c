// When to try again, and when not: one policy for the whole program. The HTTP client asks `decide`
// after each attempt; the importer asks `retryRow` when a row's request still failed after the
// client's own retries, and stops a job after `unavailableAfter` such failures in a row. Pure: no
// clock, no I/O, so every rule is tested by calling it.

export const RETRY_LIMITS = {
  /** Retries after the first attempt of a repeatable request: 5xx, timeouts, dropped connections. */
  transport: 3,
  /** 429s waited out in a row before giving up (exit 75). */
  rateLimitWaits: 3,
  /** The longest single 429 wait accepted; a longer one is reported at once (exit 75). */
  maxRateLimitWaitMs: 300_000,
  /** Full-jitter backoff between transport retries: base doubling per retry, up to the cap. */
  backoffBaseMs: 300,
  backoffCapMs: 8_000,
  /** Tries of a bulk job's row whose request failed for a passing reason after the client's retries. */
  rowAttempts: 3,
  /** Sends of one create in a bulk job (a temporary failure or a lost answer checked as "not there"). */
  createSends: 4,
  /** Temporary failures in a row, with no success between them, that mean "the server is down". */
  unavailableAfter: 8,
};

export type RetryLimits = typeof RETRY_LIMITS;

/** How one attempt ended. */
export type AttemptOutcome =
  | { kind: 'answer'; status: number; /** 429: the wait the server asked for, in seconds. */ waitSeconds?: number }
  | { kind: 'no-answer'; /** The request may have reached the server. */ sent: boolean };

export interface AttemptState {
  /** Transport and 5xx retries so far. */
  retries: number;
  rateLimitWaits: number;
  /** The credential was renewed once already in this request. */
  renewed: boolean;
}

export type Decision =
  | { action: 'accept' }
  | { action: 'renew' }
  | { action: 'retry'; afterMs: number; because: 'transport' | 'rate-limit' }
  | { action: 'give-up'; because: 'unauthorized' | 'forbidden' | 'rate-limit' | 'server' | 'no-answer' | 'redirect' };

export interface RequestTraits {
  /** Sending it twice is harmless (every method but POST, unless the caller says otherwise). */
  idempotent: boolean;
  /** It carried a credential that can be renewed (a login carries none: its 401 is its answer). */
  renewable: boolean;
}

export function decide(outcome: AttemptOutcome, request: RequestTraits, state: AttemptState, limits: RetryLimits = RETRY_LIMITS, random: () => number = Math.random): Decision {
  if (outcome.kind === 'no-answer') {
    // Not sent (refused, no such host): repeating cannot apply it twice, whatever the method.
    if ((request.idempotent || !outcome.sent) && state.retries < limits.transport) return backoff(state, limits, random);
    return { action: 'give-up', because: 'no-answer' };
  }
  const { status } = outcome;
  if (status === 401) {
    // Without a credential to renew (a login), the caller reads the refusal itself.
    if (!request.renewable) return { action: 'accept' };
    return state.renewed ? { action: 'give-up', because: 'unauthorized' } : { action: 'renew' };
  }
  if (status === 403) return { action: 'give-up', because: 'forbidden' };
  if (status === 429) {
    const waitMs = (outcome.waitSeconds ?? 0) * 1000;
    if (state.rateLimitWaits >= limits.rateLimitWaits || waitMs > limits.maxRateLimitWaitMs) return { action: 'give-up', because: 'rate-limit' };
    // A little past the reset, so we do not arrive in the last millisecond of the old window.
    return { action: 'retry', afterMs: waitMs + 100 + Math.floor(random() * 400), because: 'rate-limit' };
  }
  if (status >= 500) {
    if (request.idempotent && state.retries < limits.transport) return backoff(state, limits, random);
    return { action: 'give-up', because: 'server' };
  }
  // Never follow a redirect: the Authorization header (or a login's secret) would go along.
  if (status >= 300 && status < 400) return { action: 'give-up', because: 'redirect' };
  return { action: 'accept' };
}

function backoff(state: AttemptState, limits: RetryLimits, random: () => number): Decision {
  const cap = Math.min(limits.backoffCapMs, limits.backoffBaseMs * 2 ** state.retries);
  return { action: 'retry', afterMs: Math.floor(cap / 2 + (random() * cap) / 2), because: 'transport' };
}

/**
 * A bulk job's row whose request failed after the client's own retries: the wait before trying it
 * again, or null to record the failure. Only a failure that may pass and changed nothing is tried
 * again (a lost create is create-once's business).
 */
export function retryRow(failure: { temporary: boolean; maybeApplied: boolean }, attempt: number, limits: RetryLimits = RETRY_LIMITS): number | null {
  if (!failure.temporary || failure.maybeApplied || attempt >= limits.rowAttempts) return null;
  return attempt * 1000;
}
