import { Option, type Command } from 'commander';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import type { ImportOptions } from '../import/options.js';
import { UsageError } from '../errors.js';
import { DATE_PATTERNS, datePattern, type DatePattern } from '../import/dates.js';
import { PHONE_FORMATS, type PhoneFormat } from '../util/phone.js';
import { completeWith, words } from './completion-hints.js';
import { examples } from './examples.js';
import * as parse from './parse.js';

export function registerImport(program: Command, app: AppContext): void {
  program
    .command('import')
    .summary('create or update customers from a CSV file or an Excel workbook')
    .description(
      'Create or update customers from a CSV file whose header names the native fields (matched ' +
        'case-insensitively; --map others). upsert, the default, matches rows to customers by --key: it ' +
        'creates the missing, updates only the changed fields and leaves identical ones alone, so a second ' +
        'run sends no writes. create treats every row as new. An empty cell means "not given" and never ' +
        'clears a field.\n\n' +
        'The file (or stdin) is read once to the end before anything is sent: a quote never closed or a ' +
        'row over 1 MiB is exit 2 naming its line. Bad rows go to the rejects file (line, reason, the ' +
        'row as it was) and the run goes on. Requests are paced to the vendor quota. Progress is ' +
        'journaled next to the file: after Ctrl-C, a crash or exit 75, run the same command with ' +
        '--resume (refused if the file changed). Prints a summary on stdout; exits 7 when some rows ' +
        'were rejected or failed.',
    )
    .argument('<file>', 'CSV file (comma, semicolon or tab separated), Excel workbook (.xlsx), or - for stdin')
    .addOption(new Option('--mode <mode>', 'upsert: create or update by --key; create: every row is new').choices(['create', 'upsert']).default('upsert'))
    .addOption(
      completeWith(
        new Option('--key <key>', "field that identifies a customer: code, email, mobile or id on DealPOS (default: the backend's first)"),
        words(['code', 'email', 'mobile', 'id', 'externalId']),
      ),
    )
    .option('--map <Header=Field>', 'read column Header (or #N, the Nth column) as native field Field; repeatable', parse.collect)
    .option('--delimiter <c>', "',' ';' or tab (default: Excel's sep= first line, else detected from the header)")
    .addOption(
      completeWith(
        new Option('--encoding <name>', 'read a CSV file saved in a legacy encoding, e.g. windows-1252 or windows-1250 (default: UTF-8; a byte order mark always wins)'),
        words(['windows-1250', 'windows-1252', 'iso-8859-1', 'iso-8859-2', 'utf-8', 'utf-16le']),
      ),
    )
    .option('--sheet <name|n>', "the workbook's sheet to read, by name or number (default: the first)")
    .addOption(
      completeWith(
        new Option('--date-format <pattern>', 'how the file writes dates (default: yyyy-MM-dd); an impossible or two-digit-year date rejects its row').argParser(datePattern),
        words(DATE_PATTERNS),
      ),
    )
    .option('--clear-value <text>', 'a cell that is exactly this text (e.g. "#N/A") clears its field; empty cells still mean "not given"')
    .addOption(
      new Option('--phone-format <form>', "write phone numbers as E.164 (+62812…) or in the region's national form, instead of as the file gives them").choices(PHONE_FORMATS),
    )
    .option('--dry-run', 'validate and report what would happen; read but never write (no rejects file unless --rejects)')
    .option('--diff', 'with --dry-run: print every row that would change, field by field (old -> new); the summary goes to stderr')
    .option('--save-plan <plan.json>', 'save what would change, with the values it was computed from, for poscust apply; writes nothing else (a dry run)')
    .option('--concurrency <n>', 'rows in flight at once (default: per backend, 8 on DealPOS)', parse.positiveInt)
    .option('--rate <requests/s>', 'never send more than this many requests a second', parse.positiveNumber)
    .option('--rejects <file>', 'where rejected and failed rows go (default: customers.rejects.csv beside customers.csv, written only when needed)')
    .option('--report <file>', 'write every row\'s outcome (line, key, action, ID or error) as CSV')
    .option('--resume', 'continue the job the journal next to the file describes, skipping finished rows')
    .option('--journal <file>', 'keep the journal here instead of <file>.poscust-journal')
    .addHelpText(
      'after',
      examples(
        'poscust import customers.csv --mode upsert --key code',
        'poscust import export.csv --map "E-mail Address=Email" --map "HP=Mobile" --dry-run --report plan.csv',
        'poscust import customers.csv --dry-run --diff',
        'poscust import customers.csv --save-plan plan.json && poscust apply plan.json',
      ),
    )
    .action(async (file: string, o: Record<string, unknown>) => {
      const delimiter = o.delimiter === undefined ? undefined : parseDelimiter(String(o.delimiter));
      if (file === '-' && o.resume) throw new UsageError('--resume needs a file: a job read from stdin cannot be read again');
      if (o.diff && !o.dryRun && !o.savePlan) throw new UsageError('--diff shows what a dry run would change: add --dry-run (or --save-plan <file>)');
      if (o.savePlan && o.resume) throw new UsageError('--save-plan makes a plan and writes nothing: there is nothing to --resume');
      await runImport(app, {
        file,
        mode: o.mode as 'create' | 'upsert',
        key: o.key as string | undefined,
        map: (o.map as string[] | undefined) ?? [],
        delimiter,
        encoding: o.encoding as string | undefined,
        sheet: o.sheet as string | undefined,
        dateFormat: o.dateFormat as DatePattern | undefined,
        clearValue: o.clearValue as string | undefined,
        phoneFormat: o.phoneFormat as PhoneFormat | undefined,
        dryRun: Boolean(o.dryRun) || o.savePlan !== undefined,
        diff: Boolean(o.diff),
        ...(typeof o.savePlan === 'string' ? { savePlan: o.savePlan } : {}),
        concurrency: o.concurrency as number | undefined,
        rate: o.rate as number | undefined,
        rejects: o.rejects as string | undefined,
        report: o.report as string | undefined,
        resume: Boolean(o.resume),
        journal: o.journal as string | undefined,
        // One run of an --all-profiles import: its side files carry the profile's name.
        ...(app.deps.env.POSCUST_FANOUT_PROFILE && /^[\w.-]+$/.test(app.deps.env.POSCUST_FANOUT_PROFILE) ? { tag: app.deps.env.POSCUST_FANOUT_PROFILE } : {}),
      });
    });
}

