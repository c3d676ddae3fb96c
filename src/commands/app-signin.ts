import type { Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { Lookup } from '../backends/types.js';
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
    .action(async (o: Record<string, unknown>) => runAppSignIn(app, { lookup: lookupFrom(o, KINDS) }));
}

export interface AppSignInOptions {
  lookup: Lookup;
}

export async function runAppSignIn(app: AppContext, o: AppSignInOptions): Promise<void> {
  const backend = await app.backend();
  requireVerb(backend, 'appSignIn');
  const result = await backend.appSignIn(o.lookup);
  await printWrite(app, { action: 'signed-in', identifier: o.lookup.value, ...identityFrom(o.lookup, result), server: result.raw, line: `signed in ${o.lookup.value}` });
}
