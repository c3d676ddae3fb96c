// The MYPOS Connect API v2 emulator (contract: shared/api/mypos.md), plugged into the core through
// `BackendEmulator`.
//
// - Login: `POST /auth/token` with HTTP Basic (the API user's e-mail and password) answers
//   `{"failureDescription": null, "bearerToken": "<jwt>"}`; a bad login is 400 with the reason. A
//   token lives `tokenTtlSeconds` (default 7200) and an API user gets at most `dailyTokenLimit`
//   (default 250) tokens per UTC day. Past that the login is refused with **429** [pinned by us], a
//   `Retry-After` of the seconds until 00:00 UTC and the reason in `failureDescription`: the vendor
//   documents the limit, not the status, and 429 says "temporary, come back later" to any client.
// - Customers: restricted list view with `customSortRowNumber` and `liTotalCount`, `sSortKey`,
//   `sFieldList`, the LastEditDateUTC filters; GET one by id or code; POST answers 202; PUT replaces
//   the whole object (absent fields fall back to their defaults, as on the real server, which is why
//   clients read first) and needs the stored customerId and customerCode; DELETE answers 204, or 409
//   for a customer with transactions, who is made inactive instead.
// - Every change stamps `lastEditDate` (shop time, UTC+7) and `lastEditDateUTC`.
//
// As in dealpos-store.ts, a stored record object is never mutated: every change stores a new object.
import { randomUUID } from 'node:crypto';
import { SandboxInputError } from '../core/emulator.js';
import type { BackendEmulator, BackendStats, EmulatorReply, EmulatorRequest, RateLimitInfo, SandboxCredentials } from '../core/emulator.js';
import {
  MyposApiError, type MyposCustomer, type Stamp, badRequest, bindFields, compareBy, emptyCustomer, listRow,
  matchesList, parseListParams, stampAt, writableChanges,
} from './records.js';
import { myposSeedCustomers } from './seed.js';
import { CustomerStore, loadCustomers } from './store.js';
import { MYPOS_DEFAULT_PASSWORD, MYPOS_DEFAULT_USERNAME, MyposTokens } from './auth.js';

export const MYPOS_BASE_PATH = '/api/v2';
export { MYPOS_DAILY_TOKEN_LIMIT, MYPOS_DEFAULT_PASSWORD, MYPOS_DEFAULT_TOKEN_TTL_SECONDS, MYPOS_DEFAULT_USERNAME } from './auth.js';

export interface MyposEmulatorOptions {
  username?: string;
  password?: string;
  tokenTtlSeconds?: number;
  dailyTokenLimit?: number;
  /** MYPOS has no dialects yet: only an empty list is taken. */
  dialects?: string[];
  /** Server clock: token lifetimes, the UTC day of the token limit, lastEditDate stamps. */
  clock?: () => Date;
}

/** Persisted state. Tokens are absent: a restart revokes them. */
export interface MyposSnapshot {
  customers: MyposCustomer[];
  /** customerId -> number of sales; a customer with sales cannot be deleted. */
  transactions: Record<string, number>;
}

const TOKEN_ROUTE = '/auth/token';
const ONE = /^\/customers\/([^/]+)$/;

export class MyposEmulator implements BackendEmulator {
  readonly name = 'mypos';
  readonly basePath = MYPOS_BASE_PATH;
  private store = new CustomerStore();
  private readonly auth: MyposTokens;
  private readonly clock: () => Date;

  constructor(opts: MyposEmulatorOptions = {}) {
    this.clock = opts.clock ?? (() => new Date());
    this.auth = new MyposTokens(opts.username ?? MYPOS_DEFAULT_USERNAME, opts.password ?? MYPOS_DEFAULT_PASSWORD, () => this.clock().getTime());
    this.configure({ tokenTtlSeconds: opts.tokenTtlSeconds, dailyTokenLimit: opts.dailyTokenLimit, dialects: opts.dialects });
  }

  // --- BackendEmulator ---------------------------------------------------------------------

