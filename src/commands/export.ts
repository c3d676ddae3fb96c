import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import type { ListQuery } from '../backends/types.js';
import { UsageError } from '../errors.js';
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
  const { runExportJob } = await import('../export/job.js');
  await runExportJob(
    { query, ...(output !== undefined ? { output } : {}), ...(app.globals.fields ? { fields: app.globals.fields } : {}) },
    { openBackend: () => app.backend(), stdout: app.deps.io.stdout, notice: (text) => app.notice(text) },
  );
}
