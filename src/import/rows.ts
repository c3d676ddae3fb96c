// One CSV row as typed field values, and the comparison of a row with a stored customer.
//
// An empty cell means "not given": it is left out of a create and leaves the stored value alone on
// update (as Salesforce's bulk loader does by default). A half-filled spreadsheet then never wipes
// data, and a re-run is a no-op whatever defaults the server fills in for absent fields. Clearing a
// field is said explicitly: a cell that is exactly `--clear-value` (say `#N/A`) sends null.
import { coerceFieldValue, type FieldDef } from '../backends/schema.js';
import type { CustomerRecord } from '../backends/types.js';
import { PoscustError, UsageError } from '../errors.js';
import { valueAt } from '../output/cells.js';
import { unguardCell } from '../output/csv-guard.js';
import type { Phones } from '../util/phone.js';
import type { ColumnPlan, WriteColumn } from './columns.js';
import type { SourceRow } from './csv-source.js';
import { readDate } from './dates.js';

export interface ParsedRow {
  /** Typed values parallel to `plan.writes`: undefined where the cell is empty (not given), null where it clears the field. */
  values: unknown[];
  /** The key as given (trimmed), or '' when the cell is empty or there is no key column. */
  key: string;
  /**
   * Values that cannot be sent (a phone number that cannot exist in the region), by position in
   * `values`: the row is rejected if one of them would be written. A stored number the file repeats
   * is no write, so an export of a shop with odd numbers still imports back as no change.
   */
  unsendable?: Map<number, string>;
}

export function cellValue(cells: readonly string[], index: number): string {
  return index < 0 ? '' : unguardCell(cells[index] ?? '');
}

/** Excel keeps 15 significant digits of a number: a longer code or phone number typed as one lost digits. */
const EXACT_DIGITS = 1e15;

function lostDigits(field: string, raw: string): string {
  return (
    `${field}: '${raw}' arrived as a number from the workbook, and Excel keeps only 15 digits of a number, so its last digits were lost; ` +
    'format the column as Text in Excel and type the numbers again'
  );
}

/** Types every cell of a row, or says everything wrong with it in one reason. */
export function parseRow(plan: ColumnPlan, row: Pick<SourceRow, 'cells' | 'numbers'>): ParsedRow | { reason: string } {
  const { cells } = row;
  if (cells.length !== plan.header.length) {
    return { reason: `the row has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'}; the header has ${plan.header.length}` };
  }
  const { rules } = plan;
  const problems: string[] = [];
  let unsendable: Map<number, string> | undefined;
  const keyNumber = row.numbers?.get(plan.keyIndex);
  if (keyNumber !== undefined && Math.abs(keyNumber) >= EXACT_DIGITS) problems.push(lostDigits(plan.key.field, cellValue(cells, plan.keyIndex)));
  const values = plan.writes.map((column, i) => {
    const raw = cellValue(cells, column.index);
    if (rules.clearValue !== undefined && raw.trim() === rules.clearValue) {
      if (column.index === plan.keyIndex) problems.push(`${column.field.name} is the --key of this import and cannot be cleared`);
      return null;
    }
    if (raw.trim() === '') return undefined;
    const problem = column.field.type === 'phone' ? rules.phones?.problem(raw) : undefined;
    if (problem) (unsendable ??= new Map()).set(i, `${column.field.name}: ${problem}`);
    try {
      const value = typedValue(plan, column, raw, row.numbers?.get(column.index));
      return column.trimmed && typeof value === 'string' ? value.trim() : value;
    } catch (err) {
      problems.push(err instanceof PoscustError ? err.message : String(err));
      return undefined;
    }
  });
  if (problems.length) return { reason: problems.join('; ') };
  return { values, key: cellValue(cells, plan.keyIndex).trim(), ...(unsendable ? { unsendable } : {}) };
}

