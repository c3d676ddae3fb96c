// `poscust import`, wired to the world: the input, the paced backend, the journal, the rejects and
// report files, progress on a terminal, the summary on stdout, and the exit code.
import { createReadStream, createWriteStream, existsSync, lstatSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CustomerBackend } from '../backends/types.js';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { GeneralError, InterruptedError, PartialError, TemporaryError, UnsupportedError, UsageError } from '../errors.js';
import { planColumns, type ColumnPlan } from '../import/columns.js';
import { checkOutputPath } from '../output/atomic-file.js';
import { openCsvSource, type CsvSource } from '../import/csv-source.js';
import { ImportJournal, journalPathFor, readJournal, type JournalState } from '../import/journal.js';
import { describeChange, scanCsvFile } from '../import/scan.js';
import { tryLock, type HeldLock } from '../util/lockfile.js';
import { RejectsFile, ReportFile } from '../import/outputs.js';
import { RateLimitPacer } from '../http/pacer.js';
import { ImportRunner } from '../import/runner.js';
import { formatProgress, formatSummary, summaryOf } from '../import/summary.js';
import type { ImportCommandOptions } from './import.js';

export async function runImport(app: AppContext, o: ImportCommandOptions): Promise<void> {
  const { deps } = app;
  const started = deps.clock.now();
  const fromStdin = o.file === '-';
  // Every file the job will write is checked now, before the first request: a job must not run
  // for an hour and then find it cannot write its rejects. A dry run writes only what it is asked to.
  const rejectsPath = o.dryRun && !o.rejects ? null : (o.rejects ?? defaultRejectsPath(o.file));
  if (rejectsPath !== null) checkOutputPath(rejectsPath, o.rejects ? '--rejects' : 'the rejects file');
  if (o.report) checkOutputPath(o.report, '--report');
  const journalPath = o.dryRun || fromStdin ? null : (o.journal ?? journalPathFor(o.file));
  if (journalPath !== null) checkOutputPath(journalPath, o.journal ? '--journal' : 'the journal (pass --journal <file> to keep it elsewhere)');

  // Stdin is read to the end first, into a private temporary file, so it is checked like a file
  // before anything is sent: a quote never closed must stop the job, not swallow its last rows.
  const spooled = fromStdin ? await spoolStdin(deps.io.stdin) : null;
  const path = spooled?.path ?? o.file;
  const name = fromStdin ? 'stdin' : o.file;
  let lock: HeldLock | null = null;
  try {
    const scan = await scanCsvFile(path, inputSize(path, name), { delimiter: o.delimiter, name });

    const pacer = new RateLimitPacer({ clock: deps.clock, rate: o.rate });
    const backend = await app.backend({
      observer: pacer,
      // One connection per row in flight, and one spare for the lookups of a lost answer.
      connections: (o.concurrency ?? 16) + 1,
      ...(o.dryRun ? { beforeWrite: refuseWrite } : {}),
    });
    const importSchema = backend.schema.import;
    if (!importSchema) throw new UnsupportedError(backend.name, 'import');
    const plan = planColumns(scan.header, backend.schema, {
      mode: o.mode,
      key: o.key ?? importSchema.keys[0]!.name,
      map: o.map,
      unnamedWithData: scan.unnamedWithData,
    });

    let journal: ImportJournal | null = null;
    let previous: JournalState | null = null;
    if (journalPath !== null) {
      // One import of a file at a time: a second one would read the first one's journal as an
      // interrupted job and "resume" rows that are in flight.
      const got = tryLock(`${journalPath}.lock`);
      if (!('release' in got)) {
        throw new TemporaryError(`another import of ${o.file} is running (pid ${got.heldBy.pid}); wait for it to finish, or stop it first`);
      }
      lock = got;
      const identity = { input: scan.fingerprint, mode: o.mode, key: plan.key.name, backend: backend.name, baseUrl: app.connection().baseUrl, map: o.map, delimiter: scan.delimiter };
      const exists = existsSync(journalPath);
      if (exists && !o.resume) {
        throw new UsageError(`an import of ${o.file} stopped before it finished (journal ${journalPath}); continue it with --resume, or delete the journal to start over`);
      }
      if (exists) previous = await readJournal(journalPath, identity, (recorded) => describeChange(recorded, scan));
      else if (o.resume) app.warn(`no journal at ${journalPath}: starting from the first row`);
      journal = ImportJournal.open(journalPath, identity, o.resume);
    }

    const source = await openCsvSource(createReadStream(path), { delimiter: scan.delimiter, name });
    try {
      await runSource(app, o, backend, { source, plan, journal, previous, rejectsPath, totalRows: scan.rows, started, pacer });
    } finally {
      source.close();
    }
  } finally {
    lock?.release();
    spooled?.remove();
  }
}

interface RunContext {
  source: CsvSource;
  plan: ColumnPlan;
  journal: ImportJournal | null;
  previous: JournalState | null;
  rejectsPath: string | null;
  totalRows: number;
  started: number;
  pacer: RateLimitPacer;
}

