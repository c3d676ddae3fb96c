// The DealPOS API v3 emulator (contract: shared/api/dealpos.md), plugged into the core through
// `BackendEmulator`.
//
// Binding follows ASP.NET Web API, which the real server runs on: route segments, query-parameter
// names and JSON body field names are matched case-insensitively (`Birthdate` == `BirthDate`),
// unknown body fields are ignored, and records are stored and returned under the canonical
// PascalCase names of the contract.
//
// Invariant the persistence layer relies on: a stored record object is never mutated. Every change
// stores a new object, so a snapshot (an array of the current record objects) stays consistent
// while it is written out in chunks.

import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { SandboxInputError } from './emulator.js';
import type {
  BackendEmulator,
  BackendStats,
  EmulatorReply,
  EmulatorRequest,
  RateLimitInfo,
  SandboxCredentials,
} from './emulator.js';
import { draftRateLimitHeaders } from './rate-limit.js';
import { type SettingChecks, checkSettings, onOff, positiveSeconds } from './settings.js';
import { DEALPOS_EMPTY_DATE, dealposSeedCustomers } from './seed.js';

export interface DealposCustomer {
  ID: string;
  Code: string | null;
  Name: string;
  FirstName: string | null;
  LastName: string | null;
  Email: string | null;
  Phone: string | null;
  Mobile: string | null;
  Address: string | null;
  Gender: boolean | null;
  BirthDate: string | null;
  JoinDate: string;
  Group: string | null;
  ExpiredGroup: string | null;
  LoyaltyPoint: number;
  Status: 'Active' | 'Suspended';
  ReferredBy: string | null;
  ImageURL: string | null;
  SignUpOutlet: string | null;
  EmailVerified: boolean;
  MobileVerified: boolean;
  AppLastSignIn: string | null;
}

/** Record fields in the contract's order. */
export const DEALPOS_FIELDS = [
  'ID', 'Code', 'Name', 'FirstName', 'LastName', 'Email', 'Phone', 'Mobile', 'Address', 'Gender',
  'BirthDate', 'JoinDate', 'Group', 'ExpiredGroup', 'LoyaltyPoint', 'Status', 'ReferredBy', 'ImageURL',
  'SignUpOutlet', 'EmailVerified', 'MobileVerified', 'AppLastSignIn',
] as const satisfies readonly (keyof DealposCustomer)[];

/** Fields a client may set. `ID`, `JoinDate`, the verified flags and `AppLastSignIn` are server-owned. */
export const DEALPOS_WRITABLE_FIELDS = [
  'Code', 'Name', 'FirstName', 'LastName', 'Email', 'Phone', 'Mobile', 'Address', 'Gender', 'BirthDate',
  'Group', 'ExpiredGroup', 'LoyaltyPoint', 'Status', 'ReferredBy', 'ImageURL', 'SignUpOutlet',
] as const satisfies readonly (keyof DealposCustomer)[];
type WritableField = (typeof DEALPOS_WRITABLE_FIELDS)[number];

export const DEALPOS_BASE_PATH = '/api/v3';
export const DEALPOS_DEFAULT_CLIENT_ID = 'sandbox';
export const DEALPOS_DEFAULT_CLIENT_SECRET = 'sandbox-secret';
export const DEALPOS_DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** NewCode's answer when no `PREFIX-NNN` code exists yet. */
export const DEALPOS_FIRST_CODE = 'C-00001';
export const DEALPOS_DEFAULT_PAGE_SIZE = 100;
export const DEALPOS_MAX_PAGE_SIZE = 1000;

export const DEALPOS_MESSAGES = {
  denied: 'Authorization has been denied for this request.',
  badCredentials: 'Invalid client_id or client_secret.',
  notFound: 'Customer not found.',
  updated: 'Record updated',
  deleted: 'Record deleted',
  suspended: 'The contact has been successfully suspended.',
  unsuspended: 'The contact has been successfully unsuspended.',
  merged: 'Customers merged',
  pinUpdated: 'PIN updated',
  invalidPin: 'Invalid PIN.',
  noPin: 'No PIN has been set for this customer.',
  generatorOff: 'Customer code generator is not enabled. Turn it on in Settings > Customer to use NewCode.',
  serverError: 'An error has occurred.',
} as const;

export interface DealposEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** Customer Code Generator: NewCode works and creates without `Code` get the next code. Default on. */
  codeGenerator?: boolean;
  /** Server clock for `JoinDate` and `AppLastSignIn` (local time, like the vendor's). */
  clock?: () => Date;
}

/** A 4xx/5xx answer raised inside a handler. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new ApiError(400, message);
const notFound = () => new ApiError(404, DEALPOS_MESSAGES.notFound);

// ---------------------------------------------------------------------------------------------
// Dates

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Parses `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm:ss` (optional fraction/zone); null when not a real date. */
function parseDateParts(text: string): { day: string; time: string } | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h = '00', mi = '00', s = '00'] = m.slice(1).map((v) => v ?? undefined) as string[];
  const year = Number(y), month = Number(mo), day = Number(d);
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // leap-year-agnostic month length
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 ? (leap ? 29 : 28) : daysInMonth)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return { day: `${y}-${mo}-${d}`, time: `${h}:${mi}:${s}` };
}

