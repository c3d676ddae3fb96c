// PORTOS (../shared/api/portos.md): the shop's own server, user/password/device login, camelCase
// records with nested members, NData queries, and versioned whole-record PUTs.
import { jwtExpiry } from '../../auth/token-auth.js';
import type { CachedToken } from '../../config/token-cache.js';
import { AuthError, ConflictError, GeneralError, InterruptedError, UsageError } from '../../errors.js';
import { type HttpClient, type HttpResponse, type RequestSpec, urlPath } from '../../http/client.js';
import { setOwn } from '../../util/own.js';
import { expectObject, stringOrUndefined } from '../answers.js';
import { BackendBase, describeLookup } from '../base.js';
import { deepMerge, expandDotted, isPlainObject, withoutEmptyObjects } from '../nested.js';
import { describeProblem, isVersionMismatch, portosFailure } from './problem.js';
import { filterQuery } from './query.js';
import { PORTOS_SCHEMA } from './schema.js';
import type { BackendVerb, CustomerRecord, ListQuery, Lookup, Page, UpdateOptions, WriteResult, Connection, ListAllOptions } from '../types.js';
import type { AdapterHooks } from '../descriptor.js';
import type { ServerNotes } from '../../config/server-notes.js';

/** JSON-typed members (`meta`, `cards`, ...): a change replaces them whole, exactly as given. */
const OPAQUE_FIELDS: ReadonlySet<string> = new Set(PORTOS_SCHEMA.fields.filter((f) => f.type === 'json').map((f) => f.name));

/** Token lifetime when the token is not a JWT with `exp` [pinned]; a 401 renews it sooner anyway. */
const FALLBACK_TOKEN_LIFETIME_MS = 3_600_000;

export interface PortosCredentials {
  username: string;
  password: string;
  deviceName: string;
}

export class PortosBackend extends BackendBase {
  readonly name = 'portos' as const;
  readonly schema = PORTOS_SCHEMA;
  readonly verbs: ReadonlySet<BackendVerb> = new Set(['create', 'update', 'delete', 'setSuspended']);
  readonly maxPageSize = 1000;
  readonly defaultPageSize = 100;

  constructor(
    http: HttpClient,
    /** `--verbose` notes (a version mismatch being retried). */
    private readonly log?: (line: string) => void,
    notes?: ServerNotes,
  ) {
    super(http, notes);
  }

  /** `POST /api/auth`: a bearer token (JWT) and a refresh token. */
  static async login(http: HttpClient, creds: PortosCredentials, now: () => number): Promise<CachedToken> {
    const res = await http.request({
      method: 'POST',
      path: '/api/auth',
      body: { UserName: creds.username, Password: creds.password, DeviceName: creds.deviceName },
      auth: false,
      // Logging in twice changes nothing on the server.
      idempotent: true,
      secrets: [creds.password],
    });
    if (res.status === 400 || res.status === 401) {
      const detail = http.detail(res);
      throw new AuthError(
        `PORTOS at ${http.host} refused user '${creds.username}' on device '${creds.deviceName}'${detail ? `: ${detail}` : ''}`,
        { status: res.status },
      );
    }
    if (res.status === 404) {
      throw new GeneralError(`${http.host} has no /api/auth at this base URL (404); PORTOS serves it at the server root, e.g. http://10.0.0.5`, { status: 404 });
    }
    if (res.status !== 200) throw portosFailure(http, res);
    return tokenFrom(http, res, now, 'the login answer');
  }

  /**
   * `POST /api/auth/refresh`: a new token pair for the old one. Undefined when the server refuses
   * (or cannot be asked): the caller then logs in again, which is what a refresh only saves.
   */
  static async refresh(http: HttpClient, old: CachedToken, now: () => number): Promise<CachedToken | undefined> {
    try {
      const res = await http.request({
        method: 'POST',
        path: '/api/auth/refresh',
        body: { tokenId: old.token, refreshToken: old.refreshToken },
        auth: false,
      });
      if (res.status !== 200) return undefined;
      return tokenFrom(http, res, now, 'the refresh answer');
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      return undefined;
    }
  }

