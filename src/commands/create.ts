import type { Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { AppContext } from '../context.js';
import { serverAssignsCode } from '../backends/schema.js';
import { createOnce } from '../backends/create-once.js';
import type { CustomerBackend, CustomerRecord, WriteResult } from '../backends/types.js';
import { TemporaryError } from '../errors.js';
import { examples } from './examples.js';
import { addFieldOptions, fieldInputFrom, fieldsFrom, textSource, type FieldInput } from './field-input.js';
import { printWrite } from './write-output.js';

export function registerCreate(program: Command, app: AppContext): void {
  const cmd = program
    .command('create')
    .summary('create a customer')
    .description(
      'Create a customer from options, --set Field=Value (any native field) and --from-json. ' +
        'Values are typed and checked before anything is sent. Prints the new ID (the server\'s ' +
        'answer with --format json). When the answer to the create is lost on the way, poscust ' +
        'looks the customer up by code, e-mail or mobile before it sends the create again.',
    );
  addFieldOptions(cmd)
    .addHelpText(
      'after',
      examples(
        'poscust create --name "Hendry Wijaya" --email hendryw@gmail.com --mobile 08569314515 --group Gold',
        'poscust create --name "Siti Rahayu" --code TIA20887 --birthdate 1990-07-14 --set ReferredBy=HWCISAP',
        'poscust create --from-json new-customer.json --loyalty-point 50',
      ),
    )
    .action(async (o: Record<string, unknown>) => runCreate(app, { fields: fieldInputFrom(o) }));
}

export interface CreateOptions {
  fields: FieldInput;
}

export async function runCreate(app: AppContext, o: CreateOptions): Promise<void> {
  const backend = await app.backend();
  requireVerb(backend, 'create');
  const fields = await fieldsFrom(o.fields, backend, 'create', textSource(app.deps.io.stdin));
  const result = await createCustomer(app, backend, fields);
  // A code the server assigned (MYPOS) is news to the user: print it after the ID.
  const assigned = serverAssignsCode(backend.schema) && result.id && result.code ? ` ${result.code}` : '';
  const given = backend.schema.codeField ? fields[backend.schema.codeField] : undefined;
  await printWrite(app, {
    action: 'created',
    identifier: typeof given === 'string' ? given : null,
    id: result.id ?? null,
    code: result.code ?? (typeof given === 'string' && !serverAssignsCode(backend.schema) ? given : null),
    server: result.raw,
    line: `${result.id ?? result.code ?? result.message ?? 'created'}${assigned}`,
  });
}

/**
 * Sends the create once (backends/create-once.ts): if its answer was lost, the customer is looked
 * up by a unique key it carries before the create is sent once more; without such a key the outcome
 * is unknown, and the user is told how to check.
 */
async function createCustomer(app: AppContext, backend: CustomerBackend, fields: CustomerRecord): Promise<WriteResult> {
  const outcome = await createOnce(backend, fields, {
    attempts: 2,
    onResend: () => app.warn('the answer to the create was lost and the customer is not there; sending the create once more'),
    lookup: async (find, { key, value }) => {
      try {
        return await find();
      } catch (err) {
        throw new TemporaryError(
          `the answer to the create was lost, and looking it up failed (${(err as Error).message}); ` +
            `check with poscust get --${key.lookup ?? key.name} '${value}' before creating it again`,
          { maybeApplied: true, cause: err },
        );
      }
    },
  });
  switch (outcome.status) {
    case 'created':
      return outcome.result;
    case 'found':
      app.warn(`the answer to the create was lost, but the customer is there: ${outcome.via}`);
      return { id: outcome.id || undefined, record: outcome.record, raw: outcome.record };
    case 'unconfirmed': {
      const nameField = backend.schema.flags.name;
      const name = nameField && typeof fields[nameField] === 'string' ? (fields[nameField] as string) : undefined;
      const keys = (backend.schema.import?.keys ?? []).filter((k) => !k.serverAssigned).map((k) => k.field);
      throw new TemporaryError(
        `${outcome.error?.message ?? outcome.why}; the outcome is unknown and the customer has no ${keys.length ? keys.join(', ') : 'key of its own'} to look it up by. ` +
          `Look for ${name ? `'${name}' ` : 'it '}with poscust list before creating it again`,
        { maybeApplied: true, status: outcome.error?.status ?? null, cause: outcome.error },
      );
    }
    case 'failed':
      throw outcome.error;
  }
}
