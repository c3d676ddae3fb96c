// The DealPOS sandbox's read routes: the customer list (GET, or POST /Customer/P with the
// parameters in the body), WithTotalCount, ListID, Detail and NewCode.

import {
  type DealposCustomer, DEALPOS_MESSAGES, asText, badRequest, bindBody, notFound, parseDateParts,
} from './records.js';
import type { DealposState } from './store.js';
import type { EmulatorReply, EmulatorRequest } from '../core/emulator.js';
import type { DEALPOS_DIALECTS } from './dialects.js';

export const DEALPOS_DEFAULT_PAGE_SIZE = 100;
export const DEALPOS_MAX_PAGE_SIZE = 1000;

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

/** The list parameters of a GET (query) or a POST (body first, then query). */
function listParams(req: EmulatorRequest): ListParams {
  if (req.method === 'POST') {
    const body = bindBody(req);
    return parseListParams((name) => body[name] ?? req.query.get(name));
  }
  return parseListParams((name) => req.query.get(name));
}

/** Whether the sandbox plays this dialect (dialects.ts). */
export function speaks(s: DealposState, dialect: keyof typeof DEALPOS_DIALECTS): boolean {
  return s.settings.dialects.includes(dialect);
}

/** The 14 fields a production ETL's list rows carry; the rest of the customer is not in a row. */
const NARROW_FIELDS = ['ID', 'Code', 'Name', 'FirstName', 'LastName', 'Email', 'Phone', 'Mobile', 'BirthDate', 'JoinDate'] as const;

/** A list row as the dialect has it: the whole customer, or the narrow row (with the ETL's own extra fields). */
function row(s: DealposState, r: DealposCustomer): DealposCustomer | Record<string, unknown> {
  if (!speaks(s, 'narrow-list')) return r;
  const out: Record<string, unknown> = {};
  for (const f of NARROW_FIELDS) out[f] = r[f];
  return { ...out, NationalIDNumber: null, NationalityID: 'ID', ExpiredDate: null, StateID: null };
}

export function list(s: DealposState, req: EmulatorRequest): EmulatorReply {
  const p = listParams(req);
  const skip = (p.pageNumber - 1) * p.pageSize;
  const page: DealposCustomer[] = [];
  let seen = 0;
  for (const r of s.store.byId.values()) {
    if (!matchesList(r, p)) continue;
    if (seen++ < skip) continue;
    page.push(r);
    if (page.length === p.pageSize) break;
  }
  return { status: 200, body: page.map((r) => row(s, r)) };
}

export function withTotalCount(s: DealposState, req: EmulatorRequest): EmulatorReply {
  const p = listParams(req);
  const skip = (p.pageNumber - 1) * p.pageSize;
  const page: DealposCustomer[] = [];
  let total = 0;
  for (const r of s.store.byId.values()) {
    if (!matchesList(r, p)) continue;
    if (total >= skip && page.length < p.pageSize) page.push(r);
    total++;
  }
  const rows = page.map((r) => row(s, r));
  return { status: 200, body: speaks(s, 'records-count') ? { DataArray: rows, RecordsCount: total } : { TotalCount: total, DataArray: rows } };
}

export function listId(s: DealposState, req: EmulatorRequest): EmulatorReply {
  if (speaks(s, 'listid-body')) {
    return { status: 405, body: { Message: "The requested resource does not support http method 'GET'." }, headers: { Allow: 'POST' } };
  }
  const params = req.query.getAll('ID');
  if (speaks(s, 'listid-comma') && params.length > 1) throw badRequest('The request is invalid.');
  return found(s, params.flatMap((v) => v.split(',')));
}

/** The listid-body dialect's POST /Customer/ListID: a JSON array of IDs (or {"ID": [...]}). */
export function listIdByBody(s: DealposState, req: EmulatorRequest): EmulatorReply {
  if (!speaks(s, 'listid-body')) {
    return { status: 405, body: { Message: "The requested resource does not support http method 'POST'." }, headers: { Allow: 'GET' } };
  }
  const body = req.body as unknown;
  const ids = Array.isArray(body) ? body : body && typeof body === 'object' ? (body as { ID?: unknown }).ID : undefined;
  if (!Array.isArray(ids) || !ids.every((v) => typeof v === 'string')) throw badRequest('The body must be a JSON array of IDs.');
  return found(s, ids as string[]);
}

function found(s: DealposState, ids: readonly string[]): EmulatorReply {
  const asked = ids.map((v) => v.trim()).filter(Boolean);
  if (asked.length === 0) throw badRequest('ID is required: ?ID=a&ID=b or ?ID=a,b.');
  const seen = new Set<string>();
  const found: DealposCustomer[] = [];
  for (const id of asked) {
    const r = s.store.get(id);
    if (r && !seen.has(r.ID)) {
      seen.add(r.ID);
      found.push(r);
    }
  }
  return { status: 200, body: found };
}

export function detail(s: DealposState, req: EmulatorRequest): EmulatorReply {
  const q = (name: string) => {
    const v = req.query.get(name)?.trim();
    return v ? v : undefined;
  };
  const id = q('ID'), code = q('Code'), email = q('Email'), mobile = q('Mobile');
  let found: DealposCustomer | undefined;
  if (id !== undefined) found = s.store.get(id);
  else if (code !== undefined) found = s.store.getByCode(code);
  else if (email !== undefined) found = s.store.getByEmail(email);
  else if (mobile !== undefined) found = s.store.getByMobile(mobile);
  else throw badRequest('One of ID, Code, Email or Mobile is required.');
  if (!found) throw notFound();
  return { status: 200, body: found };
}

export function newCode(s: DealposState): EmulatorReply {
  if (!s.settings.codeGenerator) throw badRequest(DEALPOS_MESSAGES.generatorOff);
  const code = s.store.nextCode();
  return { status: 200, body: speaks(s, 'newcode-message') ? { Message: code } : code };
}
