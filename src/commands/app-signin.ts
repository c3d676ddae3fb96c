import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { examples } from './examples.js';
import { addLookupOptions, lookupFrom } from './lookup-options.js';
import { identityFrom, printWrite } from './write-output.js';

const KINDS = ['id', 'code'] as const;

export function registerAppSignIn(program: Command, app: AppContext): void {
  const cmd = program
    .command('app-signin')
    .summary('record a sign-in to the shop\'s customer app')
    .description('Stamp the customer\'s last app sign-in (AppLastSignIn on DealPOS) with the server\'s time.');
  addLookupOptions(cmd, KINDS)
    .addHelpText('after', examples('poscust app-signin --code HWCISAP', 'poscust app-signin --id c27bfb13-4936-43e5-bd7d-410dc8d041c2 --format json'))
    .action(async (o: Record<string, unknown>) => {
      const lookup = lookupFrom(o, KINDS);
      const backend = await app.backend();
      const result = await backend.appSignIn(lookup);
      await printWrite(app, { action: 'signed-in', identifier: lookup.value, ...identityFrom(lookup, result), server: result.raw, line: `signed in ${lookup.value}` });
    });
}
