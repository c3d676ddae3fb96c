import type { Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { AppContext } from '../context.js';
import type { CustomerRecord, Lookup } from '../backends/types.js';
import { UnsupportedError } from '../errors.js';
import { examples } from './examples.js';
import { addLookupOptions, lookupFrom } from './lookup-options.js';
import { describeLookup, describeRecord, identityFrom, identityOf, printWrite, stringField } from './write-output.js';

const KINDS = ['id', 'code', 'email'] as const;

export function registerDelete(program: Command, app: AppContext): void {
  const cmd = program
    .command('delete')
    .summary('delete a customer')
    .description(
      'Delete a customer by ID, code or e-mail. On a terminal it shows the customer\'s code and ' +
        'name and asks first; without a terminal it needs --yes (exit 2 otherwise, nothing sent).',
    );
  addLookupOptions(cmd, KINDS)
    .addHelpText(
      'after',
      examples('poscust delete --code HWCISAP', 'poscust delete --email hendryw@gmail.com --yes', 'poscust --yes delete --id c27bfb13-4936-43e5-bd7d-410dc8d041c2'),
    )
    .action(async (o: Record<string, unknown>) => runDelete(app, { lookup: lookupFrom(o, KINDS) }));
}

export interface DeleteCommandOptions {
  lookup: Lookup;
}

/** Shows the customer and asks (on a terminal, unless --yes), then deletes. */
export async function runDelete(app: AppContext, o: DeleteCommandOptions): Promise<void> {
  const { lookup } = o;
  // Before any request: nobody could answer the question later.
  app.requireConfirmable(`delete ${describeLookup(lookup)}`);
  const backend = await app.backend();
  requireVerb(backend, 'delete');
  let current: CustomerRecord | undefined;
  if (!app.globals.yes) {
    let question = `Delete ${describeLookup(lookup)}? This cannot be undone.`;
    try {
      current = await backend.get(lookup);
      question = `Delete customer ${describeRecord(backend, current)}? This cannot be undone.`;
    } catch (err) {
      // A backend that cannot look up this way may still delete this way: ask without the name.
      if (!(err instanceof UnsupportedError)) throw err;
    }
    await app.confirm(question);
  }
  const result = await backend.delete(lookup, { current });
  const known = current ? { id: stringField(current, backend.schema.idField), code: backend.schema.codeField ? stringField(current, backend.schema.codeField) : undefined } : {};
  await printWrite(app, {
    action: 'deleted',
    identifier: lookup.value,
    ...identityFrom(lookup, { id: result.id ?? known.id, code: result.code ?? known.code }),
    server: result.raw,
    line: `deleted ${current ? identityOf(backend, current) : (result.code ?? lookup.value)}`,
  });
}
