// One export job: every customer matching the filters, as CSV with every native field (or the
// --fields asked for), page by page at the largest page size, to stdout or to a file that appears
// only when complete; an Excel workbook when --output ends in .xlsx, a CSV with a BOM for Excel on
// --bom. The command (commands/export.ts) parses and calls this.
import type { CustomerBackend, CustomerRecord, ListQuery } from '../backends/types.js';
import { writeOut, type OutStream } from '../deps.js';
import { completeRecords, lacks } from '../backends/complete.js';
import { checkOutputPath, writeFileAtomically } from '../output/atomic-file.js';
import { createRecordWriter, resolveFields, type RecordWriter } from '../output/records.js';
import { UsageError } from '../errors.js';

export interface ExportOptions {
  query: ListQuery;
  /** A file to write whole or not at all; stdout when absent. */
  output?: string;
  /** `--fields`, as given. */
  fields?: string[];
  /** Start the CSV with a UTF-8 byte order mark, for Excel. */
  bom?: boolean;
  /** --state: write only what changed since the run that wrote this file (with a _change column). */
  state?: string;
}

/** Whether `--output` names a workbook: the one place a file's name chooses its format. */
export function isWorkbookPath(path: string | undefined): boolean {
  return path !== undefined && /\.xlsx$/i.test(path);
}

export interface ExportWorld {
  openBackend(): Promise<CustomerBackend>;
  baseUrl(): string;
  stdout: OutStream;
  notice(text: string): void;
  /** A field that appeared after the header was written (it cannot be a column any more). */
  warn?(text: string): void;
}

export async function runExportJob(o: ExportOptions, world: ExportWorld): Promise<{ count: number }> {
  if (o.output !== undefined) checkOutputPath(o.output, '--output');
  if (o.state !== undefined) checkOutputPath(o.state, '--state');
  const workbook = isWorkbookPath(o.output);
  if (workbook && o.bom) throw new UsageError('--bom is for CSV: a workbook needs none');
  const backend = await world.openBackend();
  const asked = resolveFields(o.fields, backend.schema);
  const started = new Date().toISOString();
  const stateMod = o.state !== undefined ? await import('./state.js') : null;
  const previous = stateMod?.readState(o.state!, { backend: backend.name, baseUrl: world.baseUrl() }) ?? null;
  const seen = new Map<string, string>();
  const { idField } = backend.schema;
  // Every native field, then every other field the records carry (a server's own extras), in
  // order of first appearance; or just the --fields asked for. With --state, `_change` first.
  const fieldColumns = asked ?? backend.schema.fields.map((f) => f.name);
  const columns = stateMod ? ['_change', ...fieldColumns] : fieldColumns;
  const view = backend.schema.listView;
  const write = async (out: OutStream): Promise<number> => {
    const options = { ...(asked ? { fields: stateMod ? ['_change', ...asked] : asked } : {}), tableColumns: backend.schema.tableColumns, allColumns: columns, shape: 'many' as const, warn: world.warn };
    let writer: RecordWriter;
    if (workbook) {
      const { XlsxWriter } = await import('../output/xlsx-writer.js');
      writer = new XlsxWriter({ ...options, out }, new Map(backend.schema.fields.map((f) => [f.name, f.type])));
    } else {
      // Excel reads a CSV without a BOM in the machine's legacy code page (mojibake for José).
      if (o.bom) await writeOut(out, '\uFEFF');
      writer = createRecordWriter({ format: 'csv', out, ...options });
    }
    // Within a restricted view, ask the server for just those columns (MYPOS sFieldList).
    const listQuery = !stateMod && view !== undefined && columns.every((c) => view.includes(c)) ? { ...o.query, fields: columns } : o.query;
    let told = false;
    for await (const page of backend.listAll(listQuery, backend.maxPageSize)) {
      // Rows that lack a column are completed from the full records, never written with blanks.
      const done = await completeRecords(backend, page, fieldColumns);
      if (done.read > 0 && !told) {
        told = true;
        world.notice(completionNotice(backend, page, fieldColumns));
      }
      if (!stateMod) {
        await writer.write(done.records);
        continue;
      }
      // Only what changed since the last run: a new ID, or a record whose hash moved.
      const changed: CustomerRecord[] = [];
      for (const record of done.records) {
        const id = String(record[idField] ?? '');
        const hash = stateMod.recordHash(record);
        seen.set(id, hash);
        const was = previous?.hashes.get(id);
        if (was !== hash) changed.push({ _change: was === undefined ? 'created' : 'changed', ...record });
      }
      await writer.write(changed);
    }
    if (previous) {
      const gone = [...previous.hashes.keys()].filter((id) => !seen.has(id)).map((id) => ({ _change: 'deleted', [idField]: id }));
      if (gone.length) await writer.write(gone);
    }
    await writer.end();
    return writer.count;
  };
  // The state moves on only once the output is complete: a crash before exports the same again.
  const saveState = async () => {
    if (stateMod) await stateMod.writeState(o.state!, { backend: backend.name, baseUrl: world.baseUrl(), highWater: started }, seen);
  };
  if (o.output === undefined) {
    const count = await write(world.stdout);
    await saveState();
    return { count };
  }
  let count = 0;
  await writeFileAtomically(o.output, async (out) => {
    count = await write(out);
  });
  await saveState();
  world.notice(`exported ${count} ${stateMod ? 'changes' : 'customers'} to ${o.output}`);
  return { count };
}

/** What completing the rows costs, said once: which fields the rows lack and how they are read. */
function completionNotice(backend: CustomerBackend, page: readonly CustomerRecord[], columns: readonly string[]): string {
  const missing = [...new Set(page.flatMap((r) => lacks(r, columns)))];
  const shown = missing.slice(0, 4).join(', ') + (missing.length > 4 ? ` and ${missing.length - 4} more` : '');
  const batch = backend.getManyBatch;
  const view = backend.schema.listView;
  return (
    `${backend.name} list rows lack ${shown}: reading each customer's full record (${batch > 1 ? `${batch} per request` : 'one request each'})` +
    (view ? `; --fields within ${view.join(',')} avoids that` : '')
  );
}
