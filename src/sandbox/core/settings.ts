// Run-time settings of the sandbox (`configure()`, `PUT /_sandbox/config`, start-up options):
// one table of checks per owner, applied all-or-nothing. Every key is checked before any is used,
// so a bad value or an unknown key changes nothing, and the same setting gets the same message
// whichever emulator has it.

import { SandboxInputError } from './emulator.js';

/** Checks one setting; returns the value to use, or throws SandboxInputError saying what is wrong. */
export type SettingCheck<T> = (key: string, value: unknown) => T;

/** A check for each setting an owner accepts. */
export type SettingChecks<S> = { readonly [K in keyof S]-?: SettingCheck<S[K]> };

/** A number of seconds greater than 0 (`tokenTtlSeconds`, `windowSeconds`). */
export const positiveSeconds: SettingCheck<number> = (key, value) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SandboxInputError(`${key} must be a number of seconds greater than 0`);
  }
  return value;
};

/** A number of milliseconds, 0 or more (`latencyMs`, `slowMs`). */
export const milliseconds: SettingCheck<number> = (key, value) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SandboxInputError(`${key} must be a number of milliseconds, 0 or more`);
  }
  return value;
};

/** true or false. */
export const onOff: SettingCheck<boolean> = (key, value) => {
  if (typeof value !== 'boolean') throw new SandboxInputError(`${key} must be true or false`);
  return value;
};

/**
 * Dialect names out of `known` (an array, or one comma-separated string; `all` means every one).
 * An emulator without dialects takes only the empty list.
 */
export function dialectNames(known: readonly string[]): SettingCheck<string[]> {
  return (key, value) => {
    const list = typeof value === 'string' ? value.split(',') : value;
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) throw new SandboxInputError(`${key} must be a list of dialect names`);
    const names = list.map((v) => v.trim().toLowerCase()).filter(Boolean);
    if (names.includes('all')) return [...known];
    const unknown = names.find((n) => !known.includes(n));
    if (unknown !== undefined) {
      throw new SandboxInputError(`no dialect '${unknown}' here; ${known.length ? `this sandbox speaks: ${known.join(', ')} (or all)` : 'this sandbox speaks none'}`);
    }
    return [...new Set(names)];
  };
}

/** A whole number of `unit`, 1 or more (`dailyTokenLimit`). */
export function countOf(unit: string): SettingCheck<number> {
  return (key, value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new SandboxInputError(`${key} must be a whole number of ${unit}, 1 or more`);
    }
    return value;
  };
}

/**
 * The settings in `partial` (undefined values skipped), each checked; throws SandboxInputError on
 * the first unknown key or bad value, before the caller has applied anything. `unknownHint` is
 * added to the message for an unknown key.
 */
export function checkSettings<S>(partial: Record<string, unknown>, checks: SettingChecks<S>, unknownHint = ''): Partial<S> {
  const checked: Partial<S> = {};
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(checks, key)) throw new SandboxInputError(`unknown sandbox setting '${key}'${unknownHint}`);
    const name = key as keyof S;
    checked[name] = checks[name](key, value);
  }
  return checked;
}
