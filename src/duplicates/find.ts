// Finding the customers who are one person, in one streamed read of the customer list. Per customer
// we keep its ID (packed in one buffer) and, per rule key, a 53-bit hash in a map from hash to the
// customers that have it: memory grows with the keys (about 200 bytes a customer), never with
// whole records. A group is the connected set of customers joined by any rule (union-find); a key
// held by more than --max-group customers is a placeholder ("noemail@shop.id"), reported and never
// used to join anyone. A hash collision could only join two strangers: the caller checks every
// group again on the members' whole records (confirmGroups).
import { completeRecords, rowsLack } from '../backends/complete.js';
import type { CustomerBackend, CustomerRecord } from '../backends/types.js';
import { cellText, valueAt } from '../output/cells.js';
import type { Phones } from '../util/phone.js';

export const RULES = ['email', 'mobile', 'phone', 'name'] as const;
export type Rule = (typeof RULES)[number];

export interface Placeholder {
  rule: Rule;
  value: string;
  customers: number;
}

export interface FoundGroups {
  /** Each group's member IDs, in list order, and the rule that tied each in (the first member: the rule of its first tie). */
  groups: { ids: string[]; rules: Rule[] }[];
  placeholders: Placeholder[];
  customers: number;
}

/** Providers known to ignore dots in the local part (Gmail), or a `+tag` (most large ones). */
const DOTS_IGNORED = new Set(['gmail.com', 'googlemail.com']);
const PLUS_TAGS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'protonmail.com', 'proton.me', 'fastmail.com']);

/** An e-mail address as its provider reads it: trimmed, lower-cased, and where the provider does so, without dots or a +tag. */
export function emailKey(text: string): string {
  const s = text.trim().toLowerCase();
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return s;
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (PLUS_TAGS.has(domain)) local = local.split('+')[0]!;
  if (DOTS_IGNORED.has(domain)) local = local.replace(/\./g, '');
  return `${local}@${domain}`;
}

/** A name with accents, case, punctuation and spacing folded: "José  Muñoz" = "jose munoz". */
export function nameKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface FindOptions {
  rules: readonly Rule[];
  maxGroup: number;
  phones: Phones;
  onPage?: (seen: number) => void;
}

/** The fields each rule reads, on this backend. */
export function ruleFields(backend: CustomerBackend, rules: readonly Rule[]): string[] {
  const f = backend.schema.flags;
  const out = new Set<string>([backend.schema.idField]);
  for (const rule of rules) {
    if (rule === 'email' && f.email) out.add(f.email);
    if (rule === 'mobile' && f.mobile) out.add(f.mobile);
    if (rule === 'phone' && f.phone) out.add(f.phone);
    if (rule === 'name') for (const k of [f.name, f.firstName, f.lastName, f.birthdate, f.email, f.mobile, f.phone]) if (k) out.add(k);
  }
  return [...out];
}

/** The keys a customer has under each rule (a rule may give several: name + birth date, name + phone, ...). */
export function keysOf(backend: CustomerBackend, record: CustomerRecord, rules: readonly Rule[], phones: Phones): [Rule, string][] {
  const f = backend.schema.flags;
  const text = (field: string | undefined) => (field ? cellText(valueAt(record, field)).trim() : '');
  const phone = (field: string | undefined) => {
    const t = text(field);
    if (!/\d{5}/.test(t.replace(/\D/g, ''))) return '';
    return phones.key(t);
  };
  const out: [Rule, string][] = [];
  for (const rule of rules) {
    if (rule === 'email') {
      const e = text(f.email);
      if (e.includes('@')) out.push(['email', emailKey(e)]);
    } else if (rule === 'mobile' || rule === 'phone') {
      const p = phone(rule === 'mobile' ? f.mobile : f.phone);
      // One telephone field for both (MYPOS, PORTOS): one key, under the rule first asked.
      if (p && !(rule === 'phone' && f.phone === f.mobile && rules.includes('mobile'))) out.push([rule, p]);
    } else {
      const full = nameKey(text(f.name) || `${text(f.firstName)} ${text(f.lastName)}`);
      if (!full) continue;
      const birth = text(f.birthdate).slice(0, 10);
      if (birth && !birth.startsWith('0001')) out.push(['name', `${full}|b:${birth}`]);
      for (const p of new Set([phone(f.mobile), phone(f.phone)])) if (p) out.push(['name', `${full}|p:${p}`]);
      const e = text(f.email);
      if (e.includes('@')) out.push(['name', `${full}|e:${emailKey(e).split('@')[0]}`]);
    }
  }
  return out;
}

