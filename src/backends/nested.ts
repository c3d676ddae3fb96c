// Nested records (PORTOS `address`, `credit`, ...) and the dotted names that reach into them.
import { UsageError } from '../errors.js';
import { forbiddenSegment, getOwn, setOwn } from '../util/own.js';
import type { CustomerRecord } from './types.js';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `{"address.city": "Bratislava"}` -> `{"address": {"city": "Bratislava"}}`. Keys without a dot are
 * kept as they are. Values are never expanded: a JSON-typed field (PORTOS `meta`, `cards`) is opaque
 * data and reaches the server exactly as given, dotted keys and all. A name that is both a value
 * and a parent (`address=null` with `address.city=x`) is a usage error rather than a silent pick,
 * and so is a name with a `__proto__`, `constructor` or `prototype` segment.
 */
export function expandDotted(record: CustomerRecord): CustomerRecord {
  const out: CustomerRecord = {};
  for (const [key, value] of Object.entries(record)) {
    const parts = key.split('.');
    if (parts.some((p) => p === '')) throw new UsageError(`'${key}' is not a field name`);
    const forbidden = forbiddenSegment(key);
    if (forbidden !== undefined) throw new UsageError(`'${key}' is not a field name ('${forbidden}' is never one)`);
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const next = getOwn(cur, part);
      if (next === undefined) setOwn(cur, part, {});
      // A parent given whole is copied before a dotted member goes into it: the input stays as it was.
      else if (isPlainObject(next)) setOwn(cur, part, { ...next });
      else throw clash(parts.slice(0, i + 1).join('.'), key);
      cur = getOwn(cur, part) as CustomerRecord;
    }
    const last = parts[parts.length - 1]!;
    const existing = getOwn(cur, last);
    if (existing === undefined) setOwn(cur, last, value);
    else if (isPlainObject(existing) && isPlainObject(value)) setOwn(cur, last, deepMerge(existing, value));
    else throw clash(parts.join('.'), key);
  }
  return out;
}

function clash(parent: string, key: string): UsageError {
  return new UsageError(`'${parent}' is given both as a value and as the parent of '${key}'; give one or the other`);
}

/**
 * `changes` applied over `base`: plain objects are merged member by member (setting
 * `address.city` keeps `address.street`), anything else (values, arrays, null) replaces, and so
 * does every top-level member named in `opaque` (JSON-typed fields: the value given is the value).
 * Neither input is modified; no member ever lands on a prototype.
 */
export function deepMerge(base: CustomerRecord, changes: CustomerRecord, opaque: ReadonlySet<string> = NO_NAMES): CustomerRecord {
  const out: CustomerRecord = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    const current = getOwn(out, key);
    setOwn(out, key, !opaque.has(key) && isPlainObject(value) && isPlainObject(current) ? deepMerge(current, value) : value);
  }
  return out;
}

const NO_NAMES: ReadonlySet<string> = new Set();

function allNull(value: Record<string, unknown>): boolean {
  return Object.values(value).every((v) => v === null || (isPlainObject(v) && allNull(v)));
}

/**
 * Drops nested objects whose members are all null where `base` has no object either: clearing the
 * members of an absent address changes nothing, and must not turn `null` into `{city: null, ...}`
 * (an exported customer without an address imports back without one).
 */
export function withoutEmptyObjects(patch: CustomerRecord, base: CustomerRecord = {}): CustomerRecord {
  const out: CustomerRecord = {};
  for (const [key, value] of Object.entries(patch)) {
    if (isPlainObject(value) && Object.keys(value).length > 0 && allNull(value) && !isPlainObject(getOwn(base, key))) continue;
    setOwn(out, key, value);
  }
  return out;
}
