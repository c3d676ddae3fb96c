// One import job, from typed options to its summary: the input read whole first, the paced backend,
// the journal and its lock, the rejects and report files, the rows, and what went wrong. The
// command (commands/import.ts) only parses the options, shows progress and prints; everything the
// job touches outside itself comes through `ImportWorld`, so a test can run it without commander.
import { createReadStream, createWriteStream, existsSync, lstatSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CustomerBackend } from '../backends/types.js';
export type { ImportOptions } from './options.js';
import type { Clock } from '../deps.js';
import { GeneralError, InterruptedError, PartialError, type PoscustError, TemporaryError, UnsupportedError, UsageError } from '../errors.js';
import type { HttpClientOptions } from '../http/client.js';
import { RateLimitPacer } from '../http/pacer.js';
import { checkOutputPath } from '../output/atomic-file.js';
import { tryLock, type HeldLock } from '../util/lockfile.js';
import { planColumns, type ColumnPlan } from './columns.js';
import type { CsvSource } from './csv-source.js';
import { identifyInput, openInput, scanInput } from './input.js';
import { Phones } from '../util/phone.js';
import { ImportJournal, journalPathFor, readJournal, type JournalIdentity, type JournalState } from './journal.js';
import { defaultRejectsPath, describeFormat, describeRules, resumeCommand, type ImportOptions } from './options.js';
import { RejectsFile, ReportFile } from './outputs.js';
import { ImportRunner, type ImportResult, type RowChange } from './runner.js';
import { planInput, planRows, refuseOtherShop, savePlan } from './plan.js';
import { describeChange } from './scan.js';
import { summaryOf, type ImportSummary, type ProgressSnapshot } from './summary.js';

/** What a job needs from outside: the backend, the clock, stdin, and a way to tell the user. */
export interface ImportWorld {
  clock: Clock;
  signal: AbortSignal;
  stdin: NodeJS.ReadableStream;
  /** Runs `fn` if the process exits abruptly; returns an unregister. */
  onExit(fn: () => void): () => void;
  /** Opens the backend with the job's HTTP settings (pacer, connections, dry run's write guard). */
  openBackend(http: Partial<HttpClientOptions>): Promise<CustomerBackend>;
  baseUrl(): string;
  /** The profile the connection came from, if any (plans name it). */
  profileName(): string | null;
  /** The shop's region for phone numbers (ISO 3166 alpha-2), if it has one. */
  region(): string | undefined;
  notice(text: string): void;
  warn(text: string): void;
  /** Shows progress while the rows run; returns the function that stops showing it. */
  progress?(snapshot: () => ProgressSnapshot): () => void;
}

export interface ImportJobResult {
  summary: ImportSummary;
  /** Rows an earlier run had finished (resume). */
  earlier: number;
  /** The error to exit with once the summary is printed (interrupted, unavailable, partial). */
  error: PoscustError | null;
  /** A dry run's changes (--diff, --save-plan), in file order, with the columns they index. */
  changes?: { plan: ColumnPlan; rows: RowChange[] };
  /** Rows of a plan whose customer changed since (apply). */
  conflicts: number;
}

