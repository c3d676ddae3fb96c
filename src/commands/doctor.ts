// `poscust doctor`: checks the selected profile end to end and prints each check with a mark.
// The checks live in src/doctor/; the network probes (node:net, node:tls) load only when it runs.
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { forTerminal } from '../output/terminal.js';
import { PoscustError, type ExitCodeValue } from '../errors.js';
import { createRecordWriter } from '../output/records.js';
import { runDoctor, type CheckResult, type CheckStatus } from '../doctor/checks.js';
import { examples } from './examples.js';

const TERMINAL_MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };
const PLAIN_MARK: Record<CheckStatus, string> = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' };

export function registerDoctor(program: Command, app: AppContext): void {
  program
    .command('doctor')
    .summary('check the profile end to end')
    .description(
      'Check the selected profile (or the POSCUST_* variables) end to end: the profile store and ' +
        'token cache are owner-only, the base URL is reachable, TLS verifies, the login works, one ' +
        'customer can be read, and how much of the rate limit is left. Each check is printed with ' +
        'a mark; the exit code is 0 when none failed, else that of the first failure (75 ' +
        'unreachable, 4 login refused, ...). --format json prints an array of the checks.',
    )
    .addHelpText(
      'after',
      examples('poscust doctor', 'poscust --profile lan-shop doctor', 'poscust doctor --format json | jq -r \'.[] | select(.status == "fail") | .message\''),
    )
    .action(async () => runDoctorCommand(app));
}

async function runDoctorCommand(app: AppContext): Promise<void> {
  const { io } = app.deps;
  const { format } = app.globals;
  const table = format === 'table';
  const columns = ['check', 'status', 'message', 'code'];
  const writer = table
    ? undefined
    : createRecordWriter({ format, out: io.stdout, fields: app.globals.fields, tableColumns: columns, allColumns: columns, shape: 'many' });
  const terminal = io.stdoutIsTTY;
  const paint: Record<CheckStatus, (t: string) => string> = {
    pass: (t) => app.out.green(t),
    fail: (t) => app.out.red(t),
    warn: (t) => app.out.yellow(t),
    skip: (t) => app.out.dim(t),
  };
  let results: CheckResult[];
  try {
    results = await runDoctor(app, async (r: CheckResult) => {
      if (writer) return writer.write([{ ...r }]);
      const mark = (terminal ? TERMINAL_MARK : PLAIN_MARK)[r.status];
      await writeOut(io.stdout, `${paint[r.status](mark)} ${r.check.padEnd(10)} ${forTerminal(r.message)}\n`);
    });
  } finally {
    // Whatever stopped the checks, the JSON on stdout is complete (`doctor --format json | jq`).
    await writer?.end();
  }
  const failed = results.filter((r) => r.status === 'fail');
  if (table) {
    const summary = failed.length
      ? `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((r) => r.check).join(', ')}`
      : 'all checks passed';
    await writeOut(io.stdout, `${summary}\n`);
  }
  const first = failed[0];
  // The report said it all: exit with the first failure's code, without another error line.
  if (first) throw new PoscustError(first.message, (first.code ?? 1) as ExitCodeValue, 'failure', { silent: true });
}
