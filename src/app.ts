// The command tree. Each command lives in src/commands/<verb>.ts and registers itself; this file
// wires them, parses the global options, and turns every failure into an exit code in one place.
import { Command, CommanderError, Option } from 'commander';
import { AppContext } from './context.js';
import type { Deps } from './deps.js';
import { ExitCode, InterruptedError, UsageError, errorToJson, signalOf, toPoscustError } from './errors.js';
import { FORMATS, type Format } from './output/records.js';
import { forTerminal } from './output/terminal.js';
import { VERSION } from './version.js';
import { prepareColor } from './ui/style.js';
import * as parse from './commands/parse.js';
import { examples } from './commands/examples.js';
import { secretArgValues, secretOptionMessage } from './commands/secret-args.js';
import { commandName, commandPath, suggestOption } from './commands/usage-hints.js';
import { PROFILE_NAMES, completeWith } from './commands/completion-hints.js';

type Register = (program: Command, app: AppContext) => void;

/**
 * Every command, by the name typed, and how to load its module. A command's module (and what it
 * imports) loads only when the command runs: `poscust get` loads get.ts, not the other twenty.
 * The whole tree loads for --help, `help`, completion, and a name that is no command.
 */
const COMMANDS: readonly (readonly [names: readonly string[], load: () => Promise<Register>])[] = [
  [['list'], async () => (await import('./commands/list.js')).registerList],
  [['count'], async () => (await import('./commands/count.js')).registerCount],
  [['get'], async () => (await import('./commands/get.js')).registerGet],
  [['create'], async () => (await import('./commands/create.js')).registerCreate],
  [['update-by'], async () => (await import('./commands/update-by.js')).registerUpdateBy],
  [['delete'], async () => (await import('./commands/delete.js')).registerDelete],
  [['suspend', 'unsuspend'], async () => (await import('./commands/suspend.js')).registerSuspend],
  [['merge'], async () => (await import('./commands/merge.js')).registerMerge],
  [['new-code'], async () => (await import('./commands/new-code.js')).registerNewCode],
  [['pin'], async () => (await import('./commands/pin.js')).registerPin],
  [['verify'], async () => (await import('./commands/verify.js')).registerVerify],
  [['app-signin'], async () => (await import('./commands/app-signin.js')).registerAppSignIn],
  [['profile'], async () => (await import('./commands/profile.js')).registerProfile],
  [['doctor'], async () => (await import('./commands/doctor.js')).registerDoctor],
  [['sandbox'], async () => (await import('./commands/sandbox.js')).registerSandbox],
  [['import'], async () => (await import('./commands/import.js')).registerImport],
  [['export'], async () => (await import('./commands/export.js')).registerExport],
  [['apply'], async () => (await import('./commands/apply.js')).registerApply],
  [['history'], async () => (await import('./commands/history.js')).registerHistory],
  [['undo'], async () => (await import('./commands/undo.js')).registerUndo],
  [['duplicates'], async () => (await import('./commands/duplicates.js')).registerDuplicates],
  [['migrate'], async () => (await import('./commands/migrate.js')).registerMigrate],
  [['completion', '__complete'], async () => (await import('./commands/completion.js')).registerCompletion],
];

/** Global options that take a value (the word after them is not the command). */
const VALUE_OPTIONS = new Set(['--profile', '--format', '--fields', '--timeout']);

/** The command `argv` runs, when it is one that can load alone; undefined for help and the like. */
export function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return undefined;
    if (VALUE_OPTIONS.has(word)) {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    const known = COMMANDS.some(([names]) => names.includes(word)) && word !== 'completion' && word !== '__complete';
    // Help of any kind lists or describes the whole tree.
    return known && !argv.includes('--help') && !argv.includes('-h') ? word : undefined;
  }
  return undefined;
}

/** The program with every command, or (`only`) with just the one being run. */
export async function createProgram(app: AppContext, only?: string): Promise<Command> {
  const { io } = app.deps;
  const program = new Command('poscust');
  program
    .description('Manage the customers of a DealPOS, MYPOS Connect or PORTOS point of sale.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .addOption(completeWith(new Option('--profile <name>', 'profile to use (default: POSCUST_PROFILE, else the default profile)'), PROFILE_NAMES))
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS))
    .option('--json', 'same as --format json')
    .option('--fields <names>', 'columns (table, csv) or keys (json, ndjson), comma-separated', parse.list)
    .option('--verbose', 'log each HTTP exchange on stderr, secrets redacted')
    .option('-q, --quiet', 'no progress, notices or warnings on stderr')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('-y, --yes', 'answer yes to confirmations (needed without a terminal)')
    .option('--profiles <a,b,...>', 'run the command once per profile (records gain _profile; the exit code is the first failing profile\'s)')
    .option('--all-profiles', 'run the command once per stored profile')
    .option('--parallel <n>', 'with --profiles/--all-profiles: profiles at once (default 4)')
    .option('--timeout <seconds>', 'per-request timeout', parse.positiveNumber, 30)
    .option('--allow-insecure-http', 'allow plain http:// to a host that is not this machine')
    .option('--insecure-tls', 'DANGEROUS: accept a TLS certificate that does not verify (anyone on the path can read the credentials)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's own error lines are replaced by ours (see run()).
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      examples(
        'poscust profile add',
        'poscust list --name wijaya --format csv',
        'poscust suspend --code HWCISAP',
        'poscust doctor',
      ) + '\nTopics: poscust help environment, poscust help exit-codes. Tab completion: poscust completion --help.\n',
    );

  program.hook('preAction', (_thisCommand, actionCommand) => {
    app.globals = readGlobals(actionCommand.optsWithGlobals());
    const path: string[] = [];
    for (let c: Command | null = actionCommand; c && c !== program; c = c.parent) path.unshift(c.name());
    app.commandPath = path.join(' ');
  });

  const chosen = only === undefined ? COMMANDS : COMMANDS.filter(([names]) => names.includes(only));
  for (const register of await Promise.all(chosen.map(([, load]) => load()))) register(program, app);
  if (only === undefined) {
    // Last: it replaces the implicit help commands of the groups registered above.
    (await import('./commands/help.js')).registerHelp(program, app);
  } else {
    // As registerHelp does: `help` is the one way to a group's help.
    for (const cmd of program.commands) if (cmd.commands.length) cmd.helpCommand(false);
  }
  return program;
}

