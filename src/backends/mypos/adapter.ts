// MYPOS Connect API v2 (../shared/api/mypos.md): HTTP Basic login for a bearer token (120 minutes,
// 250 per API user per UTC day, so the token is cached on disk), camelCase records, a restricted
// list view, and updates that replace the whole object (read, merge, PUT back).
import { jwtExpiry } from '../../auth/token-auth.js';
import type { CachedToken } from '../../config/token-cache.js';
import type { AdapterHooks } from '../descriptor.js';
import { AuthError, ConflictError, GeneralError, NotFoundError, TemporaryError, UsageError } from '../../errors.js';
import { type HttpClient, type HttpResponse, type Query, type RequestSpec, urlPath } from '../../http/client.js';
import { messageOf } from '../../http/ratelimit.js';
import { expectArray, expectObject } from '../answers.js';
import { statusFailure } from '../failures.js';
import { BackendBase, describeLookup } from '../base.js';
import { MYPOS_LIST_VIEW, MYPOS_ROW_META, MYPOS_SCHEMA, fieldList, sortKey, vendorDateTime } from './schema.js';
import type { BackendVerb, CustomerRecord, DeleteOptions, ListQuery, Lookup, Page, UpdateOptions, WriteResult, Connection, ListAllOptions } from '../types.js';
import type { ServerNotes } from '../../config/server-notes.js';

/** A token lives 120 minutes (mypos.md); a JWT's own `exp` wins when it is earlier. */
export const MYPOS_TOKEN_LIFETIME_MS = 120 * 60_000;

const LOOKUP_FIELD = { id: 'customerId', code: 'customerCode' } as const;
/** Fields the server assigns: values sent on create are ignored by MYPOS, so poscust drops them. */
const ASSIGNED = ['customerId', 'customerCode'] as const;
/** How MYPOS words a refused PUT whose customerId/customerCode do not match the stored customer. */
const MISMATCH = /match|mismatch|differ|does not belong|not the same/i;
/** Lookups of getMany in flight at once: a bulk read that stays polite to one shop's server. */
const GET_MANY_IN_FLIGHT = 6;
/** A login refused for the daily token limit is temporary (exit 75), not bad credentials. */
const TOKEN_LIMIT = /token.*(limit|quota|per day)|(limit|quota).*token|too many (tokens|logins)/i;

/** The vendor's reason from an error body: `failureDescription`, else the usual message keys. */
export function myposMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const d = (body as Record<string, unknown>).failureDescription;
    if (typeof d === 'string' && d) return d;
  }
  return messageOf(body);
}

export class MyposBackend extends BackendBase {
  readonly name = 'mypos' as const;
  readonly schema = MYPOS_SCHEMA;
  readonly verbs: ReadonlySet<BackendVerb> = new Set(['create', 'update', 'delete', 'setSuspended']);
  /** The calls MYPOS Connect does not have, and why. */
  override readonly whyNot = {
    merge: 'MYPOS Connect has no merge call',
    newCode: 'MYPOS assigns customer codes itself when a customer is created',
    setPin: 'MYPOS Connect customers have no PIN',
    checkPin: 'MYPOS Connect customers have no PIN',
    setVerified: 'MYPOS Connect keeps no verification flags',
    appSignIn: 'MYPOS Connect has no customer app sign-in',
  };
  readonly maxPageSize = 1000;
  readonly defaultPageSize = 100;
  private readonly warned = new Set<string>();

  constructor(
    http: HttpClient,
    private readonly warn: (message: string) => void = () => undefined,
    notes?: ServerNotes,
  ) {
    super(http, notes);
  }

