// The DealPOS sandbox's state: customers with their lookup indexes, the highest code, and PIN
// hashes; and what the route handlers are given to work on.
//
// Invariant the persistence layer relies on: a stored record object is never mutated. Every change
// stores a new object, so a snapshot (an array of the current record objects) stays consistent
// while it is written out in chunks.

import { type DealposCustomer, normalizeStoredRecord } from './records.js';
import { SandboxInputError } from '../core/emulator.js';

/** NewCode's answer when no `PREFIX-NNN` code exists yet. */
export const DEALPOS_FIRST_CODE = 'C-00001';

const CODE_RE = /^(.*-)(\d{1,15})$/;

/**
 * Tracks the highest `PREFIX-NNN` code so NewCode and code assignment are O(1). Removing the
 * current highest code marks the tracker stale; the next question rescans once.
 */
class CodeTracker {
  private best: { prefix: string; num: number; width: number; lower: string } | null = null;
  private stale = false;

  reset(): void {
    this.best = null;
    this.stale = false;
  }

  add(code: string | null): void {
    if (code === null || this.stale) return;
    const m = CODE_RE.exec(code);
    if (!m) return;
    const num = Number(m[2]);
    if (this.best === null || num > this.best.num) {
      this.best = { prefix: m[1] as string, num, width: (m[2] as string).length, lower: code.toLowerCase() };
    }
  }

  remove(code: string | null): void {
    if (code !== null && this.best !== null && code.toLowerCase() === this.best.lower) this.stale = true;
  }

  next(allCodes: () => Iterable<string | null>): string {
    if (this.stale) {
      this.best = null;
      this.stale = false;
      for (const code of allCodes()) this.add(code);
    }
    if (this.best === null) return DEALPOS_FIRST_CODE;
    return this.best.prefix + String(this.best.num + 1).padStart(this.best.width, '0');
  }
}

/** Customers with O(1) lookups by ID, Code, Email, Mobile and Phone. Map order = list order. */
export class CustomerStore {
  readonly byId = new Map<string, DealposCustomer>();
  private readonly byCode = new Map<string, string>();
  private readonly byEmail = new Map<string, string>();
  private readonly byMobile = new Map<string, string>();
  /** Phone is not unique: the set keeps every holder, in the order they got the number. */
  private readonly byPhone = new Map<string, Set<string>>();
  /** ID key -> salted scrypt hash. The PIN itself is never stored. */
  readonly pins = new Map<string, string>();
  readonly codes = new CodeTracker();

  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
    this.byCode.clear();
    this.byEmail.clear();
    this.byMobile.clear();
    this.byPhone.clear();
    this.pins.clear();
    this.codes.reset();
  }

  get(id: string): DealposCustomer | undefined {
    return this.byId.get(id.toLowerCase());
  }
  getByCode(code: string): DealposCustomer | undefined {
    const key = this.byCode.get(code.toLowerCase());
    return key === undefined ? undefined : this.byId.get(key);
  }
  getByEmail(email: string): DealposCustomer | undefined {
    const key = this.byEmail.get(email.toLowerCase());
    return key === undefined ? undefined : this.byId.get(key);
  }
  getByMobile(mobile: string): DealposCustomer | undefined {
    const key = this.byMobile.get(mobile);
    return key === undefined ? undefined : this.byId.get(key);
  }
  /** Phone matches the `Phone` field first (the longest holder wins), else `Mobile`. */
  getByPhone(phone: string): DealposCustomer | undefined {
    const holders = this.byPhone.get(phone);
    if (holders) for (const key of holders) return this.byId.get(key);
    return this.getByMobile(phone);
  }

  /** The message of the first uniqueness clash of `record` with another customer, or null. */
  conflict(record: Pick<DealposCustomer, 'Code' | 'Email' | 'Mobile'>, selfKey: string | null): string | null {
    const taken = (index: Map<string, string>, key: string) => {
      const holder = index.get(key);
      return holder !== undefined && holder !== selfKey;
    };
    if (record.Code !== null && taken(this.byCode, record.Code.toLowerCase())) return `Code ${record.Code} already exists.`;
    if (record.Email !== null && taken(this.byEmail, record.Email.toLowerCase())) return `Email ${record.Email} already exists.`;
    if (record.Mobile !== null && taken(this.byMobile, record.Mobile)) return `Mobile ${record.Mobile} already exists.`;
    return null;
  }


  /** The code NewCode answers, and a create without `Code` gets while the generator is on. */
  nextCode(): string {
    const byId = this.byId;
    return this.codes.next(function* () {
      for (const r of byId.values()) yield r.Code;
    });
  }

  insert(record: DealposCustomer): void {
    const key = record.ID.toLowerCase();
    this.byId.set(key, record);
    this.index(key, record);
  }

  /** Stores `next` in place of the record with the same ID, keeping its list position. */
  replace(prev: DealposCustomer, next: DealposCustomer): void {
    const key = prev.ID.toLowerCase();
    this.unindex(key, prev);
    this.byId.set(key, next);
    this.index(key, next);
  }

  remove(record: DealposCustomer): void {
    const key = record.ID.toLowerCase();
    this.unindex(key, record);
    this.byId.delete(key);
    this.pins.delete(key);
  }

  private index(key: string, r: DealposCustomer): void {
    if (r.Code !== null) this.byCode.set(r.Code.toLowerCase(), key);
    if (r.Email !== null) this.byEmail.set(r.Email.toLowerCase(), key);
    if (r.Mobile !== null) this.byMobile.set(r.Mobile, key);
    if (r.Phone !== null && r.Phone !== '') {
      let holders = this.byPhone.get(r.Phone);
      if (!holders) this.byPhone.set(r.Phone, (holders = new Set()));
      holders.add(key);
    }
    this.codes.add(r.Code);
  }

  private unindex(key: string, r: DealposCustomer): void {
    if (r.Code !== null && this.byCode.get(r.Code.toLowerCase()) === key) this.byCode.delete(r.Code.toLowerCase());
    if (r.Email !== null && this.byEmail.get(r.Email.toLowerCase()) === key) this.byEmail.delete(r.Email.toLowerCase());
    if (r.Mobile !== null && this.byMobile.get(r.Mobile) === key) this.byMobile.delete(r.Mobile);
    if (r.Phone !== null && r.Phone !== '') {
      const holders = this.byPhone.get(r.Phone);
      holders?.delete(key);
      if (holders?.size === 0) this.byPhone.delete(r.Phone);
    }
    this.codes.remove(r.Code);
  }
}

