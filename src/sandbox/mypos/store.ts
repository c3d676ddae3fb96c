// The MYPOS sandbox's customers: O(1) lookups by customerId and customerCode, the sales counts that
// make a delete a deactivation, and loading whole records from a data file or the control endpoint.
import { randomUUID } from 'node:crypto';
import { SandboxInputError } from '../core/emulator.js';
import { type MyposCustomer, type Stamp, badRequest, bindFields, emptyCustomer, parseUtc, writableChanges } from './records.js';
import { MYPOS_FIRST_CODE } from './seed.js';

export class CustomerStore {
  /** Lower-cased customerId -> record; map order = creation order = default list order. */
  readonly byId = new Map<string, MyposCustomer>();
  private readonly byCode = new Map<string, string>();
  readonly transactions = new Map<string, number>();
  private maxCode = MYPOS_FIRST_CODE - 1;

  get size(): number {
    return this.byId.size;
  }
  find(identifier: string): MyposCustomer | undefined {
    const byId = this.byId.get(identifier.toLowerCase());
    if (byId) return byId;
    const key = this.byCode.get(identifier.toLowerCase());
    return key === undefined ? undefined : this.byId.get(key);
  }
  findByCode(code: string): MyposCustomer | undefined {
    const key = this.byCode.get(code.toLowerCase());
    return key === undefined ? undefined : this.byId.get(key);
  }
  nextCode(): string {
    return String(this.maxCode + 1);
  }
  insert(record: MyposCustomer, transactions = 0): void {
    const key = record.customerId.toLowerCase();
    if (this.byId.has(key)) throw new SandboxInputError(`customerId ${record.customerId} appears twice`);
    if (this.byCode.has(record.customerCode.toLowerCase())) throw new SandboxInputError(`customerCode ${record.customerCode} appears twice`);
    this.byId.set(key, record);
    this.byCode.set(record.customerCode.toLowerCase(), key);
    if (transactions > 0) this.transactions.set(key, transactions);
    if (/^\d{1,15}$/.test(record.customerCode)) this.maxCode = Math.max(this.maxCode, Number(record.customerCode));
  }
  /** Same id and code (the API cannot change either), so only the record object is swapped. */
  replace(next: MyposCustomer): void {
    this.byId.set(next.customerId.toLowerCase(), next);
  }
  remove(record: MyposCustomer): void {
    const key = record.customerId.toLowerCase();
    this.byId.delete(key);
    this.byCode.delete(record.customerCode.toLowerCase());
    this.transactions.delete(key);
  }
}

/**
 * A store holding `records` (whole records: server-owned fields included, `_transactions` as the
 * sales count), after checking every one; throws SandboxInputError naming the first bad record.
 */
export function loadCustomers(records: unknown[], sales: Record<string, unknown>, stamp: Stamp): CustomerStore {
  const next = new CustomerStore();
  const pending: { raw: Partial<Record<keyof MyposCustomer, unknown>>; index: number; sold: number }[] = [];
  records.forEach((raw, index) => {
    try {
      const sold = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)._transactions ?? 0 : 0;
      if (typeof sold !== 'number' || !Number.isInteger(sold) || sold < 0) throw badRequest('_transactions must be a whole number');
      pending.push({ raw: bindFields(raw), index, sold });
    } catch (err) {
      throw new SandboxInputError(`customer #${index + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  // Records without a code get the next free number after every code in the input.
  let maxCode = MYPOS_FIRST_CODE - 1;
  for (const { raw } of pending) {
    if (typeof raw.customerCode === 'string' && /^\s*\d{1,15}\s*$/.test(raw.customerCode)) maxCode = Math.max(maxCode, Number(raw.customerCode));
  }
  for (const { raw, index, sold } of pending) {
    try {
      const given = typeof raw.customerCode === 'string' && raw.customerCode.trim() !== '' ? raw.customerCode.trim() : undefined;
      const record = storedRecord(raw, given ?? String(++maxCode), stamp);
      const key = record.customerId.toLowerCase();
      next.insert(record, Math.max(sold, Number(sales[record.customerId] ?? sales[key] ?? 0) || 0));
    } catch (err) {
      throw new SandboxInputError(`customer #${index + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return next;
}

/** A whole record from a data file or the control endpoint: server-owned fields included. */
function storedRecord(raw: Partial<Record<keyof MyposCustomer, unknown>>, code: string, stamp: Stamp): MyposCustomer {
  const id = typeof raw.customerId === 'string' && raw.customerId.trim() !== '' ? raw.customerId.trim() : randomUUID();
  const record: MyposCustomer = { ...emptyCustomer(id, code, stamp), ...writableChanges(raw) };
  if (raw.balance !== undefined && raw.balance !== null) {
    if (typeof raw.balance !== 'number' || !Number.isFinite(raw.balance)) throw badRequest('balance must be a number');
    record.balance = raw.balance;
  }
  for (const field of ['lastEditDate', 'lastEditDateUTC', 'creationDate'] as const) {
    const value = raw[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || parseUtc(value) === null) throw badRequest(`${field} '${String(value)}' is not a date-time`);
    record[field] = value;
  }
  return record;
}
