// Finding one customer by a unique key, with whatever the backend offers: a direct lookup (DealPOS
// Detail?Code=), an exact list filter (PORTOS ExternalId), or nothing short of reading every
// customer ('unknown').
import { NotFoundError } from '../errors.js';
import { cellText, valueAt } from '../output/cells.js';
import type { ImportKeyDef } from './schema.js';
import type { CustomerBackend, CustomerRecord } from './types.js';

/**
 * The customer with this key, null when there is none, 'unknown' when the backend cannot find
 * customers by this key without a full listing.
 */
export async function findByKey(backend: CustomerBackend, key: ImportKeyDef, value: string): Promise<CustomerRecord | null | 'unknown'> {
  if (key.lookup) {
    try {
      return await backend.get({ by: key.lookup, value });
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }
  if (key.listFilter) {
    const page = await backend.list({ [key.listFilter]: value }, 1, 10);
    const want = key.caseInsensitive ? value.toLowerCase() : value;
    return (
      page.records.find((r) => {
        const got = cellText(valueAt(r, key.field)).trim();
        return (key.caseInsensitive ? got.toLowerCase() : got) === want;
      }) ?? null
    );
  }
  return 'unknown';
}

/** The unique keys a new record carries that the client chose (not the server), with their values. */
export function clientKeysOf(backend: CustomerBackend, record: CustomerRecord): { key: ImportKeyDef; value: string }[] {
  const out: { key: ImportKeyDef; value: string }[] = [];
  for (const key of backend.schema.import?.keys ?? []) {
    if (key.serverAssigned) continue;
    const value = cellText(valueAt(record, key.field)).trim();
    if (value) out.push({ key, value });
  }
  return out;
}