  handle(req: EmulatorRequest): EmulatorReply {
    try {
      if (req.route === TOKEN_ROUTE) return this.allow(req, ['POST']) ?? this.auth.login(req);
      if (req.route === '/customers') {
        const refused = this.allow(req, ['GET', 'POST']);
        if (refused) return refused;
        this.auth.authorize(req);
        return req.method === 'GET' ? this.list(req) : this.create(req);
      }
      const one = ONE.exec(req.subPath);
      if (one) {
        const refused = this.allow(req, ['GET', 'PUT', 'DELETE']);
        if (refused) return refused;
        this.auth.authorize(req);
        const identifier = one[1]!;
        if (req.method === 'GET') return this.getOne(identifier);
        return req.method === 'PUT' ? this.put(identifier, req) : this.remove(identifier);
      }
      return this.errorReply(404, `No HTTP resource was found that matches the request URI '${req.path}'.`);
    } catch (err) {
      if (err instanceof MyposApiError) {
        return { status: err.status, body: { failureDescription: err.message, ...err.extra }, headers: err.headers };
      }
      throw err;
    }
  }

  isMutation(req: EmulatorRequest): boolean {
    if (req.route === '/customers') return req.method === 'POST';
    return ONE.test(req.subPath) && (req.method === 'PUT' || req.method === 'DELETE');
  }

  isTokenRequest(req: EmulatorRequest): boolean {
    return req.route === TOKEN_ROUTE;
  }

  errorReply(status: number, message: string): EmulatorReply {
    return { status, body: { failureDescription: message } };
  }

  quotaExceededReply(info: RateLimitInfo): EmulatorReply {
    return {
      status: 429,
      body: { failureDescription: `Too many requests: at most ${info.limit} per ${info.windowSeconds} s. Try again in ${info.resetSeconds} seconds.` },
      headers: { 'Retry-After': String(info.resetSeconds) },
    };
  }

  /** MYPOS documents no rate-limit headers. */
  rateLimitHeaders(): Record<string, string> {
    return {};
  }

  snapshot(): MyposSnapshot {
    return { customers: [...this.store.byId.values()], transactions: Object.fromEntries(this.store.transactions) };
  }

  restore(data: unknown): void {
    const isSnapshot = data !== null && typeof data === 'object' && !Array.isArray(data);
    const records = isSnapshot ? (data as { customers?: unknown }).customers : data;
    const sales = isSnapshot ? (data as { transactions?: unknown }).transactions ?? {} : {};
    if (!Array.isArray(records)) throw new SandboxInputError('expected {"customers": [...], "transactions": {...}} or an array of customers');
    if (sales === null || typeof sales !== 'object' || Array.isArray(sales)) throw new SandboxInputError('"transactions" must be an object');
    this.store = loadCustomers(records, sales as Record<string, unknown>, this.stamp());
  }

  seed(n: number): void {
    const next = new CustomerStore();
    for (const { record, transactions } of myposSeedCustomers(n)) next.insert(record, transactions);
    this.store = next;
  }

  /** Records as the API shows them, plus the sandbox-only `_transactions` (sales count). */
  customers(): Record<string, unknown>[] {
    return Array.from(this.store.byId.entries(), ([key, r]) => ({ ...r, _transactions: this.store.transactions.get(key) ?? 0 }));
  }

  replaceCustomers(records: unknown): void {
    if (!Array.isArray(records)) throw new SandboxInputError('send a JSON array of customer records');
    this.store = loadCustomers(records, {}, this.stamp());
  }

  credentials(): SandboxCredentials {
    return { username: this.auth.username, password: this.auth.password };
  }

  config(): Record<string, unknown> {
    return { tokenTtlSeconds: this.auth.tokenTtlSeconds, dailyTokenLimit: this.auth.dailyTokenLimit, dialects: [] };
  }

  configure(partial: Record<string, unknown>): void {
    this.auth.configure(partial);
  }

  stats(): BackendStats {
    return { tokensIssued: this.auth.issued, customers: this.store.size };
  }