function readGlobals(o: Record<string, unknown>): AppContext['globals'] {
  const format = (o.json ? 'json' : (o.format as Format | undefined)) ?? 'table';
  if (o.json && o.format && o.format !== 'json') throw new UsageError('--json and --format ' + String(o.format) + ' disagree; pick one');
  return {
    profile: o.profile as string | undefined,
    format,
    fields: o.fields as string[] | undefined,
    verbose: Boolean(o.verbose),
    quiet: Boolean(o.quiet),
    color: o.color !== false,
    yes: Boolean(o.yes),
    timeoutMs: Math.round(Number(o.timeout ?? 30) * 1000),
    allowInsecureHttp: Boolean(o.allowInsecureHttp),
    insecureTls: Boolean(o.insecureTls),
  };
}

/** Runs one invocation; resolves to the exit code. `bin` sets process.exitCode from it. */
export async function run(argv: readonly string[], deps: Deps): Promise<number> {
  await prepareColor(deps.io.stdoutIsTTY, deps.io.stderrIsTTY, deps.env);
  // A secret typed as an option (`--password=...`) is never echoed, whatever goes wrong next.
  for (const value of secretArgValues(argv)) deps.redactor.add(value);
  if (argv.some((a) => a === '--profiles' || a.startsWith('--profiles=') || a === '--all-profiles' || a === '--parallel' || a.startsWith('--parallel='))) {
    const fanout = await import('./fanout/run.js');
    try {
      const args = fanout.fanoutArgs(argv);
      if (args) return await fanout.runFanout(args, deps);
    } catch (err) {
      const e = toPoscustError(err);
      deps.io.stderr.write(`poscust: ${deps.redactor.redact(e.message)}\n`);
      return e.exitCode;
    }
  }
  const app = new AppContext(deps);
  app.argv = argv;
  const program = await createProgram(app, commandOf(argv));
  let code: number = ExitCode.failure;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    code = ExitCode.ok;
  } catch (err) {
    code = report(err, app, argv, program);
  } finally {
    await app.close(code === ExitCode.ok ? 'ok' : code === ExitCode.partial ? 'partial' : code >= 128 ? 'interrupted' : 'failed');
  }
  return code;
}

function report(err: unknown, app: AppContext, argv: readonly string[], program: Command): number {
  const { io, redactor } = app.deps;
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
    if (err.code === 'commander.help') return ExitCode.usage; // `poscust` with no command: help went to stderr
    const path = commandPath(program, argv);
    const help = `see ${commandName(path)} --help`;
    if (err.code === 'commander.unknownOption') {
      const option = /'([^']*)'/.exec(err.message)?.[1] ?? '';
      const suggestion = suggestOption(path, option);
      err = new UsageError(
        secretOptionMessage(option) ?? `unknown option '${option.split('=')[0]}'${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ${help}`,
      );
    } else {
      const message = err.message.replace(/^error:\s*/, '').replace(/\n+/g, ' ').replace(/\.\s*$/, '');
      err = new UsageError(`${message}; ${help}`);
    }
  }
  let e = toPoscustError(err);
  if (e instanceof InterruptedError) e = e.stoppedBy(signalOf(app.deps.signal));
  if (e.silent) return e.exitCode;
  const message = redactor.redact(e.message);
  const jsonErrors = app.globals.format === 'json' || app.globals.format === 'ndjson' || argv.includes('--json') || formatArg(argv) === 'json';
  if (jsonErrors) {
    io.stderr.write(`${errorToJson(e, message)}\n`);
  } else {
    io.stderr.write(`${app.err.red('poscust:')} ${forTerminal(message, { keepNewlines: e.multiline })}\n`);
  }
  if (app.globals.verbose) {
    // Where it came from, for a bug report: the chain of causes, every line redacted.
    for (let cause = e.cause, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
      io.stderr.write(`${forTerminal(redactor.redact(cause.stack ?? `${cause.name}: ${cause.message}`), { keepNewlines: true })}\n`);
    }
  }
  return e.exitCode;
}

function formatArg(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--format');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--format='))?.slice('--format='.length);
}
