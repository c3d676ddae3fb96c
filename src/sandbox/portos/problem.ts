// ProblemDetails (RFC 7807) as the PORTOS sandbox answers every error: `errorCode` per the
// contract, `errors[]` for validation, application/problem+json.
import type { EmulatorReply } from '../core/emulator.js';
import type { ProblemMember } from './records.js';

/** ProblemDetails `errorCode`s. */
export const CODE = { unauthenticated: 1, unauthorized: 2, validation: 3, locked: 5, versionMismatch: 6 } as const;
const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  413: 'Payload Too Large', 423: 'Locked', 429: 'Too Many Requests', 500: 'Internal Server Error',
};

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly title = TITLES[status] ?? 'Error',
  ) {
    super(detail);
  }
}

export const validation = (errors: ProblemMember[]) =>
  new Problem(400, 'One or more validation errors occurred.', { errorCode: CODE.validation, errors }, 'Validation failed');


export function problemReply(p: Problem, instance: string, seq: number): EmulatorReply {
  const body = {
    type: `https://httpstatuses.io/${p.status}`,
    title: p.title,
    status: p.status,
    detail: p.detail,
    instance,
    traceId: `00-${seq.toString(16).padStart(32, '0')}-0000000000000000-00`,
    ...p.extra,
  };
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json; charset=utf-8' };
  if (p.status === 401) headers['WWW-Authenticate'] = 'Bearer';
  return { status: p.status, body, headers };
}
