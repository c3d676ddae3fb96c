// The field input `create` and `update-by` share: convenience options mapped through the backend's
// `schema.flags` to native names, `--set Field=Value`, and `--from-json <file|->`. Every value is
// typed and checked against the schema here, so a bad value is exit 2 before any request.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkFieldValue, coerceFieldValue, findField, refuseForbiddenName, requireWritableField, type ConvenienceFlag, type FieldDef } from '../backends/schema.js';
import type { CustomerBackend, CustomerRecord } from '../backends/types.js';
import { UnsupportedError, UsageError } from '../errors.js';
import { MAX_JSON_DEPTH, jsonNestedDeeperThan } from '../util/json-depth.js';
import { setOwn } from '../util/own.js';
import * as parse from './parse.js';

interface FlagSpec {
  key: ConvenienceFlag;
  option: string;
  help: string;
}

/** The convenience options; each names a native field per backend (schema.flags). */
export const FIELD_FLAGS: readonly FlagSpec[] = [
  { key: 'name', option: '--name <name>', help: 'full name' },
  { key: 'firstName', option: '--first-name <name>', help: 'first name' },
  { key: 'lastName', option: '--last-name <name>', help: 'last name' },
  { key: 'email', option: '--email <email>', help: 'e-mail address' },
  { key: 'mobile', option: '--mobile <number>', help: 'mobile number' },
  { key: 'phone', option: '--phone <number>', help: 'phone number' },
  { key: 'code', option: '--code <code>', help: 'customer code' },
  { key: 'group', option: '--group <group>', help: 'customer group' },
  { key: 'birthdate', option: '--birthdate <yyyy-MM-dd>', help: 'date of birth' },
  { key: 'address', option: '--address <text>', help: 'address' },
  { key: 'gender', option: '--gender <value>', help: 'gender, as the backend stores it (DealPOS: true or false)' },
  { key: 'loyaltyPoint', option: '--loyalty-point <n>', help: 'loyalty points' },
  { key: 'outlet', option: '--outlet <outlet>', help: 'sign-up outlet' },
  { key: 'note', option: '--note <text>', help: 'note (MYPOS, PORTOS)' },
  { key: 'active', option: '--active <true|false>', help: 'active flag (MYPOS, PORTOS)' },
];

export function addFieldOptions(cmd: Command): Command {
  for (const flag of FIELD_FLAGS) cmd.option(flag.option, flag.help);
  return cmd
    .option('--set <Field=Value>', 'any writable native field (name matched case-insensitively); repeatable; an empty value clears it', parse.collect)
    .option('--from-json <file|->', 'fields from a JSON object in a file, or stdin with -; options on the command line win');
}

/** Reads a file, or stdin for `-`. */
export type TextSource = (path: string) => Promise<string>;

/** The field options as given: convenience options, `--set` pairs, `--from-json`. */
export interface FieldInput {
  flags: Partial<Record<ConvenienceFlag, string>>;
  set: string[];
  fromJson?: string;
}

/** The field options out of commander's parsed options. */
export function fieldInputFrom(o: Record<string, unknown>): FieldInput {
  const flags: Partial<Record<ConvenienceFlag, string>> = {};
  for (const flag of FIELD_FLAGS) if (typeof o[flag.key] === 'string') flags[flag.key] = o[flag.key] as string;
  return { flags, set: (o.set as string[] | undefined) ?? [], ...(typeof o.fromJson === 'string' ? { fromJson: o.fromJson } : {}) };
}

/**
 * The native fields the user gave, typed. `command` names the command in messages. Throws UsageError
 * (exit 2) for a bad value, an unknown or read-only field, or no fields at all; UnsupportedError
 * (exit 6) for a convenience option the backend has no field for.
 */
export async function fieldsFrom(
  o: FieldInput,
  backend: CustomerBackend,
  command: 'create' | 'update-by',
  read: TextSource,
): Promise<CustomerRecord> {
  const { schema } = backend;
  const fields: CustomerRecord = {};
  if (o.fromJson !== undefined) Object.assign(fields, await jsonFields(o.fromJson, backend, read));

  // The command line overrides --from-json; within the command line one field gets one value.
  const given = new Map<string, { value: unknown; from: string }>();
  const put = (field: FieldDef, raw: string, from: string) => {
    const value = coerceFieldValue(field, raw);
    const before = given.get(field.name);
    if (before && JSON.stringify(before.value) !== JSON.stringify(value)) {
      throw new UsageError(`${field.name} is given twice with different values (${before.from} and ${from}); give it once`);
    }
    given.set(field.name, { value, from });
  };
  for (const flag of FIELD_FLAGS) {
    const raw = o.flags[flag.key];
    if (raw === undefined) continue;
    const optionName = flag.option.split(' ')[0]!;
    const native = schema.flags[flag.key];
    if (!native) throw new UnsupportedError(backend.name, `${command} ${optionName}`, `${backend.name} customers have no such field`);
    const field = findField(schema, native) ?? requireWritableField(schema, native);
    if (!field.writable) throw new UsageError(`${optionName} sets ${field.name}, which ${backend.name} assigns itself`);
    put(field, raw, optionName);
  }
  for (const pair of o.set) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set needs Field=Value, got '${pair}'`);
    put(requireWritableField(schema, pair.slice(0, eq).trim()), pair.slice(eq + 1), `--set ${pair.slice(0, eq).trim()}`);
  }
  for (const [name, { value }] of given) fields[name] = value;

  if (Object.keys(fields).length === 0) {
    throw new UsageError(`nothing to ${command === 'create' ? 'create' : 'change'}: give field options (--name, --email, ...), --set Field=Value or --from-json <file>`);
  }
  return fields;
}

async function jsonFields(source: string, backend: CustomerBackend, read: TextSource): Promise<CustomerRecord> {
  const where = source === '-' ? 'stdin' : `'${source}'`;
  let text: string;
  try {
    text = await read(source);
  } catch (err) {
    throw new UsageError(`cannot read --from-json ${where}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  if (jsonNestedDeeperThan(text)) throw new UsageError(`--from-json ${where} is nested more than ${MAX_JSON_DEPTH} levels deep; no customer is`);
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`--from-json ${where} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new UsageError(`--from-json ${where} must hold one JSON object of fields`);
  const out: CustomerRecord = {};
  for (const [key, value] of Object.entries(flatten(parsed, backend))) {
    const field = requireWritableField(backend.schema, key);
    if (field.name in out) throw new UsageError(`--from-json ${where} gives ${field.name} twice`);
    out[field.name] = checkFieldValue(field, value);
  }
  return out;
}

/**
 * Nested objects become dotted names (`{"address": {"city": "X"}}` -> `address.city`), the way
 * schemas name nested members, unless the schema has the parent itself as a (JSON) field.
 */
function flatten(obj: Record<string, unknown>, backend: CustomerBackend, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix + key;
    refuseForbiddenName(name, '--from-json field');
    if (isPlainObject(value) && !findField(backend.schema, name)) {
      for (const [k, v] of Object.entries(flatten(value, backend, `${name}.`))) setOwn(out, k, v);
    } else {
      setOwn(out, name, value);
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A TextSource over the real files and the run's stdin. */
export function textSource(stdin: NodeJS.ReadableStream): TextSource {
  return async (path) => {
    // A JSON object of fields is small; node:fs/promises would cost every command start-up time.
    if (path !== '-') return readFileSync(path, 'utf8');
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  };
}