function localStamp(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

// ---------------------------------------------------------------------------------------------
// Binding and validation

const CANONICAL_BY_LOWER = new Map<string, string>();
for (const name of [...DEALPOS_FIELDS, 'TargetID', 'SourceIDs', 'PIN', 'Verified', 'PageNumber', 'PageSize', 'Outlet', 'From', 'To']) {
  CANONICAL_BY_LOWER.set(name.toLowerCase(), name);
}

/** Body fields under their canonical names (case-insensitive binding); unknown fields dropped. */
function bindBody(req: EmulatorRequest): Record<string, unknown> {
  if (req.bodyError !== undefined) throw badRequest(`The request body is not valid JSON: ${req.bodyError}`);
  if (req.body === undefined || req.body === null) return {};
  if (typeof req.body !== 'object' || Array.isArray(req.body)) throw badRequest('The request body must be a JSON object.');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
    const canonical = CANONICAL_BY_LOWER.get(key.toLowerCase());
    if (canonical !== undefined) out[canonical] = value;
  }
  return out;
}

function asText(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw badRequest(`${field} must be a string.`);
}

/** An identifier from the body, else the query string; '' counts as absent. */
function identifier(body: Record<string, unknown>, req: EmulatorRequest, name: string): string | undefined {
  const fromBody = body[name];
  const raw = fromBody !== undefined && fromBody !== null ? fromBody : req.query.get(name);
  const text = asText(name, raw);
  return text === null || text.trim() === '' ? undefined : text.trim();
}

const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const UNIQUE_TRIMMED: ReadonlySet<string> = new Set(['Code', 'Email', 'Mobile']);

function normalizeDate(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const parts = typeof value === 'string' ? parseDateParts(value) : null;
  if (!parts) throw badRequest(`${field} '${String(value)}' is not a valid date; use yyyy-MM-dd.`);
  return `${parts.day}T00:00:00`;
}

/** Validates one writable field and returns the value to store. Throws 400 ApiError. */
function normalizeWritable(field: WritableField, value: unknown): unknown {
  switch (field) {
    case 'Gender':
      if (value === null || typeof value === 'boolean') return value;
      throw badRequest('Gender must be true or false.');
    case 'BirthDate':
    case 'ExpiredGroup':
      return normalizeDate(field, value);
    case 'LoyaltyPoint': {
      if (value === null) return 0;
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw badRequest(`LoyaltyPoint '${String(value)}' is not a number.`);
      return n;
    }
    case 'Status': {
      const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (text === 'active') return 'Active';
      if (text === 'suspended') return 'Suspended';
      throw badRequest(`Status must be Active or Suspended, not '${String(value)}'.`);
    }
    case 'Name': {
      const text = asText(field, value);
      if (text === null || text.trim() === '') throw badRequest('Name is required.');
      return text;
    }
    case 'Email': {
      const text = asText(field, value)?.trim() || null;
      if (text !== null && (text.length > 254 || !EMAIL_RE.test(text))) {
        throw badRequest(`Email '${text}' is not a valid e-mail address.`);
      }
      return text;
    }
    default: {
      const text = asText(field, value);
      return UNIQUE_TRIMMED.has(field) ? text?.trim() || null : text;
    }
  }
}

/** The writable fields present in `body`, validated. Absent fields stay absent (partial update). */
function normalizeChanges(body: Record<string, unknown>, exclude: readonly string[] = []): Partial<DealposCustomer> {
  const changes: Record<string, unknown> = {};
  for (const field of DEALPOS_WRITABLE_FIELDS) {
    if (exclude.includes(field) || !(field in body) || body[field] === undefined) continue;
    changes[field] = normalizeWritable(field, body[field]);
  }
  return changes as Partial<DealposCustomer>;
}

function emptyCustomer(id: string, joinDate: string): DealposCustomer {
  return {
    ID: id, Code: null, Name: '', FirstName: null, LastName: null, Email: null, Phone: null, Mobile: null,
    Address: null, Gender: false, BirthDate: null, JoinDate: joinDate, Group: null, ExpiredGroup: null,
    LoyaltyPoint: 0, Status: 'Active', ReferredBy: null, ImageURL: null, SignUpOutlet: null,
    EmailVerified: false, MobileVerified: false, AppLastSignIn: null,
  };
}

