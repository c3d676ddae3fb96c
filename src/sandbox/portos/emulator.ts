// The PORTOS emulator (contract: shared/api/portos.md), plugged into the core through
// `BackendEmulator`. Resources sit at the server root (`/customers`, `/api/auth`); every error is
// an RFC 7807 ProblemDetails with `errorCode`, sent as application/problem+json.
import { randomUUID } from 'node:crypto';
import { SandboxInputError } from '../core/emulator.js';
import type { BackendEmulator, BackendStats, EmulatorReply, EmulatorRequest, RateLimitInfo, SandboxCredentials } from '../core/emulator.js';
import { PORTOS_ADMIN, PORTOS_DEVICE_NAME, PortosSessions, hasRight, type PortosRight, type PortosUser } from './auth.js';
import { matches, parseNData, sorted } from './ndata.js';
import { changedMembers, parseCustomer, viewOf, type PortosCustomer } from './records.js';
import { CODE, Problem, problemReply, validation } from './problem.js';
import { portosSeedCustomers } from './seed.js';
import { PortosStore } from './store.js';
import { type SettingChecks, checkSettings, dialectNames, onOff, positiveSeconds } from '../core/settings.js';
import { PORTOS_DIALECTS } from './dialects.js';

export interface PortosEmulatorOptions {
  tokenTtlSeconds?: number;
  /** Dialects to speak (dialects.ts). */
  dialects?: string[];
  /** Server clock for `status` (activation window). */
  clock?: () => Date;
}

/** `revokeTokens` is an action, not a state: `true` revokes the access tokens issued so far. */
const PORTOS_SETTINGS: SettingChecks<{ tokenTtlSeconds: number; revokeTokens: boolean; dialects: string[] }> = {
  tokenTtlSeconds: positiveSeconds,
  revokeTokens: onOff,
  dialects: dialectNames(Object.keys(PORTOS_DIALECTS)),
};

/** Member error codes by name, as the portos-code-names dialect answers them. */
const CODE_NAMES: Record<number, string> = { 1: 'Required', 2: 'Unique', 3: 'Invalid' };

const CUSTOMER_ROUTE = /^\/customers\/([^/]+)\/?$/i;

