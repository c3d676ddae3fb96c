// MYPOS Connect customer records for the sandbox (contract: shared/api/mypos.md): the full object,
// case-insensitive binding of request bodies (the vendor runs ASP.NET), validation, the restricted
// list view, `sSortKey` ordering and the `yyyy-MMM-dd HH:mm` filter dates.

export interface MyposCustomer {
  customerId: string;
  customerCode: string;
  customerName: string;
  firstName: string;
  lastName: string;
  address: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phoneNumber: string;
  faxNumber: string;
  emailAddress: string;
  webSite: string;
  creditLimit: number;
  notes: string;
  active: boolean;
  customerType: string;
  rewardsCollector: boolean;
  rewardsNumber: string;
  rewardsValue: number;
  allowMailing: boolean;
  allowDataShare: boolean;
  discountPercent: number;
  priceBand: number;
  balance: number;
  /** The sandbox shop's two custom columns (the vendor allows cC_001 .. cC_010 per shop). */
  cC_001: string | null;
  cC_002: string | null;
  lastEditDate: string;
  lastEditDateUTC: string;
  creationDate: string;
}

const TEXT = [
  'customerName', 'firstName', 'lastName', 'address', 'city', 'region', 'postalCode', 'country', 'phoneNumber',
  'faxNumber', 'emailAddress', 'webSite', 'notes', 'customerType', 'rewardsNumber',
] as const;
const NUMBER = ['creditLimit', 'rewardsValue', 'discountPercent'] as const;
const BOOLEAN = ['active', 'rewardsCollector', 'allowMailing', 'allowDataShare'] as const;
const CUSTOM = ['cC_001', 'cC_002'] as const;

/** Fields a client sets; everything else is the server's (id, code, balance, dates). */
export const MYPOS_WRITABLE = [...TEXT, ...NUMBER, ...BOOLEAN, 'priceBand', ...CUSTOM] as const;
type Writable = (typeof MYPOS_WRITABLE)[number];

/** Record fields in the contract's order. */
export const MYPOS_FIELDS: readonly (keyof MyposCustomer)[] = [
  'customerId', 'customerCode', 'customerName', 'firstName', 'lastName', 'address', 'city', 'region', 'postalCode',
  'country', 'phoneNumber', 'faxNumber', 'emailAddress', 'webSite', 'creditLimit', 'notes', 'active', 'customerType',
  'rewardsCollector', 'rewardsNumber', 'rewardsValue', 'allowMailing', 'allowDataShare', 'discountPercent',
  'priceBand', 'balance', 'cC_001', 'cC_002', 'lastEditDate', 'lastEditDateUTC', 'creationDate',
];

/** The restricted flat view of `GET /customers` [pinned]. */
export const MYPOS_LIST_FIELDS = [
  'customerId', 'customerCode', 'customerName', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'active',
  'lastEditDateUTC',
] as const satisfies readonly (keyof MyposCustomer)[];
type ListField = (typeof MYPOS_LIST_FIELDS)[number];

/** A 4xx answer raised inside a handler; the body is `{"failureDescription": message}`. */
export class MyposApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new MyposApiError(400, message);

const CANONICAL = new Map<string, keyof MyposCustomer>(MYPOS_FIELDS.map((f) => [f.toLowerCase(), f]));

/** Body fields under their canonical names; unknown fields are dropped, as ASP.NET binding does. */
export function bindFields(raw: unknown): Partial<Record<keyof MyposCustomer, unknown>> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('The request body must be a JSON customer object.');
  const out: Partial<Record<keyof MyposCustomer, unknown>> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const canonical = CANONICAL.get(key.toLowerCase());
    if (canonical !== undefined) out[canonical] = value;
  }
  return out;
}

