// DealPOS customer records in the sandbox: the fields of the contract (shared/api/dealpos.md), the
// answers a handler raises, and how requests bind to records.
//
// Binding follows ASP.NET Web API, which the real server runs on: route segments, query-parameter
// names and JSON body field names are matched case-insensitively (`Birthdate` == `BirthDate`),
// unknown body fields are ignored, and records are stored and returned under the canonical
// PascalCase names of the contract.

import { randomUUID } from 'node:crypto';
import type { EmulatorRequest } from '../core/emulator.js';

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

/** A 4xx/5xx answer raised inside a handler. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const notFound = () => new ApiError(404, DEALPOS_MESSAGES.notFound);

// ---------------------------------------------------------------------------------------------
// Dates

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Parses `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm:ss` (optional fraction/zone); null when not a real date. */
export function parseDateParts(text: string): { day: string; time: string } | null {
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

export function localStamp(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Midnight of `date`'s local day, as `JoinDate` is stamped. */
export function startOfDay(date: Date): string {
  return `${localStamp(date).slice(0, 10)}T00:00:00`;
}

// ---------------------------------------------------------------------------------------------
// Binding and validation

const CANONICAL_BY_LOWER = new Map<string, string>();
for (const name of [...DEALPOS_FIELDS, 'TargetID', 'SourceIDs', 'PIN', 'Verified', 'PageNumber', 'PageSize', 'Outlet', 'From', 'To']) {
  CANONICAL_BY_LOWER.set(name.toLowerCase(), name);
}

/** Body fields under their canonical names (case-insensitive binding); unknown fields dropped. */
export function bindBody(req: EmulatorRequest): Record<string, unknown> {
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

export function asText(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw badRequest(`${field} must be a string.`);
}

/** An identifier from the body, else the query string; '' counts as absent. */
export function identifier(body: Record<string, unknown>, req: EmulatorRequest, name: string): string | undefined {
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
export function normalizeChanges(body: Record<string, unknown>, exclude: readonly string[] = []): Partial<DealposCustomer> {
  const changes: Record<string, unknown> = {};
  for (const field of DEALPOS_WRITABLE_FIELDS) {
    if (exclude.includes(field) || !(field in body) || body[field] === undefined) continue;
    changes[field] = normalizeWritable(field, body[field]);
  }
  return changes as Partial<DealposCustomer>;
}

export function emptyCustomer(id: string, joinDate: string): DealposCustomer {
  return {
    ID: id, Code: null, Name: '', FirstName: null, LastName: null, Email: null, Phone: null, Mobile: null,
    Address: null, Gender: false, BirthDate: null, JoinDate: joinDate, Group: null, ExpiredGroup: null,
    LoyaltyPoint: 0, Status: 'Active', ReferredBy: null, ImageURL: null, SignUpOutlet: null,
    EmailVerified: false, MobileVerified: false, AppLastSignIn: null,
  };
}

/** A whole record from a data file or the control endpoint: server-owned fields included. */
export function normalizeStoredRecord(raw: unknown, today: string): DealposCustomer {
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