  override async list(query: ListQuery, page: number, pageSize: number): Promise<Page> {
    const res = await this.call({
      method: 'GET',
      path: '/customers',
      query: { ...this.listParams(query), $skip: (page - 1) * pageSize, $take: pageSize },
    });
    const { items, totalCount } = this.queryResult(res);
    return { records: items, total: totalCount };
  }

  override async *listAll(query: ListQuery, pageSize = this.maxPageSize, options: ListAllOptions = {}): AsyncIterable<CustomerRecord[]> {
    const params = this.listParams(query);
    let skip = 0;
    for (;;) {
      const res = await this.call({ method: 'GET', path: '/customers', query: { ...params, $skip: skip, $take: pageSize } });
      const { items, totalCount } = this.queryResult(res);
      if (skip === 0 && totalCount !== undefined) options.onTotal?.(totalCount);
      if (items.length) yield items;
      skip += items.length;
      // totalCount says when we are done; a short or empty page ends it too (a server without it).
      if (items.length === 0 || items.length < pageSize || (totalCount !== undefined && skip >= totalCount)) return;
    }
  }

  override async count(query: ListQuery): Promise<number> {
    const { $sort: _sort, ...params } = this.listParams(query);
    const res = await this.call({ method: 'GET', path: '/customers', query: { ...params, $count: 'true' } });
    const body = expectObject(this.http, res, 'the customer count');
    const total = Number(body.totalCount ?? body.count);
    if (!Number.isFinite(total)) throw new GeneralError(`${this.http.host} answered $count=true without totalCount`);
    return total;
  }

  override async get(lookup: Lookup): Promise<CustomerRecord> {
    this.requireLookup('get', lookup, ['id']);
    const res = await this.call({ method: 'GET', path: urlPath`/customers/${lookup.value}` }, lookup);
    return expectObject(this.http, res, 'the customer');
  }

  override async create(fields: CustomerRecord): Promise<WriteResult> {
    const body = withoutEmptyObjects(expandDotted(withoutServerFields(fields)));
    const res = await this.call({ method: 'POST', path: '/customers', body });
    const record = expectObject(this.http, res, 'the created customer');
    return { id: stringOrUndefined(record.id), record, raw: record };
  }

  /**
   * Read, merge, PUT with the read `_v`. PUT replaces the whole record, so the version is what
   * stops us from overwriting a change made since our read: on a mismatch the record is read
   * again and the same change applied to it, once; a second mismatch is reported (exit 5).
   */
  override async update(lookup: Lookup, changes: CustomerRecord, options: UpdateOptions = {}): Promise<WriteResult> {
    this.requireLookup('update', lookup, ['id']);
    return this.readMergePut(lookup, changes, options.current);
  }

  override async delete(lookup: Lookup): Promise<WriteResult> {
    this.requireLookup('delete', lookup, ['id']);
    const res = await this.call({ method: 'DELETE', path: urlPath`/customers/${lookup.value}` }, lookup);
    const record = isPlainObject(res.body) ? res.body : undefined;
    return { id: stringOrUndefined(record?.id) ?? lookup.value, ...(record ? { record } : {}), raw: res.body };
  }

  override async setSuspended(lookup: Lookup, suspended: boolean): Promise<WriteResult> {
    this.requireLookup(suspended ? 'suspend' : 'unsuspend', lookup, ['id']);
    return this.readMergePut(lookup, { isActive: !suspended });
  }