/** cyrb53: a fast 53-bit string hash (public domain), exact in a double. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Strings packed end to end in one buffer: an ID costs its bytes and an offset, not a heap string. */
class StringPool {
  private buf = Buffer.alloc(1 << 16);
  private ends = new Uint32Array(1024);
  private used = 0;
  length = 0;
  push(s: string): void {
    const need = Buffer.byteLength(s);
    if (this.used + need > this.buf.length) {
      const next = Buffer.alloc(Math.max(this.buf.length * 2, this.used + need));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    if (this.length === this.ends.length) {
      const next = new Uint32Array(this.ends.length * 2);
      next.set(this.ends);
      this.ends = next;
    }
    this.used += this.buf.write(s, this.used);
    this.ends[this.length++] = this.used;
  }
  get(i: number): string {
    return this.buf.toString('utf8', i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!);
  }
}

export async function findDuplicates(backend: CustomerBackend, o: FindOptions): Promise<FoundGroups> {
  const ids = new StringPool();
  // key hash -> the customers holding it (one number until a second comes).
  const holders = new Map<number, number | number[]>();
  // For keys held more than once only: the rule and the text (placeholders are named).
  const shared = new Map<number, { rule: Rule; text: string }>();
  const fields = ruleFields(backend, o.rules);
  for await (const rows of backend.listAll({ fields }, backend.maxPageSize)) {
    const page = backend.getManyBatch > 1 && rowsLack(backend, fields) === true ? (await completeRecords(backend, rows, fields)).records : rows;
    for (const record of page) {
      const i = ids.length;
      ids.push(cellText(valueAt(record, backend.schema.idField)));
      for (const [rule, key] of keysOf(backend, record, o.rules, o.phones)) {
        const k = hash53(`${rule}\u0000${key}`);
        const had = holders.get(k);
        if (had === undefined) holders.set(k, i);
        else if (typeof had === 'number') {
          if (had !== i) {
            holders.set(k, [had, i]);
            shared.set(k, { rule, text: key });
          }
        } else if (had[had.length - 1] !== i) had.push(i);
      }
    }
    o.onPage?.(ids.length);
  }

  const parent = new Int32Array(ids.length).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const tiedBy = new Map<number, Rule>();
  const placeholders: Placeholder[] = [];
  for (const [k, had] of holders) {
    if (typeof had === 'number') continue;
    const { rule, text } = shared.get(k)!;
    if (had.length > o.maxGroup) {
      placeholders.push({ rule, value: text, customers: had.length });
      continue;
    }
    for (const i of had) if (!tiedBy.has(i)) tiedBy.set(i, rule);
    for (const i of had.slice(1)) {
      const a = find(had[0]!);
      const b = find(i);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const byRoot = new Map<number, number[]>();
  for (const i of tiedBy.keys()) {
    const r = find(i);
    const members = byRoot.get(r);
    if (members) members.push(i);
    else byRoot.set(r, [i]);
  }
  const groups = [...byRoot.values()]
    .filter((m) => m.length > 1)
    .map((m) => m.sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!)
    .map((m) => ({ ids: m.map((i) => ids.get(i)), rules: m.map((i) => tiedBy.get(i)!) }));
  return { groups, placeholders, customers: ids.length };
}

/**
 * A group found by key hashes, checked on its members' whole records: the members split into the
 * sets their real keys join (a hash collision joins nobody), each member with the rule that tied it.
 */
export function confirmGroups(backend: CustomerBackend, records: readonly CustomerRecord[], o: Pick<FindOptions, 'rules' | 'phones'>, placeholders: ReadonlySet<string>): { members: number[]; rules: Rule[] }[] {
  const parent = records.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const first = new Map<string, number>();
  const tiedBy = new Map<number, Rule>();
  records.forEach((r, i) => {
    for (const [rule, key] of keysOf(backend, r, o.rules, o.phones)) {
      const k = `${rule}\u0000${key}`;
      if (placeholders.has(k)) continue;
      const j = first.get(k);
      if (j === undefined) first.set(k, i);
      else if (j !== i) {
        if (!tiedBy.has(i)) tiedBy.set(i, rule);
        if (!tiedBy.has(j)) tiedBy.set(j, rule);
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const byRoot = new Map<number, number[]>();
  for (const i of tiedBy.keys()) {
    const root = find(i);
    byRoot.set(root, [...(byRoot.get(root) ?? []), i]);
  }
  return [...byRoot.values()].filter((m) => m.length > 1).map((m) => m.sort((a, b) => a - b)).map((m) => ({ members: m, rules: m.map((i) => tiedBy.get(i)!) }));
}
