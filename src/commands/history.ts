import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { createRecordWriter } from '../output/records.js';
import { forTerminal } from '../output/terminal.js';
import { examples } from './examples.js';
import * as parse from './parse.js';

export function registerHistory(program: Command, app: AppContext): void {
  const history = program
    .command('history')
    .summary('the jobs poscust ran against this profile, and what each changed')
    .description(
      'Every command that writes (create, update-by, delete, suspend, unsuspend, merge, verify, pin set, ' +
        'app-signin, import, apply, undo) is a job in the history of its profile: the command line ' +
        '(secrets removed) and, for each write, the customer and the before-image of what it changed. ' +
        'It holds personal data: owner-only files under <config>/history/<profile>/, kept 90 days ' +
        '(profile add --keep-history <days>; history prune). Newest first.',
    )
    .option('--limit <n>', 'show only the newest n jobs', parse.positiveInt)
    .addHelpText('after', examples('poscust history', 'poscust history --limit 5 --format json', 'poscust history show 20261205-142501-1237'))
    .action(async (o: Record<string, unknown>) => runHistoryList(app, o.limit as number | undefined));
  history
    .command('show')
    .summary("one job's writes: each customer, before and after")
    .description("Show one job's writes: each customer, what the write set, and the values it replaced (--format json: the whole job).")
    .argument('<job>', 'a job id (or its unique beginning), from poscust history')
    .addHelpText('after', examples('poscust history show 20261205-142501-1237', 'poscust history show 20261205-1425 --format json'))
    .action(async (job: string) => runHistoryShow(app, job));
  history
    .command('prune')
    .summary('delete the jobs older than the profile keeps (90 days by default)')
    .description('Delete the jobs of this profile older than it keeps them (profile add --keep-history <days>; 90 by default). New jobs prune too.')
    .addHelpText('after', examples('poscust history prune', 'poscust --profile shop history prune'))
    .action(async () => runHistoryPrune(app));
  history.helpCommand(false);
}

async function place(app: AppContext) {
  const store = await import('../history/store.js');
  const conn = app.connection();
  return { store, dir: store.historyDir(app.configDir, conn), conn };
}

export async function runHistoryList(app: AppContext, limit?: number): Promise<void> {
  const { store, dir } = await place(app);
  const { countWrites } = await import('../history/format.js');
  const ids = store.jobIds(dir).slice(0, limit ?? Infinity);
  // A finished job's counts are on its last line; an unfinished (or older) one is read whole.
  const jobs = ids.map((id) => {
    const summary = store.readSummary(dir, id);
    if (summary) return { header: summary.header, writes: summary.counts, status: summary.status };
    const job = store.readJob(dir, id);
    return { header: job.header, writes: countWrites(job), status: job.ended?.status ?? 'unfinished' };
  });
  const { format } = app.globals;
  const rows = jobs.map((j) => {
    const base = { id: j.header.job, startedAt: j.header.startedAt, command: j.header.command, profile: j.header.profile, backend: j.header.backend };
    return format === 'json' || format === 'ndjson' ? { ...base, writes: j.writes } : { ...base, ...j.writes, status: j.status };
  });
  const columns = format === 'json' || format === 'ndjson' ? ['id', 'startedAt', 'command', 'profile', 'backend', 'writes'] : ['id', 'startedAt', 'command', 'created', 'updated', 'deleted', 'other', 'status'];
  const writer = createRecordWriter({ format, out: app.deps.io.stdout, fields: app.globals.fields, tableColumns: columns, allColumns: [...columns, 'profile', 'backend'], shape: 'many' });
  await writer.write(rows);
  await writer.end();
  if (rows.length === 0) app.notice(`no jobs in the history yet (${dir})`);
}

export async function runHistoryShow(app: AppContext, given: string): Promise<void> {
  const { store, dir } = await place(app);
  const job = store.readJob(dir, store.resolveJobId(dir, given));
  const { format } = app.globals;
  const out = app.deps.io.stdout;
  if (format === 'json' || format === 'ndjson') {
    const doc = { ...job.header, ended: job.ended ?? null, writes: job.writes };
    await writeOut(out, `${JSON.stringify(doc, null, format === 'json' ? 2 : undefined)}\n`);
    return;
  }
  if (format === 'csv') {
    const writer = createRecordWriter({ format, out, fields: app.globals.fields, tableColumns: [], allColumns: ['write', 'op', 'customer', 'status', 'field', 'before', 'after'], shape: 'many' });
    const rows = job.writes.flatMap((w) => {
      const customer = w.id ?? w.resultId ?? (w.lookup ? `${w.lookup.by} ${w.lookup.value}` : '');
      const names = [...new Set([...Object.keys(w.after ?? {}), ...(w.op === 'update' ? Object.keys(w.before ?? {}) : [])])];
      if (names.length === 0) return [{ write: w.n, op: w.op, customer, status: w.status, field: '', before: '', after: '' }];
      return names.map((f) => ({ write: w.n, op: w.op, customer, status: w.status, field: f, before: JSON.stringify(w.before?.[f] ?? null), after: JSON.stringify(w.after?.[f] ?? null) }));
    });
    await writer.write(rows);
    await writer.end();
    return;
  }
  const lines = [`job ${job.header.job}  ${job.header.startedAt}  ${job.header.command}  (${job.ended?.status ?? 'unfinished'})`];
  const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v));
  for (const w of job.writes) {
    const customer = w.id ?? w.resultId ?? (w.lookup ? `${w.lookup.by} ${w.lookup.value}` : '?');
    lines.push(`#${w.n} ${w.op} ${customer}${w.status === 'done' ? '' : ` (${w.status}${w.reason ? `: ${w.reason}` : ''})`}`);
    if (w.op === 'update' || (w.op === 'merge' && w.after)) {
      for (const f of Object.keys(w.after ?? {})) lines.push(`    ${f}: ${shown(w.before?.[f])} → ${shown(w.after?.[f])}`);
    } else if (w.op === 'create') {
      for (const f of Object.keys(w.after ?? {})) lines.push(`    ${f}: ${shown(w.after?.[f])}`);
    } else if (w.op === 'delete') {
      lines.push(`    was: ${shown(w.before)}`);
    }
  }
  await writeOut(out, `${lines.map((l) => forTerminal(l)).join('\n')}\n`);
}

export async function runHistoryPrune(app: AppContext): Promise<void> {
  const { store, dir, conn } = await place(app);
  const days = (conn.profileName !== null ? app.store().profiles[conn.profileName]?.keepHistory : undefined) ?? store.DEFAULT_KEEP_DAYS;
  const removed = store.pruneHistory(dir, days, app.deps.clock.now());
  await writeOut(app.deps.io.stdout, `removed ${removed} ${removed === 1 ? 'job' : 'jobs'} older than ${days} days\n`);
}