/** Persisted form of the DealPOS state. Tokens are deliberately absent: a restart revokes them. */
export interface DealposSnapshot {
  customers: DealposCustomer[];
  /** Customer ID -> `scrypt$N$r$p$salt$hash`. */
  pins: Record<string, string>;
}

/**
 * A store holding `records` (whole records, server-owned fields included) and the `pins` of those
 * that exist, after checking every record; throws SandboxInputError naming the first bad one.
 */
export function loadStore(records: unknown[], pins: Record<string, unknown>, today: string): CustomerStore {
  const next = new CustomerStore();
  records.forEach((raw, i) => {
    let record: DealposCustomer;
    try {
      record = normalizeStoredRecord(raw, today);
    } catch (err) {
      throw new SandboxInputError(`customer #${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (next.get(record.ID)) throw new SandboxInputError(`customer #${i + 1}: ID ${record.ID} already exists.`);
    const clash = next.conflict(record, null);
    if (clash) throw new SandboxInputError(`customer #${i + 1}: ${clash}`);
    next.insert(record);
  });
  for (const [id, hash] of Object.entries(pins)) {
    if (typeof hash !== 'string') throw new SandboxInputError(`PIN hash of ${id} must be a string`);
    if (next.get(id)) next.pins.set(id.toLowerCase(), hash);
  }
  return next;
}

/** Run-time settings (`configure()`, `PUT /_sandbox/config`). */
export interface DealposSettings {
  tokenTtlSeconds: number;
  /** Customer Code Generator: NewCode works and creates without `Code` get the next code. */
  codeGenerator: boolean;
  /** The variants of the vendor's answers it plays (dialects.ts). */
  dialects: string[];
}

/** What the route handlers work on. */
export interface DealposState {
  /** Replaced as a whole when the customers are restored or replaced. */
  store: CustomerStore;
  readonly settings: DealposSettings;
  /** Server clock for `JoinDate` and `AppLastSignIn` (local time, like the vendor's). */
  readonly clock: () => Date;
}