/** Why the row cannot be sent as these columns (all when `which` is not given), or undefined. */
export function unsendableReason(row: ParsedRow, which?: readonly number[]): string | undefined {
  if (!row.unsendable) return undefined;
  const reasons = [...row.unsendable].filter(([i]) => which === undefined || which.includes(i)).map(([, reason]) => reason);
  return reasons.length ? reasons.join('; ') : undefined;
}

/** One non-empty cell as its field's value; throws UsageError saying what is wrong. */
function typedValue(plan: ColumnPlan, column: WriteColumn, raw: string, number: number | undefined): unknown {
  const { field } = column;
  const { rules } = plan;
  if (number !== undefined && Math.abs(number) >= EXACT_DIGITS && (field.type === 'phone' || column.trimmed)) throw new UsageError(lostDigits(field.name, raw));
  if (field.type === 'phone' && rules.phones) {
    if (rules.phones.problem(raw)) return raw; // unsendable: see parseRow
    // A number cell lost its leading 0 (and any + or spaces): the text is not what anyone typed,
    // so it is written in E.164 when the region can say which number it is.
    const format = number !== undefined && rules.phones.canFormat(raw) ? 'e164' : rules.phoneFormat;
    if (format && !rules.phones.canFormat(raw)) {
      throw new UsageError(`${field.name}: '${raw}' cannot be written as ${format === 'e164' ? 'E.164' : 'a national number'} without a region (profile add --region, or POSCUST_REGION)`);
    }
    return rules.phones.write(raw, format);
  }
  if (field.type === 'date' || (field.type === 'datetime' && rules.dateFormat && !/^\d{4}-/.test(raw.trim()))) {
    const read = readDate(raw, field.name, rules.dateFormat, field.type === 'datetime');
    if ('reason' in read) throw new UsageError(read.reason);
    return read.value;
  }
  return coerceFieldValue(field, raw);
}

/** The key as the server matches it: trimmed, lower-cased where letter case does not count, a phone number in E.164. */
export function normalizeKey(plan: ColumnPlan, value: string): string {
  if (plan.rules.phones && plan.keyIsPhone) return plan.rules.phones.key(value);
  return plan.key.caseInsensitive ? value.trim().toLowerCase() : value.trim();
}

const EMPTY_DATE = '0001-01-01';

/**
 * A value as text that is equal for values the server treats as equal: numbers as numbers, dates as
 * dates (`2024-01-31` = `2024-01-31T00:00:00`; DealPOS's `0001-01-01` = empty), null = ''.
 * undefined stays undefined: a field the listing did not carry is unknown, not empty.
 */
export function comparable(field: FieldDef, value: unknown, trimmed = false, phones?: Phones): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  switch (field.type) {
    case 'phone':
      return phones ? phones.key(String(value)) : String(value).trim();
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
      // Servers match addresses whatever their letter case: other letters are no change.
      return String(value).trim().toLowerCase();
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
  return plan.writes.map((c) => comparable(c.field, valueAt(record, c.field.name), c.trimmed, plan.rules.phones));
}

/** Names of the written fields whose given value differs from the stored one (unknown counts as different). */
export function changedFields(plan: ColumnPlan, row: ParsedRow, stored: readonly (string | null | undefined)[]): number[] {
  const changed: number[] = [];
  plan.writes.forEach((c, i) => {
    const value = row.values[i];
    if (value === undefined) return;
    const before = stored[i];
    // A clear is a change only where the field holds something (unknown counts as holding something).
    if (before === undefined || comparable(c.field, value, c.trimmed, plan.rules.phones) !== before) changed.push(i);
  });
  return changed;
}

/** The given fields (or only `which`) as a record; dotted names become nested objects. */
export function toRecord(plan: ColumnPlan, row: ParsedRow, which?: readonly number[]): CustomerRecord {
  const out: CustomerRecord = {};
  const indexes = which ?? plan.writes.map((_, i) => i);
  for (const i of indexes) {
    const value = row.values[i];
    // A new customer has nothing to clear.
    if (value === undefined || (value === null && which === undefined)) continue;
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
