// The filters `list`, `count` and `export` share, from the one table in backends/list-query.ts.
// Each backend takes the ones it has and answers "unsupported" (exit 6) for the others.
import type { Command } from 'commander';
import { LIST_FILTERS } from '../backends/list-query.js';
import type { ListQuery } from '../backends/types.js';
import * as parse from './parse.js';

const PARSERS = { date: parse.date, dateTime: parse.dateTime, collect: parse.collect };

/** The filter options, in the table's order (`fields` is the global --fields, not a filter). */
const OPTIONS = (Object.entries(LIST_FILTERS) as [keyof ListQuery, (typeof LIST_FILTERS)[keyof ListQuery]][]).filter(([key]) => key !== 'fields');

export function addListFilters(cmd: Command): Command {
  for (const [, def] of OPTIONS) {
    const spec = `--${def.flag}${def.value ? ` ${def.value}` : ''}`;
    if (def.parse) cmd.option(spec, def.help, PARSERS[def.parse] as (value: string, previous: unknown) => unknown);
    else cmd.option(spec, def.help);
  }
  return cmd;
}

export function listQueryFrom(o: Record<string, unknown>): ListQuery {
  const q: Record<string, unknown> = {};
  for (const [key, def] of OPTIONS) {
    const value = o[camel(def.flag)];
    if (value === undefined || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    q[key] = value;
  }
  return q as ListQuery;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
