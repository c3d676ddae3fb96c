// Nested records (PORTOS `address`, `credit`, ...) and the dotted names that reach into them.
import { UsageError } from '../errors.js';
import type { CustomerRecord } from './types.js';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `{"address.city": "Bratislava"}` -> `{"address": {"city": "Bratislava"}}`. Keys without a dot are
 * kept as they are; nested objects given whole are expanded too. A name that is both a value and a
 * parent (`address=null` with `address.city=x`) is a usage error rather than a silent pick.
 */
export function expandDotted(record: CustomerRecord): CustomerRecord {
  const out: CustomerRecord = {};
  for (const [key, value] of Object.entries(record)) {
    const parts = key.split('.');
    if (parts.some((p) => p === '')) throw new UsageError(`'${key}' is not a field name`);
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const next = cur[part];
      if (next === undefined) cur[part] = {};
      else if (!isPlainObject(next)) throw clash(parts.slice(0, i + 1).join('.'), key);
      cur = cur[part] as CustomerRecord;
    }
    const last = parts[parts.length - 1]!;
    const given = isPlainObject(value) ? expandDotted(value) : value;
    const existing = cur[last];
    if (existing === undefined) cur[last] = given;
    else if (isPlainObject(existing) && isPlainObject(given)) cur[last] = deepMerge(existing, given);
    else throw clash(parts.join('.'), key);
  }
  return out;
}

function clash(parent: string, key: string): UsageError {
  return new UsageError(`'${parent}' is given both as a value and as the parent of '${key}'; give one or the other`);
}

/**
 * `changes` applied over `base`: plain objects are merged member by member (setting
 * `address.city` keeps `address.street`), anything else (values, arrays, null) replaces. Neither
 * input is modified.
 */
export function deepMerge(base: CustomerRecord, changes: CustomerRecord): CustomerRecord {
  const out: CustomerRecord = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? deepMerge(current, value) : value;
  }
  return out;
}

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
    if (isPlainObject(value) && Object.keys(value).length > 0 && allNull(value) && !isPlainObject(base[key])) continue;
    out[key] = value;
  }
  return out;
}
