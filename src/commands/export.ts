import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import type { ListQuery } from '../backends/types.js';
import { UsageError } from '../errors.js';
import { examples } from './examples.js';
import { addListFilters, listQueryFrom } from './list-options.js';

export function registerExport(program: Command, app: AppContext): void {
  const cmd = program
    .command('export')
    .summary('write every customer as CSV or an Excel workbook, importable as is')
    .description(
      'Write every customer (or those matching the filters) as CSV with every native field, streamed ' +
        'page by page at the largest page size the server allows. Cells a spreadsheet would run as a ' +
        'formula get a leading apostrophe, which import takes off again: export, then import --mode ' +
        'upsert of the same data, sends no writes. With --output the file appears only when it is complete.',
    );
  addListFilters(cmd)
    .option('--output <file>', 'write to this file (whole or not at all) instead of stdout; a name ending .xlsx writes an Excel workbook')
    .option('--bom', 'start the CSV with a UTF-8 byte order mark, so Excel shows accented names right (default: none, for scripts)')
    .addHelpText(
      'after',
      examples(
        'poscust export > customers.csv',
        'poscust export --outlet Outlet1 --from 2025-01-01 --output new-at-outlet1.csv',
        'poscust export --output customers.xlsx',
        'poscust export --fields Code,Name,Email,Mobile --bom --output for-excel.csv',
      ),
    )
    .action(async (o: Record<string, unknown>) => runExport(app, listQueryFrom(o), o.output as string | undefined, Boolean(o.bom)));
}

export async function runExport(app: AppContext, query: ListQuery, output: string | undefined, bom = false): Promise<void> {
  const format = app.globals.format;
  if (format !== 'table' && format !== 'csv') {
    throw new UsageError(`export writes CSV; for ${format}, use poscust list --all --format ${format}`);
  }
  const { runExportJob } = await import('../export/job.js');
  await runExportJob(
    { query, bom, ...(output !== undefined ? { output } : {}), ...(app.globals.fields ? { fields: app.globals.fields } : {}) },
    { openBackend: () => app.backend({ bulk: true }), stdout: app.deps.io.stdout, notice: (text) => app.notice(text), warn: (text) => app.warn(text) },
  );
}
