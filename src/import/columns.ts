// From the header row to the fields it feeds: native names matched case-insensitively, `--map
// "Header=Field"` for other headers, and one clear usage error for everything the file gets wrong,
// before a single row is read.
import { findField, findImportKey, refuseForbiddenName, type BackendSchema, type FieldDef, type ImportKeyDef } from '../backends/schema.js';
import { UsageError } from '../errors.js';
import type { PhoneFormat, Phones } from '../util/phone.js';
import type { DatePattern } from './dates.js';

export type ImportMode = 'create' | 'upsert';

/** Extra columns of our own rejects file: a fixed rejects file imports back as is. */
export const REJECT_LINE_COLUMN = '_line';
export const REJECT_REASON_COLUMN = '_reason';

export interface WriteColumn {
  /** Position in the row. */
  index: number;
  field: FieldDef;
  /** An import key: the server trims these, so we compare them trimmed. */
  trimmed: boolean;
}

/** How cells become values beyond their field's type: options of the import (rows.ts). */
export interface CellRules {
  /** --date-format: the pattern of the file's dates (default yyyy-MM-dd). */
  dateFormat?: DatePattern;
  /** --clear-value: a cell that is exactly this clears its field. */
  clearValue?: string;
  /** The profile's phone numbers: set when the file has a phone column or a phone key. */
  phones?: Phones;
  /** --phone-format: write phone numbers in this form instead of as given. */
  phoneFormat?: PhoneFormat;
}

export interface ColumnPlan {
  header: string[];
  rules: CellRules;
  /** Whether the key is a phone number (compared in E.164 when there is a region). */
  keyIsPhone: boolean;
  /** The columns sent on create and compared for update, in file order. */
  writes: WriteColumn[];
  key: ImportKeyDef;
  /** Position of the key column; -1 when the file has none (create mode only). */
  keyIndex: number;
  /** Other key columns present, usable to check whether a create whose answer was lost went through. */
  altKeys: { key: ImportKeyDef; index: number }[];
  /** Columns read but not used (server-owned fields), for a notice. */
  ignored: string[];
  /** Why a column the user gave is not used, said as a warning (create mode and server-assigned keys). */
  warnings: string[];
}

/**
 * `"E-mail Address=Email"` -> header and field; the last `=` splits, field names have none. A
 * header `#N` names the Nth column by position (1-based), for a column without a header.
 */
export function parseMap(entries: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const at = entry.lastIndexOf('=');
    const header = entry.slice(0, at).trim();
    const field = entry.slice(at + 1).trim();
    if (at < 0 || !header || !field) throw new UsageError(`--map '${entry}': expected "Header=Field"`);
    refuseForbiddenName(field, '--map field');
    map.set(header.toLowerCase(), field);
  }
  return map;
}