async function runSource(app: AppContext, o: ImportCommandOptions, backend: CustomerBackend, run: RunContext): Promise<void> {
  const { deps } = app;
  const { source, plan, journal, previous, rejectsPath, totalRows, started, pacer } = run;
  for (const w of plan.warnings) app.warn(w);
  if (plan.ignored.length) app.notice(`not imported (set by the server): ${plan.ignored.join(', ')}`);

  const rejects = rejectsPath === null ? null : new RejectsFile(rejectsPath, source.header);
  const report = o.report ? new ReportFile(o.report) : null;

  const runner = new ImportRunner({
    backend,
    plan,
    rows: source.rows,
    mode: o.mode,
    dryRun: o.dryRun,
    concurrency: o.concurrency ?? backend.schema.import!.concurrency,
    totalRows,
    journal,
    previous,
    rejects,
    report,
    clock: deps.clock,
    signal: deps.signal,
    phase: (text) => app.notice(text),
  });
  const unregister = deps.onExit(() => journal?.flush());
  const stopProgress = startProgress(app, runner, pacer, totalRows);
  let result: Awaited<ReturnType<ImportRunner['run']>> | undefined;
  try {
    result = await runner.run();
  } finally {
    stopProgress();
    unregister();
    const complete = result !== undefined && result.stopped === null && result.counts.failed === 0;
    // A job that never got to a row (wrong password, say) leaves nothing to resume either.
    journal?.close(complete || (previous === null && !journal.touched));
    const written = (await rejects?.close(o.rejects !== undefined)) ?? false;
    // Every run writes the whole job's rejects afresh: the default file of an earlier run goes.
    if (!written && !o.rejects && rejectsPath !== null) removeOwnFile(rejectsPath);
    await report?.close(true);
  }

  const summary = summaryOf(result.counts, backend.requestsSent, deps.clock.now() - started);
  await writeOut(deps.io.stdout, formatSummary(summary, app.globals.format, o.dryRun));
  if (result.earlier) app.notice(`${result.earlier} rows were finished by the earlier run`);
  if (o.dryRun) app.notice('dry run: nothing was written');

  const resume = journal
    ? `; progress is saved in ${journal.path}; continue with: ${resumeCommand(o, plan.key.name)}`
    : o.dryRun
      ? ' (dry run: nothing was written)'
      : '; a job read from stdin keeps no journal: an upsert of the same rows picks up where it stopped';
  if (result.stopped === 'interrupted') throw new InterruptedError(`interrupted after ${runner.rowsDone} rows${resume}`);
  if (result.stopped === 'unavailable') {
    const why = result.error instanceof Error ? result.error.message : 'the server is unavailable';
    throw new TemporaryError(`stopped: the server stayed unavailable (${why})${resume}`);
  }
  const { rejected, failed } = result.counts;
  if (rejected || failed) {
    const what = [rejected ? `${rejected} ${rejected === 1 ? 'row' : 'rows'} rejected` : '', failed ? `${failed} failed` : ''].filter(Boolean).join(', ');
    const where = rejectsPath !== null ? `; see ${rejectsPath}` : '; pass --rejects <file> to keep them';
    throw new PartialError(`${what}${where}${failed && journal ? `; retry the failed rows with: ${resumeCommand(o, plan.key.name)}` : ''}`);
  }
}

/** Stdin copied into an owner-only file in a private temporary folder, removed when the job ends. */
async function spoolStdin(stdin: NodeJS.ReadableStream): Promise<{ path: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'poscust-stdin-'));
  const path = join(dir, 'stdin.csv');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await pipeline(stdin, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    remove();
    throw new UsageError(`cannot read stdin: ${(err as Error).message}`);
  }
  return { path, remove };
}

/** Deletes `path` if it is a regular file of ours (never a link or someone else's file). */
function removeOwnFile(path: string): void {
  try {
    const st = lstatSync(path);
    if (st.isFile() && st.uid === (process.getuid?.() ?? st.uid)) unlinkSync(path);
  } catch {
    // Nothing there, or not ours to remove.
  }
}

function inputSize(file: string, name: string): number {
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UsageError(`${name} is a directory; give a CSV file`);
    return st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

function refuseWrite(): never {
  throw new GeneralError('internal error: --dry-run tried to send a write');
}

/** `customers.csv` -> `customers.rejects.csv` beside it; stdin -> `import.rejects.csv` here. */
export function defaultRejectsPath(file: string): string {
  if (file === '-') return 'import.rejects.csv';
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.rejects.csv`);
}

function resumeCommand(o: ImportCommandOptions, key: string): string {
  const q = (s: string) => (/^[\w./:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  const args = ['poscust', 'import', q(o.file), '--mode', o.mode, '--key', key];
  for (const m of o.map) args.push('--map', q(m));
  if (o.delimiter) args.push('--delimiter', o.delimiter === '\t' ? 'tab' : q(o.delimiter));
  if (o.journal) args.push('--journal', q(o.journal));
  args.push('--resume');
  return args.join(' ');
}

/** One progress line on stderr, redrawn in place, only on a terminal and never with --quiet. */
function startProgress(app: AppContext, runner: ImportRunner, pacer: RateLimitPacer, totalRows: number): () => void {
  const { io, clock } = app.deps;
  if (!io.stderrIsTTY || app.globals.quiet) return () => undefined;
  const begin = clock.now();
  const draw = () => {
    const quota = pacer.quota;
    const line = formatProgress({
      counts: runner.counts,
      doneThisRun: runner.rowsDone - runner.earlier,
      elapsedMs: clock.now() - begin,
      totalRows,
      note: quota && pacer.holding > 0 ? `waiting for the quota (${quota.limit} requests per ${quota.windowSeconds ?? '?'} s)` : undefined,
    });
    io.stderr.write(`\r\x1b[K${line.slice(0, (io.columns ?? 120) - 1)}`);
  };
  draw();
  const timer = setInterval(draw, 250);
  return () => {
    clearInterval(timer);
    io.stderr.write('\r\x1b[K');
  };
}
