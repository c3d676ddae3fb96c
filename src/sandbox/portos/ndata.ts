// NData queries on `GET /customers` (../shared/api/portos.md, "NData query syntax"): filter
// members with `;`-separated `op:arg` operations (ANDed; a bare value means eq), `Search`, `$sort`,
// `$skip`/`$take` (max 1000 [pinned]: larger asks are cut to 1000), `$count`. Member and parameter
// names are case-insensitive; unknown parameters are ignored, like the vendor's ASP.NET server.
import type { QueryParams } from '../core/http-input.js';
import type { PortosCustomer, ProblemMember } from './records.js';
import { INVALID, fullNameOf, statusOf } from './records.js';

export const PORTOS_DEFAULT_TAKE = 100;
export const PORTOS_MAX_TAKE = 1000;

type Kind = 'string' | 'number' | 'boolean' | 'datetime';
type Op = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte';
const OPS: readonly Op[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'];

interface Member {
  kind: Kind;
  /** The values a customer has for the member; it matches when one value passes every operation. */
  values(c: PortosCustomer, now: number): unknown[];
}

const MEMBERS: Record<string, Member & { name: string }> = Object.fromEntries(
  (
    [
      ['CardSerialNumber', 'string', (c: PortosCustomer) => c.cards.map((k) => k.serialNumber)],
      ['ExternalId', 'string', (c: PortosCustomer) => [c.externalId]],
      ['CreditRate', 'number', (c: PortosCustomer) => [c.creditRate]],
      ['DiscountRate', 'number', (c: PortosCustomer) => [c.discountRate]],
      ['IsActive', 'boolean', (c: PortosCustomer) => [c.isActive]],
      ['ExpirationTime', 'datetime', (c: PortosCustomer) => [c.expirationTime]],
      ['IsExpired', 'boolean', (c: PortosCustomer, now: number) => [statusOf(c, now) === 'Expired']],
    ] as const
  ).map(([name, kind, values]) => [name.toLowerCase(), { name, kind, values }]),
);

interface Operation {
  op: Op;
  value: string | number | boolean;
}

export interface NDataQuery {
  filters: { member: Member; ops: Operation[] }[];
  search: string | null;
  sort: { path: string; desc: boolean }[];
  skip: number;
  take: number;
  count: boolean;
}

/** Top-level scalar members and nested ones (`address.city`) that `$sort` accepts. */
const SORTABLE = [
  'id', 'externalId', 'isActive', 'status', 'activationTime', 'expirationTime', 'firstName', 'lastName', 'fullName',
  'gender', 'birthDate', 'email', 'phone', 'isCompany', 'company.name', 'company.vatId', 'company.taxId',
  ...['address', 'deliveryAddress'].flatMap((a) => ['street', 'city', 'zipCode', 'country'].map((m) => `${a}.${m}`)),
  'credit.amount', 'credit.currencyLabel', 'creditRate', 'discountRate', 'note', '_v',
];

function parseValue(kind: Kind, text: string): string | number | boolean | undefined {
  switch (kind) {
    case 'string':
      return text;
    case 'number':
      return /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : undefined;
    case 'boolean':
      return /^true$/i.test(text.trim()) ? true : /^false$/i.test(text.trim()) ? false : undefined;
    case 'datetime': {
      const ms = Date.parse(text.trim());
      return Number.isNaN(ms) ? undefined : ms;
    }
  }
}

/** The query, or the problems with it (answered 400 with `errors[]`). */
export function parseNData(query: QueryParams): { query: NDataQuery; errors: ProblemMember[] } {
  const errors: ProblemMember[] = [];
  const fail = (memberName: string, message: string) => errors.push({ memberName, message, code: INVALID });
  const filters: NDataQuery['filters'] = [];
  for (const [lower, member] of Object.entries(MEMBERS)) {
    for (const raw of query.getAll(lower)) {
      const ops: Operation[] = [];
      for (const part of raw.split(';')) {
        const m = /^([A-Za-z]+):(.*)$/s.exec(part);
        let op: Op = 'eq';
        let arg = part;
        if (m && OPS.includes(m[1]!.toLowerCase() as Op)) {
          op = m[1]!.toLowerCase() as Op;
          arg = m[2]!;
        } else if (m && /^[A-Za-z]+$/.test(m[1]!) && member.kind !== 'string') {
          fail(member.name, `Unknown operator '${m[1]}'; use ${OPS.join(', ')}.`);
          continue;
        }
        if (arg === '') {
          fail(member.name, `Operation '${part}' has no value.`);
          continue;
        }
        const value = parseValue(member.kind, arg);
        if (value === undefined) fail(member.name, `'${arg}' is not a valid ${member.kind} value.`);
        else if (member.kind === 'boolean' && op !== 'eq' && op !== 'neq') fail(member.name, `Operator '${op}' does not apply to true/false.`);
        else ops.push({ op, value });
      }
      filters.push({ member, ops });
    }
  }
  const whole = (name: string, fallback: number): number => {
    const text = query.get(name);
    if (text === undefined || text.trim() === '') return fallback;
    if (!/^\s*\d+\s*$/.test(text)) {
      fail(name, `${name} must be a whole number, 0 or more.`);
      return fallback;
    }
    return Number(text);
  };
  const sort: NDataQuery['sort'] = [];
  for (const raw of (query.get('$sort') ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    let name = raw;
    let desc = false;
    if (name.startsWith('-')) [name, desc] = [name.slice(1), true];
    const m = /^(.*):(asc|desc)$/i.exec(name);
    if (m) [name, desc] = [m[1]!, m[2]!.toLowerCase() === 'desc'];
    const path = SORTABLE.find((p) => p.toLowerCase() === name.toLowerCase());
    if (path) sort.push({ path, desc });
    else fail('$sort', `Cannot sort by '${name}'.`);
  }
  const countText = query.get('$count');
  if (countText !== undefined && !/^(true|false)$/i.test(countText.trim())) fail('$count', '$count must be true or false.');
  const search = query.get('Search');
  return {
    query: {
      filters,
      search: search && search.trim() ? search.trim().toLowerCase() : null,
      sort,
      skip: whole('$skip', 0),
      take: Math.min(PORTOS_MAX_TAKE, whole('$take', PORTOS_DEFAULT_TAKE)),
      count: /^true$/i.test(countText?.trim() ?? ''),
    },
    errors,
  };
}

function compare(op: Op, actual: unknown, wanted: string | number | boolean, kind: Kind): boolean {
  if (actual === null || actual === undefined) return op === 'neq';
  let a: string | number | boolean;
  let b = wanted;
  if (kind === 'string') {
    // Text compares case-insensitively, like the vendor's database collation.
    a = String(actual).toLowerCase();
    b = String(wanted).toLowerCase();
  } else if (kind === 'datetime') {
    a = Date.parse(String(actual));
  } else {
    a = actual as number | boolean;
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'neq':
      return a !== b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

export function matches(c: PortosCustomer, q: NDataQuery, now: number): boolean {
  for (const { member, ops } of q.filters) {
    const ok = member.values(c, now).some((v) => ops.every((o) => compare(o.op, v, o.value, member.kind)));
    if (!ok) return false;
  }
  if (q.search !== null) {
    const hay = [c.firstName, c.lastName, c.company?.name, c.company?.vatId, c.company?.taxId, c.note];
    if (!hay.some((h) => typeof h === 'string' && h.toLowerCase().includes(q.search!))) return false;
  }
  return true;
}

function sortValue(c: PortosCustomer, path: string, now: number): unknown {
  if (path === 'status') return statusOf(c, now);
  if (path === 'fullName') return fullNameOf(c);
  let cur: unknown = c;
  for (const part of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
  return typeof cur === 'string' ? cur.toLowerCase() : cur;
}

/** Sorted copy (stable: ties keep list order); nulls first ascending, last descending. */
export function sorted(list: PortosCustomer[], sort: NDataQuery['sort'], now: number): PortosCustomer[] {
  if (sort.length === 0) return list;
  const keyed = list.map((c) => ({ c, keys: sort.map((s) => sortValue(c, s.path, now)) }));
  keyed.sort((x, y) => {
    for (let i = 0; i < sort.length; i++) {
      const a = x.keys[i];
      const b = y.keys[i];
      const an = a === null || a === undefined;
      const bn = b === null || b === undefined;
      let d = an && bn ? 0 : an ? -1 : bn ? 1 : (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
      if (sort[i]!.desc) d = -d;
      if (d !== 0) return d;
    }
    return 0;
  });
  return keyed.map((k) => k.c);
}
