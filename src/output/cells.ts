// Records as rows of cells: nested objects flattened to dotted columns (PORTOS `address.city`),
// arrays and other objects as JSON, null as empty.
import type { CustomerRecord } from '../backends/types.js';
import { getOwn, setOwn } from '../util/own.js';

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** The value at a dotted path; a top-level key containing the dot wins. */
export function valueAt(record: CustomerRecord, path: string): unknown {
  if (Object.hasOwn(record, path)) return record[path];
  let cur: unknown = record;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = getOwn(cur as Record<string, unknown>, part);
  }
  return cur;
}

/** Column names a record offers: plain objects flattened one dotted level per nesting. */
export function flatKeys(record: CustomerRecord, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(record)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      out.push(...flatKeys(v as CustomerRecord, `${prefix}${k}.`));
    } else {
      out.push(`${prefix}${k}`);
    }
  }
  return out;
}

/** Keeps only `fields` (dotted paths build nested objects), in the given order. */
export function project(record: CustomerRecord, fields: readonly string[]): CustomerRecord {
  const out: CustomerRecord = {};
  for (const path of fields) {
    const value = valueAt(record, path);
    if (Object.hasOwn(record, path) || !path.includes('.')) {
      setOwn(out, path, value ?? null);
      continue;
    }
    const parts = path.split('.');
    let cur = out;
    parts.slice(0, -1).forEach((p) => {
      const next = getOwn(cur, p);
      if (!next || typeof next !== 'object') setOwn(cur, p, {});
      cur = getOwn(cur, p) as CustomerRecord;
    });
    setOwn(cur, parts[parts.length - 1]!, value ?? null);
  }
  return out;
}