/** A whole record from a data file or the control endpoint: server-owned fields included. */
function normalizeStoredRecord(raw: unknown, today: string): DealposCustomer {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('a customer must be a JSON object');
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const canonical = CANONICAL_BY_LOWER.get(key.toLowerCase());
    if (canonical !== undefined) body[canonical] = value;
  }
  const idText = asText('ID', body.ID)?.trim();
  const record = emptyCustomer(idText || randomUUID(), today);
  Object.assign(record, normalizeChanges({ ...body, Name: body.Name ?? null }));
  if (body.JoinDate !== undefined && body.JoinDate !== null && body.JoinDate !== '') {
    record.JoinDate = normalizeDate('JoinDate', body.JoinDate) ?? today;
  }
  for (const flag of ['EmailVerified', 'MobileVerified'] as const) {
    const value = body[flag];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') throw badRequest(`${flag} must be true or false.`);
    record[flag] = value;
  }
  if (body.AppLastSignIn !== undefined && body.AppLastSignIn !== null && body.AppLastSignIn !== '') {
    const parts = typeof body.AppLastSignIn === 'string' ? parseDateParts(body.AppLastSignIn) : null;
    if (!parts) throw badRequest(`AppLastSignIn '${String(body.AppLastSignIn)}' is not a valid date.`);
    record.AppLastSignIn = `${parts.day}T${parts.time}`;
  }
  return record;
}

// ---------------------------------------------------------------------------------------------
// Codes

const CODE_RE = /^(.*-)(\d{1,15})$/;

/**
 * Tracks the highest `PREFIX-NNN` code so NewCode and code assignment are O(1). Removing the
 * current highest code marks the tracker stale; the next question rescans once.
 */
class CodeTracker {
  private best: { prefix: string; num: number; width: number; lower: string } | null = null;
  private stale = false;

  reset(): void {
    this.best = null;
    this.stale = false;
  }

  add(code: string | null): void {
    if (code === null || this.stale) return;
    const m = CODE_RE.exec(code);
    if (!m) return;
    const num = Number(m[2]);
    if (this.best === null || num > this.best.num) {
      this.best = { prefix: m[1] as string, num, width: (m[2] as string).length, lower: code.toLowerCase() };
    }
  }

  remove(code: string | null): void {
    if (code !== null && this.best !== null && code.toLowerCase() === this.best.lower) this.stale = true;
  }

  next(allCodes: () => Iterable<string | null>): string {
    if (this.stale) {
      this.best = null;
      this.stale = false;
      for (const code of allCodes()) this.add(code);
    }
    if (this.best === null) return DEALPOS_FIRST_CODE;
    return this.best.prefix + String(this.best.num + 1).padStart(this.best.width, '0');
  }
}

// ---------------------------------------------------------------------------------------------
// State

/** Customers with O(1) lookups by ID, Code, Email, Mobile and Phone. Map order = list order. */
class CustomerStore {
  readonly byId = new Map<string, DealposCustomer>();
  private readonly byCode = new Map<string, string>();
  private readonly byEmail = new Map<string, string>();
  private readonly byMobile = new Map<string, string>();
  /** Phone is not unique: the set keeps every holder, in the order they got the number. */
  private readonly byPhone = new Map<string, Set<string>>();
  /** ID key -> salted scrypt hash. The PIN itself is never stored. */
  readonly pins = new Map<string, string>();
  readonly codes = new CodeTracker();

  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
    this.byCode.clear();
    this.byEmail.clear();
    this.byMobile.clear();
    this.byPhone.clear();
    this.pins.clear();
    this.codes.reset();
  }

  get(id: string): DealposCustomer | undefined {
    return this.byId.get(id.toLowerCase());
  }
  getByCode(code: string): DealposCustomer | undefined {
    const key = this.byCode.get(code.toLowerCase());
    return key === undefined ? undefined : this.byId.get(key);
  }
  getByEmail(email: string): DealposCustomer | undefined {
    const key = this.byEmail.get(email.toLowerCase());
    return key === undefined ? undefined : this.byId.get(key);
  }
  getByMobile(mobile: string): DealposCustomer | undefined {
    const key = this.byMobile.get(mobile);
    return key === undefined ? undefined : this.byId.get(key);
  }
  /** Phone matches the `Phone` field first (the longest holder wins), else `Mobile`. */
  getByPhone(phone: string): DealposCustomer | undefined {
    const holders = this.byPhone.get(phone);
    if (holders) for (const key of holders) return this.byId.get(key);
    return this.getByMobile(phone);
  }

  /** The message of the first uniqueness clash of `record` with another customer, or null. */
  conflict(record: Pick<DealposCustomer, 'Code' | 'Email' | 'Mobile'>, selfKey: string | null): string | null {
    const taken = (index: Map<string, string>, key: string) => {
      const holder = index.get(key);
      return holder !== undefined && holder !== selfKey;
    };
    if (record.Code !== null && taken(this.byCode, record.Code.toLowerCase())) return `Code ${record.Code} already exists.`;
    if (record.Email !== null && taken(this.byEmail, record.Email.toLowerCase())) return `Email ${record.Email} already exists.`;
    if (record.Mobile !== null && taken(this.byMobile, record.Mobile)) return `Mobile ${record.Mobile} already exists.`;
    return null;
  }

  insert(record: DealposCustomer): void {
    const key = record.ID.toLowerCase();
    this.byId.set(key, record);
    this.index(key, record);
  }

  /** Stores `next` in place of the record with the same ID, keeping its list position. */
  replace(prev: DealposCustomer, next: DealposCustomer): void {
    const key = prev.ID.toLowerCase();
    this.unindex(key, prev);
    this.byId.set(key, next);
    this.index(key, next);
  }

  remove(record: DealposCustomer): void {
    const key = record.ID.toLowerCase();
    this.unindex(key, record);
    this.byId.delete(key);
    this.pins.delete(key);
  }

  private index(key: string, r: DealposCustomer): void {
    if (r.Code !== null) this.byCode.set(r.Code.toLowerCase(), key);
    if (r.Email !== null) this.byEmail.set(r.Email.toLowerCase(), key);
    if (r.Mobile !== null) this.byMobile.set(r.Mobile, key);
    if (r.Phone !== null && r.Phone !== '') {
      let holders = this.byPhone.get(r.Phone);
      if (!holders) this.byPhone.set(r.Phone, (holders = new Set()));
      holders.add(key);
    }
    this.codes.add(r.Code);
  }

  private unindex(key: string, r: DealposCustomer): void {
    if (r.Code !== null && this.byCode.get(r.Code.toLowerCase()) === key) this.byCode.delete(r.Code.toLowerCase());
    if (r.Email !== null && this.byEmail.get(r.Email.toLowerCase()) === key) this.byEmail.delete(r.Email.toLowerCase());
    if (r.Mobile !== null && this.byMobile.get(r.Mobile) === key) this.byMobile.delete(r.Mobile);
    if (r.Phone !== null && r.Phone !== '') {
      const holders = this.byPhone.get(r.Phone);
      holders?.delete(key);
      if (holders?.size === 0) this.byPhone.delete(r.Phone);
    }
    this.codes.remove(r.Code);
  }
}

