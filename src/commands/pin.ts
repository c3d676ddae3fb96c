// `pin set` and `pin check`. The PIN comes from a hidden prompt or stdin (--pin-stdin), never from
// argv, where `ps` and shell history would keep it; it is registered with the redactor as soon as
// it is read, so neither --verbose nor an error message can show it.
import { Option, type Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { AppContext } from '../context.js';
import type { BackendVerb, Lookup } from '../backends/types.js';
import { canPrompt } from '../deps.js';
import { PinRejectedError, UnsupportedError, UsageError } from '../errors.js';
import { examples } from './examples.js';
import { addLookupOptions, lookupFrom } from './lookup-options.js';
import { describeLookup, identityFrom, printWrite } from './write-output.js';

const KINDS = ['id', 'code'] as const;
const PIN = /^\d{4,6}$/;

export function registerPin(program: Command, app: AppContext): void {
  const pin = program
    .command('pin')
    .summary('set or check a customer\'s PIN')
    .description(
      'Set or check the 4 to 6 digit PIN customers use in the shop\'s app. The PIN is read from ' +
        'a hidden prompt, or from stdin with --pin-stdin; it is never taken from the command line.',
    )
    .addHelpText('after', examples('poscust pin set --code HWCISAP', 'poscust pin check --code HWCISAP'));

  const set = pin
    .command('set')
    .summary('set a customer\'s PIN')
    .description('Set the customer\'s PIN (asked twice on a terminal, or read from stdin with --pin-stdin).');
  addPinOptions(addLookupOptions(set, KINDS))
    .addHelpText(
      'after',
      examples('poscust pin set --code HWCISAP', "printf '%s' \"$NEW_PIN\" | poscust pin set --id c27bfb13-4936-43e5-bd7d-410dc8d041c2 --pin-stdin"),
    )
    .action(async (o: Record<string, unknown>) => runPinSet(app, { lookup: lookupFrom(o, KINDS), fromStdin: Boolean(o.pinStdin) }));

  const check = pin
    .command('check')
    .summary('check a PIN (exit 0 valid, 8 rejected)')
    .description('Check a PIN the customer gave: exit 0 when it is valid, 8 when the server rejects it.');
  addPinOptions(addLookupOptions(check, KINDS))
    .addHelpText(
      'after',
      examples('poscust pin check --code HWCISAP', "printf '%s' \"$PIN\" | poscust pin check --code HWCISAP --pin-stdin && echo ok"),
    )
    .action(async (o: Record<string, unknown>) => runPinCheck(app, { lookup: lookupFrom(o, KINDS), fromStdin: Boolean(o.pinStdin) }));
}

export interface PinOptions {
  lookup: Lookup;
  /** Read the PIN from stdin (else a hidden prompt on a terminal). */
  fromStdin: boolean;
}

export async function runPinSet(app: AppContext, o: PinOptions): Promise<void> {
  const pin = await readPin(app, o, 'setPin', true);
  const result = await (await app.backend()).setPin(o.lookup, pin);
  await printWrite(app, { action: 'pin-set', identifier: o.lookup.value, ...identityFrom(o.lookup, result), server: result.raw, line: `PIN set ${o.lookup.value}` });
}

/** Exit 0 when the PIN is valid, 8 when the server rejects it. */
export async function runPinCheck(app: AppContext, o: PinOptions): Promise<void> {
  const pin = await readPin(app, o, 'checkPin', false);
  const valid = await (await app.backend()).checkPin(o.lookup, pin);
  if (!valid) throw new PinRejectedError(`PIN rejected for ${describeLookup(o.lookup)}`);
  await printWrite(app, { action: 'pin-valid', identifier: o.lookup.value, ...identityFrom(o.lookup, {}), server: { Authenticated: true }, line: `PIN valid ${o.lookup.value}` });
}

function addPinOptions(cmd: Command): Command {
  return cmd.option('--pin-stdin', 'read the PIN from stdin instead of a hidden prompt').addOption(
    // A PIN typed on the command line is caught here, with a message that does not repeat it
    // (commander's "unknown option '--pin=1234'" would).
    new Option('--pin <pin>').hideHelp().argParser(() => {
      throw new UsageError('the PIN is never taken from the command line (ps and shell history keep it); use the prompt or --pin-stdin');
    }),
  );
}

/**
 * The lookup and the PIN, checked locally (4 to 6 digits) before any request. The backend is asked
 * first whether it has the verb at all, so nobody types a PIN for nothing.
 */
async function readPin(app: AppContext, o: PinOptions, verb: BackendVerb, twice: boolean): Promise<string> {
  const backend = await app.backend();
  requireVerb(backend, verb);
  const { fromStdin } = o;
  const value = (await app.readSecret({ label: 'PIN', fromStdin, stdinFlag: '--pin-stdin' })).trim();
  app.deps.redactor.addPin(value);
  if (!PIN.test(value)) throw new UsageError('the PIN must be 4 to 6 digits');
  if (twice && !fromStdin && canPrompt(app.deps.io)) {
    const again = (await (await app.deps.prompter()).password('PIN again:')).trim();
    if (again !== value) throw new UsageError('the two PINs differ; nothing was changed');
  }
  return value;
}
