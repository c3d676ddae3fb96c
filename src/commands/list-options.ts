// The filters `list`, `count` and `export` share. Each backend takes the ones it has and answers
// "unsupported" (exit 6) for the others.
import type { Command } from 'commander';
import type { ListQuery } from '../backends/types.js';
import * as parse from './parse.js';

export function addListFilters(cmd: Command): Command {
  return cmd
    .option('--name <text>', 'name contains, case-insensitive (DealPOS)')
    .option('--outlet <outlet>', 'sign-up outlet (DealPOS)')
    .option('--from <date>', 'joined on or after, yyyy-MM-dd (DealPOS)', parse.date)
    .option('--to <date>', 'joined on or before, yyyy-MM-dd (DealPOS)', parse.date)
    .option('--search <text>', 'name, company or note contains (PORTOS)')
    .option('--filter <Member=ops>', "NData filter, repeatable, e.g. 'DiscountRate=gt:10;lt:50' (PORTOS)", parse.collect)
    .option('--active', 'active customers only (PORTOS)')
    .option('--external-id <id>', 'by external id (PORTOS)')
    .option('--card <serial>', 'by card serial number (PORTOS)')
    .option('--sort <field[:desc]>', 'sort order (MYPOS, PORTOS)')
    .option('--changed-since <datetime>', 'changed at or after, UTC (MYPOS)', parse.dateTime)
    .option('--changed-until <datetime>', 'changed at or before, UTC (MYPOS)', parse.dateTime);
}

export function listQueryFrom(o: Record<string, unknown>): ListQuery {
  const q: ListQuery = {};
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  if (str('name') !== undefined) q.name = str('name');
  if (str('outlet') !== undefined) q.outlet = str('outlet');
  if (str('from') !== undefined) q.from = str('from');
  if (str('to') !== undefined) q.to = str('to');
  if (str('search') !== undefined) q.search = str('search');
  if (Array.isArray(o.filter) && o.filter.length) q.filters = o.filter as string[];
  if (o.active) q.active = true;
  if (str('externalId') !== undefined) q.externalId = str('externalId');
  if (str('card') !== undefined) q.card = str('card');
  if (str('sort') !== undefined) q.sort = str('sort');
  if (str('changedSince') !== undefined) q.changedSince = str('changedSince');
  if (str('changedUntil') !== undefined) q.changedUntil = str('changedUntil');
  return q;
}
