// The entry point, and the only place that touches process.*: it builds the real dependencies,
// runs the command, and sets the exit code.
import { setMaxListeners } from 'node:events';
import { homedir } from 'node:os';
import { isatty } from 'node:tty';
import type { Deps, Prompter } from './deps.js';
import { systemClock } from './deps.js';
import { Redactor } from './redact.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);

  const controller = new AbortController();
  // Every request in flight listens for Ctrl-C on this one signal: a bulk import has dozens.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      // A second Ctrl-C means "now": do not wait for in-flight work to settle.
      process.stderr.write('\nposcust: stopped\n');
      process.exit(130);
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
    redactor: new Redactor(),
    homeDir: homedir(),
    platform: process.platform,
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

await main();
