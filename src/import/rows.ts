// One CSV row as typed field values, and the comparison of a row with a stored customer.
//
// An empty cell means "not given": it is left out of a create and leaves the stored value alone on
// update (as Salesforce's bulk loader does by default). A half-filled spreadsheet then never wipes
// data, and a re-run is a no-op whatever defaults the server fills in for absent fields.
import { coerceFieldValue, type FieldDef } from '../backends/schema.js';
import type { CustomerRecord } from '../backends/types.js';
import { PoscustError } from '../errors.js';
import { valueAt } from '../output/cells.js';
import { unguardCell } from '../output/csv-guard.js';
import type { ColumnPlan } from './columns.js';

export interface ParsedRow {
  /** Typed values parallel to `plan.writes`; undefined where the cell is empty. */
  values: unknown[];
  /** The key as given (trimmed), or '' when the cell is empty or there is no key column. */
  key: string;
}

export function cellValue(cells: readonly string[], index: number): string {
  return index < 0 ? '' : unguardCell(cells[index] ?? '');
}

/** Types every cell of a row, or says everything wrong with it in one reason. */
export function parseRow(plan: ColumnPlan, cells: readonly string[]): ParsedRow | { reason: string } {
  if (cells.length !== plan.header.length) {
    return { reason: `the row has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'}; the header has ${plan.header.length}` };
  }
  const problems: string[] = [];
  const values = plan.writes.map((column) => {
    const raw = cellValue(cells, column.index);
    if (raw.trim() === '') return undefined;
    try {
      const value = coerceFieldValue(column.field, raw);
      return column.trimmed && typeof value === 'string' ? value.trim() : value;
    } catch (err) {
      problems.push(err instanceof PoscustError ? err.message : String(err));
      return undefined;
    }
  });
  if (problems.length) return { reason: problems.join('; ') };
  return { values, key: cellValue(cells, plan.keyIndex).trim() };
}

/** The key as the server matches it: trimmed, and lower-cased where letter case does not count. */
export function normalizeKey(plan: ColumnPlan, value: string): string {
  return plan.key.caseInsensitive ? value.trim().toLowerCase() : value.trim();
}

const EMPTY_DATE = '0001-01-01';

/**
 * A value as text that is equal for values the server treats as equal: numbers as numbers, dates as
 * dates (`2024-01-31` = `2024-01-31T00:00:00`; DealPOS's `0001-01-01` = empty), null = ''.
 * undefined stays undefined: a field the listing did not carry is unknown, not empty.
 */
export function comparable(field: FieldDef, value: unknown, trimmed = false): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  switch (field.type) {
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      return Number.isFinite(n) ? String(n) : String(value);
    }
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : String(value).trim().toLowerCase();
    case 'date': {
      const day = dayOf(String(value));
      return day === EMPTY_DATE ? null : day;
    }
    case 'datetime':
      return dateTimeOf(String(value));
    case 'enum':
      return String(value).trim().toLowerCase();
    case 'json':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'email':
      return String(value).trim();
    default:
      return trimmed ? String(value).trim() : String(value);
  }
}

function dayOf(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(text.trim());
  if (m) return m[1]!;
  // The old `31 Jul 2019` form some answers carry.
  const t = Date.parse(`${text.trim()} UTC`);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : text;
}

function dateTimeOf(text: string): string | null {
  const s = text.trim();
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(s);
  if (local) {
    if (local[1] === EMPTY_DATE) return null;
    const fraction = local[4] && Number(local[4]) !== 0 ? local[4].replace(/0+$/, '') : '';
    return `${local[1]}T${local[2]}:${local[3] ?? '00'}${fraction}`;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s === EMPTY_DATE ? null : `${s}T00:00:00`;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : s;
}

/** What a stored customer needs kept for the comparison: the comparable values of the written columns. */
export function comparableValues(plan: ColumnPlan, record: CustomerRecord): (string | null | undefined)[] {
  return plan.writes.map((c) => comparable(c.field, valueAt(record, c.field.name), c.trimmed));
}

/** Names of the written fields whose given value differs from the stored one (unknown counts as different). */
export function changedFields(plan: ColumnPlan, row: ParsedRow, stored: readonly (string | null | undefined)[]): number[] {
  const changed: number[] = [];
  plan.writes.forEach((c, i) => {
    const value = row.values[i];
    if (value === undefined) return;
    const before = stored[i];
    if (before === undefined || comparable(c.field, value, c.trimmed) !== before) changed.push(i);
  });
  return changed;
}

/** The given fields (or only `which`) as a record; dotted names become nested objects. */
export function toRecord(plan: ColumnPlan, row: ParsedRow, which?: readonly number[]): CustomerRecord {
  const out: CustomerRecord = {};
  const indexes = which ?? plan.writes.map((_, i) => i);
  for (const i of indexes) {
    const value = row.values[i];
    if (value === undefined) continue;
    const parts = plan.writes[i]!.field.name.split('.');
    let cur = out;
    for (const part of parts.slice(0, -1)) {
      if (typeof cur[part] !== 'object' || cur[part] === null) cur[part] = {};
      cur = cur[part] as CustomerRecord;
    }
    cur[parts[parts.length - 1]!] = value;
  }
  return out;
}
