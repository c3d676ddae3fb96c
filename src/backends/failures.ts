// An answer that is not a success, as the poscust error a script can act on (exit code), the same
// way for every backend whose errors are a message (DealPOS `Message`, MYPOS `failureDescription`):
// 404 not found, 409 or a "duplicate" 400 a conflict, another 400/422 a rejected request, anything
// else a failure naming the status. PORTOS's ProblemDetails have their own (portos/problem.ts).
import { ConflictError, GeneralError, NotFoundError, UsageError } from '../errors.js';
import type { HttpClient, HttpResponse } from '../http/client.js';

/** How vendors word a uniqueness clash ("Code HW001 already exists.", Indonesian included). */
export const DUPLICATE = /already (exists|used|registered|taken)|duplicate|must be unique|sudah (ada|terdaftar|digunakan)/i;

export interface FailureWording {
  /** "customer with Code 'X'" when the request named one. */
  customer?: string;
  /** Other reasons that make a 400 a conflict (MYPOS: an id/code mismatch on PUT). */
  conflict?: (reason: string) => boolean;
  /** Put before a conflict's reason: "MYPOS refused the update". */
  conflictPrefix?: string;
  /** Who rejected a bad request (default: the host). */
  rejectedBy?: string;
}

export function statusFailure(http: HttpClient, res: HttpResponse, wording: FailureWording = {}): Error {
  const reason = http.detail(res);
  if (res.status === 404) {
    if (wording.customer) return new NotFoundError(`${wording.customer} not found`, { status: 404 });
    return new NotFoundError(`not found${reason ? `: ${reason}` : ''}`, { status: 404 });
  }
  if (res.status === 409 || (res.status === 400 && reason && (DUPLICATE.test(reason) || wording.conflict?.(reason)))) {
    const text = reason ?? 'conflict';
    return new ConflictError(wording.conflictPrefix ? `${wording.conflictPrefix}: ${text}` : text, { status: res.status });
  }
  if (res.status === 400 || res.status === 422) {
    return new UsageError(`${wording.rejectedBy ?? http.host} rejected the request: ${reason ?? 'bad request'}`, { status: res.status });
  }
  return unexpectedStatus(http, res, 'request');
}

/** `host answered 502 to the login: reason`. */
export function unexpectedStatus(http: HttpClient, res: HttpResponse, what: string): GeneralError {
  const reason = http.detail(res);
  return new GeneralError(`${http.host} answered ${res.status} to the ${what}${reason ? `: ${reason}` : ''}`, { status: res.status });
}
