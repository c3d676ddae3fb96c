// The entry point, and the only place that touches process.*: it builds the real dependencies,
// runs the command, and sets the exit code.
import { setMaxListeners } from 'node:events';
import { homedir, userInfo } from 'node:os';
import { homeDirFrom } from './config/paths.js';
import { isatty } from 'node:tty';
import type { Deps, Prompter } from './deps.js';
import { systemClock } from './deps.js';
import { Redactor } from './redact.js';
import { freezeObjectPrototype } from './util/own.js';

const argv = process.argv.slice(2);
// Created before anything can fail, so that even a crash is reported with every secret scrubbed.
const redactor = new Redactor();

function home(): string {
  return homeDirFrom(homedir(), () => userInfo().homedir);
}

/** Last resort for a bug: one redacted line (the stack too under --verbose), exit 1. */
function crash(err: unknown): void {
  const text = err instanceof Error ? (argv.includes('--verbose') && err.stack ? err.stack : err.message) : String(err);
  process.stderr.write(`poscust: unexpected error: ${redactor.redact(text)}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  // A backstop under the own-property rules of src/util/own.ts: with Object.prototype frozen, no
  // name from a file, a flag or a server can plant an inherited option (`ca`, `headers`) that every
  // later request would pick up. Every dependency on the command paths runs with it frozen (the
  // end-to-end tests run the built binary).
  freezeObjectPrototype();
  if (argv[0] === '__complete') {
    // Tab completion asks for profile names: answer before loading the command tree, so a Tab
    // costs little more than starting Node (src/completion/values.ts).
    const { completionValues } = await import('./completion/values.js');
    process.stdout.write(completionValues(argv.slice(1), process.env, home(), process.platform));
    return;
  }

  const controller = new AbortController();
  // Every request in flight listens for Ctrl-C on this one signal: a bulk import has dozens.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      // A second Ctrl-C means "now": do not wait for in-flight work to settle.
      process.stderr.write('\nposcust: stopped\n');
      process.exit(signal === 'SIGTERM' ? 143 : 130);
    }
    controller.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const deps: Deps = {
    io: {
      stdout: process.stdout,
      get stderr() {
        return process.stderr;
      },
      // A getter: creating process.stdin costs start-up, and few commands read it.
      get stdin() {
        return process.stdin;
      },
      stdoutIsTTY: isatty(1),
      stderrIsTTY: isatty(2),
      stdinIsTTY: isatty(0),
      columns: process.stdout.columns,
    },
    env: process.env,
    clock: systemClock,
    prompter: async (): Promise<Prompter> => (await import('./ui/prompter.js')).createPrompter(),
    signal: controller.signal,
    redactor,
    homeDir: home(),
    platform: process.platform,
    self: [process.execPath, process.argv[1]!],
    onExit: (fn) => {
      process.once('exit', fn);
      return () => process.removeListener('exit', fn);
    },
  };

  // EPIPE (`poscust list | head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });

  const { run } = await import('./app.js');
  process.exitCode = await run(argv, deps);
}

process.on('uncaughtException', (err) => {
  crash(err);
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  crash(err);
  process.exit(1);
});
void main().catch(crash);
