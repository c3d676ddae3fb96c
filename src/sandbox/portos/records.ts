// PORTOS customer records in the sandbox: binding a request body to a record the way the vendor's
// ASP.NET Core server does (camelCase, member names case-insensitive, numbers also from strings,
// unknown members dropped), validation that reports every problem as a ProblemDetails `errors[]`
// entry, and the record as answered (with the derived `status` and `fullName`).
//
// Stored records are never mutated: a change stores a new object (see dealpos-store.ts for why).

export interface PortosAddress {
  street: string | null;
  city: string | null;
  zipCode: string | null;
  country: string | null;
}

export interface PortosCompany {
  name: string | null;
  vatId: string | null;
  taxId: string | null;
}

export interface PortosCard {
  externalId: string | null;
  isActive: boolean;
  isVirtual: boolean;
  serialNumber: string;
  processor: string | null;
  status: string;
  statusTime: string | null;
  statusReason: string | null;
  activationTime: string | null;
  expirationTime: string | null;
  note: string | null;
  meta: unknown;
}

/** The stored form: everything but the derived `status` and `fullName`. */
export interface PortosCustomer {
  id: string;
  externalId: string | null;
  isActive: boolean;
  activationTime: string | null;
  expirationTime: string | null;
  firstName: string | null;
  lastName: string | null;
  gender: string | null;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  isCompany: boolean;
  company: PortosCompany | null;
  address: PortosAddress | null;
  deliveryAddress: PortosAddress | null;
  credit: { amount: number; currencyLabel: string | null };
  creditTransactions: unknown[];
  cards: PortosCard[];
  creditRate: number;
  discountRate: number;
  note: string | null;
  meta: Record<string, unknown>;
  _v: number;
}

/** One entry of a ProblemDetails `errors[]`. Codes: 1 Required, 2 Unique, 3 Invalid [pinned]. */
export interface ProblemMember {
  memberName: string;
  message: string;
  code: number;
}
export const REQUIRED = 1;
export const UNIQUE = 2;
export const INVALID = 3;

const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?Z?)?$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads members of one JSON object by case-insensitive name, collecting problems. */
class Reader {
  private readonly byLower = new Map<string, unknown>();
  constructor(
    obj: Record<string, unknown>,
    private readonly prefix: string,
    readonly errors: ProblemMember[],
  ) {
    for (const [k, v] of Object.entries(obj)) this.byLower.set(k.toLowerCase(), v);
  }
  raw(member: string): unknown {
    return this.byLower.get(member.toLowerCase());
  }
  fail(member: string, message: string, code = INVALID): void {
    this.errors.push({ memberName: this.prefix + member, message, code });
  }
  text(member: string): string | null {
    const v = this.raw(member);
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    this.fail(member, `${this.prefix + member} must be a string.`);
    return null;
  }
  bool(member: string, fallback: boolean): boolean {
    const v = this.raw(member);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    this.fail(member, `${this.prefix + member} must be true or false.`);
    return fallback;
  }
  number(member: string, fallback: number, range?: [number, number]): number {
    const v = this.raw(member);
    if (v === undefined || v === null) return fallback;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n)) {
      this.fail(member, `${this.prefix + member} must be a number.`);
      return fallback;
    }
    if (range && (n < range[0] || n > range[1])) this.fail(member, `${this.prefix + member} must be from ${range[0]} to ${range[1]}.`);
    return n;
  }
  date(member: string): string | null {
    const v = this.text(member);
    if (v === null || v === '') return null;
    const m = DATE_RE.exec(v.trim());
    const ok = m && !Number.isNaN(Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`)) && new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`).getUTCDate() === Number(m[3]);
    if (!ok) {
      this.fail(member, `${this.prefix + member} '${v}' is not a date (yyyy-MM-dd).`);
      return null;
    }
    return `${m![1]}-${m![2]}-${m![3]}`;
  }
  dateTime(member: string): string | null {
    const v = this.text(member);
    if (v === null || v === '') return null;
    if (!DATETIME_RE.test(v.trim()) || Number.isNaN(Date.parse(v.trim()))) {
      this.fail(member, `${this.prefix + member} '${v}' is not a date and time.`);
      return null;
    }
    return v.trim();
  }
  /** A nested object member: a Reader over it, null when null/absent, undefined (and a problem) when not an object. */
  object(member: string): Reader | null {
    const v = this.raw(member);
    if (v === undefined || v === null) return null;
    if (!isObject(v)) {
      this.fail(member, `${this.prefix + member} must be an object.`);
      return null;
    }
    return new Reader(v, `${this.prefix + member}.`, this.errors);
  }
}

function readAddress(r: Reader | null): PortosAddress | null {
  if (!r) return null;
  return { street: r.text('street'), city: r.text('city'), zipCode: r.text('zipCode'), country: r.text('country') };
}

