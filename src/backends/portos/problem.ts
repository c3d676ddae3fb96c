// PORTOS answers errors as RFC 7807 ProblemDetails (../shared/api/portos.md, "Errors"): this turns
// them into one readable line and into the right poscust error (exit code).
import { ConflictError, GeneralError, NotFoundError, UsageError } from '../../errors.js';
import type { HttpClient, HttpResponse } from '../../http/client.js';
import { messageOf } from '../../http/ratelimit.js';

export interface ProblemMember {
  memberName?: string;
  message?: string;
  code?: number;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errorCode?: number;
  errors?: ProblemMember[];
  resource?: { name?: string; id?: string; version?: number };
}

export const ERROR_CODE = {
  unauthenticated: 1,
  unauthorized: 2,
  validation: 3,
  licenceExpired: 4,
  locked: 5,
  versionMismatch: 6,
} as const;

/** Member error codes. */
const REQUIRED = 1;
const UNIQUE = 2;
/** The same codes by the names of their constraints. */
const CODE_BY_NAME: Readonly<Record<string, number>> = { required: REQUIRED, notnull: REQUIRED, notempty: REQUIRED, unique: UNIQUE, duplicate: UNIQUE, alreadyexists: UNIQUE };

export const PORTOS_RIGHTS = ['CustomerCreate', 'CustomerUpdate', 'CustomerDelete', 'CustomerSetDiscount', 'CustomerSetCredit'];

/** The body as a ProblemDetails, when it looks like one. */
export function asProblem(body: unknown): Problem | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.title !== 'string' && typeof b.detail !== 'string' && !Array.isArray(b.errors) && typeof b.errorCode !== 'number') {
    return undefined;
  }
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
  // The vendor's model types a member's code as a string naming the constraint ("Unique"); the
  // contract pins numbers. Both are read (docs/dialects.md, portos-code-names).
  const memberCode = (v: unknown) => {
    const name = typeof v === 'string' ? v.trim().toLowerCase().replace(/[^a-z]/g, '') : '';
    return num(v) ?? (Object.hasOwn(CODE_BY_NAME, name) ? CODE_BY_NAME[name] : undefined);
  };
  const errors = Array.isArray(b.errors)
    ? b.errors
        .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
        .map((e) => ({ memberName: text(e.memberName), message: text(e.message), code: memberCode(e.code) }))
    : undefined;
  const r = b.resource && typeof b.resource === 'object' ? (b.resource as Record<string, unknown>) : undefined;
  return {
    type: text(b.type),
    title: text(b.title),
    status: num(b.status),
    detail: text(b.detail),
    errorCode: num(b.errorCode),
    errors,
    resource: r ? { name: text(r.name), id: text(r.id), version: num(r.version) } : undefined,
  };
}

/** `member: message` for each entry of `errors[]`, joined. */
export function describeMembers(errors: readonly ProblemMember[]): string {
  return errors
    .map((e) => {
      const what = e.message ?? (e.code === REQUIRED ? 'is required' : e.code === UNIQUE ? 'must be unique' : 'is invalid');
      return e.memberName ? `${e.memberName}: ${what}` : what;
    })
    .join('; ');
}

/** The right a 403 problem names (`CustomerSetDiscount`), when it names one. */
export function missingRight(problem: Problem): string | undefined {
  const text = [problem.detail, problem.title].filter(Boolean).join(' ');
  return PORTOS_RIGHTS.find((r) => new RegExp(`\\b${r}\\b`).test(text));
}

/**
 * One line for a ProblemDetails: title, detail (when it says more), each member error, and for a
 * refused permission the missing right first. Other bodies fall back to the usual message keys.
 */
export function describeProblem(body: unknown): string | undefined {
  const p = asProblem(body);
  if (!p) return messageOf(body);
  const parts: string[] = [];
  const forbidden = p.status === 403 || p.errorCode === ERROR_CODE.unauthorized;
  const right = forbidden ? missingRight(p) : undefined;
  if (right) parts.push(`the user lacks the ${right} right`);
  const head = headline(p);
  if (head) parts.push(head);
  if (p.errors?.length) parts.push(describeMembers(p.errors));
  return parts.length ? parts.join(' — ') : messageOf(body);
}

/** `title: detail`, or whichever of them there is. */
function headline(p: Problem): string | undefined {
  return p.title && p.detail && !p.detail.startsWith(p.title) ? `${p.title}: ${p.detail}` : p.detail ?? p.title;
}

export function isVersionMismatch(res: HttpResponse): boolean {
  return (res.status === 400 || res.status === 409 || res.status === 412) && asProblem(res.body)?.errorCode === ERROR_CODE.versionMismatch;
}

/** An answer other than 2xx as the poscust error with the right exit code. */
export function portosFailure(http: HttpClient, res: HttpResponse, what?: string): Error {
  const problem = asProblem(res.body);
  const detail = http.detail(res);
  const suffix = detail ? `: ${detail}` : '';
  if (res.status === 404) {
    if (what) return new NotFoundError(`${what} not found`, { status: 404 });
    // No customer was asked for: the resource itself is missing, which means a wrong base URL.
    return new GeneralError(
      `${http.host} has no customers resource at this base URL (404${suffix}); PORTOS serves /customers at the server root, e.g. http://10.0.0.5`,
      { status: 404 },
    );
  }
  if (problem?.errorCode === ERROR_CODE.versionMismatch) {
    return new ConflictError(`${what ?? 'the customer'} was changed by someone else (version mismatch)${suffix}`, { status: res.status });
  }
  if (res.status === 423 || problem?.errorCode === ERROR_CODE.locked) {
    return new ConflictError(`${what ?? 'the customer'} is locked on ${http.host}; try again when it is released${suffix}`, { status: res.status });
  }
  if (res.status === 409) return new ConflictError(`${http.host} refused the change${suffix}`, { status: 409 });
  if (res.status === 400 || res.status === 422) {
    const errors = problem?.errors ?? [];
    // Every member is listed, however many: the message is not cut like a one-line detail.
    const head = problem ? headline(problem) : undefined;
    const full = [head, errors.length ? describeMembers(errors) : undefined].filter(Boolean).join(' — ');
    // A uniqueness clash is a conflict (exit 5), like a duplicate code on the other backends.
    if (errors.length > 0 && errors.every((e) => e.code === UNIQUE)) {
      return new ConflictError(`${http.host} refused a duplicate: ${full}`, { status: res.status });
    }
    if (errors.length > 0) return new UsageError(`${http.host} rejected the customer: ${full}`, { status: res.status });
    return new UsageError(`${http.host} rejected the request${suffix}`, { status: res.status });
  }
  if (problem?.errorCode === ERROR_CODE.licenceExpired) {
    return new GeneralError(`the PORTOS licence of ${http.host} has expired${suffix}`, { status: res.status });
  }
  return new GeneralError(`${http.host} answered ${res.status}${suffix}`, { status: res.status });
}
