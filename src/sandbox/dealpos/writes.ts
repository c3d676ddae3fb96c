// The DealPOS sandbox's write routes: create, the updates by ID/Code/Email/Mobile, the deletes,
// suspend and unsuspend, merge, verify, AppSignIn and the PIN. Each checks everything before it
// changes anything, and stores new record objects (see dealpos-store.ts).

import { randomUUID } from 'node:crypto';
import { PIN_RE, checkPin, hashPin } from './auth.js';
import {
  ApiError, type DealposCustomer, DEALPOS_MESSAGES, asText, badRequest, bindBody, emptyCustomer, identifier, localStamp,
  normalizeChanges, notFound, startOfDay,
} from './records.js';
import type { DealposState } from './store.js';
import { speaks } from './reads.js';
import type { EmulatorReply, EmulatorRequest } from '../core/emulator.js';
import { QueryParams } from '../core/http-input.js';

function find(s: DealposState, id: string | undefined): DealposCustomer {
  const found = id === undefined ? undefined : s.store.get(id);
  if (!found) throw notFound();
  return found;
}

function requireId(body: Record<string, unknown>, req: EmulatorRequest): string {
  const id = identifier(body, req, 'ID');
  if (id === undefined) throw badRequest('ID is required.');
  return id;
}

export function create(s: DealposState, req: EmulatorRequest): EmulatorReply {
  const body = bindBody(req);
  if (body.Name === undefined || body.Name === null) throw badRequest('Name is required.');
  const changes = normalizeChanges(body);
  const record: DealposCustomer = { ...emptyCustomer(randomUUID(), startOfDay(s.clock())), ...changes };
  if (record.Code === null && s.settings.codeGenerator) record.Code = s.store.nextCode();
  const clash = s.store.conflict(record, null);
  if (clash) throw badRequest(clash);
  s.store.insert(record);
  return { status: 200, body: { ID: record.ID } };
}

/**
 * Updates are PARTIAL [pinned by us]: a field absent from the body is left unchanged, and an
 * explicit `null` clears it (LoyaltyPoint to 0; Name cannot be cleared). poscust relies on this to
 * send only the fields a user set. The key field (Email, Code or Mobile) only finds the record;
 * to change it, update by ID.
 */
export function updateBy(s: DealposState, req: EmulatorRequest, key: 'Email' | 'Code' | 'Mobile' | 'ID'): EmulatorReply {
  const body = bindBody(req);
  const value = identifier(body, req, key);
  if (value === undefined) throw badRequest(`${key} is required.`);
  const prev =
    key === 'ID' ? s.store.get(value)
    : key === 'Code' ? s.store.getByCode(value)
    : key === 'Email' ? s.store.getByEmail(value)
    : s.store.getByMobile(value);
  if (!prev) throw notFound();
  const changes = normalizeChanges(body, key === 'ID' ? [] : [key]);
  const next: DealposCustomer = { ...prev, ...changes };
  const clash = s.store.conflict(next, prev.ID.toLowerCase());
  if (clash) throw badRequest(clash);
  s.store.replace(prev, next);
  return { status: 200, body: { ID: next.ID, Message: DEALPOS_MESSAGES.updated } };
}

export function deleteBy(s: DealposState, req: EmulatorRequest, key: 'Email' | 'Code'): EmulatorReply {
  const body = bindBody(req);
  // delete-body: the key binds from the JSON body only, as DealPOS's documented DELETEs do.
  const value = speaks(s, 'delete-body') ? identifier(body, { ...req, query: new QueryParams('') }, key) : identifier(body, req, key);
  if (value === undefined) throw badRequest(speaks(s, 'delete-body') ? `The ${key} field is required.` : `${key} is required.`);
  const found = key === 'Email' ? s.store.getByEmail(value) : s.store.getByCode(value);
  if (!found) throw notFound();
  s.store.remove(found);
  return { status: 200, body: { Message: DEALPOS_MESSAGES.deleted } };
}

export function appSignIn(s: DealposState, req: EmulatorRequest): EmulatorReply {
  const prev = find(s, requireId(bindBody(req), req));
  s.store.replace(prev, { ...prev, AppLastSignIn: localStamp(s.clock()) });
  return { status: 200, body: { Message: 'AppLastSignIn updated' } };
}

