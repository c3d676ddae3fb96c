// The customers already on the server, as upsert needs them: found by key, with only what the
// comparison needs (the ID and the comparable values of the columns being imported), so the index
// grows with the server's customers and not with the file.
import { carries, completeRecords, rowsLack } from '../backends/complete.js';
import type { CustomerBackend, CustomerRecord } from '../backends/types.js';
import { cellText, valueAt } from '../output/cells.js';
import type { ColumnPlan } from './columns.js';
import { comparableValues, normalizeKey } from './rows.js';

export interface StoredCustomer {
  id: string;
  values: (string | null | undefined)[];
  /** The written fields as the server holds them (for plans, diffs and the history's before-image). */
  raw: unknown[];
  /** The whole record, kept only for backends whose update() merges into it. */
  record?: CustomerRecord;
}

export function storedCustomer(backend: CustomerBackend, plan: ColumnPlan, record: CustomerRecord): StoredCustomer {
  const stored: StoredCustomer = {
    id: cellText(valueAt(record, backend.schema.idField)),
    values: comparableValues(plan, record),
    raw: plan.writes.map((w) => valueAt(record, w.field.name)),
  };
  if (backend.schema.import?.updateUsesCurrent) stored.record = record;
  return stored;
}

export class ExistingIndex {
  private readonly byKey = new Map<string, StoredCustomer>();

  get size(): number {
    return this.byKey.size;
  }

  get(plan: ColumnPlan, key: string): StoredCustomer | undefined {
    return this.byKey.get(normalizeKey(plan, key));
  }

  /**
   * Reads every customer once, at the largest page the server serves. Rows that lack a compared
   * field are completed in batches where the backend reads several customers per request (DealPOS
   * ListID); elsewhere the runner reads the whole record of a row that needs it.
   */
  static async load(backend: CustomerBackend, plan: ColumnPlan, onPage?: (loaded: number) => void): Promise<ExistingIndex> {
    const index = new ExistingIndex();
    const compared = comparedFields(plan);
    for await (const rows of backend.listAll({}, backend.maxPageSize)) {
      // Rows without the key itself (a key outside a restricted view) are read whole, even one by one.
      const page = backend.getManyBatch > 1 || rows.some((r) => !carries(r, plan.key.field)) ? (await completeRecords(backend, rows, compared)).records : rows;
      for (const record of page) {
        const key = cellText(valueAt(record, plan.key.field));
        if (key.trim() === '') continue;
        const k = normalizeKey(plan, key);
        if (!index.byKey.has(k)) index.byKey.set(k, storedCustomer(backend, plan, record));
      }
      onPage?.(index.size);
    }
    return index;
  }
}

/**
 * List everything once, or look each row up? Listing costs one request per page, lookups one per
 * row: list unless the file is clearly smaller than the pages (or the key has no direct lookup).
 */
export async function chooseStrategy(
  backend: CustomerBackend,
  plan: ColumnPlan,
  estimatedRows: number | null,
): Promise<{ strategy: 'list' | 'lookup' | 'empty'; total: number }> {
  const total = await backend.count({});
  if (total === 0) return { strategy: 'empty', total };
  // Narrow list rows (as far as the count's row showed) cost a batch of full records per page too.
  const narrow = backend.getManyBatch > 1 && rowsLack(backend, comparedFields(plan)) === true;
  const listing = Math.ceil(total / backend.maxPageSize) + (narrow ? Math.ceil(total / backend.getManyBatch) : 0);
  const canLookup = plan.key.lookup !== undefined || plan.key.listFilter !== undefined;
  const strategy = canLookup && estimatedRows !== null && estimatedRows < listing ? 'lookup' : 'list';
  return { strategy, total };
}

/** The fields an upsert compares: the key and every written column. */
function comparedFields(plan: ColumnPlan): string[] {
  return [plan.key.field, ...plan.writes.map((w) => w.field.name)];
}
