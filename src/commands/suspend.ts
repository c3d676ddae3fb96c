import type { Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { Lookup } from '../backends/types.js';
import type { AppContext } from '../context.js';
import { examples } from './examples.js';
import { addLookupOptions, lookupFrom } from './lookup-options.js';
import { byAnyPhoneForm } from './phone-lookup.js';
import { identityFrom, printWrite } from './write-output.js';

const KINDS = ['id', 'code', 'email', 'phone'] as const;

/** `suspend` and `unsuspend`: one request each, carrying only the identifier given. */
export function registerSuspend(program: Command, app: AppContext): void {
  for (const suspend of [true, false]) {
    const verb = suspend ? 'suspend' : 'unsuspend';
    const cmd = program
      .command(verb)
      .summary(suspend ? 'suspend a customer (keeps the record)' : 'make a suspended customer active again')
      .description(
        suspend
          ? 'Suspend a customer by ID, code, e-mail or phone: the record stays, but the customer ' +
              'cannot buy as a member until unsuspended. Prints "suspended <identifier>".'
          : 'Make a suspended customer active again, by ID, code, e-mail or phone. Prints ' +
              '"unsuspended <identifier>".',
      );
    addLookupOptions(cmd, KINDS)
      .addHelpText(
        'after',
        suspend
          ? examples('poscust suspend --code HWCISAP', 'poscust suspend --phone 0216892235', 'poscust suspend --email hendryw@gmail.com --format json')
          : examples('poscust unsuspend --code HWCISAP', 'poscust unsuspend --id c27bfb13-4936-43e5-bd7d-410dc8d041c2'),
      )
      .action(async (o: Record<string, unknown>) => runSuspend(app, { lookup: lookupFrom(o, KINDS), suspend }));
  }
}

export interface SuspendOptions {
  lookup: Lookup;
  /** false: unsuspend. */
  suspend: boolean;
}

export async function runSuspend(app: AppContext, o: SuspendOptions): Promise<void> {
  const verb = o.suspend ? 'suspended' : 'unsuspended';
  const backend = await app.backend();
  requireVerb(backend, 'setSuspended', o.suspend ? 'suspend' : 'unsuspend');
  const result = await byAnyPhoneForm(app, o.lookup, (lookup) => backend.setSuspended(lookup, o.suspend));
  await printWrite(app, { action: verb, identifier: o.lookup.value, ...identityFrom(o.lookup, result), server: result.raw, line: `${verb} ${o.lookup.value}` });
}