  // --- auth --------------------------------------------------------------------------------

  private allow(req: EmulatorRequest, methods: string[]): EmulatorReply | undefined {
    if (methods.includes(req.method)) return undefined;
    return {
      status: 405,
      body: { failureDescription: `The requested resource does not support http method '${req.method}'.` },
      headers: { Allow: methods.join(', ') },
    };
  }

  // --- customers ---------------------------------------------------------------------------

  private list(req: EmulatorRequest): EmulatorReply {
    const p = parseListParams(req.query.toRecord());
    const matches = [...this.store.byId.values()].filter((r) => matchesList(r, p));
    if (p.sort) matches.sort(compareBy(p.sort.field, p.sort.desc));
    const start = (p.page - 1) * p.pageSize;
    const rows = matches.slice(start, start + p.pageSize).map((r, i) => listRow(r, p.fields, start + i + 1, matches.length));
    return { status: 200, body: rows };
  }

  private getOne(identifier: string): EmulatorReply {
    const found = this.store.find(identifier);
    if (!found) throw new MyposApiError(404, 'Customer not found.');
    return { status: 200, body: found };
  }

  private body(req: EmulatorRequest): Partial<Record<keyof MyposCustomer, unknown>> {
    if (req.bodyError !== undefined) throw badRequest(`The request body is not valid JSON: ${req.bodyError}`);
    return bindFields(req.body);
  }

  /** 202 with the stored object; customerId and customerCode in the body are ignored. */
  private create(req: EmulatorRequest): EmulatorReply {
    const changes = writableChanges(this.body(req));
    if (![changes.customerName, changes.firstName, changes.lastName].some((v) => typeof v === 'string' && v.trim() !== '')) {
      throw badRequest('A customer needs a customerName, firstName or lastName.');
    }
    const record: MyposCustomer = { ...emptyCustomer(randomUUID(), this.store.nextCode(), this.stamp()), ...changes };
    this.store.insert(record);
    return { status: 202, body: record };
  }

  /** Replaces the whole object; the body's customerId and customerCode must be the stored ones. */
  private put(code: string, req: EmulatorRequest): EmulatorReply {
    const prev = this.store.findByCode(code);
    if (!prev) throw new MyposApiError(404, 'Customer not found.');
    const body = this.body(req);
    const sameId = typeof body.customerId === 'string' && body.customerId.toLowerCase() === prev.customerId.toLowerCase();
    const sameCode = typeof body.customerCode === 'string' && body.customerCode.toLowerCase() === prev.customerCode.toLowerCase();
    if (!sameId || !sameCode) {
      throw badRequest(
        `The customerId and customerCode in the body must match the customer being updated (customerCode ${prev.customerCode}).`,
      );
    }
    const stamp = this.stamp();
    const next: MyposCustomer = {
      ...emptyCustomer(prev.customerId, prev.customerCode, stamp),
      ...writableChanges(body),
      balance: prev.balance,
      creationDate: prev.creationDate,
    };
    this.store.replace(next);
    return { status: 200, body: next };
  }

  private remove(code: string): EmulatorReply {
    const found = this.store.findByCode(code);
    if (!found) throw new MyposApiError(404, 'Customer not found.');
    if ((this.store.transactions.get(found.customerId.toLowerCase()) ?? 0) > 0) {
      if (found.active) {
        const stamp = this.stamp();
        this.store.replace({ ...found, active: false, lastEditDate: stamp.local, lastEditDateUTC: stamp.utc });
      }
      return {
        status: 409,
        body: { failureDescription: `Customer ${found.customerCode} has transactions and cannot be deleted; it has been made inactive instead.` },
        changed: true,
      };
    }
    this.store.remove(found);
    return { status: 204 };
  }

  private stamp(): Stamp {
    return stampAt(this.clock().getTime());
  }
}

export function createMyposEmulator(opts: MyposEmulatorOptions = {}): MyposEmulator {
  return new MyposEmulator(opts);
}
