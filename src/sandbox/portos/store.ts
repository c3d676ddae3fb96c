// The PORTOS sandbox's customers, with O(1) lookups by id, external id and card serial number
// (all case-insensitive [pinned]). Map order is list order; a replaced record keeps its place.
import type { PortosCustomer, ProblemMember } from './records.js';
import { UNIQUE } from './records.js';

export class PortosStore {
  readonly byId = new Map<string, PortosCustomer>();
  private readonly byExternalId = new Map<string, string>();
  private readonly byCard = new Map<string, string>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): PortosCustomer | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /** Uniqueness problems of `record` against every other customer (`self` is its own id key). */
  conflicts(record: PortosCustomer, selfKey: string | null): ProblemMember[] {
    const problems: ProblemMember[] = [];
    const taken = (index: Map<string, string>, key: string) => {
      const holder = index.get(key);
      return holder !== undefined && holder !== selfKey;
    };
    if (record.externalId && taken(this.byExternalId, record.externalId.toLowerCase())) {
      problems.push({ memberName: 'externalId', message: `externalId '${record.externalId}' is already used by another customer.`, code: UNIQUE });
    }
    record.cards.forEach((card, i) => {
      if (card.serialNumber && taken(this.byCard, card.serialNumber.toLowerCase())) {
        problems.push({ memberName: `cards[${i}].serialNumber`, message: `Card ${card.serialNumber} belongs to another customer.`, code: UNIQUE });
      }
    });
    return problems;
  }

  insert(record: PortosCustomer): void {
    const key = record.id.toLowerCase();
    this.byId.set(key, record);
    this.index(key, record);
  }

  replace(prev: PortosCustomer, next: PortosCustomer): void {
    const key = prev.id.toLowerCase();
    this.unindex(key, prev);
    this.byId.set(key, next);
    this.index(key, next);
  }

  remove(record: PortosCustomer): void {
    const key = record.id.toLowerCase();
    this.unindex(key, record);
    this.byId.delete(key);
  }

  private index(key: string, r: PortosCustomer): void {
    if (r.externalId) this.byExternalId.set(r.externalId.toLowerCase(), key);
    for (const card of r.cards) if (card.serialNumber) this.byCard.set(card.serialNumber.toLowerCase(), key);
  }

  private unindex(key: string, r: PortosCustomer): void {
    if (r.externalId && this.byExternalId.get(r.externalId.toLowerCase()) === key) this.byExternalId.delete(r.externalId.toLowerCase());
    for (const card of r.cards) {
      const k = card.serialNumber.toLowerCase();
      if (k && this.byCard.get(k) === key) this.byCard.delete(k);
    }
  }
}
