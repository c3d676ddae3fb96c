// What a request and an answer are, apart from the client that sends them (client.ts) and the one
// attempt on the wire (transport.ts), which both need them.
import type { Headers } from './ratelimit.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

export interface RequestSpec {
  method: HttpMethod;
  /** Path below the base URL, starting with '/'. Build it with `urlPath` so values are encoded. */
  path: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Whether sending it twice is harmless (default: every method but POST). A non-idempotent request
   * whose answer is lost is never re-sent: the caller gets a TemporaryError with `maybeApplied`.
   */
  idempotent?: boolean;
  /** Send the Authorization header of the client's auth scheme (default true). */
  auth?: boolean;
  /** Extra values to scrub from logs for this request (a PIN, a password). */
  secrets?: string[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text (or null when empty). */
  body: unknown;
  contentType: string;
  /** Why a body that looked like JSON did not parse (then `body` is the text). */
  invalidJson?: string;
  /** `GET shop.dealpos.net/api/v3/Customer/Detail`: the request this answers, for messages (no query). */
  endpoint?: string;
}