function readCards(r: Reader): PortosCard[] {
  const v = r.raw('cards');
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    r.fail('cards', 'cards must be a list.');
    return [];
  }
  const cards: PortosCard[] = [];
  v.forEach((item, i) => {
    if (!isObject(item)) {
      r.fail(`cards[${i}]`, `cards[${i}] must be an object.`);
      return;
    }
    const c = new Reader(item, `cards[${i}].`, r.errors);
    const serialNumber = c.text('serialNumber');
    if (serialNumber === null || serialNumber.trim() === '') c.fail('serialNumber', `cards[${i}].serialNumber is required.`, REQUIRED);
    cards.push({
      externalId: c.text('externalId'),
      isActive: c.bool('isActive', true),
      isVirtual: c.bool('isVirtual', false),
      serialNumber: serialNumber ?? '',
      processor: c.text('processor'),
      status: c.text('status') ?? 'Valid',
      statusTime: c.dateTime('statusTime'),
      statusReason: c.text('statusReason'),
      activationTime: c.dateTime('activationTime'),
      expirationTime: c.dateTime('expirationTime'),
      note: c.text('note'),
      meta: c.raw('meta') ?? null,
    });
  });
  const seen = new Set<string>();
  cards.forEach((card, i) => {
    const key = card.serialNumber.toLowerCase();
    if (key && seen.has(key)) r.fail(`cards[${i}].serialNumber`, `Card ${card.serialNumber} is listed twice.`, UNIQUE);
    seen.add(key);
  });
  return cards;
}

/**
 * A customer from a request body (or a data file), validated. `id` and `_v` are the server's: the
 * caller decides them. Returns every problem found, not just the first.
 */
export function parseCustomer(body: unknown, id: string, version: number): { record: PortosCustomer; errors: ProblemMember[] } {
  const errors: ProblemMember[] = [];
  const r = new Reader(isObject(body) ? body : {}, '', errors);
  const company = r.object('company');
  const credit = r.object('credit');
  const meta = r.raw('meta');
  if (meta !== undefined && meta !== null && !isObject(meta)) r.fail('meta', 'meta must be an object.');
  const transactions = r.raw('creditTransactions');
  if (transactions !== undefined && transactions !== null && !Array.isArray(transactions)) r.fail('creditTransactions', 'creditTransactions must be a list.');
  const record: PortosCustomer = {
    id,
    externalId: r.text('externalId'),
    isActive: r.bool('isActive', true),
    activationTime: r.dateTime('activationTime'),
    expirationTime: r.dateTime('expirationTime'),
    firstName: r.text('firstName'),
    lastName: r.text('lastName'),
    gender: r.text('gender'),
    birthDate: r.date('birthDate'),
    email: r.text('email'),
    phone: r.text('phone'),
    isCompany: r.bool('isCompany', false),
    company: company ? { name: company.text('name'), vatId: company.text('vatId'), taxId: company.text('taxId') } : null,
    address: readAddress(r.object('address')),
    deliveryAddress: readAddress(r.object('deliveryAddress')),
    credit: { amount: credit ? credit.number('amount', 0) : 0, currencyLabel: credit ? credit.text('currencyLabel') : null },
    creditTransactions: Array.isArray(transactions) ? structuredClone(transactions) : [],
    cards: readCards(r),
    creditRate: r.number('creditRate', 0, [0, 100]),
    discountRate: r.number('discountRate', 0, [0, 100]),
    note: r.text('note'),
    meta: isObject(meta) ? structuredClone(meta) : {},
    _v: version,
  };
  if (record.email !== null && record.email !== '' && !EMAIL_RE.test(record.email)) r.fail('email', `email '${record.email}' is not an e-mail address.`);
  const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === '';
  if (blank(record.firstName) && blank(record.lastName) && blank(record.company?.name)) {
    r.fail('lastName', 'lastName is required (or firstName, or company.name for a company).', REQUIRED);
  }
  if (record.isCompany && blank(record.company?.name)) r.fail('company.name', 'company.name is required for a company.', REQUIRED);
  return { record, errors };
}

/** `status` from the activation window, as the server derives it at the time of asking. */
export function statusOf(c: PortosCustomer, now: number): 'Valid' | 'Expired' | 'NotActive' {
  if (!c.isActive) return 'NotActive';
  if (c.activationTime && Date.parse(c.activationTime) > now) return 'NotActive';
  if (c.expirationTime && Date.parse(c.expirationTime) <= now) return 'Expired';
  return 'Valid';
}

export function fullNameOf(c: PortosCustomer): string {
  return [c.firstName, c.lastName].filter((s) => s && s.trim()).join(' ') || (c.company?.name ?? '');
}

/** The record as the API answers it, in the vendor's member order; a deep copy. */
export function viewOf(c: PortosCustomer, now: number): Record<string, unknown> {
  const copy = structuredClone(c);
  return {
    id: copy.id,
    externalId: copy.externalId,
    isActive: copy.isActive,
    status: statusOf(c, now),
    activationTime: copy.activationTime,
    expirationTime: copy.expirationTime,
    firstName: copy.firstName,
    lastName: copy.lastName,
    fullName: fullNameOf(c),
    gender: copy.gender,
    birthDate: copy.birthDate,
    email: copy.email,
    phone: copy.phone,
    isCompany: copy.isCompany,
    company: copy.company,
    address: copy.address,
    deliveryAddress: copy.deliveryAddress,
    credit: copy.credit,
    creditTransactions: copy.creditTransactions,
    cards: copy.cards,
    creditRate: copy.creditRate,
    discountRate: copy.discountRate,
    note: copy.note,
    meta: copy.meta,
    _v: copy._v,
  };
}

/** True when a PUT changes a member that needs its own right (discountRate, credit). */
export function changedMembers(prev: PortosCustomer, next: PortosCustomer): { discount: boolean; credit: boolean } {
  return {
    discount: prev.discountRate !== next.discountRate,
    credit: prev.credit.amount !== next.credit.amount || prev.credit.currencyLabel !== next.credit.currencyLabel,
  };
}