  /** `POST /auth/token` with HTTP Basic: the only request that carries the password. */
  static async login(http: HttpClient, username: string, password: string, now: () => number): Promise<CachedToken> {
    const basic = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    const res = await http.request({
      method: 'POST',
      path: '/auth/token',
      headers: { authorization: `Basic ${basic}` },
      auth: false,
      // Asking again after a lost answer costs one of the day's 250 tokens, nothing else.
      idempotent: true,
      secrets: [password, basic],
    });
    // An HTML page with 200 is a wrong base URL (a web site, a captive portal), not a refused login.
    if (res.status === 200) expectObject(http, res, 'the token answer');
    const body = res.body && typeof res.body === 'object' ? (res.body as CustomerRecord) : {};
    const token = body.bearerToken ?? body.token ?? body.access_token;
    if (res.status === 200 && typeof token === 'string' && token) {
      const expiresAt = Math.min(jwtExpiry(token) ?? Infinity, now() + MYPOS_TOKEN_LIFETIME_MS);
      return { token, expiresAt };
    }
    const why = http.detail(res);
    if (res.status === 400 || res.status === 401 || res.status === 200) {
      if (why && TOKEN_LIMIT.test(why)) {
        throw new TemporaryError(`MYPOS will not issue another token to API user '${username}' today: ${why}`, { status: res.status });
      }
      throw new AuthError(`MYPOS refused the login of API user '${username}'${why ? `: ${why}` : ''}`, { status: res.status });
    }
    throw new GeneralError(`${http.host} answered ${res.status} to the login${why ? `: ${why}` : ''}`, { status: res.status });
  }

  private listParams(query: ListQuery): Query {
    this.rejectFilters(query, ['sort', 'changedSince', 'changedUntil', 'fields']);
    return {
      sSortKey: query.sort !== undefined ? sortKey(query.sort) : undefined,
      sFieldList: query.fields?.length ? fieldList(query.fields) : undefined,
      filt_LastEditDateUTC_dt_min: query.changedSince !== undefined ? vendorDateTime(query.changedSince, 'min') : undefined,
      filt_LastEditDateUTC_dt_max: query.changedUntil !== undefined ? vendorDateTime(query.changedUntil, 'max') : undefined,
    };
  }

  /** One page of the restricted list view; `total` from the rows' `liTotalCount`. */
  override async list(query: ListQuery, page: number, pageSize: number): Promise<Page> {
    const params = this.listParams(query);
    const res = await this.call({ method: 'GET', path: '/customers', query: { liPage: page, liPageSize: pageSize, ...params } });
    const records = expectArray(this.http, res, 'the customer list');
    if (records.length === 0) return { records, total: 0 };
    const total = Number(records[0]!.liTotalCount);
    return Number.isFinite(total) ? { records, total } : { records };
  }

  /** Pages until the rows seen reach `liTotalCount` (a short page alone proves nothing). */
  override async *listAll(query: ListQuery, pageSize = this.maxPageSize, options: ListAllOptions = {}): AsyncIterable<CustomerRecord[]> {
    let seen = 0;
    for (let page = 1; ; page++) {
      const { records, total } = await this.list(query, page, pageSize);
      if (page === 1 && total !== undefined) options.onTotal?.(total);
      if (records.length === 0) return;
      yield records;
      seen += records.length;
      if (total !== undefined ? seen >= total : records.length < pageSize) return;
    }
  }

  override async count(query: ListQuery): Promise<number> {
    const page = await this.list({ ...query, fields: ['customerId'] }, 1, 1);
    return page.total ?? page.records.length;
  }

  override async get(lookup: Lookup): Promise<CustomerRecord> {
    this.requireIdOrCode('get', lookup);
    const res = await this.call({ method: 'GET', path: urlPath`/customers/${lookup.value}` }, lookup);
    return expectObject(this.http, res, 'the customer');
  }

