// One export job: every customer matching the filters, as CSV with every native field (or the
// --fields asked for), page by page at the largest page size, to stdout or to a file that appears
// only when complete; an Excel workbook when --output ends in .xlsx, a CSV with a BOM for Excel on
// --bom. The command (commands/export.ts) parses and calls this.
import type { CustomerBackend, CustomerRecord, ListQuery } from '../backends/types.js';
import { writeOut, type OutStream } from '../deps.js';
import { checkOutputPath, writeFileAtomically } from '../output/atomic-file.js';
import { cellText, valueAt } from '../output/cells.js';
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
}

/** Whether `--output` names a workbook: the one place a file's name chooses its format. */
export function isWorkbookPath(path: string | undefined): boolean {
  return path !== undefined && /\.xlsx$/i.test(path);
}

export interface ExportWorld {
  openBackend(): Promise<CustomerBackend>;
  stdout: OutStream;
  notice(text: string): void;
}

export async function runExportJob(o: ExportOptions, world: ExportWorld): Promise<{ count: number }> {
  if (o.output !== undefined) checkOutputPath(o.output, '--output');
  const workbook = isWorkbookPath(o.output);
  if (workbook && o.bom) throw new UsageError('--bom is for CSV: a workbook needs none');
  const backend = await world.openBackend();
  const columns = resolveFields(o.fields, backend.schema) ?? backend.schema.fields.map((f) => f.name);
  // A restricted list view (MYPOS) lacks most fields: then each customer is read whole, one request
  // each, unless every column asked for is in the view.
  const view = backend.schema.listView;
  const whole = view !== undefined && columns.some((c) => !view.includes(c));
  if (whole) {
    world.notice(`${backend.name} lists a restricted view: reading each customer whole (one request each); --fields within ${view.join(',')} avoids that`);
  }
  const write = async (out: OutStream): Promise<number> => {
    const options = { fields: columns, tableColumns: backend.schema.tableColumns, allColumns: columns, shape: 'many' as const };
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
    const listQuery = view !== undefined && !whole ? { ...o.query, fields: columns } : o.query;
    for await (const page of backend.listAll(listQuery, backend.maxPageSize)) await writer.write(whole ? await wholeRecords(backend, page) : page);
    await writer.end();
    return writer.count;
  };
  if (o.output === undefined) return { count: await write(world.stdout) };
  let count = 0;
  await writeFileAtomically(o.output, async (out) => {
    count = await write(out);
  });
  world.notice(`exported ${count} customers to ${o.output}`);
  return { count };
}

/** The whole records of a page of list rows, in list order; one deleted since the listing is left out. */
async function wholeRecords(backend: CustomerBackend, rows: readonly CustomerRecord[]): Promise<CustomerRecord[]> {
  const ids = rows.map((r) => cellText(valueAt(r, backend.schema.idField))).filter((id) => id !== '');
  return (await backend.getMany(ids)).found;
}