/** The id of `/customers/{id}`, from the path as sent, so an encoded `/` in an id stays in the id. */
function customerId(req: EmulatorRequest): string | undefined {
  const m = CUSTOMER_ROUTE.exec(req.rawPath);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

export class PortosEmulator implements BackendEmulator {
  readonly name = 'portos';
  readonly basePath = '';
  private store = new PortosStore();
  private readonly sessions: PortosSessions;
  private readonly clock: () => Date;
  private traceSeq = 0;
  private dialects: string[] = [];

  constructor(opts: PortosEmulatorOptions = {}) {
    this.clock = opts.clock ?? (() => new Date());
    this.sessions = new PortosSessions(PORTOS_DEVICE_NAME);
    this.configure({ tokenTtlSeconds: opts.tokenTtlSeconds, dialects: opts.dialects });
  }

  handle(req: EmulatorRequest): EmulatorReply {
    try {
      return this.route(req);
    } catch (err) {
      if (err instanceof Problem) return this.problem(err, req.path);
      throw err;
    }
  }

  private route(req: EmulatorRequest): EmulatorReply {
    const allow = (...methods: string[]) => {
      if (!methods.includes(req.method)) {
        throw new Problem(405, `The resource does not support ${req.method}.`, {});
      }
    };
    if (req.route === '/api/auth' || req.route === '/api/auth/refresh') {
      allow('POST');
      if (req.bodyError !== undefined) throw new Problem(400, `The request body is not valid JSON: ${req.bodyError}`);
      const answer = req.route === '/api/auth' ? this.sessions.login(req.body) : this.sessions.refresh(req.body);
      if (!answer.ok) throw new Problem(401, answer.detail, { errorCode: CODE.unauthenticated });
      return { status: 200, body: answer.body };
    }
    const id = customerId(req);
    if (req.route !== '/customers' && id === undefined) throw new Problem(404, `No resource at '${req.path}'.`);
    const user = this.sessions.authenticate(req.headers.authorization);
    if (!user) throw new Problem(401, 'The token is missing, invalid or expired.', { errorCode: CODE.unauthenticated });
    if (req.method !== 'GET' && req.method !== 'DELETE' && req.bodyError !== undefined) {
      throw new Problem(400, `The request body is not valid JSON: ${req.bodyError}`, { errorCode: CODE.validation });
    }
    if (id === undefined) {
      allow('GET', 'POST');
      return req.method === 'GET' ? this.list(req) : this.create(req, user);
    }
    allow('GET', 'PUT', 'DELETE');
    if (req.method === 'GET') return { status: 200, body: this.view(this.find(id)) };
    if (req.method === 'PUT') return this.put(req, id, user);
    return this.remove(id, user);
  }

  private now(): number {
    return this.clock().getTime();
  }

  private view(c: PortosCustomer): Record<string, unknown> {
    return viewOf(c, this.now());
  }

  private find(id: string): PortosCustomer {
    const found = this.store.get(id);
    if (!found) throw new Problem(404, `Customer '${id}' was not found.`, { resource: { name: 'Customer', id } });
    return found;
  }

  private requireRight(user: PortosUser, right: PortosRight, why: string): void {
    if (!hasRight(user, right)) {
      throw new Problem(403, `User '${user.userName}' does not have the ${right} right${why}.`, { errorCode: CODE.unauthorized });
    }
  }

  private list(req: EmulatorRequest): EmulatorReply {
    const { query, errors } = parseNData(req.query);
    if (errors.length) throw validation(errors);
    const now = this.now();
    const hits = [...this.store.byId.values()].filter((c) => matches(c, query, now));
    if (query.count) return { status: 200, body: { count: hits.length, totalCount: hits.length } };
    const page = sorted(hits, query.sort, now).slice(query.skip, query.skip + query.take);
    return { status: 200, body: { items: page.map((c) => viewOf(c, now)), count: page.length, totalCount: hits.length } };
  }

  private validated(body: unknown, id: string, version: number, selfKey: string | null): PortosCustomer {
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw validation([{ memberName: '', message: 'The request body must be a customer object.', code: 3 }]);
    }
    const { record, errors } = parseCustomer(body, id, version);
    const all = [...errors, ...this.store.conflicts(record, selfKey)];
    if (all.length) throw validation(all);
    return record;
  }

  private create(req: EmulatorRequest, user: PortosUser): EmulatorReply {
    this.requireRight(user, 'CustomerCreate', ' to create customers');
    const given = (req.body as Record<string, unknown> | undefined)?.id;
    const id = typeof given === 'string' && given.trim() ? given.trim() : randomUUID();
    if (this.store.get(id)) {
      throw validation([{ memberName: 'id', message: `A customer with id '${id}' already exists.`, code: 2 }]);
    }
    const record = this.validated(req.body, id, 1, null);
    this.store.insert(record);
    return { status: 201, body: this.view(record), headers: { Location: `/customers/${encodeURIComponent(id)}` } };
  }

  /** Creates (201) or replaces (200) the whole record; a replace must carry the stored `_v`. */
  private put(req: EmulatorRequest, id: string, user: PortosUser): EmulatorReply {
    const body = req.body as Record<string, unknown> | undefined;
    const bodyId = body && typeof body === 'object' ? Object.entries(body).find(([k]) => k.toLowerCase() === 'id')?.[1] : undefined;
    if (bodyId !== undefined && bodyId !== null && String(bodyId).toLowerCase() !== id.toLowerCase()) {
      throw validation([{ memberName: 'id', message: `The id in the body ('${String(bodyId)}') differs from the id in the URL ('${id}').`, code: 3 }]);
    }
    const prev = this.store.get(id);
    if (!prev) {
      this.requireRight(user, 'CustomerCreate', ' to create customers');
      const record = this.validated(body, id, 1, null);
      this.store.insert(record);
      return { status: 201, body: this.view(record) };
    }
    this.requireRight(user, 'CustomerUpdate', ' to update customers');
    const sent = body && typeof body === 'object' ? Object.entries(body).find(([k]) => k.toLowerCase() === '_v')?.[1] : undefined;
    if (sent !== prev._v) {
      throw new Problem(
        400,
        `Customer '${prev.id}' has version ${prev._v}, the request carries ${sent === undefined ? 'no version' : `version ${String(sent)}`}. Read it again and re-apply the change.`,
        { errorCode: CODE.versionMismatch, resource: { name: 'Customer', id: prev.id, version: prev._v } },
        'Resource version mismatch',
      );
    }
    const next = this.validated(body, prev.id, prev._v + 1, prev.id.toLowerCase());
    const changed = changedMembers(prev, next);
    if (changed.discount) this.requireRight(user, 'CustomerSetDiscount', ' to change discountRate');
    if (changed.credit) this.requireRight(user, 'CustomerSetCredit', ' to change credit');
    this.store.replace(prev, next);
    return { status: 200, body: this.view(next) };
  }

  private remove(id: string, user: PortosUser): EmulatorReply {
    this.requireRight(user, 'CustomerDelete', ' to delete customers');
    const found = this.find(id);
    this.store.remove(found);
    return { status: 200, body: this.view(found) };
  }

  private problem(p: Problem, instance: string): EmulatorReply {
    const reply = problemReply(p, instance, ++this.traceSeq);
    const body = reply.body as { errors?: { code: number | string }[] };
    if (this.dialects.includes('portos-code-names') && Array.isArray(body.errors)) {
      body.errors = body.errors.map((e) => ({ ...e, code: CODE_NAMES[Number(e.code)] ?? String(e.code) }));
    }
    return reply;
  }

  // --- BackendEmulator ---------------------------------------------------------------------

  isMutation(req: EmulatorRequest): boolean {
    if (req.route === '/customers') return req.method === 'POST';
    return customerId(req) !== undefined && (req.method === 'PUT' || req.method === 'DELETE');
  }

  isTokenRequest(req: EmulatorRequest): boolean {
    return req.route === '/api/auth' || req.route === '/api/auth/refresh';
  }

  errorReply(status: number, message: string): EmulatorReply {
    return this.problem(new Problem(status, message), '');
  }

  quotaExceededReply(info: RateLimitInfo): EmulatorReply {
    const reply = this.problem(new Problem(429, `Too many requests: at most ${info.limit} per ${info.windowSeconds} s. Try again in ${info.resetSeconds} seconds.`), '');
    return { ...reply, headers: { ...reply.headers, 'Retry-After': String(info.resetSeconds) } };
  }

  rateLimitHeaders(): Record<string, string> {
    return {};
  }

  snapshot(): { customers: PortosCustomer[] } {
    return { customers: [...this.store.byId.values()] };
  }

  restore(data: unknown): void {
    const records = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as { customers?: unknown }).customers : data;
    if (!Array.isArray(records)) throw new SandboxInputError('expected {"customers": [...]} or an array of customers');
    this.load(records);
  }

  seed(n: number): void {
    this.store = new PortosStore();
    for (const record of portosSeedCustomers(n)) this.store.insert(record);
  }

  customers(): unknown[] {
    return [...this.store.byId.values()].map((c) => this.view(c));
  }

  replaceCustomers(records: unknown): void {
    if (!Array.isArray(records)) throw new SandboxInputError('send a JSON array of customer records');
    this.load(records);
  }

  credentials(): SandboxCredentials {
    return { username: PORTOS_ADMIN.userName, password: PORTOS_ADMIN.password, deviceName: PORTOS_DEVICE_NAME };
  }

  config(): Record<string, unknown> {
    return { tokenTtlSeconds: this.sessions.ttlSeconds, dialects: [...this.dialects] };
  }

  /** `tokenTtlSeconds`; and the action `revokeTokens: true` (access tokens only; refresh tokens still work). */
  configure(partial: Record<string, unknown>): void {
    const { tokenTtlSeconds, revokeTokens, dialects } = checkSettings(partial, PORTOS_SETTINGS);
    if (tokenTtlSeconds !== undefined) this.sessions.ttlSeconds = tokenTtlSeconds;
    if (dialects !== undefined) this.dialects = dialects;
    if (revokeTokens) this.sessions.revokeAccessTokens();
  }

  stats(): BackendStats {
    return { tokensIssued: this.sessions.issued, customers: this.store.size };
  }

  /** Replaces every customer after checking them all; `id` and `_v` are kept as given. */
  private load(records: unknown[]): void {
    const next = new PortosStore();
    records.forEach((raw, i) => {
      const r = raw as Record<string, unknown> | null;
      const id = r && typeof r === 'object' && typeof r.id === 'string' && r.id.trim() ? r.id.trim() : randomUUID();
      const v = r && typeof r === 'object' ? r._v : undefined;
      const version = typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
      const { record, errors } = parseCustomer(raw, id, version);
      const problems = [...errors, ...next.conflicts(record, null)];
      if (next.get(id)) problems.push({ memberName: 'id', message: `id ${id} appears twice`, code: 2 });
      if (problems.length) {
        throw new SandboxInputError(`customer #${i + 1}: ${problems.map((p) => `${p.memberName}: ${p.message}`).join('; ')}`);
      }
      next.insert(record);
    });
    this.store = next;
  }
}

export function createPortosEmulator(opts: PortosEmulatorOptions = {}): PortosEmulator {
  return new PortosEmulator(opts);
}