export function planColumns(
  header: readonly string[],
  schema: BackendSchema,
  options: {
    mode: ImportMode;
    key: string;
    map: readonly string[];
    /** Columns with an empty header that hold data somewhere (scan.ts): each needs a --map "#N=Field". */
    unnamedWithData?: readonly { index: number; line: number }[];
    rules?: CellRules;
    /**
     * Fields this server's records carry beyond the native ones (lower-cased), such as a DealPOS
     * server's NationalIDNumber: an export writes them, so their columns are read but not imported.
     */
    serverFields?: ReadonlySet<string>;
  },
): ColumnPlan {
  const importSchema = schema.import;
  if (!importSchema) throw new UsageError('import is not available for this backend');
  const key = findImportKey(schema, options.key);
  if (!key) {
    throw new UsageError(`--key '${options.key}' is not a key here; use one of: ${importSchema.keys.map((k) => k.name).join(', ')}`);
  }
  const map = parseMap(options.map);
  const used = new Set<string>();
  const byField = new Map<string, string>();
  const unknown: string[] = [];
  const plan: ColumnPlan = {
    header: [...header],
    rules: options.rules ?? {},
    keyIsPhone: findField(schema, key.field)?.type === 'phone',
    writes: [],
    key,
    keyIndex: -1,
    altKeys: [],
    ignored: [],
    warnings: [],
  };
  const keyFields = new Map(importSchema.keys.map((k) => [k.field, k]));

  header.forEach((name, index) => {
    const lower = name.toLowerCase();
    refuseForbiddenName(name, 'column name');
    const position = `#${index + 1}`;
    const byName = name === '' ? undefined : map.get(lower);
    const byPosition = byName === undefined ? map.get(position) : undefined;
    const mapped = byName ?? byPosition;
    if (byName !== undefined) used.add(lower);
    if (byPosition !== undefined) used.add(position);
    if (mapped === undefined && (name === '' || lower === REJECT_LINE_COLUMN || lower === REJECT_REASON_COLUMN)) {
      const data = name === '' ? options.unnamedWithData?.find((u) => u.index === index) : undefined;
      if (data) {
        throw new UsageError(
          `column ${index + 1} has no header but holds data (first on line ${data.line}); ` +
            `give it a header, or read it as a field with --map "${position}=Field"`,
        );
      }
      return;
    }
    const field = findField(schema, mapped ?? name);
    if (!field && mapped === undefined && options.serverFields?.has(lower)) {
      plan.ignored.push(name);
      return;
    }
    if (!field) {
      if (mapped !== undefined) throw new UsageError(`--map '${byName !== undefined ? name : position}=${mapped}': no field '${mapped}'; valid fields: ${fieldNames(schema)}`);
      unknown.push(name);
      return;
    }
    const previous = byField.get(field.name);
    const label = name === '' ? position : name;
    if (previous !== undefined) throw new UsageError(`columns '${previous}' and '${label}' both give ${field.name}; drop or --map one of them`);
    byField.set(field.name, label);
    const asKey = keyFields.get(field.name);
    if (field.name === key.field) plan.keyIndex = index;
    else if (asKey && !asKey.serverAssigned) plan.altKeys.push({ key: asKey, index });
    if (asKey?.serverAssigned && options.mode === 'create') {
      plan.warnings.push(`create mode ignores the ${field.name} column: the server assigns ${field.name}`);
      if (field.name === key.field) plan.keyIndex = -1;
      return;
    }
    if (field.writable) plan.writes.push({ index, field, trimmed: asKey !== undefined });
    else if (field.name !== key.field) plan.ignored.push(name);
  });

  if (unknown.length) {
    throw new UsageError(
      `unknown ${unknown.length === 1 ? 'column' : 'columns'} ${unknown.map((u) => `'${u}'`).join(', ')}; ` +
        `valid names: ${fieldNames(schema)}; or map one with --map "${unknown[0]}=Field" ` +
        '(a field the server adds to its records is read as the server\'s once poscust has listed it: poscust doctor)',
    );
  }
  const unusedMap = [...map.keys()].find((h) => !used.has(h));
  if (unusedMap !== undefined) {
    throw new UsageError(/^#\d+$/.test(unusedMap) ? `--map: the file has no column ${unusedMap}` : `--map: the file has no column named '${unusedMap}'`);
  }
  if (options.mode === 'upsert' && plan.keyIndex < 0) {
    throw new UsageError(`upsert by ${key.name} needs a ${key.field} column (or --map one to ${key.field}); or pick another --key`);
  }
  if (options.mode === 'create') {
    const missing = importSchema.requiredOnCreate.filter((f) => !byField.has(f));
    if (missing.length) throw new UsageError(`creating customers needs ${missing.length === 1 ? 'a column' : 'columns'} ${missing.join(', ')}`);
  }
  if (plan.writes.length === 0) throw new UsageError('the file has no column that can be imported');
  if (options.rules?.clearValue !== undefined && options.rules.clearValue.trim() === '') {
    throw new UsageError('--clear-value needs a text (an empty cell already means "not given")');
  }
  return plan;
}

function fieldNames(schema: BackendSchema): string {
  return schema.fields.map((f) => f.name).join(', ');
}
