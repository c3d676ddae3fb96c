import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { examples } from './examples.js';
import { printWrite } from './write-output.js';

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
    .action(async () => {
      const backend = await app.backend();
      const code = await backend.newCode();
      // The server's answer is the code as a JSON string.
      await printWrite(app, code, code);
    });
}