export function verify(s: DealposState, req: EmulatorRequest, flag: 'EmailVerified' | 'MobileVerified'): EmulatorReply {
  const body = bindBody(req);
  const prev = find(s, requireId(body, req));
  if (typeof body.Verified !== 'boolean') throw badRequest('Verified must be true or false.');
  s.store.replace(prev, { ...prev, [flag]: body.Verified });
  const what = flag === 'EmailVerified' ? 'Email' : 'Mobile';
  return { status: 200, body: { Message: `${what} marked as ${body.Verified ? 'verified' : 'unverified'}.` } };
}

/** Suspend/Unsuspend: the first identifier present wins (ID, Code, Email, Phone); no fallback. */
export function setStatus(s: DealposState, req: EmulatorRequest, status: 'Active' | 'Suspended'): EmulatorReply {
  const body = bindBody(req);
  const id = identifier(body, req, 'ID');
  const code = identifier(body, req, 'Code');
  const email = identifier(body, req, 'Email');
  const phone = identifier(body, req, 'Phone');
  let found: DealposCustomer | undefined;
  if (id !== undefined) found = s.store.get(id);
  else if (code !== undefined) found = s.store.getByCode(code);
  else if (email !== undefined) found = s.store.getByEmail(email);
  else if (phone !== undefined) found = s.store.getByPhone(phone);
  else throw badRequest('One of ID, Code, Email or Phone is required.');
  if (!found) throw notFound();
  if (found.Status !== status) s.store.replace(found, { ...found, Status: status });
  return {
    status: 200,
    body: { Message: status === 'Suspended' ? DEALPOS_MESSAGES.suspended : DEALPOS_MESSAGES.unsuspended },
  };
}

/** All or nothing: every ID is checked before anything changes. */
export function merge(s: DealposState, req: EmulatorRequest): EmulatorReply {
  const body = bindBody(req);
  const targetId = asText('TargetID', body.TargetID)?.trim();
  if (!targetId) throw badRequest('TargetID is required.');
  const rawSources = typeof body.SourceIDs === 'string' ? body.SourceIDs.split(',') : body.SourceIDs;
  if (!Array.isArray(rawSources)) throw badRequest('SourceIDs must be a list of customer IDs.');
  const sourceIds = [...new Set(rawSources.map((v) => asText('SourceIDs', v)?.trim().toLowerCase() ?? '').filter(Boolean))];
  if (sourceIds.length === 0) throw badRequest('SourceIDs must name at least one customer.');
  if (sourceIds.includes(targetId.toLowerCase())) throw badRequest('TargetID cannot be one of the SourceIDs.');
  const target = find(s, targetId);
  const sources = sourceIds.map((id) => find(s, id));
  const points = sources.reduce((sum, source) => sum + source.LoyaltyPoint, target.LoyaltyPoint);
  for (const source of sources) s.store.remove(source);
  s.store.replace(target, { ...target, LoyaltyPoint: points });
  return { status: 200, body: { ID: target.ID, Message: DEALPOS_MESSAGES.merged } };
}

function pinOf(body: Record<string, unknown>): string | undefined {
  const pin = body.PIN;
  if (typeof pin === 'string') return pin.trim();
  if (typeof pin === 'number' && Number.isInteger(pin) && pin >= 0) return String(pin);
  return undefined;
}

export function setPin(s: DealposState, req: EmulatorRequest): EmulatorReply {
  const body = bindBody(req);
  const customer = find(s, requireId(body, req));
  const pin = pinOf(body);
  if (pin === undefined || !PIN_RE.test(pin)) throw badRequest('PIN must be 4 to 6 digits.');
  s.store.pins.set(customer.ID.toLowerCase(), hashPin(pin));
  return { status: 200, body: { Message: DEALPOS_MESSAGES.pinUpdated } };
}

export function authenticatePin(s: DealposState, req: EmulatorRequest): EmulatorReply {
  const body = bindBody(req);
  const customer = find(s, requireId(body, req));
  const stored = s.store.pins.get(customer.ID.toLowerCase());
  if (stored === undefined) throw new ApiError(400, DEALPOS_MESSAGES.noPin, { Authenticated: false });
  const pin = pinOf(body);
  if (pin === undefined || !PIN_RE.test(pin) || !checkPin(pin, stored)) {
    throw new ApiError(400, DEALPOS_MESSAGES.invalidPin, { Authenticated: false });
  }
  return { status: 200, body: { Authenticated: true } };
}
