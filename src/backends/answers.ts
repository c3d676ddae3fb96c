// Checks of the shape of a vendor's answer, shared by the adapters: a clear error when a JSON
// object or array was expected and something else came back.
import { GeneralError } from '../errors.js';
import type { HttpClient, HttpResponse } from '../http/client.js';
import type { CustomerRecord } from './types.js';

/** A JSON object, or a clear error (an HTML page here usually means a wrong base URL). */
export function expectObject(http: HttpClient, res: HttpResponse, what: string): CustomerRecord {
  if (res.body && typeof res.body === 'object' && !Array.isArray(res.body)) return res.body as CustomerRecord;
  throw notJson(http, res, what, 'a JSON object');
}

export function expectArray(http: HttpClient, res: HttpResponse, what: string): CustomerRecord[] {
  if (Array.isArray(res.body)) return res.body as CustomerRecord[];
  throw notJson(http, res, what, 'a JSON array');
}

function notJson(http: HttpClient, res: HttpResponse, what: string, expected: string): GeneralError {
  const got = typeof res.body === 'string' ? `${res.contentType || 'text'} (${JSON.stringify(res.body.slice(0, 60))}…)` : JSON.stringify(res.body)?.slice(0, 60);
  return new GeneralError(`expected ${expected} as ${what} from ${http.host}, got ${got}; is the base URL right?`, {
    status: res.status,
  });
}

/** A non-empty string, else undefined (an ID or code from an answer). */
export function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
