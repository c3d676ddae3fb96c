// One command over several shops: `poscust --profiles jakarta,bandung count`, `--all-profiles`.
// Each profile runs as its own poscust process (its own connection, token, pacer and quota), at
// most --parallel at once; this process merges what they print. Records gain `_profile` (the first
// column); `count` prints one line per profile and the total; other commands' JSON objects gain
// `_profile`, their text lines are prefixed with the profile. One shop failing never stops the
// others; stderr names each that failed, and the exit code is that of the first profile, in the
// order given, that did not succeed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Deps } from '../deps.js';
import { writeOut } from '../deps.js';
import { BACKENDS, vendorOf } from '../backends/registry.js';
import { configDir } from '../config/paths.js';
import { readStore } from '../config/store.js';
import { ExitCode, GeneralError, NotFoundError, UsageError } from '../errors.js';
import { AtomicFile, checkOutputPath } from '../output/atomic-file.js';
import { createRecordWriter, type Format } from '../output/records.js';
import { forTerminal } from '../output/terminal.js';
import { canPrompt } from '../deps.js';

/** Commands whose output is customer records (merged into one list with `_profile`). */
const RECORD_COMMANDS = new Set(['list', 'get', 'export']);
/** Commands that ask before they write: the one question names every profile. */
const ASKING_COMMANDS = new Set(['delete', 'merge', 'apply', 'undo']);

export interface FanoutArgs {
  profiles: string[] | 'all';
  parallel: number;
  /** The command line without the fan-out options. */
  rest: string[];
}

/** The fan-out options, if any were given (before `--`). */
export function fanoutArgs(argv: readonly string[]): FanoutArgs | null {
  let profiles: FanoutArgs['profiles'] | undefined;
  let parallel = 4;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const value = (name: string) => (a === name ? argv[++i] : a.startsWith(`${name}=`) ? a.slice(name.length + 1) : undefined);
    const list = value('--profiles');
    const par = value('--parallel');
    if (list !== undefined) {
      profiles = list.split(',').map((p) => p.trim()).filter(Boolean);
      if (profiles.length === 0) throw new UsageError('--profiles needs one or more profile names, comma-separated');
    } else if (a === '--all-profiles') profiles = 'all';
    else if (par !== undefined) {
      parallel = Number(par);
      if (!Number.isInteger(parallel) || parallel < 1) throw new UsageError(`--parallel '${par}': a whole number of at least 1`);
    } else rest.push(a);
  }
  if (profiles === undefined) {
    if (rest.length !== argv.length) throw new UsageError('--parallel goes with --profiles or --all-profiles');
    return null;
  }
  return { profiles, parallel, rest };
}

interface Child {
  profile: string;
  code: number;
  /** The last line the child wrote on stderr: why it failed. */
  why: string;
}

