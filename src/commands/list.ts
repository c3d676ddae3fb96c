import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { UsageError } from '../errors.js';
import { completeRecords } from '../backends/complete.js';
import type { CustomerRecord, ListQuery } from '../backends/types.js';
import { resolveFields } from '../output/records.js';
import { examples } from './examples.js';
import { addListFilters, listQueryFrom } from './list-options.js';
import * as parse from './parse.js';

export interface ListOptions {
  query: ListQuery;
  page: number;
  pageSize?: number;
  all: boolean;
}

export function registerList(program: Command, app: AppContext): void {
  const cmd = program
    .command('list')
    .summary('list customers')
    .description('List customers, one page (default) or every page with --all, streamed as the pages arrive.');
  addListFilters(cmd)
    .option('--page <n>', 'page number, from 1', parse.positiveInt)
    .option('--page-size <n>', 'customers per page (default: the server default; up to the server maximum)', parse.positiveInt)
    .option('--all', 'every page, written as each arrives (constant memory)')
    .addHelpText(
      'after',
      examples(
        'poscust list --name wijaya',
        'poscust list --outlet Outlet1 --from 2024-01-01 --to 2024-12-31 --format csv > joined-2024.csv',
        'poscust list --all --format ndjson | jq -r .Email',
      ),
    )
    .action(async (o: Record<string, unknown>) => {
      if (o.all && o.page !== undefined) throw new UsageError('--all reads every page; drop --page');
      await runList(app, {
        query: listQueryFrom(o),
        page: (o.page as number | undefined) ?? 1,
        pageSize: o.pageSize as number | undefined,
        all: Boolean(o.all),
      });
    });
}

export async function runList(app: AppContext, opts: ListOptions): Promise<void> {
  const backend = await app.backend(opts.all ? { bulk: true } : {});
  if (opts.pageSize !== undefined && opts.pageSize > backend.maxPageSize) {
    throw new UsageError(`--page-size can be at most ${backend.maxPageSize} on ${backend.name}`);
  }
  const writer = app.recordWriter(backend, 'many', true);
  // `--fields` also tells a server that can narrow its answer (MYPOS sFieldList) what to send.
  const fields = resolveFields(app.globals.fields, backend.schema);
  const query = fields ? { ...opts.query, fields } : opts.query;
  // The fields the output shows; rows that lack one are completed from the full records (in
  // batches), so a narrow list row never shows as blanks. JSON prints the rows as the server sent
  // them unless --fields names something.
  const { format } = app.globals;
  const shown = fields ?? (format === 'table' ? backend.schema.tableColumns : format === 'csv' ? (backend.schema.listView ?? backend.schema.fields.map((f) => f.name)) : []);
  const complete = async (records: CustomerRecord[]) => (shown.length ? (await completeRecords(backend, records, shown)).records : records);
  if (opts.all) {
    for await (const records of backend.listAll(query, opts.pageSize ?? backend.maxPageSize)) {
      await writer.write(await complete(records));
    }
  } else {
    const page = await backend.list(query, opts.page, opts.pageSize ?? backend.defaultPageSize);
    await writer.write(await complete(page.records));
  }
  await writer.end();
  if (writer.count === 0 && app.globals.format === 'table') app.notice('no customers match');
}