const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function writableValue(field: Writable, value: unknown): unknown {
  if ((TEXT as readonly string[]).includes(field)) {
    if (value === null) return '';
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') throw badRequest(`${field} must be a string.`);
    if (field === 'emailAddress' && value.trim() !== '' && !EMAIL_RE.test(value.trim())) {
      throw badRequest(`emailAddress '${value}' is not a valid e-mail address.`);
    }
    return field === 'emailAddress' ? value.trim() : value;
  }
  if ((NUMBER as readonly string[]).includes(field)) {
    if (value === null) return 0;
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw badRequest(`${field} must be a number.`);
    if (field === 'discountPercent' && (n < 0 || n > 100)) throw badRequest('discountPercent must be between 0 and 100.');
    return n;
  }
  if ((BOOLEAN as readonly string[]).includes(field)) {
    if (typeof value !== 'boolean') throw badRequest(`${field} must be true or false.`);
    return value;
  }
  if (field === 'priceBand') {
    if (value === null) return 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw badRequest('priceBand must be a whole number, 1 or more.');
    return value;
  }
  // Custom columns: text or null.
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`${field} must be a string.`);
}

/** The writable fields present in `fields`, validated. */
export function writableChanges(fields: Partial<Record<keyof MyposCustomer, unknown>>): Partial<MyposCustomer> {
  const out: Record<string, unknown> = {};
  for (const field of MYPOS_WRITABLE) {
    if (field in fields && fields[field] !== undefined) out[field] = writableValue(field, fields[field]);
  }
  return out as Partial<MyposCustomer>;
}

export function emptyCustomer(customerId: string, customerCode: string, stamp: Stamp): MyposCustomer {
  return {
    customerId, customerCode, customerName: '', firstName: '', lastName: '', address: '', city: '', region: '',
    postalCode: '', country: '', phoneNumber: '', faxNumber: '', emailAddress: '', webSite: '', creditLimit: 0,
    notes: '', active: true, customerType: '', rewardsCollector: false, rewardsNumber: '', rewardsValue: 0,
    allowMailing: false, allowDataShare: false, discountPercent: 0, priceBand: 1, balance: 0, cC_001: null,
    cC_002: null, lastEditDate: stamp.local, lastEditDateUTC: stamp.utc, creationDate: stamp.local,
  };
}

// ---------------------------------------------------------------------------------------------
// Dates

/** The sandbox shop's time zone for `lastEditDate` and `creationDate`: WIB, UTC+7 [pinned]. */
export const SHOP_UTC_OFFSET_MINUTES = 7 * 60;

export interface Stamp {
  utc: string;
  local: string;
}

