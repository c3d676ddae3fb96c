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

/** What an answer that is not the expected JSON looked like: its first 200 characters, redacted. */
export function describeAnswer(http: HttpClient, res: HttpResponse): string {
  const excerpt = (text: string) => {
    const cut = http.redact(text.slice(0, 200));
    return `${JSON.stringify(cut)}${text.length > 200 ? '…' : ''}`;
  };
  if (res.body === null || res.body === undefined || res.body === '') return 'an empty answer';
  if (typeof res.body === 'string') {
    if (res.invalidJson !== undefined) return `invalid JSON (${res.invalidJson}): ${excerpt(res.body)}`;
    return `${res.contentType.split(';')[0] || 'text'}: ${excerpt(res.body)}`;
  }
  const kind = Array.isArray(res.body) ? 'a JSON array' : typeof res.body === 'object' ? 'a JSON object' : `JSON ${typeof res.body}`;
  return `${kind}: ${excerpt(JSON.stringify(res.body))}`;
}

function notJson(http: HttpClient, res: HttpResponse, what: string, expected: string): GeneralError {
  const where = res.endpoint ?? http.host;
  return new GeneralError(`expected ${expected} as ${what} from ${where} (HTTP ${res.status}), got ${describeAnswer(http, res)}; is the base URL right?`, {
    status: res.status,
  });
}

/** A non-empty string, else undefined (an ID or code from an answer). */
export function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
