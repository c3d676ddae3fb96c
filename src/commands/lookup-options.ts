// `--id | --code | --email | --mobile | --phone <value>`: which customer a command acts on.
import type { Command } from 'commander';
import type { Lookup, LookupKind } from '../backends/types.js';
import { UsageError } from '../errors.js';
import { once } from './parse.js';

const HELP: Record<LookupKind, string> = {
  id: 'the customer ID',
  code: 'the customer code',
  email: 'the e-mail address',
  mobile: 'the mobile number',
  phone: 'the phone number',
};

export function addLookupOptions(cmd: Command, kinds: readonly LookupKind[]): Command {
  for (const kind of kinds) cmd.option(`--${kind} <${kind}>`, `by ${HELP[kind]}`, once(`--${kind}`));
  return cmd;
}

/** Exactly one identifier, non-empty; otherwise a usage error naming the choices. */
export function lookupFrom(o: Record<string, unknown>, kinds: readonly LookupKind[]): Lookup {
  const given = kinds.filter((k) => o[k] !== undefined);
  const choices = kinds.map((k) => `--${k}`).join(', ');
  if (given.length === 0) throw new UsageError(`say which customer: give one of ${choices}`);
  if (given.length > 1) throw new UsageError(`give only one of ${choices} (got ${given.map((k) => `--${k}`).join(' and ')})`);
  const by = given[0]!;
  const value = o[by];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${by} needs a value`);
  return { by, value };
}
