// Reading a set of customers by ID in the fewest requests: ID batches, or the listing.
import { completeRecords } from './complete.js';
import type { CustomerBackend, CustomerRecord } from './types.js';
import { cellText, valueAt } from '../output/cells.js';

/**
 * Customers by ID, read as economically as the backend allows: by ID (one request,
 * or one batch, for a handful), else the listing from its first page, which tells how many pages
 * are left: the rest of the listing or the rest by ID, whichever costs fewer requests. List rows
 * that lack a field the undo compares are read whole (in batches).
 */
export async function readByIds(backend: CustomerBackend, ids: string[], fields: readonly string[] = []): Promise<Map<string, CustomerRecord>> {
  const out = new Map<string, CustomerRecord>();
  const wanted = new Set(ids);
  if (wanted.size === 0) return out;
  const idOf = (r: CustomerRecord) => cellText(valueAt(r, backend.schema.idField));
  const byId = (n: number) => Math.ceil(n / backend.getManyBatch);
  if (byId(wanted.size) > 1) {
    const size = backend.maxPageSize;
    const keep = async (rows: readonly CustomerRecord[]) => {
      const hits = rows.filter((r) => wanted.has(idOf(r)));
      const whole = fields.length ? (await completeRecords(backend, hits, fields)).records : hits;
      for (const r of whole) out.set(idOf(r), r);
    };
    const left = () => [...wanted].filter((id) => !out.has(id));
    let total: number | undefined;
    let pages = 0;
    let switched = false;
    for await (const rows of backend.listAll({}, size, { onTotal: (n) => (total = n) })) {
      await keep(rows);
      pages++;
      // Page after page while the pages left cost no more than reading the rest by ID.
      total ??= await backend.count({});
      const pagesLeft = Math.ceil(total / size) - pages;
      if (pagesLeft <= 0 || left().length === 0) break;
      if (byId(left().length) < pagesLeft) {
        switched = true;
        break;
      }
    }
    if (!switched) return out;
    const rest = left();
    wanted.clear();
    for (const id of rest) wanted.add(id);
    if (wanted.size === 0) return out;
  }
  const { found } = await backend.getMany([...wanted]);
  for (const r of found) out.set(idOf(r), r);
  return out;
}
