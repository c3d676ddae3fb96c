// `list`/`count`/`export` options to a PORTOS NData query (../shared/api/portos.md, "NData query
// syntax"). Everything is checked here, before any request: a malformed `--filter` is a usage
// error (exit 2), never a 400 from the shop's server halfway through an export.
import { UsageError } from '../../errors.js';
import type { Query } from '../../http/client.js';
import { isValidDateTime } from '../schema.js';
import { PORTOS_SCHEMA } from './schema.js';
import type { ListQuery } from '../types.js';

type FilterKind = 'string' | 'number' | 'boolean' | 'datetime';

/** The customer filter members PORTOS documents, with the type of their arguments. */
export const PORTOS_FILTERS: Readonly<Record<string, FilterKind>> = {
  CardSerialNumber: 'string',
  ExternalId: 'string',
  CreditRate: 'number',
  DiscountRate: 'number',
  IsActive: 'boolean',
  ExpirationTime: 'datetime',
  IsExpired: 'boolean',
};

export const NDATA_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const BOOLEAN = /^(true|false)$/i;
const OPERATOR_PREFIX = /^([A-Za-z]+):(.*)$/s;

function filterUsage(raw: string, why: string): UsageError {
  return new UsageError(
    `--filter '${raw}': ${why}. Write Member=op:value[;op:value...] with op one of ` +
      `${NDATA_OPERATORS.join(', ')} (a bare value means eq), e.g. 'DiscountRate=gt:10;lt:50'`,
  );
}

/** One `--filter` value checked and normalised: the member's canonical name and its operations. */
export function parseFilter(raw: string): { member: string; ops: string } {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw filterUsage(raw, eq === 0 ? 'no member before =' : 'no = between member and operations');
  const given = raw.slice(0, eq).trim();
  const member = Object.keys(PORTOS_FILTERS).find((m) => m.toLowerCase() === given.toLowerCase());
  if (!member) {
    const hint = given.toLowerCase() === 'search' ? '; use --search for text' : '';
    throw new UsageError(
      `--filter '${raw}': PORTOS cannot filter customers on '${given}'${hint}; members: ${Object.keys(PORTOS_FILTERS).join(', ')}`,
    );
  }
  const kind = PORTOS_FILTERS[member]!;
  const text = raw.slice(eq + 1);
  if (text.trim() === '') throw filterUsage(raw, `missing value for ${member}`);
  const ops = text.split(';').map((part, i) => {
    if (part.trim() === '') throw filterUsage(raw, `operation ${i + 1} is empty`);
    const m = OPERATOR_PREFIX.exec(part);
    let op: string | undefined;
    let arg = part;
    if (m) {
      const name = m[1]!.toLowerCase();
      if (!(NDATA_OPERATORS as readonly string[]).includes(name)) {
        // `abc:def` for a text member: say how to mean the value itself.
        const asValue = kind === 'string' ? ` (for the value '${part}' itself write eq:${part})` : '';
        throw filterUsage(raw, `unknown operator '${m[1]}'${asValue}`);
      }
      op = name;
      arg = m[2]!;
    }
    if (arg.trim() === '') throw filterUsage(raw, `missing value after '${op}:'`);
    checkArgument(raw, member, kind, op ?? 'eq', arg);
    return op ? `${op}:${arg}` : arg;
  });
  return { member, ops: ops.join(';') };
}

function checkArgument(raw: string, member: string, kind: FilterKind, op: string, arg: string): void {
  switch (kind) {
    case 'number':
      if (!NUMBER.test(arg.trim())) throw filterUsage(raw, `${member} compares numbers, and '${arg}' is not one`);
      return;
    case 'boolean':
      if (!BOOLEAN.test(arg.trim())) throw filterUsage(raw, `${member} is true or false, not '${arg}'`);
      if (op !== 'eq' && op !== 'neq') throw filterUsage(raw, `${member} is true or false: use eq or neq, not ${op}`);
      return;
    case 'datetime':
      if (!isValidDateTime(arg.trim())) throw filterUsage(raw, `${member} compares dates (yyyy-MM-dd[THH:mm:ss]), and '${arg}' is not one`);
      return;
    case 'string':
      return;
  }
}

/**
 * A convenience option's value as one NData operation. A value the server would read as an
 * operation (`gt:5`, `a:b`) is sent as `eq:<value>`; `;` cannot be expressed at all.
 */
function exactValue(option: string, value: string): string {
  if (value.includes(';')) throw new UsageError(`${option} '${value}': PORTOS cannot match a value containing ';'`);
  if (value.trim() === '') throw new UsageError(`${option} needs a value`);
  return value.includes(':') ? `eq:${value}` : value;
}

const SORTABLE = PORTOS_SCHEMA.fields.filter((f) => f.type !== 'json').map((f) => f.name);

/** `--sort lastName:desc,firstName` (or `-lastName`) to `$sort`, field names checked and canonical. */
export function parseSort(raw: string): string {
  const items = raw.split(',').map((s) => s.trim());
  return items
    .map((item) => {
      let name = item;
      let desc = false;
      if (name.startsWith('-')) {
        desc = true;
        name = name.slice(1);
      }
      const m = /^(.*):(asc|desc)$/i.exec(name);
      if (m) {
        name = m[1]!;
        desc = m[2]!.toLowerCase() === 'desc';
      }
      if (!name) throw new UsageError(`--sort '${raw}': an empty field name; write field[:desc][,field...]`);
      const field = SORTABLE.find((f) => f.toLowerCase() === name.toLowerCase());
      if (!field) throw new UsageError(`--sort '${raw}': cannot sort on '${name}'; fields: ${SORTABLE.join(', ')}`);
      return desc ? `${field}:desc` : field;
    })
    .join(',');
}

/**
 * The filter part of the query, in a fixed order: Search, then each member in the order first
 * given (`--filter` before the convenience options). Operations on one member from several
 * places are joined with `;`, which NData ANDs, exactly what giving them together means.
 */
export function filterQuery(query: ListQuery): Query {
  const members = new Map<string, string[]>();
  const add = (member: string, ops: string) => {
    const list = members.get(member);
    if (list) list.push(ops);
    else members.set(member, [ops]);
  };
  for (const raw of query.filters ?? []) {
    const { member, ops } = parseFilter(raw);
    add(member, ops);
  }
  if (query.active) add('IsActive', 'true');
  if (query.externalId !== undefined) add('ExternalId', exactValue('--external-id', query.externalId));
  if (query.card !== undefined) add('CardSerialNumber', exactValue('--card', query.card));
  const out: Query = {};
  if (query.search !== undefined) {
    if (query.search.trim() === '') throw new UsageError('--search needs a value');
    out.Search = query.search;
  }
  for (const [member, ops] of members) out[member] = ops.join(';');
  if (query.sort !== undefined) out.$sort = parseSort(query.sort);
  return out;
}