/** Persisted form of the DealPOS state. Tokens are deliberately absent: a restart revokes them. */
export interface DealposSnapshot {
  customers: DealposCustomer[];
  /** Customer ID -> `scrypt$N$r$p$salt$hash`. */
  pins: Record<string, string>;
}

// PIN hashing: scrypt with a small cost. PINs are 4-6 digits, so no hash makes them strong; the point
// is that neither the data file nor the request log holds them in clear.
const PIN_SCRYPT = { N: 1024, r: 8, p: 1 } as const;
const PIN_RE = /^\d{4,6}$/;

function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, PIN_SCRYPT);
  return `scrypt$${PIN_SCRYPT.N}$${PIN_SCRYPT.r}$${PIN_SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function checkPin(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

// ---------------------------------------------------------------------------------------------
// List parameters

interface ListParams {
  name: string | null;
  outlet: string | null;
  from: string | null;
  to: string | null;
  pageNumber: number;
  pageSize: number;
}

function parseListParams(source: (name: string) => unknown): ListParams {
  const text = (name: string): string | null => {
    const value = asText(name, source(name));
    return value === null || value.trim() === '' ? null : value;
  };
  const day = (name: string): string | null => {
    const value = text(name);
    if (value === null) return null;
    const parts = parseDateParts(value);
    if (!parts) throw badRequest(`${name} '${value}' is not a valid date; use yyyy-MM-dd.`);
    return parts.day;
  };
  const whole = (name: string, fallback: number): number => {
    const value = text(name);
    if (value === null) return fallback;
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
      throw badRequest(`${name} must be a whole number, 1 or more.`);
    }
    return n;
  };
  return {
    name: text('Name')?.toLowerCase() ?? null,
    outlet: text('Outlet')?.toLowerCase() ?? null,
    from: day('From'),
    to: day('To'),
    pageNumber: whole('PageNumber', 1),
    pageSize: Math.min(DEALPOS_MAX_PAGE_SIZE, whole('PageSize', DEALPOS_DEFAULT_PAGE_SIZE)),
  };
}

function matchesList(r: DealposCustomer, p: ListParams): boolean {
  if (p.name !== null && !r.Name.toLowerCase().includes(p.name)) return false;
  if (p.outlet !== null && (r.SignUpOutlet ?? '').toLowerCase() !== p.outlet) return false;
  if (p.from !== null || p.to !== null) {
    const day = r.JoinDate.slice(0, 10);
    if (p.from !== null && day < p.from) return false;
    if (p.to !== null && day > p.to) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The emulator

type Handler = (req: EmulatorRequest) => EmulatorReply;
interface Route {
  handler: Handler;
  /** A successful answer changed the state. */
  mutation: boolean;
}

const TOKEN_ROUTE = '/token/oauth2';

const DEALPOS_SETTINGS: SettingChecks<{ tokenTtlSeconds: number; codeGenerator: boolean }> = {
  tokenTtlSeconds: positiveSeconds,
  codeGenerator: onOff,
};

export class DealposEmulator implements BackendEmulator {
  readonly name = 'dealpos';
  readonly basePath = DEALPOS_BASE_PATH;
  private store = new CustomerStore();
  private readonly tokens = new Map<string, number>();
  private tokensIssued = 0;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private tokenTtlSeconds: number;
  private codeGenerator: boolean;
  private readonly clock: () => Date;
  /** Lower-cased route -> method -> route. */
  private readonly routes: Map<string, Map<string, Route>>;

  constructor(opts: DealposEmulatorOptions = {}) {
    this.clientId = opts.clientId ?? DEALPOS_DEFAULT_CLIENT_ID;
    this.clientSecret = opts.clientSecret ?? DEALPOS_DEFAULT_CLIENT_SECRET;
    this.tokenTtlSeconds = DEALPOS_DEFAULT_TOKEN_TTL_SECONDS;
    this.codeGenerator = true;
    this.clock = opts.clock ?? (() => new Date());
    this.configure({
      ...(opts.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: opts.tokenTtlSeconds } : {}),
      ...(opts.codeGenerator !== undefined ? { codeGenerator: opts.codeGenerator } : {}),
    });
    const r = (handler: Handler, mutation: boolean): Route => ({ handler: handler.bind(this), mutation });
    this.routes = new Map<string, Map<string, Route>>([
      [TOKEN_ROUTE, new Map([['POST', r(this.token, false)]])],
      ['/customer', new Map([
        ['GET', r(this.list, false)],
        ['PUT', r((req) => this.updateBy(req, 'Email'), true)],
        ['POST', r(this.create, true)],
        ['DELETE', r((req) => this.deleteBy(req, 'Email'), true)],
      ])],
      ['/customer/p', new Map([['POST', r(this.list, false)]])],
      ['/customer/appsignin', new Map([['PUT', r(this.appSignIn, true)]])],
      ['/customer/detail', new Map([['GET', r(this.detail, false)]])],
      ['/customer/bycode', new Map([['PUT', r((req) => this.updateBy(req, 'Code'), true)]])],
      ['/customer/byid', new Map([['PUT', r((req) => this.updateBy(req, 'ID'), true)]])],
      ['/customer/listid', new Map([['GET', r(this.listId, false)]])],
      ['/customer/bymobilephone', new Map([['PUT', r((req) => this.updateBy(req, 'Mobile'), true)]])],
      ['/customer/verifymobile', new Map([['PUT', r((req) => this.verify(req, 'MobileVerified'), true)]])],
      ['/customer/verifyemail', new Map([['PUT', r((req) => this.verify(req, 'EmailVerified'), true)]])],
      ['/customer/deletebycode', new Map([['DELETE', r((req) => this.deleteBy(req, 'Code'), true)]])],
      ['/customer/withtotalcount', new Map([['GET', r(this.withTotalCount, false)]])],
      ['/customer/suspend', new Map([['PUT', r((req) => this.setStatus(req, 'Suspended'), true)]])],
      ['/customer/newcode', new Map([['GET', r(this.newCode, false)]])],
      ['/customer/merge', new Map([['PUT', r(this.merge, true)]])],
      ['/customer/pin/authenticate', new Map([['POST', r(this.authenticatePin, false)]])],
      ['/customer/pin', new Map([['PUT', r(this.setPin, true)]])],
      ['/customer/unsuspend', new Map([['PUT', r((req) => this.setStatus(req, 'Active'), true)]])],
    ]);
  }

  // --- BackendEmulator ---------------------------------------------------------------------

  handle(req: EmulatorRequest): EmulatorReply {
    const methods = this.routes.get(req.route);
    if (!methods) return this.errorReply(404, `No HTTP resource was found that matches the request URI '${req.path}'.`);
    const route = methods.get(req.method);
    if (!route) {
      return {
        status: 405,
        body: { Message: `The requested resource does not support http method '${req.method}'.` },
        headers: { Allow: [...methods.keys()].join(', ') },
      };
    }
    try {
      if (req.route !== TOKEN_ROUTE) this.authorize(req);
      return route.handler(req);
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, body: { ...err.extra, Message: err.message } };
      throw err;
    }
  }

  isMutation(req: EmulatorRequest): boolean {
    return this.routes.get(req.route)?.get(req.method)?.mutation ?? false;
  }

  isTokenRequest(req: EmulatorRequest): boolean {
    return req.route === TOKEN_ROUTE;
  }

  errorReply(status: number, message: string): EmulatorReply {
    return { status, body: { Message: message } };
  }

  quotaExceededReply(info: RateLimitInfo): EmulatorReply {
    return {
      status: 429,
      body: {
        Message: `API calls quota exceeded! maximum admitted ${info.limit} per ${info.windowSeconds}s. Try again in ${info.resetSeconds} seconds.`,
      },
    };
  }

  rateLimitHeaders(info: RateLimitInfo): Record<string, string> {
    return draftRateLimitHeaders(info);
  }

  snapshot(): DealposSnapshot {
    return { customers: [...this.store.byId.values()], pins: Object.fromEntries(this.store.pins) };
  }

  restore(data: unknown): void {
    const isSnapshot = data !== null && typeof data === 'object' && !Array.isArray(data);
    const records = isSnapshot ? (data as { customers?: unknown }).customers : data;
    const pins = isSnapshot ? (data as { pins?: unknown }).pins ?? {} : {};
    if (!Array.isArray(records)) throw new SandboxInputError('expected {"customers": [...], "pins": {...}} or an array of customers');
    if (pins === null || typeof pins !== 'object' || Array.isArray(pins)) throw new SandboxInputError('"pins" must be an object');
    this.load(records, pins as Record<string, unknown>);
  }

  seed(n: number): void {
    this.store.clear();
    for (const record of dealposSeedCustomers(n)) this.store.insert(record);
  }

  customers(): DealposCustomer[] {
    return Array.from(this.store.byId.values(), (r) => ({ ...r }));
  }

  replaceCustomers(records: unknown): void {
    if (!Array.isArray(records)) throw new SandboxInputError('send a JSON array of customer records');
    // PINs of customers whose ID is still there are kept.
    this.load(records, Object.fromEntries(this.store.pins));
  }

  credentials(): SandboxCredentials {
    return { clientId: this.clientId, clientSecret: this.clientSecret };
  }

  config(): Record<string, unknown> {
    return { codeGenerator: this.codeGenerator, tokenTtlSeconds: this.tokenTtlSeconds };
  }

  configure(partial: Record<string, unknown>): void {
    const { tokenTtlSeconds, codeGenerator } = checkSettings(partial, DEALPOS_SETTINGS);
    if (tokenTtlSeconds !== undefined) this.tokenTtlSeconds = tokenTtlSeconds;
    if (codeGenerator !== undefined) this.codeGenerator = codeGenerator;
  }

  stats(): BackendStats {
    return { tokensIssued: this.tokensIssued, customers: this.store.size };
  }

  // --- helpers -----------------------------------------------------------------------------

  /** Replaces the whole state after checking every record; nothing changes on error. */
  private load(records: unknown[], pins: Record<string, unknown>): void {
    const today = this.today();
    const next = new CustomerStore();
    records.forEach((raw, i) => {
      let record: DealposCustomer;
      try {
        record = normalizeStoredRecord(raw, today);
      } catch (err) {
        throw new SandboxInputError(`customer #${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (next.get(record.ID)) throw new SandboxInputError(`customer #${i + 1}: ID ${record.ID} already exists.`);
      const clash = next.conflict(record, null);
      if (clash) throw new SandboxInputError(`customer #${i + 1}: ${clash}`);
      next.insert(record);
    });
    for (const [id, hash] of Object.entries(pins)) {
      if (typeof hash !== 'string') throw new SandboxInputError(`PIN hash of ${id} must be a string`);
      if (next.get(id)) next.pins.set(id.toLowerCase(), hash);
    }
    this.store = next;
  }

  private today(): string {
    return `${localStamp(this.clock()).slice(0, 10)}T00:00:00`;
  }

  private authorize(req: EmulatorRequest): void {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const expires = m ? this.tokens.get(m[1] as string) : undefined;
    if (expires === undefined || expires <= Date.now()) {
      if (m && expires !== undefined) this.tokens.delete(m[1] as string);
      throw new ApiError(401, DEALPOS_MESSAGES.denied);
    }
  }

  private find(id: string | undefined): DealposCustomer {
    const found = id === undefined ? undefined : this.store.get(id);
    if (!found) throw notFound();
    return found;
  }

  private requireId(body: Record<string, unknown>, req: EmulatorRequest): string {
    const id = identifier(body, req, 'ID');
    if (id === undefined) throw badRequest('ID is required.');
    return id;
  }

  // --- handlers ----------------------------------------------------------------------------

  private token(req: EmulatorRequest): EmulatorReply {
    if (req.bodyError !== undefined) throw badRequest(`The request body is not valid JSON: ${req.bodyError}`);
    let id: unknown;
    let secret: unknown;
    if (req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body)) {
      for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
        if (key.toLowerCase() === 'client_id') id = value;
        if (key.toLowerCase() === 'client_secret') secret = value;
      }
    }
    if (id !== this.clientId || secret !== this.clientSecret) {
      return { status: 401, body: { Message: DEALPOS_MESSAGES.badCredentials } };
    }
    const now = Date.now();
    if (this.tokens.size >= 1024) for (const [t, exp] of this.tokens) if (exp <= now) this.tokens.delete(t);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, now + this.tokenTtlSeconds * 1000);
    this.tokensIssued++;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: Math.ceil(this.tokenTtlSeconds) } };
  }

  private listParams(req: EmulatorRequest): ListParams {
    if (req.method === 'POST') {
      const body = bindBody(req);
      return parseListParams((name) => body[name] ?? req.query.get(name));
    }
    return parseListParams((name) => req.query.get(name));
  }

  private list(req: EmulatorRequest): EmulatorReply {
    const p = this.listParams(req);
    const skip = (p.pageNumber - 1) * p.pageSize;
    const page: DealposCustomer[] = [];
    let seen = 0;
    for (const r of this.store.byId.values()) {
      if (!matchesList(r, p)) continue;
      if (seen++ < skip) continue;
      page.push(r);
      if (page.length === p.pageSize) break;
    }
    return { status: 200, body: page };
  }

  private withTotalCount(req: EmulatorRequest): EmulatorReply {
    const p = this.listParams(req);
    const skip = (p.pageNumber - 1) * p.pageSize;
    const page: DealposCustomer[] = [];
    let total = 0;
    for (const r of this.store.byId.values()) {
      if (!matchesList(r, p)) continue;
      if (total >= skip && page.length < p.pageSize) page.push(r);
      total++;
    }
    return { status: 200, body: { TotalCount: total, DataArray: page } };
  }

  private listId(req: EmulatorRequest): EmulatorReply {
    const asked = req.query.getAll('ID').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    if (asked.length === 0) throw badRequest('ID is required: ?ID=a&ID=b or ?ID=a,b.');
    const seen = new Set<string>();
    const found: DealposCustomer[] = [];
    for (const id of asked) {
      const r = this.store.get(id);
      if (r && !seen.has(r.ID)) {
        seen.add(r.ID);
        found.push(r);
      }
    }
    return { status: 200, body: found };
  }

  private detail(req: EmulatorRequest): EmulatorReply {
    const q = (name: string) => {
      const v = req.query.get(name)?.trim();
      return v ? v : undefined;
    };
    const id = q('ID'), code = q('Code'), email = q('Email'), mobile = q('Mobile');
    let found: DealposCustomer | undefined;
    if (id !== undefined) found = this.store.get(id);
    else if (code !== undefined) found = this.store.getByCode(code);
    else if (email !== undefined) found = this.store.getByEmail(email);
    else if (mobile !== undefined) found = this.store.getByMobile(mobile);
    else throw badRequest('One of ID, Code, Email or Mobile is required.');
    if (!found) throw notFound();
    return { status: 200, body: found };
  }

  private newCode(): EmulatorReply {
    if (!this.codeGenerator) throw badRequest(DEALPOS_MESSAGES.generatorOff);
    return { status: 200, body: this.nextCode() };
  }

  private nextCode(): string {
    const store = this.store;
    return store.codes.next(function* () {
      for (const r of store.byId.values()) yield r.Code;
    });
  }

  private create(req: EmulatorRequest): EmulatorReply {
    const body = bindBody(req);
    if (body.Name === undefined || body.Name === null) throw badRequest('Name is required.');
    const changes = normalizeChanges(body);
    const record: DealposCustomer = { ...emptyCustomer(randomUUID(), this.today()), ...changes };
    if (record.Code === null && this.codeGenerator) record.Code = this.nextCode();
    const clash = this.store.conflict(record, null);
    if (clash) throw badRequest(clash);
    this.store.insert(record);
    return { status: 200, body: { ID: record.ID } };
  }

  /**
   * Updates are PARTIAL [pinned by us]: a field absent from the body is left unchanged, and an
   * explicit `null` clears it (LoyaltyPoint to 0; Name cannot be cleared). poscust relies on this to
   * send only the fields a user set. The key field (Email, Code or Mobile) only finds the record;
   * to change it, update by ID.
   */
  private updateBy(req: EmulatorRequest, key: 'Email' | 'Code' | 'Mobile' | 'ID'): EmulatorReply {
    const body = bindBody(req);
    const value = identifier(body, req, key);
    if (value === undefined) throw badRequest(`${key} is required.`);
    const prev =
      key === 'ID' ? this.store.get(value)
      : key === 'Code' ? this.store.getByCode(value)
      : key === 'Email' ? this.store.getByEmail(value)
      : this.store.getByMobile(value);
    if (!prev) throw notFound();
    const changes = normalizeChanges(body, key === 'ID' ? [] : [key]);
    const next: DealposCustomer = { ...prev, ...changes };
    const clash = this.store.conflict(next, prev.ID.toLowerCase());
    if (clash) throw badRequest(clash);
    this.store.replace(prev, next);
    return { status: 200, body: { ID: next.ID, Message: DEALPOS_MESSAGES.updated } };
  }

  private deleteBy(req: EmulatorRequest, key: 'Email' | 'Code'): EmulatorReply {
    const body = bindBody(req);
    const value = identifier(body, req, key);
    if (value === undefined) throw badRequest(`${key} is required.`);
    const found = key === 'Email' ? this.store.getByEmail(value) : this.store.getByCode(value);
    if (!found) throw notFound();
    this.store.remove(found);
    return { status: 200, body: { Message: DEALPOS_MESSAGES.deleted } };
  }

  private appSignIn(req: EmulatorRequest): EmulatorReply {
    const prev = this.find(this.requireId(bindBody(req), req));
    this.store.replace(prev, { ...prev, AppLastSignIn: localStamp(this.clock()) });
    return { status: 200, body: { Message: 'AppLastSignIn updated' } };
  }

  private verify(req: EmulatorRequest, flag: 'EmailVerified' | 'MobileVerified'): EmulatorReply {
    const body = bindBody(req);
    const prev = this.find(this.requireId(body, req));
    if (typeof body.Verified !== 'boolean') throw badRequest('Verified must be true or false.');
    this.store.replace(prev, { ...prev, [flag]: body.Verified });
    const what = flag === 'EmailVerified' ? 'Email' : 'Mobile';
    return { status: 200, body: { Message: `${what} marked as ${body.Verified ? 'verified' : 'unverified'}.` } };
  }

  /** Suspend/Unsuspend: the first identifier present wins (ID, Code, Email, Phone); no fallback. */
  private setStatus(req: EmulatorRequest, status: 'Active' | 'Suspended'): EmulatorReply {
    const body = bindBody(req);
    const id = identifier(body, req, 'ID');
    const code = identifier(body, req, 'Code');
    const email = identifier(body, req, 'Email');
    const phone = identifier(body, req, 'Phone');
    let found: DealposCustomer | undefined;
    if (id !== undefined) found = this.store.get(id);
    else if (code !== undefined) found = this.store.getByCode(code);
    else if (email !== undefined) found = this.store.getByEmail(email);
    else if (phone !== undefined) found = this.store.getByPhone(phone);
    else throw badRequest('One of ID, Code, Email or Phone is required.');
    if (!found) throw notFound();
    if (found.Status !== status) this.store.replace(found, { ...found, Status: status });
    return {
      status: 200,
      body: { Message: status === 'Suspended' ? DEALPOS_MESSAGES.suspended : DEALPOS_MESSAGES.unsuspended },
    };
  }

  /** All or nothing: every ID is checked before anything changes. */
  private merge(req: EmulatorRequest): EmulatorReply {
    const body = bindBody(req);
    const targetId = asText('TargetID', body.TargetID)?.trim();
    if (!targetId) throw badRequest('TargetID is required.');
    const rawSources = typeof body.SourceIDs === 'string' ? body.SourceIDs.split(',') : body.SourceIDs;
    if (!Array.isArray(rawSources)) throw badRequest('SourceIDs must be a list of customer IDs.');
    const sourceIds = [...new Set(rawSources.map((v) => asText('SourceIDs', v)?.trim().toLowerCase() ?? '').filter(Boolean))];
    if (sourceIds.length === 0) throw badRequest('SourceIDs must name at least one customer.');
    if (sourceIds.includes(targetId.toLowerCase())) throw badRequest('TargetID cannot be one of the SourceIDs.');
    const target = this.find(targetId);
    const sources = sourceIds.map((id) => this.find(id));
    const points = sources.reduce((sum, s) => sum + s.LoyaltyPoint, target.LoyaltyPoint);
    for (const source of sources) this.store.remove(source);
    this.store.replace(target, { ...target, LoyaltyPoint: points });
    return { status: 200, body: { ID: target.ID, Message: DEALPOS_MESSAGES.merged } };
  }

  private pinOf(body: Record<string, unknown>): string | undefined {
    const pin = body.PIN;
    if (typeof pin === 'string') return pin.trim();
    if (typeof pin === 'number' && Number.isInteger(pin) && pin >= 0) return String(pin);
    return undefined;
  }

  private setPin(req: EmulatorRequest): EmulatorReply {
    const body = bindBody(req);
    const customer = this.find(this.requireId(body, req));
    const pin = this.pinOf(body);
    if (pin === undefined || !PIN_RE.test(pin)) throw badRequest('PIN must be 4 to 6 digits.');
    this.store.pins.set(customer.ID.toLowerCase(), hashPin(pin));
    return { status: 200, body: { Message: DEALPOS_MESSAGES.pinUpdated } };
  }

  private authenticatePin(req: EmulatorRequest): EmulatorReply {
    const body = bindBody(req);
    const customer = this.find(this.requireId(body, req));
    const stored = this.store.pins.get(customer.ID.toLowerCase());
    if (stored === undefined) throw new ApiError(400, DEALPOS_MESSAGES.noPin, { Authenticated: false });
    const pin = this.pinOf(body);
    if (pin === undefined || !PIN_RE.test(pin) || !checkPin(pin, stored)) {
      throw new ApiError(400, DEALPOS_MESSAGES.invalidPin, { Authenticated: false });
    }
    return { status: 200, body: { Authenticated: true } };
  }
}

/** Factory used by index.ts's backend registry. */
export function createDealposEmulator(opts: DealposEmulatorOptions = {}): DealposEmulator {
  return new DealposEmulator(opts);
}

export { DEALPOS_EMPTY_DATE };