export async function runFanout(args: FanoutArgs, deps: Deps): Promise<number> {
  const { rest } = args;
  if (rest.some((a) => a === '--profile' || a.startsWith('--profile='))) throw new UsageError('--profile and --profiles (or --all-profiles) exclude each other');
  if (!deps.self) throw new GeneralError('running over several profiles needs the poscust program itself');
  const store = readStore(configDir(deps.env, deps.homeDir, deps.platform), BACKENDS);
  const names = args.profiles === 'all' ? Object.keys(store.profiles).sort() : args.profiles;
  const unknown = names.filter((n) => !Object.hasOwn(store.profiles, n));
  if (unknown.length) throw new NotFoundError(`no profile ${unknown.map((n) => `'${n}'`).join(', ')}; see poscust profile list`);
  if (names.length === 0) throw new UsageError('--all-profiles: there are no profiles yet; add one with poscust profile add');
  const command = rest.find((a) => !a.startsWith('-')) ?? '';
  const format = formatOf(rest);
  const yes = rest.includes('--yes') || rest.includes('-y');
  if (command === 'export' && rest.some((a) => a === '--state' || a.startsWith('--state='))) {
    throw new UsageError('a --state file keeps one shop\'s customers: run export --state once per profile (--profile <name>), each with its own file');
  }
  if (rest.includes('-') && command === 'import') throw new UsageError('an import over several profiles reads a file, not stdin (it is read once per profile)');
  if (ASKING_COMMANDS.has(command) && !yes && !rest.includes('--dry-run')) {
    const question = `${rest.join(' ')} on ${names.length} profiles: ${names.join(', ')}?`;
    if (!canPrompt(deps.io)) throw new UsageError(`${question.replace(/\?$/, '')}: confirmation needed, but there is no terminal to ask on; pass --yes`);
    const prompter = await deps.prompter();
    if (!(await prompter.confirm(forTerminal(`Run ${question}`), false))) return ExitCode.failure;
  }
  const records = RECORD_COMMANDS.has(command);
  // `export --output all.csv`: one file of every shop, written here (atomically), not once per
  // child, from each shop's `list --all`. --fields applies here: the shops may use other backends.
  const taken = takeOption(withoutFormat(rest), '--output');
  const fieldsTaken = records ? takeOption(taken.rest, '--fields') : { value: undefined, rest: taken.rest };
  const outputPath = taken.value;
  const bom = command === 'export' && fieldsTaken.rest.includes('--bom');
  const childRest = command === 'export' ? [...fieldsTaken.rest.filter((a) => a !== '--bom').map((a) => (a === 'export' ? 'list' : a)), '--all'] : fieldsTaken.rest;
  const fields = fieldsTaken.value?.split(',').map((f) => f.trim()).filter(Boolean);
  const recordFormat: Format = command === 'export' ? 'csv' : format;
  if (outputPath !== undefined && !outputPath.toLowerCase().endsWith('.csv')) throw new UsageError('--output over several profiles writes one CSV file: give a name ending in .csv');
  if (outputPath !== undefined) checkOutputPath(outputPath, '--output');
  const file = outputPath !== undefined ? new AtomicFile(outputPath) : null;
  // Every shop's columns: the profiles may use different backends.
  const schemas = await Promise.all([...new Set(names.map((n) => store.profiles[n]!.backend))].map((b) => vendorOf(b).schema()));
  const union = (pick: (s: (typeof schemas)[number]) => readonly string[]) => ['_profile', ...new Set(schemas.flatMap(pick))];
  // An export of shops of one backend: each child writes its own CSV (same columns), and this
  // process only puts the profile in front of each record, without parsing it again.
  const passthrough = command === 'export' && schemas.length === 1;
  const childFormat = passthrough ? 'csv' : records || command === 'count' ? 'ndjson' : format === 'table' || format === 'csv' ? format : 'ndjson';
  const childArgs = (profile: string) => [
    '--profile',
    profile,
    ...(passthrough ? [...fieldsTaken.rest.filter((a) => a !== '--bom'), ...(fieldsTaken.value ? ['--fields', fieldsTaken.value] : [])] : command === 'import' ? importFiles(childRest, profile) : childRest),
    '--format',
    command === 'count' ? 'json' : childFormat,
    ...(yes || ASKING_COMMANDS.has(command) ? ['--yes'] : []),
  ];
  const out = file ? await file.out() : deps.io.stdout;
  let headerWritten = false;
  const writer = records && !passthrough
    ? createRecordWriter({
        format: file ? 'csv' : recordFormat,
        out,
        ...(fields ? { fields: ['_profile', ...fields.filter((f) => f !== '_profile')] } : {}),
        tableColumns: union((s) => s.tableColumns),
        allColumns: union((s) => s.fields.map((f) => f.name)),
        shape: 'many',
        truncate: deps.io.stdoutIsTTY,
        maxCellWidth: 40,
      })
    : null;
  if (bom && (writer || passthrough)) await writeOut(out, '\uFEFF');
  const counts = new Map<string, number>();
  const jsonOut: unknown[] = [];
  const results: Child[] = [];
  let queue = Promise.resolve();
  const serial = (fn: () => Promise<void>) => (queue = queue.then(fn, fn));

  const runOne = (profile: string) =>
    new Promise<Child>((resolve) => {
      const env: Record<string, string | undefined> = { ...deps.env, POSCUST_FANOUT_PROFILE: profile };
      delete env.POSCUST_PROFILE;
      const child = spawn(deps.self![0]!, [...deps.self!.slice(1), ...childArgs(profile)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let why = '';
      let batch: Record<string, unknown>[] = [];
      let csvLines: string[] = [];
      let seenHeader = false;
      let inQuote = false;
      const profileCell = /[",\r\n]/.test(profile) ? `"${profile.replace(/"/g, '""')}"` : profile;
      createInterface({ input: child.stderr }).on('line', (raw) => {
        // A child's error under a JSON format is a JSON object: its message is what a person reads.
        let line = raw;
        try {
          const e = (JSON.parse(raw) as { error?: { message?: string } }).error;
          if (typeof e?.message === 'string') line = `poscust: ${e.message}`;
        } catch {
          // A plain line.
        }
        if (line.trim()) why = line.replace(/^poscust: /, '');
        deps.io.stderr.write(`${forTerminal(`[${profile}] ${line}`)}\n`);
      });
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        if (passthrough) {
          // The child's first line is its header; a record starts where no quoted cell is open.
          if (!seenHeader) {
            seenHeader = true;
            if (!headerWritten) {
              headerWritten = true;
              csvLines.push(`_profile,${line}`);
            }
          } else {
            csvLines.push(inQuote ? line : `${profileCell},${line}`);
            for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) inQuote = !inQuote;
          }
          if (csvLines.length === 1) {
            setImmediate(() => {
              const text = `${csvLines.join('\n')}\n`;
              csvLines = [];
              void serial(() => writeOut(out, text));
            });
          }
          return;
        }
        if (line === '') return;
        if (command === 'count') {
          const n = Number(JSON.parse(line) as unknown);
          if (Number.isFinite(n)) counts.set(profile, n);
        } else if (writer) {
          // Records go to the writer in batches (one per burst of lines), not one by one.
          batch.push({ _profile: profile, ...(JSON.parse(line) as Record<string, unknown>) });
          if (batch.length === 1) {
            setImmediate(() => {
              const records = batch;
              batch = [];
              void serial(() => writer.write(records));
            });
          }
        } else if (childFormat === 'ndjson') {
          let v: unknown;
          try {
            v = JSON.parse(line);
          } catch {
            v = line;
          }
          const tagged = v && typeof v === 'object' && !Array.isArray(v) ? { _profile: profile, ...v } : { _profile: profile, output: v };
          if (format === 'json') jsonOut.push(tagged);
          else void serial(() => writeOut(deps.io.stdout, `${JSON.stringify(tagged)}\n`));
        } else {
          void serial(() => writeOut(deps.io.stdout, `${forTerminal(`${profile}  ${line}`)}\n`));
        }
      });
      child.on('close', (code, signal) => resolve({ profile, code: code ?? (signal === 'SIGTERM' ? 143 : 130), why }));
      deps.signal.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
    });

  // At most --parallel at once, each profile paced to its own quota by its own process.
  const pending = [...names];
  const workers = Array.from({ length: Math.min(args.parallel, names.length) }, async () => {
    for (let p = pending.shift(); p !== undefined; p = pending.shift()) results.push(await runOne(p));
  });
  await Promise.all(workers);
  await queue;
  await writer?.end();
  if (file) {
    // Complete only when every shop's customers are in it: a failed shop leaves no half file.
    if (results.some((r) => r.code !== 0)) file.discard();
    else await file.commit();
  }
  if (command === 'count') await writeOut(deps.io.stdout, formatCounts(names, counts, format));
  if (jsonOut.length || (format === 'json' && !records && command !== 'count')) await writeOut(deps.io.stdout, `${JSON.stringify(jsonOut, null, 2)}\n`);

  const failed = names.map((n) => results.find((r) => r.profile === n)!).filter((r) => r.code !== 0);
  for (const f of failed) deps.io.stderr.write(`${forTerminal(`poscust: profile ${f.profile} failed (exit ${f.code})${f.why ? `: ${f.why}` : ''}`)}\n`);
  return failed[0]?.code ?? ExitCode.ok;
}

/**
 * An import per profile keeps its own journal, lock and rejects (and report) beside the file:
 * `customers.csv.jakarta.poscust-journal`, `customers.jakarta.rejects.csv`. One journal for all
 * would have the second shop refused as "another import of this file is running".
 */
function importFiles(argv: readonly string[], profile: string): string[] {
  let out = [...argv];
  // Files named on the command line get the profile in their name; the default ones get it from
  // POSCUST_FANOUT_PROFILE (src/import/options.ts), so they stay "written only when needed".
  for (const name of ['--journal', '--rejects', '--report']) {
    const taken = takeOption(out, name);
    out = taken.rest;
    if (taken.value !== undefined) {
      const d = taken.value.lastIndexOf('.');
      out.push(name, d > taken.value.lastIndexOf('/') ? `${taken.value.slice(0, d)}.${profile}${taken.value.slice(d)}` : `${taken.value}.${profile}`);
    }
  }
  return out;
}

/** Takes `--name value` (or `--name=value`) out of the arguments. */
function takeOption(argv: readonly string[], name: string): { value: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === name) value = argv[++i];
    else if (a.startsWith(`${name}=`)) value = a.slice(name.length + 1);
    else rest.push(a);
  }
  return { value, rest };
}

function formatOf(argv: readonly string[]): Format {
  if (argv.includes('--json')) return 'json';
  const i = argv.findIndex((a) => a === '--format' || a.startsWith('--format='));
  if (i < 0) return 'table';
  const v = argv[i]!.includes('=') ? argv[i]!.split('=')[1]! : argv[i + 1]!;
  return (['table', 'json', 'ndjson', 'csv'].includes(v) ? v : 'table') as Format;
}

function withoutFormat(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json' || argv[i]!.startsWith('--format=')) continue;
    if (argv[i] === '--format') {
      i++;
      continue;
    }
    out.push(argv[i]!);
  }
  return out;
}

function formatCounts(names: readonly string[], counts: Map<string, number>, format: Format): string {
  const rows = names.filter((n) => counts.has(n)).map((n) => ({ profile: n, count: counts.get(n)! }));
  const total = rows.reduce((s, r) => s + r.count, 0);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'ndjson') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  if (format === 'csv') return `profile,count\n${rows.map((r) => `${r.profile},${r.count}`).join('\n')}\n`;
  const width = Math.max(5, ...rows.map((r) => r.profile.length));
  return `${rows.map((r) => `${r.profile.padEnd(width)}  ${r.count}`).join('\n')}${rows.length ? '\n' : ''}${'total'.padEnd(width)}  ${total}\n`;
}