  /** One GET per id (MYPOS has no bulk lookup), a few in flight at once, answers in the order asked. */
  override async getMany(ids: string[]): Promise<{ found: CustomerRecord[]; missing: string[] }> {
    const results: (CustomerRecord | null)[] = new Array<CustomerRecord | null>(ids.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        try {
          results[i] = await this.get({ by: 'id', value: ids[i]! });
        } catch (err) {
          if (err instanceof NotFoundError) continue;
          next = ids.length; // the other workers stop too
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(GET_MANY_IN_FLIGHT, ids.length) }, worker));
    return { found: results.filter((r): r is CustomerRecord => r !== null), missing: ids.filter((_, i) => results[i] === null) };
  }

  override async create(fields: CustomerRecord): Promise<WriteResult> {
    const body: CustomerRecord = {};
    for (const [key, value] of Object.entries(fields)) {
      const assigned = ASSIGNED.find((a) => a.toLowerCase() === key.toLowerCase());
      if (assigned) this.warnOnce(`${assigned} is assigned by MYPOS when a customer is created; the given value is not sent`);
      else body[key] = value;
    }
    const res = await this.call({ method: 'POST', path: '/customers', body });
    const answer = expectObject(this.http, res, 'the create answer');
    return { id: text(answer.customerId), code: text(answer.customerCode), message: myposMessage(answer), record: answer, raw: answer };
  }

  /**
   * The vendor's rule for updates: GET the customer, change it, PUT the whole object back to
   * `/customers/{customerCode}` with its own customerId and customerCode, so no field is lost.
   */
  override async update(lookup: Lookup, changes: CustomerRecord, options?: UpdateOptions): Promise<WriteResult> {
    this.requireIdOrCode('update', lookup);
    const current = usableCurrent(lookup, options?.current) ?? (await this.get(lookup));
    return { ...(await this.put(lookup, current, changes)), previous: current };
  }

  override async delete(lookup: Lookup, options: DeleteOptions = {}): Promise<WriteResult> {
    this.requireIdOrCode('delete', lookup);
    // MYPOS deletes by code only: find the code of an id first (the caller may just have read it).
    const code =
      lookup.by === 'code'
        ? lookup.value
        : requireText(sameCustomer(lookup, options.current) ?? (await this.get(lookup)), 'customerCode', this.http.host);
    const target: Lookup = { by: 'code', value: code };
    const res = await this.http.request({ method: 'DELETE', path: urlPath`/customers/${code}` });
    if (res.status === 409) throw await this.refusedDelete(target, res);
    if (res.status < 200 || res.status >= 300) throw this.failure(res, target);
    return { code, id: lookup.by === 'id' ? lookup.value : undefined, message: myposMessage(res.body) ?? 'deleted', raw: res.body };
  }

  override async setSuspended(lookup: Lookup, suspended: boolean): Promise<WriteResult> {
    this.requireIdOrCode(suspended ? 'suspend' : 'unsuspend', lookup);
    const current = await this.get(lookup);
    if (current.active === !suspended) {
      // Nothing to change: no PUT, so lastEditDateUTC (and incremental readers) stay put.
      const message = `customer is already ${suspended ? 'inactive' : 'active'}`;
      return { id: text(current.customerId), code: text(current.customerCode), message, record: current, raw: current };
    }
    return this.put(lookup, current, { active: !suspended });
  }

  private async put(lookup: Lookup, current: CustomerRecord, changes: CustomerRecord): Promise<WriteResult> {
    const id = requireText(current, 'customerId', this.http.host);
    const code = requireText(current, 'customerCode', this.http.host);
    const merged: CustomerRecord = {};
    for (const [key, value] of Object.entries(current)) {
      if (!(MYPOS_ROW_META as readonly string[]).includes(key)) merged[key] = value;
    }
    const keyOf = new Map(Object.keys(merged).map((k) => [k.toLowerCase(), k]));
    for (const [key, value] of Object.entries(changes)) {
      const assigned = ASSIGNED.find((a) => a.toLowerCase() === key.toLowerCase());
      if (assigned) {
        if (value !== null && String(value) !== String(merged[assigned])) {
          throw new UsageError(`${assigned} is assigned by MYPOS and cannot be changed (customer ${code} keeps ${assigned} '${String(merged[assigned])}')`);
        }
        continue;
      }
      merged[keyOf.get(key.toLowerCase()) ?? key] = value;
    }
    merged.customerId = id;
    merged.customerCode = code;
    const res = await this.call({ method: 'PUT', path: urlPath`/customers/${code}`, body: merged }, lookup);
    const answer = res.body && typeof res.body === 'object' && !Array.isArray(res.body) ? (res.body as CustomerRecord) : merged;
    return { id, code, message: myposMessage(res.body) ?? 'updated', record: answer, raw: res.body ?? answer };
  }

  /** 409 on delete: the customer has transactions and (the body may say) was made inactive instead. */
  private async refusedDelete(target: Lookup, res: HttpResponse): Promise<ConflictError> {
    const why = this.http.detail(res);
    let state: string;
    if (why && /inactive/i.test(why)) {
      state = 'it is now inactive';
    } else {
      // The body does not say what happened: look, rather than claim.
      const now = await this.get(target).catch(() => undefined);
      state = now?.active === false ? 'it is now inactive' : 'it was not deleted';
    }
    return new ConflictError(
      `MYPOS did not delete ${describeLookup(target, 'customerCode')}: it has transactions, so ${state}${why ? ` (${why})` : ''}`,
      { status: 409 },
    );
  }

  private requireIdOrCode(verb: string, lookup: Lookup): void {
    if (lookup.by !== 'id' && lookup.by !== 'code') {
      this.unsupported(`${verb} by ${lookup.by}`, 'MYPOS finds a customer by customerId or customerCode only');
    }
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warn(message);
  }

  /** Sends, and turns any answer but 2xx into the right error. */
  private async call(spec: RequestSpec, lookup?: Lookup): Promise<HttpResponse> {
    const res = await this.http.request(spec);
    if (res.status >= 200 && res.status < 300) return res;
    throw this.failure(res, lookup, spec.method === 'PUT');
  }

  private failure(res: HttpResponse, lookup?: Lookup, isPut = false): Error {
    return statusFailure(this.http, res, {
      customer: lookup ? describeLookup(lookup, LOOKUP_FIELD[lookup.by as 'id' | 'code']) : 'customer',
      conflict: (reason) => isPut && MISMATCH.test(reason),
      conflictPrefix: `MYPOS refused the ${isPut ? 'update' : 'request'}`,
      rejectedBy: 'MYPOS',
    });
  }
}

