// How real DealPOS servers may answer where the vendor's pages leave a guess (docs/dialects.md):
// the readers here accept every known shape, and the request shapes are tried in order through
// backends/fallback.ts. The contract's shape comes first in each list.
import type { HttpResponse, RequestSpec } from '../../http/client.js';
import { messageOf } from '../../http/ratelimit.js';
import type { Variants } from '../fallback.js';
import type { CustomerRecord } from '../types.js';

/** The total of a paged answer: WithTotalCount's `TotalCount`, or `RecordsCount` as DealPOS's other lists name it. */
export function totalOf(body: CustomerRecord): number | undefined {
  for (const key of ['TotalCount', 'totalCount', 'RecordsCount', 'recordsCount']) {
    const n = body[key];
    if (typeof n === 'number' && Number.isFinite(n)) return n;
    if (typeof n === 'string' && /^\d+$/.test(n.trim())) return Number(n);
  }
  return undefined;
}

/** The rows of a paged answer. */
export function rowsOf(body: CustomerRecord): unknown {
  return body.DataArray ?? body.dataArray ?? body.Data ?? body.data;
}

/** NewCode's code: a bare string, `{"Code"}`, or `{"Message"}` holding a code (the vendor's page). */
export function newCodeOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as CustomerRecord;
  for (const key of ['Code', 'code', 'NewCode']) if (typeof b[key] === 'string' && b[key]) return b[key] as string;
  // A message is a code only when it looks like one: one word, no sentence.
  const message = typeof b.Message === 'string' ? b.Message.trim() : '';
  return /^[^\s]{1,64}$/.test(message) ? message : undefined;
}

export type ListIdStyle = 'repeat' | 'comma' | 'body';

export const LIST_ID: Variants<ListIdStyle> = {
  what: 'ListID',
  note: 'dealpos.listId',
  order: ['repeat', 'comma', 'body'],
  describe: (v) => ({ repeat: 'repeated ID parameters', comma: 'comma-joined IDs', body: 'a POST with a JSON array of IDs' })[v],
};

/** IDs per ListID request: a URL stays near 4 KB with 100 GUIDs; a body takes a whole page. */
export function listIdBatch(style: ListIdStyle | undefined): number {
  return style === 'body' ? 1000 : 100;
}

export function listIdRequest(style: ListIdStyle, ids: readonly string[]): RequestSpec {
  switch (style) {
    case 'repeat':
      return { method: 'GET', path: '/Customer/ListID', query: { ID: [...ids] } };
    case 'comma':
      return { method: 'GET', path: '/Customer/ListID', query: { ID: ids.join(',') } };
    case 'body':
      // A read, whatever the method: safe to repeat.
      return { method: 'POST', path: '/Customer/ListID', body: [...ids], idempotent: true };
  }
}

/** A read may try another shape on any of these. */
export function refusedRead(res: HttpResponse): boolean {
  return [400, 404, 405, 415].includes(res.status);
}

export type DeleteStyle = 'query' | 'body';

export const DELETE: Variants<DeleteStyle> = {
  what: 'delete',
  note: 'dealpos.delete',
  order: ['query', 'body'],
  describe: (v) => (v === 'query' ? 'the key in the query' : 'the key in a JSON body'),
};

export function deleteRequest(style: DeleteStyle, path: string, key: 'Code' | 'Email', value: string): RequestSpec {
  return style === 'query' ? { method: 'DELETE', path, query: { [key]: value } } : { method: 'DELETE', path, body: { [key]: value } };
}

/**
 * A delete may be sent again in the other shape only when the server did nothing: it did not take
 * that shape (405, 415), no route matched (a 404 that is not "customer not found"), or it said the
 * key was missing (a 400 naming it). A 404 "Customer not found." is the answer, not a shape problem.
 */
export function refusedDeleteShape(res: HttpResponse, key: string): boolean {
  if (res.status === 405 || res.status === 415) return true;
  const message = (messageOf(res.body) ?? '').toLowerCase();
  if (res.status === 404) return !/customer|not found/.test(message) || /no http resource|no route|matches the request/.test(message);
  if (res.status === 400) return new RegExp(`\\b${key.toLowerCase()}\\b.*\\b(required|missing)\\b|\\b(required|missing)\\b.*\\b${key.toLowerCase()}\\b`).test(message);
  return false;
}