export async function runImportJob(o: ImportOptions, world: ImportWorld): Promise<ImportJobResult> {
  const started = world.clock.now();
  const fromStdin = o.file === '-';
  if (o.savePlan) checkOutputPath(o.savePlan, '--save-plan');
  // Every file the job will write is checked now, before the first request: a job must not run
  // for an hour and then find it cannot write its rejects. A dry run writes only what it is asked to.
  const rejectsPath = o.dryRun && !o.rejects ? null : (o.rejects ?? defaultRejectsPath(o.file, o.tag));
  if (rejectsPath !== null) checkOutputPath(rejectsPath, o.rejects ? '--rejects' : 'the rejects file');
  if (o.report) checkOutputPath(o.report, '--report');
  const journalPath = o.dryRun || fromStdin ? null : (o.journal ?? journalPathFor(o.tag ? `${o.file}.${o.tag}` : o.file));
  if (journalPath !== null) checkOutputPath(journalPath, o.journal ? '--journal' : 'the journal (pass --journal <file> to keep it elsewhere)');

  // Stdin is read to the end first, into a private temporary file, so it is checked like a file
  // before anything is sent: a quote never closed must stop the job, not swallow its last rows.
  const spooled = fromStdin && !o.applyPlan ? await spoolStdin(world.stdin) : null;
  const path = spooled?.path ?? o.file;
  const name = fromStdin ? 'stdin' : o.file;
  let lock: HeldLock | null = null;
  try {
    const planned = o.applyPlan ? planInput(o.applyPlan) : null;
    const size = planned ? 0 : inputSize(path, name);
    const format = planned ? null : await identifyInput(path, name, { encoding: o.encoding, sheet: o.sheet, delimiter: o.delimiter }, world.warn);
    const scan = planned?.scan ?? (await scanInput(path, size, format!, { delimiter: o.delimiter, name }));

    const pacer = new RateLimitPacer({ clock: world.clock, rate: o.rate });
    const backend = await world.openBackend({
      observer: pacer,
      // One connection per row in flight, and one spare for the lookups of a lost answer.
      connections: (o.concurrency ?? 16) + 1,
      bulk: true,
      ...(o.dryRun ? { beforeWrite: refuseWrite } : {}),
    });
    const importSchema = backend.schema.import;
    if (!importSchema) throw new UnsupportedError(backend.name, o.applyPlan ? 'apply' : 'import');
    if (o.applyPlan) refuseOtherShop(o.applyPlan.plan, o.file, { profile: world.profileName(), backend: backend.name, baseUrl: world.baseUrl() }, 'make a new plan for this shop');
    // Columns that are no native field may be this server's own (an export writes them): the
    // fields its records were seen to carry say which, so an export imports back as is and a typo
    // is still an error, before any request.
    const serverFields = new Set([...backend.serverFields].map((k) => k.toLowerCase()));
    const plan = planColumns(scan.header, backend.schema, {
      serverFields,
      mode: o.mode,
      key: o.key ?? importSchema.keys[0]!.name,
      map: o.map,
      unnamedWithData: scan.unnamedWithData,
      rules: { dateFormat: o.dateFormat, clearValue: o.clearValue, phoneFormat: o.phoneFormat },
    });
    const region = world.region();
    if (plan.keyIsPhone || plan.writes.some((w) => w.field.type === 'phone')) plan.rules.phones = await Phones.load(region);
    const numericPhones = plan.writes.filter((w) => w.field.type === 'phone' && scan.numericColumns?.includes(w.index));
    if (numericPhones.length && plan.rules.phones?.region) {
      world.warn(
        `${numericPhones.map((w) => w.field.name).join(', ')}: the workbook holds phone numbers as numbers, which lost their leading 0; ` +
          `they are written in E.164 (format the column as Text in Excel to keep numbers as typed)`,
      );
    }
    if (o.phoneFormat && region === undefined) world.warn(`no region for phone numbers: only numbers written with + can be written as --phone-format ${o.phoneFormat} (set one with profile add --region, or POSCUST_REGION)`);

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
      const identity: JournalIdentity = {
        input: scan.fingerprint,
        mode: o.mode,
        key: plan.key.name,
        backend: backend.name,
        baseUrl: world.baseUrl(),
        map: o.map,
        delimiter: scan.delimiter,
        read: format ? describeFormat(format) : 'plan',
        cells: describeRules(o, region),
      };
      const exists = existsSync(journalPath);
      if (exists && !o.resume) {
        throw new UsageError(`an import of ${o.file} stopped before it finished (journal ${journalPath}); continue it with --resume, or delete the journal to start over`);
      }
      const changeOf = (recorded: Parameters<typeof describeChange>[0]) =>
        planned ? (recorded?.sha256 === scan.fingerprint.sha256 ? null : 'the plan is not the one the stopped run applied') : describeChange(recorded, scan);
      if (exists) previous = await readJournal(journalPath, identity, changeOf);
      else if (o.resume) world.warn(`no journal at ${journalPath}: starting from the first row`);
      journal = ImportJournal.open(journalPath, identity, o.resume);
    }

    const source: CsvSource = planned
      ? { header: scan.header, delimiter: ',', rows: planned.rows(plan), bytesRead: () => 0, close: () => undefined }
      : await openInput(path, format!, scan, name);
    try {
      return await runSource(world, o, backend, { source, plan, journal, previous, rejectsPath, totalRows: scan.rows, started, pacer, sha256: scan.fingerprint.sha256 });
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
  /** The input's SHA-256 (a saved plan names the file it came from). */
  sha256: string;
}

async function runSource(world: ImportWorld, o: ImportOptions, backend: CustomerBackend, run: RunContext): Promise<ImportJobResult> {
  const { source, plan, journal, previous, rejectsPath, totalRows, started, pacer } = run;
  for (const w of plan.warnings) world.warn(w);
  if (plan.ignored.length) world.notice(`not imported (set by the server): ${plan.ignored.join(', ')}`);

  const rejects = rejectsPath === null ? null : new RejectsFile(rejectsPath, source.header);
  const report = o.report ? new ReportFile(o.report) : null;
  const changes: RowChange[] | null = o.diff || o.savePlan ? [] : null;

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
    clock: world.clock,
    signal: world.signal,
    phase: (text) => world.notice(text),
    ...(changes ? { onChange: (c: RowChange) => changes.push(c) } : {}),
  });
  const unregister = world.onExit(() => journal?.flush());
  const begin = world.clock.now();
  const stopProgress =
    world.progress?.(() => {
      const quota = pacer.quota;
      return {
        counts: runner.counts,
        doneThisRun: runner.rowsDone - runner.earlier,
        elapsedMs: world.clock.now() - begin,
        totalRows,
        note: quota && pacer.holding > 0 ? `waiting for the quota (${quota.limit} requests per ${quota.windowSeconds ?? '?'} s)` : undefined,
      };
    }) ?? (() => undefined);
  let result: ImportResult | undefined;
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

  const summary = summaryOf(result.counts, backend.requestsSent, world.clock.now() - started);
  if (changes) changes.sort((a, b) => a.line - b.line);
  if (changes && o.savePlan && result.stopped === null) {
    await savePlan(o.savePlan, {
      profile: world.profileName(),
      backend: backend.name,
      baseUrl: world.baseUrl(),
      createdAt: new Date(world.clock.now()).toISOString(),
      source: { file: o.file, sha256: run.sha256 },
      key: plan.key.field,
      keyName: plan.key.name,
      fields: plan.writes.map((w) => w.field.name),
      rows: planRows(plan, changes),
    });
  }
  return {
    summary,
    earlier: result.earlier,
    error: exitError(o, result, runner, plan, journal, rejectsPath),
    conflicts: runner.conflicts,
    ...(changes ? { changes: { plan, rows: changes } } : {}),
  };
}