/** `2020-08-21T16:47:18.177`: the vendor's zone-less form with milliseconds. */
export function isoNoZone(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

export function stampAt(ms: number): Stamp {
  return { utc: isoNoZone(ms), local: isoNoZone(ms + SHOP_UTC_OFFSET_MINUTES * 60_000) };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const VENDOR_DATE = /^(\d{4})-([a-z]{3})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

/** Epoch ms of a zone-less UTC date-time: `yyyy-MMM-dd HH:mm` (the filter form) or ISO. */
export function parseUtc(text: string): number | null {
  const t = text.trim();
  let y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0;
  const v = VENDOR_DATE.exec(t);
  const iso = v ? null : ISO_DATE.exec(t);
  if (v) {
    [y, mo, d] = [Number(v[1]), MONTHS.indexOf(v[2]!.toLowerCase()) + 1, Number(v[3])];
    [h, mi, s] = [Number(v[4] ?? 0), Number(v[5] ?? 0), Number(v[6] ?? 0)];
  } else if (iso) {
    [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    [h, mi, s] = [Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)];
    ms = iso[7] ? Math.floor(Number(`0.${iso[7]}`) * 1000) : 0;
  } else {
    return null;
  }
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  const at = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  return new Date(at).getUTCDate() === d ? at : null;
}

// ---------------------------------------------------------------------------------------------
// The list view

export interface ListParams {
  page: number;
  pageSize: number;
  sort: { field: ListField; desc: boolean } | null;
  fields: ListField[];
  min: number | null;
  max: number | null;
}

export const MYPOS_DEFAULT_PAGE_SIZE = 10;
export const MYPOS_MAX_PAGE_SIZE = 1000;
const LIST_BY_LOWER = new Map<string, ListField>(MYPOS_LIST_FIELDS.map((f) => [f.toLowerCase(), f]));
const KNOWN_PARAMS = new Set(['lipage', 'lipagesize', 'ssortkey', 'sfieldlist', 'filt_lasteditdateutc_dt_min', 'filt_lasteditdateutc_dt_max']);

/** Parses the list query; unknown parameters and filters are a 400, never silently ignored. */
export function parseListParams(query: Record<string, string>): ListParams {
  for (const name of Object.keys(query)) {
    if (!KNOWN_PARAMS.has(name)) {
      throw badRequest(
        name.startsWith('filt_')
          ? `The filter '${name}' is not available for customers; ask MYPOS to enable it.`
          : `Unknown query string argument '${name}'.`,
      );
    }
  }
  const whole = (name: string, fallback: number): number => {
    const value = query[name.toLowerCase()]?.trim();
    if (value === undefined || value === '') return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw badRequest(`${name} must be a whole number, 1 or more.`);
    return Number(value);
  };
  let sort: ListParams['sort'] = null;
  const key = query.ssortkey?.trim();
  if (key) {
    const m = /^(.+?)(asc|desc)$/i.exec(key);
    const field = m ? LIST_BY_LOWER.get(m[1]!.toLowerCase()) : undefined;
    if (!m || !field) throw badRequest(`sSortKey '${key}' must be a returned field name followed by ASC or DESC.`);
    sort = { field, desc: m[2]!.toLowerCase() === 'desc' };
  }
  const fields: ListField[] = [];
  for (const name of (query.sfieldlist ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const field = LIST_BY_LOWER.get(name.toLowerCase());
    if (!field) throw badRequest(`sFieldList: '${name}' is not a returnable field (${MYPOS_LIST_FIELDS.join(', ')}).`);
    if (!fields.includes(field)) fields.push(field);
  }
  const date = (name: string): number | null => {
    const value = query[name.toLowerCase()];
    if (value === undefined || value.trim() === '') return null;
    const at = parseUtc(value);
    if (at === null) throw badRequest(`${name} '${value}' is not a date-time; use yyyy-MMM-dd HH:mm (e.g. 2020-oct-01 09:00).`);
    return at;
  };
  return {
    page: whole('liPage', 1),
    pageSize: Math.min(MYPOS_MAX_PAGE_SIZE, whole('liPageSize', MYPOS_DEFAULT_PAGE_SIZE)),
    sort,
    fields: fields.length ? fields : [...MYPOS_LIST_FIELDS],
    min: date('filt_LastEditDateUTC_dt_min'),
    max: date('filt_LastEditDateUTC_dt_max'),
  };
}

export function matchesList(r: MyposCustomer, p: ListParams): boolean {
  if (p.min === null && p.max === null) return true;
  const at = parseUtc(r.lastEditDateUTC) ?? 0;
  return (p.min === null || at >= p.min) && (p.max === null || at <= p.max);
}

/** A stable comparator for `sSortKey`: numbers and numeric codes by value, text case-insensitively. */
export function compareBy(field: ListField, desc: boolean): (a: MyposCustomer, b: MyposCustomer) => number {
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  return (a, b) => {
    const x = a[field];
    const y = b[field];
    const c = typeof x === 'boolean' || typeof y === 'boolean' ? Number(x) - Number(y) : collator.compare(String(x), String(y));
    return desc ? -c : c;
  };
}

/** One row of the restricted view, with its 1-based position and the count of all matches. */
export function listRow(r: MyposCustomer, fields: readonly ListField[], position: number, total: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of fields) row[f] = r[f];
  row.customSortRowNumber = position;
  row.liTotalCount = total;
  return row;
}
