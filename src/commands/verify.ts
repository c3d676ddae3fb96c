import { Argument, type Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { Lookup } from '../backends/types.js';
import type { AppContext } from '../context.js';
import { examples } from './examples.js';
import { addLookupOptions, lookupFrom } from './lookup-options.js';
import { identityFrom, printWrite } from './write-output.js';

const KINDS = ['id', 'code'] as const;

export function registerVerify(program: Command, app: AppContext): void {
  const cmd = program
    .command('verify')
    .summary('mark a customer\'s e-mail or mobile as verified')
    .description(
      'Mark the customer\'s e-mail address or mobile number as verified (--unverify clears the ' +
        'mark), for example after the customer confirmed it in the shop\'s app.',
    )
    .addArgument(new Argument('<what>', 'which contact to mark').choices(['email', 'mobile']));
  addLookupOptions(cmd, KINDS)
    .option('--unverify', 'clear the verified mark instead')
    .addHelpText(
      'after',
      examples('poscust verify email --code HWCISAP', 'poscust verify mobile --id c27bfb13-4936-43e5-bd7d-410dc8d041c2', 'poscust verify email --code HWCISAP --unverify'),
    )
    .action(async (what: 'email' | 'mobile', o: Record<string, unknown>) => runVerify(app, { what, lookup: lookupFrom(o, KINDS), verified: !o.unverify }));
}

export interface VerifyOptions {
  what: 'email' | 'mobile';
  lookup: Lookup;
  verified: boolean;
}

export async function runVerify(app: AppContext, o: VerifyOptions): Promise<void> {
  const backend = await app.backend();
  requireVerb(backend, 'setVerified', `verify ${o.what}`);
  const result = await backend.setVerified(o.what, o.lookup, o.verified);
  const done = o.verified ? 'verified' : 'unverified';
  await printWrite(app, {
    action: `${o.what}-${done}`,
    identifier: o.lookup.value,
    ...identityFrom(o.lookup, result),
    server: result.raw,
    line: `${o.what} ${done} ${o.lookup.value}`,
  });
}
