// Native field descriptions per backend: used to type `--set Field=Value` and CSV cells before any
// request, to match names case-insensitively, and to pick table and export columns.
import { UsageError } from '../errors.js';
import { forbiddenSegment } from '../util/own.js';
import type { BackendSchema, FieldDef, ImportKeyDef } from './types.js';

export type { BackendSchema, ConvenienceFlag, FieldDef, FieldType, ImportKeyDef, ImportSchema } from './types.js';

export function findImportKey(schema: BackendSchema, name: string): ImportKeyDef | undefined {
  const lower = name.toLowerCase();
  return schema.import?.keys.find((k) => k.name.toLowerCase() === lower);
}

/**
 * The server assigns every customer code itself and ignores one sent on create (MYPOS): a given
 * code is not sent, and is no key to find a customer that was just created.
 */
export function serverAssignsCode(schema: BackendSchema): boolean {
  return schema.codeField !== undefined && (schema.import?.keys.some((k) => k.field === schema.codeField && k.serverAssigned) ?? false);
}

export function findField(schema: BackendSchema, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return schema.fields.find((f) => f.name.toLowerCase() === lower);
}

/** The native field for a user-given name, or a usage error listing the valid names. */
export function requireWritableField(schema: BackendSchema, name: string): FieldDef {
  refuseForbiddenName(name);
  const field = findField(schema, name);
  if (!field) {
    throw new UsageError(
      `unknown field '${name}'; valid fields: ${schema.fields.filter((f) => f.writable).map((f) => f.name).join(', ')}`,
    );
  }
  if (!field.writable) throw new UsageError(`field '${field.name}' is assigned by the server and cannot be set`);
  return field;
}

/** A name with a `__proto__`, `constructor` or `prototype` segment is refused outright, wherever it comes from. */
export function refuseForbiddenName(name: string, where = 'field name'): void {
  const bad = forbiddenSegment(name);
  if (bad !== undefined) throw new UsageError(`'${name}' is not a valid ${where}: '${bad}' is never the name of a field`);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isValidDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.UTC reads years 0-99 as 1900-1999; set the year apart so DealPOS's `0001-01-01` is valid.
  const dt = new Date(Date.UTC(2000, mo - 1, d));
  dt.setUTCFullYear(y);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export function isValidDateTime(value: string): boolean {
  const m = DATETIME.exec(value);
  if (!m) return isValidDate(value);
  return isValidDate(`${m[1]}-${m[2]}-${m[3]}`) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60;
}

export function isValidEmail(value: string): boolean {
  return EMAIL.test(value);
}

/**
 * Turns text into the field's type, or throws UsageError saying what is wrong. An empty string
 * means "clear the field" and becomes null.
 */
export function coerceFieldValue(field: FieldDef, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return null;
  // U+FFFD is what a broken conversion leaves where a letter was: never store one.
  if (raw.includes('\uFFFD')) throw new UsageError(`${field.name}: '${raw}' holds a replacement character (U+FFFD) where a letter was lost; fix the text`);
  const bad = (what: string) => new UsageError(`${field.name}: '${raw}' is not ${what}`);
  switch (field.type) {
    case 'string':
    case 'phone':
      return raw;
    case 'number': {
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw bad('a number');
      const n = Number(text);
      if (!Number.isFinite(n)) throw new UsageError(`${field.name}: '${raw}' is too large a number`);
      return n;
    }
    case 'integer': {
      if (!/^[+-]?\d+$/.test(text)) throw bad('a whole number');
      return Number(text);
    }
    case 'boolean': {
      const l = text.toLowerCase();
      if (['true', 'yes', '1', 'y'].includes(l)) return true;
      if (['false', 'no', '0', 'n'].includes(l)) return false;
      throw bad('true or false');
    }
    case 'date': {
      // Exported records carry `yyyy-MM-ddT00:00:00`; accept that so exports import back as is.
      const d = /^(\d{4}-\d{2}-\d{2})(T00:00:00(\.0+)?)?$/.exec(text);
      if (!d || !isValidDate(d[1]!)) throw bad('a date (yyyy-MM-dd)');
      return d[1];
    }
    case 'datetime':
      if (!isValidDateTime(text)) throw bad('a date-time (yyyy-MM-ddTHH:mm:ss)');
      return text;
    case 'email':
      if (!isValidEmail(text)) throw bad('an e-mail address');
      return text;
    case 'enum': {
      const match = field.values?.find((v) => v.toLowerCase() === text.toLowerCase());
      if (!match) throw bad(`one of ${field.values?.join(', ')}`);
      return match;
    }
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        throw bad('JSON');
      }
  }
}

/** Checks a value that arrived already typed (from --from-json) against the field's type. */
export function checkFieldValue(field: FieldDef, value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === 'string') return coerceFieldValue(field, value);
  const bad = (what: string) => new UsageError(`${field.name}: ${JSON.stringify(value)} is not ${what}`);
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would call null.
  const tooLarge = () => new UsageError(`${field.name}: the number is too large (beyond what a number field can hold)`);
  switch (field.type) {
    case 'number':
      if (typeof value === 'number' && !Number.isFinite(value)) throw tooLarge();
      if (typeof value !== 'number') throw bad('a number');
      return value;
    case 'integer':
      if (typeof value === 'number' && !Number.isFinite(value)) throw tooLarge();
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad('a whole number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('true or false');
      return value;
    case 'json':
      return value;
    default:
      throw bad('text');
  }
}
