// The one place where failures become exit codes (../shared/contract.md, "Exit codes").
// Everything below the entry point throws one of these; `src/cli.ts` turns it into stderr text and
// `process.exitCode`. Nothing else decides an exit code.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  conflict: 5,
  unsupported: 6,
  partial: 7,
  pinRejected: 8,
  temporary: 75,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorKind =
  | 'failure'
  | 'declined'
  | 'config'
  | 'usage'
  | 'not_found'
  | 'auth'
  | 'conflict'
  | 'unsupported'
  | 'partial'
  | 'pin_rejected'
  | 'temporary'
  | 'interrupted';

export interface ErrorDetails {
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number | null;
  cause?: unknown;
  /** The command already told the user; exit with the code but print nothing more. */
  silent?: boolean;
  /** The message is ours and meant to span lines (the first-run advice); others are kept to one line. */
  multiline?: boolean;
}

export class PoscustError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly kind: ErrorKind;
  readonly status: number | null;
  readonly silent: boolean;
  readonly multiline: boolean;

  constructor(message: string, exitCode: ExitCodeValue, kind: ErrorKind, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.kind = kind;
    this.status = details.status ?? null;
    this.silent = details.silent ?? false;
    this.multiline = details.multiline ?? false;
  }
}

/** Exit 1: a failure not covered by a more specific code. */
export class GeneralError extends PoscustError {
  constructor(message: string, details?: ErrorDetails) {
    super(message, ExitCode.failure, 'failure', details);
  }
}

/** Exit 1: the user answered "no" to a confirmation; nothing was sent. */
export class DeclinedError extends PoscustError {
  constructor(message = 'cancelled; nothing was changed') {
    super(message, ExitCode.failure, 'declined');
  }
}

/** Exit 1: the profile store or token cache cannot be used as it is (corrupt, unsafe mode). */
export class ConfigError extends PoscustError {
  constructor(message: string, details?: ErrorDetails) {
    super(message, ExitCode.failure, 'config', details);
  }
}

/** Exit 2: bad invocation, invalid value, unreadable input, or a prompt needed without a terminal. */
export class UsageError extends PoscustError {
  constructor(message: string, details?: ErrorDetails) {
    super(message, ExitCode.usage, 'usage', details);
  }
}

/** Exit 3: the customer or profile does not exist. */
export class NotFoundError extends PoscustError {
  constructor(message: string, details?: ErrorDetails) {
    super(message, ExitCode.notFound, 'not_found', details);
  }
}

/** Exit 4: bad credentials, 401 after a fresh token, or 403. */
export class AuthError extends PoscustError {
  constructor(message: string, details?: ErrorDetails) {
    super(message, ExitCode.auth, 'auth', details);
  }
}

/** Exit 5: duplicate value, version mismatch, or a refused delete. */
export class ConflictError extends PoscustError {
  constructor(message: string, details?: ErrorDetails) {
    super(message, ExitCode.conflict, 'conflict', details);
  }
}

/** Exit 6: the backend has no such operation. */
export class UnsupportedError extends PoscustError {
  readonly backend: string;
  readonly verb: string;
  constructor(backend: string, verb: string, why?: string) {
    super(`${verb} is unsupported on ${backend}${why ? ` (${why})` : ''}`, ExitCode.unsupported, 'unsupported');
    this.backend = backend;
    this.verb = verb;
  }
}

/** Exit 7: a bulk run finished but some rows were rejected or failed. */
export class PartialError extends PoscustError {
  constructor(message: string) {
    super(message, ExitCode.partial, 'partial');
  }
}

/** Exit 8: `pin check` was answered "invalid PIN". */
export class PinRejectedError extends PoscustError {
  constructor(message = 'PIN rejected', details?: ErrorDetails) {
    super(message, ExitCode.pinRejected, 'pin_rejected', details);
  }
}

/**
 * Exit 75: rate limit, server error, timeout or network failure that persisted after retries.
 * `maybeApplied` is set when a non-idempotent request was sent but its answer was lost, so the
 * change may or may not have happened (callers that can look the record up do so).
 */
export class TemporaryError extends PoscustError {
  readonly maybeApplied: boolean;
  readonly retryAfterSeconds: number | null;
  constructor(
    message: string,
    details: ErrorDetails & { maybeApplied?: boolean; retryAfterSeconds?: number | null } = {},
  ) {
    super(message, ExitCode.temporary, 'temporary', details);
    this.maybeApplied = details.maybeApplied ?? false;
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
  }
}

/** Exit 130: Ctrl-C (SIGINT); exit 143 when the stop came from SIGTERM (see `stoppedBy`). */
export class InterruptedError extends PoscustError {
  constructor(message = 'interrupted', details?: ErrorDetails & { exitCode?: ExitCodeValue }) {
    super(message, details?.exitCode ?? ExitCode.interrupted, 'interrupted', details);
  }

  /** The same stop, with the exit code of the signal that caused it (130 SIGINT, 143 SIGTERM). */
  stoppedBy(signal: string | undefined): InterruptedError {
    if (signal !== 'SIGTERM' || this.exitCode === ExitCode.terminated) return this;
    return new InterruptedError(this.message.replace(/^interrupted\b/, 'terminated'), { silent: this.silent, cause: this.cause, exitCode: ExitCode.terminated });
  }
}

/** The name of the signal that aborted `signal` (src/cli.ts aborts with Error('SIGINT'|'SIGTERM')). */
export function signalOf(signal: AbortSignal): string | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : undefined;
}

/** Turns anything thrown into a PoscustError (unknown errors become exit 1). */
export function toPoscustError(err: unknown): PoscustError {
  if (err instanceof PoscustError) return err;
  if (err instanceof Error) return new GeneralError(err.message, { cause: err });
  return new GeneralError(String(err));
}

/** The JSON shape of an error on stderr under `--format json` (contract, "Exit codes"). */
export function errorToJson(err: PoscustError, message: string): string {
  return JSON.stringify({ error: { code: err.exitCode, kind: err.kind, message, status: err.status } });
}
