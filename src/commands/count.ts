import type { Command } from 'commander';
import type { ListQuery } from '../backends/types.js';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { examples } from './examples.js';
import { addListFilters, listQueryFrom } from './list-options.js';

export function registerCount(program: Command, app: AppContext): void {
  const cmd = program
    .command('count')
    .summary('count customers')
    .description('Print the number of customers matching the filters (an integer, in every format).');
  addListFilters(cmd)
    .addHelpText('after', examples('poscust count', 'poscust count --outlet Outlet1 --from 2025-01-01'))
    .action(async (o: Record<string, unknown>) => runCount(app, { query: listQueryFrom(o) }));
}

export interface CountOptions {
  query: ListQuery;
}

export async function runCount(app: AppContext, o: CountOptions): Promise<void> {
  const backend = await app.backend();
  const total = await backend.count(o.query);
  await writeOut(app.deps.io.stdout, `${total}\n`);
}
