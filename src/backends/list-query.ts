// The list filters, declared once: the options of `list`, `count` and `export` are built from this
// table, and an adapter that cannot apply one names it by its option ("list --outlet is
// unsupported on mypos"). Which backend applies which is the adapter's business (rejectFilters).
import type { ListQuery } from './types.js';

export interface ListFilterDef {
  /** The option, without dashes. */
  flag: string;
  /** commander's value placeholder (`<text>`), or none for a switch. */
  value?: string;
  help: string;
  /** How the value is read: a date, a date-time, or repeatable. */
  parse?: 'date' | 'dateTime' | 'collect';
}

export const LIST_FILTERS: Record<keyof ListQuery, ListFilterDef> = {
  name: { flag: 'name', value: '<text>', help: 'name contains, case-insensitive (DealPOS)' },
  outlet: { flag: 'outlet', value: '<outlet>', help: 'sign-up outlet (DealPOS)' },
  from: { flag: 'from', value: '<date>', help: 'joined on or after, yyyy-MM-dd (DealPOS)', parse: 'date' },
  to: { flag: 'to', value: '<date>', help: 'joined on or before, yyyy-MM-dd (DealPOS)', parse: 'date' },
  search: { flag: 'search', value: '<text>', help: 'name, company or note contains (PORTOS)' },
  filters: { flag: 'filter', value: '<Member=ops>', help: "NData filter, repeatable, e.g. 'DiscountRate=gt:10;lt:50' (PORTOS)", parse: 'collect' },
  active: { flag: 'active', help: 'active customers only (PORTOS)' },
  externalId: { flag: 'external-id', value: '<id>', help: 'by external id (PORTOS)' },
  card: { flag: 'card', value: '<serial>', help: 'by card serial number (PORTOS)' },
  sort: { flag: 'sort', value: '<field[:desc]>', help: 'sort order (MYPOS, PORTOS)' },
  changedSince: { flag: 'changed-since', value: '<datetime>', help: 'changed at or after, UTC (MYPOS)', parse: 'dateTime' },
  changedUntil: { flag: 'changed-until', value: '<datetime>', help: 'changed at or before, UTC (MYPOS)', parse: 'dateTime' },
  // Not an option: output is projected anyway; a backend that can narrow its answer uses it.
  fields: { flag: 'fields', help: 'the fields to return' },
};
