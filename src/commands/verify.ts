import { Argument, type Command } from 'commander';
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
    .action(async (what: 'email' | 'mobile', o: Record<string, unknown>) => {
      const lookup = lookupFrom(o, KINDS);
      const verified = !o.unverify;
      const backend = await app.backend();
      const result = await backend.setVerified(what, lookup, verified);
      await printWrite(app, {
        action: `${what}-${verified ? 'verified' : 'unverified'}`,
        identifier: lookup.value,
        ...identityFrom(lookup, result),
        server: result.raw,
        line: `${what} ${verified ? 'verified' : 'unverified'} ${lookup.value}`,
      });
    });
}