/** Runs the job (src/import/job.ts, loaded now) and prints its summary; the job's error is the exit code. */
export async function runImport(app: AppContext, o: ImportOptions): Promise<void> {
  const [{ runImportJob }, { formatProgress, formatSummary }] = await Promise.all([import('../import/job.js'), import('../import/summary.js')]);
  const { deps } = app;
  const result = await runImportJob(o, {
    clock: deps.clock,
    signal: deps.signal,
    stdin: deps.io.stdin,
    onExit: deps.onExit,
    openBackend: (http) => app.backend(http),
    baseUrl: () => app.connection().baseUrl,
    profileName: () => app.connection().profileName,
    region: () => app.connection().region,
    notice: (text) => app.notice(text),
    warn: (text) => app.warn(text),
    progress: (snapshot) => app.statusLine(() => formatProgress(snapshot())),
  });
  // The job's history is on disk before anything says it is done.
  const job = app.finishHistory(result.error ? 'partial' : 'ok');
  const summary = formatSummary(result.summary, app.globals.format, o.dryRun);
  if (o.diff && result.changes) {
    const { diffEntries, formatDiff } = await import('../import/diff-output.js');
    await writeOut(deps.io.stdout, formatDiff(diffEntries(result.changes.plan, result.changes.rows), app.globals.format));
    if (!app.globals.quiet) deps.io.stderr.write(summary);
  } else {
    await writeOut(deps.io.stdout, summary);
  }
  if (result.conflicts) app.warn(`${result.conflicts} ${result.conflicts === 1 ? 'row' : 'rows'} changed on the server since the plan was made: not written (see the rejects file)`);
  if (result.earlier) app.notice(`${result.earlier} rows were finished by the earlier run`);
  if (o.savePlan && result.changes) app.notice(`plan saved to ${o.savePlan}: ${result.changes.rows.length} rows would change; run: poscust apply ${o.savePlan}`);
  else if (o.dryRun) app.notice('dry run: nothing was written');
  if (job) app.notice(`history: job ${job} (undo it with: poscust undo ${job})`);
  if (result.error) throw result.error;
}

function parseDelimiter(value: string): string {
  const named: Record<string, string> = { ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t', '\t': '\t', '\\t': '\t' };
  const d = named[value.toLowerCase()];
  if (!d) throw new UsageError(`--delimiter '${value}': use ',' ';' or tab`);
  return d;
}
