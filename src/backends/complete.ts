// List rows may carry fewer fields than a customer (a DealPOS server's rows have 7 or 14 of its 22
// fields; MYPOS lists a restricted view). A command that needs fields the rows lack reads the full
// records, in as few requests as the backend allows (getMany: DealPOS ListID batches of 100), and
// never prints a blank for a field it did not read. A field is "carried" when its key is there,
// whatever its value: null is a value, a missing key is not (the contract: never treat a missing
// field as empty).
import { cellText, valueAt } from '../output/cells.js';
import type { CustomerBackend, CustomerRecord } from './types.js';

/** Whether `record` has `field`: its key is there (a dotted field under a null parent counts). */
export function carries(record: CustomerRecord, field: string): boolean {
  let cur: unknown = record;
  for (const part of field.split('.')) {
    if (cur === null) return true;
    if (typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return false;
    cur = (cur as Record<string, unknown>)[part];
  }
  return true;
}

/** The fields of `fields` that `record` lacks. */
export function lacks(record: CustomerRecord, fields: readonly string[]): string[] {
  return fields.filter((f) => !carries(record, f));
}

export interface Completed {
  records: CustomerRecord[];
  /** Full records read (0 when the rows carried everything). */
  read: number;
  /** Rows whose customer was gone when its full record was read (deleted since the listing). */
  vanished: number;
}

/**
 * The records with every field of `fields`: rows lacking one are replaced by their full record
 * (read with getMany, in its batches), the row's own fields kept where the full record lacks them
 * (a server's extra list fields are never dropped). Order is kept; a customer deleted meanwhile is
 * left out and counted.
 */
export async function completeRecords(backend: CustomerBackend, rows: readonly CustomerRecord[], fields: readonly string[]): Promise<Completed> {
  const idField = backend.schema.idField;
  const idOf = (r: CustomerRecord) => cellText(valueAt(r, idField)).toLowerCase();
  const wanted = new Set(rows.filter((r) => lacks(r, fields).length > 0 && idOf(r) !== ''));
  if (wanted.size === 0) return { records: [...rows], read: 0, vanished: 0 };
  const { found } = await backend.getMany([...wanted].map((r) => cellText(valueAt(r, idField))));
  const full = new Map(found.map((r) => [idOf(r), r]));
  const records: CustomerRecord[] = [];
  let vanished = 0;
  for (const row of rows) {
    if (!wanted.has(row)) {
      records.push(row);
      continue;
    }
    const whole = full.get(idOf(row));
    if (!whole) {
      vanished++;
      continue;
    }
    const own: CustomerRecord = { ...row };
    for (const key of backend.schema.listRowMeta ?? []) delete own[key];
    records.push({ ...own, ...whole });
  }
  return { records, read: found.length, vanished };
}

/** Whether list rows on this server (as far as seen) lack any of `fields`; undefined when no row was seen yet. */
export function rowsLack(backend: CustomerBackend, fields: readonly string[]): boolean | undefined {
  const seen = backend.listRowFields;
  if (!seen) return undefined;
  return fields.some((f) => !seen.has(f.split('.')[0]!));
}
