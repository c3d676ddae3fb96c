import type { Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { AppContext } from '../context.js';
import { examples } from './examples.js';
import { writeOut } from '../deps.js';
import { forTerminal } from '../output/terminal.js';

export function registerNewCode(program: Command, app: AppContext): void {
  program
    .command('new-code')
    .summary('print the next customer code')
    .description(
      'Print the next free customer code from the shop\'s code generator (exit 1 when the shop ' +
        'has no generator switched on). It reserves nothing: create the customer with it soon.',
    )
    .addHelpText(
      'after',
      examples('poscust new-code', 'poscust create --name "Siti Rahayu" --code "$(poscust new-code)"'),
    )
    .action(async () => runNewCode(app));
}

export async function runNewCode(app: AppContext): Promise<void> {
  const backend = await app.backend();
  requireVerb(backend, 'newCode');
  const code = await backend.newCode();
  // Not a write: the code itself, as text or (--format json/ndjson) as a JSON string.
  const { format } = app.globals;
  await writeOut(app.deps.io.stdout, `${format === 'json' || format === 'ndjson' ? JSON.stringify(code) : forTerminal(code)}\n`);
}
