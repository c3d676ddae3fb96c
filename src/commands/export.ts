import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import type { ListQuery } from '../backends/types.js';
import { UnsupportedError, UsageError } from '../errors.js';
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
    .option('--since <date-time>', 'only customers changed at or after this time, where the backend can filter by change time (MYPOS); elsewhere use --state')
    .option(
      '--state <file>',
      'write only the customers created, changed or deleted since the run that wrote this file, with a _change column; the file is updated once the output is complete (costs one full listing)',
    )
    .addHelpText(
      'after',
      examples(
        'poscust export > customers.csv',
        'poscust export --outlet Outlet1 --from 2025-01-01 --output new-at-outlet1.csv',
        'poscust export --output customers.xlsx',
        'poscust export --state nightly.state > changes.csv',
      ),
    )
    .action(async (o: Record<string, unknown>) => {
      const query = listQueryFrom(o);
      if (typeof o.since === 'string') {
        const t = Date.parse(o.since);
        if (!Number.isFinite(t)) throw new UsageError(`--since '${o.since}': expected a date-time such as 2026-12-01T00:00:00Z`);
        query.changedSince = new Date(t).toISOString();
      }
      await runExport(app, query, o.output as string | undefined, Boolean(o.bom), o.state as string | undefined, typeof o.since === 'string');
    });
}

export async function runExport(app: AppContext, query: ListQuery, output: string | undefined, bom = false, state?: string, since = false): Promise<void> {
  const format = app.globals.format;
  if (format !== 'table' && format !== 'csv') {
    throw new UsageError(`export writes CSV; for ${format}, use poscust list --all --format ${format}`);
  }
  const { runExportJob } = await import('../export/job.js');
  try {
    await runExportJob(
      { query, bom, ...(output !== undefined ? { output } : {}), ...(state !== undefined ? { state } : {}), ...(app.globals.fields ? { fields: app.globals.fields } : {}) },
      {
        openBackend: () => app.backend({ bulk: true }),
        baseUrl: () => app.connection().baseUrl,
        stdout: app.deps.io.stdout,
        notice: (text) => app.notice(text),
        warn: (text) => app.warn(text),
      },
    );
  } catch (err) {
    if (since && err instanceof UnsupportedError) {
      throw new UnsupportedError(err.backend, 'export --since', `${err.backend} cannot filter customers by change time; use --state <file>, which finds the changes in one full listing`);
    }
    throw err;
  }
}
