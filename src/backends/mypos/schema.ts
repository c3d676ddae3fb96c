// MYPOS Connect API v2 (../shared/api/mypos.md): the customer record's camelCase fields, the
// restricted view `GET /customers` answers with, and the query-string forms the list call takes
// (`sSortKey`, `sFieldList`, `filt_LastEditDateUTC_dt_*` in `yyyy-MMM-dd HH:mm`).
import { UsageError } from '../../errors.js';
import { isValidDate, type BackendSchema, type FieldDef } from '../schema.js';

const f = (name: string, type: FieldDef['type'], writable = true): FieldDef => ({ name, type, writable });

/** Custom columns `cC_001` .. `cC_010` (per shop; absent or null when the shop has none). */
const CUSTOM_COLUMNS = Array.from({ length: 10 }, (_, i) => f(`cC_${String(i + 1).padStart(3, '0')}`, 'string'));

/** The fields of the restricted flat view `GET /customers` returns [pinned in mypos.md]. */
export const MYPOS_LIST_VIEW = [
  'customerId',
  'customerCode',
  'customerName',
  'firstName',
  'lastName',
  'emailAddress',
  'phoneNumber',
  'active',
  'lastEditDateUTC',
] as const;

/** Paging fields every list row carries besides the view. */
export const MYPOS_ROW_META = ['customSortRowNumber', 'liTotalCount'] as const;

export const MYPOS_SCHEMA: BackendSchema = {
  fields: [
    f('customerId', 'string', false),
    // Assigned by the server on create (a given value is dropped with a warning), and the key of
    // every update: it is sent, but never changed.
    f('customerCode', 'string'),
    f('customerName', 'string'),
    f('firstName', 'string'),
    f('lastName', 'string'),
    f('address', 'string'),
    f('city', 'string'),
    f('region', 'string'),
    f('postalCode', 'string'),
    f('country', 'string'),
    f('phoneNumber', 'phone'),
    f('faxNumber', 'phone'),
    f('emailAddress', 'email'),
    f('webSite', 'string'),
    f('creditLimit', 'number'),
    f('notes', 'string'),
    f('active', 'boolean'),
    f('customerType', 'string'),
    f('rewardsCollector', 'boolean'),
    f('rewardsNumber', 'string'),
    f('rewardsValue', 'number'),
    f('allowMailing', 'boolean'),
    f('allowDataShare', 'boolean'),
    f('discountPercent', 'number'),
    f('priceBand', 'integer'),
    f('balance', 'number', false),
    ...CUSTOM_COLUMNS,
    f('lastEditDate', 'datetime', false),
    f('lastEditDateUTC', 'datetime', false),
    f('creationDate', 'datetime', false),
  ],
  flags: {
    name: 'customerName',
    firstName: 'firstName',
    lastName: 'lastName',
    email: 'emailAddress',
    // MYPOS keeps one telephone number per customer: both --phone and --mobile set it.
    phone: 'phoneNumber',
    mobile: 'phoneNumber',
    code: 'customerCode',
    address: 'address',
    note: 'notes',
    active: 'active',
  },
  idField: 'customerId',
  joinedField: 'creationDate',
  codeField: 'customerCode',
  // No emailField/mobileField: MYPOS looks customers up by customerId or customerCode only.
  updateReturnsPrevious: true,
  tableColumns: ['customerCode', 'customerName', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'active'],
  listView: MYPOS_LIST_VIEW,
  listRowMeta: MYPOS_ROW_META,
  import: {
    // Both keys are assigned by MYPOS: create mode ignores their columns, and upsert creates the
    // rows whose key cell is empty and rejects a key the server does not have.
    keys: [
      { name: 'code', field: 'customerCode', lookup: 'code', serverAssigned: true },
      { name: 'id', field: 'customerId', lookup: 'id', serverAssigned: true, caseInsensitive: true },
    ],
    // MYPOS needs one of customerName, firstName, lastName; its 400 names the row's problem.
    requiredOnCreate: [],
    concurrency: 4,
    // No updateUsesCurrent: list rows are a restricted view, useless as the record to merge into.
    // The importer reads the whole record itself when it compares a field the view lacks, and
    // passes that one on; update() reads it otherwise (the vendor's GET-change-PUT rule).
  },
};


function listViewName(name: string, what: string): string {
  const found = MYPOS_LIST_VIEW.find((v) => v.toLowerCase() === name.toLowerCase());
  if (!found) {
    throw new UsageError(
      `${what} '${name}' is not in the MYPOS list view (${MYPOS_LIST_VIEW.join(', ')}); ` +
        'use poscust get for the full record',
    );
  }
  return found;
}

/** `--sort field[:asc|:desc]` as `sSortKey` (`customerNameASC`, `lastEditDateUTCDESC`). */
export function sortKey(sort: string): string {
  const m = /^\s*([^:\s]+)\s*(?::\s*(asc|desc)\s*)?$/i.exec(sort);
  if (!m) throw new UsageError(`--sort '${sort}' is not field or field:desc`);
  const field = listViewName(m[1]!, '--sort field');
  return `${field}${(m[2] ?? 'asc').toUpperCase()}`;
}

/** `--fields` as `sFieldList`: only fields of the list view can be asked for. */
export function fieldList(fields: readonly string[]): string {
  return [...new Set(fields.map((name) => listViewName(name, '--fields name')))].join(',');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A date-time given as `yyyy-MM-dd[THH:mm[:ss]][zone]` (UTC when no zone) in the vendor's filter
 * form `yyyy-MMM-dd HH:mm` (`2020-oct-01 09:00`). The filter has minute precision: a lower bound is
 * rounded down and an upper bound up, so no matching change is missed; a date alone as an upper
 * bound means the end of that day.
 */
export function vendorDateTime(value: string, bound: 'min' | 'max'): string {
  const m = DATETIME.exec(value.trim());
  if (!m) throw new UsageError(`'${value}' is not a date or date-time (yyyy-MM-dd[THH:mm])`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (!isValidDate(`${y}-${mo}-${d}`) || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) {
    throw new UsageError(`'${value}' is not a valid date-time`);
  }
  let ms = Date.parse(`${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}${frac ?? ''}${zone ? normaliseZone(zone) : 'Z'}`);
  if (!Number.isFinite(ms)) throw new UsageError(`'${value}' is not a valid date-time`);
  if (bound === 'max' && h === undefined) ms += 86_400_000 - 1;
  const minute = 60_000;
  ms = bound === 'min' ? Math.floor(ms / minute) * minute : Math.ceil(ms / minute) * minute;
  const t = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}-${MONTHS[t.getUTCMonth()]}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

function normaliseZone(zone: string): string {
  if (zone.toUpperCase() === 'Z') return 'Z';
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}
