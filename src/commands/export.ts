import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import type { CustomerBackend, CustomerRecord, ListQuery } from '../backends/types.js';
import type { OutStream } from '../deps.js';
import { UsageError } from '../errors.js';
import { checkOutputPath, writeFileAtomically } from '../output/atomic-file.js';
import { cellText, valueAt } from '../output/cells.js';
import { createRecordWriter, resolveFields } from '../output/records.js';
import { examples } from './examples.js';
import { addListFilters, listQueryFrom } from './list-options.js';

export function registerExport(program: Command, app: AppContext): void {
  const cmd = program
    .command('export')
    .summary('write every customer as CSV, importable as is')
    .description(
      'Write every customer (or those matching the filters) as CSV with every native field, streamed ' +
        'page by page at the largest page size the server allows. Cells a spreadsheet would run as a ' +
        'formula get a leading apostrophe, which import takes off again: export, then import --mode ' +
        'upsert of the same data, sends no writes. With --output the file appears only when it is complete.',
    );
  addListFilters(cmd)
    .option('--output <file>', 'write to this file (whole or not at all) instead of stdout')
    .addHelpText(
      'after',
      examples(
        'poscust export > customers.csv',
        'poscust export --outlet Outlet1 --from 2025-01-01 --output new-at-outlet1.csv',
        'poscust export --fields Code,Name,Email,Mobile --output contacts.csv',
      ),
    )
    .action(async (o: Record<string, unknown>) => runExport(app, listQueryFrom(o), o.output as string | undefined));
}

export async function runExport(app: AppContext, query: ListQuery, output: string | undefined): Promise<void> {
  const format = app.globals.format;
  if (format !== 'table' && format !== 'csv') {
    throw new UsageError(`export writes CSV; for ${format}, use poscust list --all --format ${format}`);
  }
  if (output !== undefined) checkOutputPath(output, '--output');
  const backend = await app.backend();
  const columns = resolveFields(app.globals.fields, backend.schema) ?? backend.schema.fields.map((f) => f.name);
  // A restricted list view (MYPOS) lacks most fields: then each customer is read whole, one request
  // each, unless every column asked for is in the view.
  const view = backend.schema.listView;
  const whole = view !== undefined && columns.some((c) => !view.includes(c));
  if (whole) {
    app.notice(`${backend.name} lists a restricted view: reading each customer whole (one request each); --fields within ${view.join(',')} avoids that`);
  }
  const write = async (out: OutStream): Promise<number> => {
    const writer = createRecordWriter({
      format: 'csv',
      out,
      fields: columns,
      tableColumns: backend.schema.tableColumns,
      allColumns: columns,
      shape: 'many',
    });
    // Within a restricted view, ask the server for just those columns (MYPOS sFieldList).
    const listQuery = view !== undefined && !whole ? { ...query, fields: columns } : query;
    for await (const page of backend.listAll(listQuery, backend.maxPageSize)) await writer.write(whole ? await wholeRecords(backend, page) : page);
    await writer.end();
    return writer.count;
  };
  if (output === undefined) {
    await write(app.deps.io.stdout);
    return;
  }
  let count = 0;
  await writeFileAtomically(output, async (out) => {
    count = await write(out);
  });
  app.notice(`exported ${count} customers to ${output}`);
}

/** The whole records of a page of list rows, in list order; one deleted since the listing is left out. */
async function wholeRecords(backend: CustomerBackend, rows: readonly CustomerRecord[]): Promise<CustomerRecord[]> {
  const ids = rows.map((r) => cellText(valueAt(r, backend.schema.idField))).filter((id) => id !== '');
  return (await backend.getMany(ids)).found;
}
