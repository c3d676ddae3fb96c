import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { examples } from './examples.js';
import { addListFilters, listQueryFrom } from './list-options.js';

export function registerCount(program: Command, app: AppContext): void {
  const cmd = program
    .command('count')
    .summary('count customers')
    .description('Print the number of customers matching the filters (an integer, in every format).');
  addListFilters(cmd)
    .addHelpText('after', examples('poscust count', 'poscust count --outlet Outlet1 --from 2025-01-01'))
    .action(async (o: Record<string, unknown>) => {
      const backend = await app.backend();
      const total = await backend.count(listQueryFrom(o));
      app.deps.io.stdout.write(`${total}\n`);
    });
}