  private async readMergePut(lookup: Lookup, changes: CustomerRecord, current?: CustomerRecord): Promise<WriteResult> {
    const patch = expandDotted(withoutServerFields(changes));
    if (Object.hasOwn(patch, 'id')) {
      // The server matches ids case-insensitively [pinned]: the same id in other letters is no change.
      if (String(patch.id).toLowerCase() !== lookup.value.toLowerCase()) {
        throw new UsageError(`the id of a PORTOS customer cannot be changed (${describeLookup(lookup)})`);
      }
      delete patch.id;
    }
    let record = current ?? (await this.get(lookup));
    for (let attempt = 1; ; attempt++) {
      const readVersion = record._v;
      const body = { ...deepMerge(record, withoutEmptyObjects(patch, record), OPAQUE_FIELDS), id: record.id ?? lookup.value, _v: readVersion };
      const res = await this.http.request({ method: 'PUT', path: urlPath`/customers/${lookup.value}`, body });
      if (res.status >= 200 && res.status < 300) {
        const stored = isPlainObject(res.body) ? res.body : body;
        return {
          id: stringOrUndefined(stored.id) ?? lookup.value,
          record: stored,
          previous: record,
          raw: res.body ?? stored,
          // 201: the customer was deleted between our read and our write, and PUT created it again.
          ...(res.status === 201 ? { message: `${describeLookup(lookup)} had been deleted meanwhile; it was created again` } : {}),
        };
      }
      if (!isVersionMismatch(res)) throw portosFailure(this.http, res, describeLookup(lookup));
      if (attempt === 2) throw this.versionConflict(lookup, readVersion, res);
      this.log?.(`! ${describeLookup(lookup)} changed since it was read (version ${String(readVersion)}); reading it again`);
      record = await this.get(lookup);
    }
  }

  private versionConflict(lookup: Lookup, ours: unknown, res: HttpResponse): ConflictError {
    const body = isPlainObject(res.body) ? res.body : {};
    const resource = isPlainObject(body.resource) ? body.resource : {};
    const theirs = resource.version !== undefined ? `; the server now has version ${String(resource.version)}` : '';
    return new ConflictError(
      `${describeLookup(lookup)} was changed by someone else while we updated it, twice in a row ` +
        `(we last read version ${String(ours)}${theirs}); nothing was changed. Run the command again.`,
      { status: res.status },
    );
  }

  private listParams(query: ListQuery) {
    this.rejectFilters(query, ['search', 'filters', 'active', 'externalId', 'card', 'sort', 'fields']);
    return filterQuery(query);
  }

  private queryResult(res: HttpResponse): { items: CustomerRecord[]; totalCount?: number } {
    const body = expectObject(this.http, res, 'the customer list');
    if (!Array.isArray(body.items)) throw new GeneralError(`${this.http.host} answered the customer list without items`);
    const total = Number(body.totalCount);
    return { items: body.items as CustomerRecord[], ...(Number.isFinite(total) && body.totalCount !== null ? { totalCount: total } : {}) };
  }

  /** Sends, and turns any answer but 2xx into the right error. */
  private async call(spec: RequestSpec, lookup?: Lookup): Promise<HttpResponse> {
    const res = await this.http.request(spec);
    if (res.status >= 200 && res.status < 300) return res;
    throw portosFailure(this.http, res, lookup ? describeLookup(lookup) : undefined);
  }
}

/** Fields the server keeps (`_v`, derived `status` and `fullName`) never come from the user's changes. */
function withoutServerFields(record: CustomerRecord): CustomerRecord {
  const out: CustomerRecord = {};
  for (const [k, v] of Object.entries(record)) if (!['_v', 'status', 'fullname'].includes(k.toLowerCase())) setOwn(out, k, v);
  return out;
}

function tokenFrom(http: HttpClient, res: HttpResponse, now: () => number, what: string): CachedToken {
  const body = expectObject(http, res, what);
  const token = body.tokenId ?? body.TokenId;
  if (typeof token !== 'string' || !token) throw new GeneralError(`${what} from ${http.host} carries no tokenId`);
  const refreshToken = body.refreshToken ?? body.RefreshToken;
  return {
    token,
    expiresAt: jwtExpiry(token) ?? now() + FALLBACK_TOKEN_LIFETIME_MS,
    ...(typeof refreshToken === 'string' && refreshToken ? { refreshToken } : {}),
  };
}


/** The adapter module (descriptor.ts loads it on first use). */
export const describeBody = describeProblem;

export function login(http: HttpClient, conn: Connection, now: () => number): Promise<CachedToken> {
  return PortosBackend.login(http, { username: conn.username ?? '', password: conn.password ?? '', deviceName: conn.deviceName ?? '' }, now);
}

export function refresh(http: HttpClient, old: CachedToken, now: () => number): Promise<CachedToken | undefined> {
  return PortosBackend.refresh(http, old, now);
}

export function createBackend(http: HttpClient, hooks: AdapterHooks): PortosBackend {
  return new PortosBackend(http, hooks.log, hooks.notes);
}