/**
 * A caller's copy of the record, when it is the full object of the customer asked for. A row of
 * the list view is not: PUTting it back would blank every field the view leaves out.
 */
function usableCurrent(lookup: Lookup, current: CustomerRecord | undefined): CustomerRecord | undefined {
  if (!current || MYPOS_ROW_META.some((k) => k in current)) return undefined;
  if (!Object.keys(current).some((k) => !(MYPOS_LIST_VIEW as readonly string[]).includes(k))) return undefined;
  return sameCustomer(lookup, current);
}

/** `current` when it is the record of the customer `lookup` names, with its id and code. */
function sameCustomer(lookup: Lookup, current: CustomerRecord | undefined): CustomerRecord | undefined {
  if (!current) return undefined;
  const key = LOOKUP_FIELD[lookup.by as 'id' | 'code'];
  const value = text(current[key]);
  const same = lookup.by === 'id' ? value?.toLowerCase() === lookup.value.toLowerCase() : value === lookup.value;
  return same && text(current.customerId) && text(current.customerCode) ? current : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
}

function requireText(record: CustomerRecord, field: string, host: string): string {
  const value = text(record[field]);
  if (!value) throw new GeneralError(`${host} returned the customer without a ${field}`);
  return value;
}

/** The adapter module (descriptor.ts loads it on first use). */
export const describeBody = myposMessage;

export function login(http: HttpClient, conn: Connection, now: () => number): Promise<CachedToken> {
  return MyposBackend.login(http, conn.username ?? '', conn.password ?? '', now);
}

export function createBackend(http: HttpClient, hooks: AdapterHooks): MyposBackend {
  return new MyposBackend(http, hooks.warn, hooks.notes);
}