/** What the job's end means for the exit code: interrupted, unavailable, partial, or nothing. */
function exitError(o: ImportOptions, result: ImportResult, runner: ImportRunner, plan: ColumnPlan, journal: ImportJournal | null, rejectsPath: string | null): PoscustError | null {
  const resume = journal
    ? `; progress is saved in ${journal.path}; continue with: ${resumeCommand(o, plan.key.name)}`
    : o.dryRun
      ? ' (dry run: nothing was written)'
      : '; a job read from stdin keeps no journal: an upsert of the same rows picks up where it stopped';
  if (result.stopped === 'interrupted') return new InterruptedError(`interrupted after ${runner.rowsDone} rows${resume}`);
  if (result.stopped === 'unavailable') {
    const why = result.error instanceof Error ? result.error.message : 'the server is unavailable';
    return new TemporaryError(`stopped: the server stayed unavailable (${why})${resume}`);
  }
  const { rejected, failed } = result.counts;
  if (rejected || failed) {
    const what = [rejected ? `${rejected} ${rejected === 1 ? 'row' : 'rows'} rejected` : '', failed ? `${failed} failed` : ''].filter(Boolean).join(', ');
    const where = rejectsPath !== null ? `; see ${rejectsPath}` : '; pass --rejects <file> to keep them';
    return new PartialError(`${what}${where}${failed && journal ? `; retry the failed rows with: ${resumeCommand(o, plan.key.name)}` : ''}`);
  }
  return null;
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

