import type { Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { AppContext } from '../context.js';
import { serverAssignsCode } from '../backends/schema.js';
import type { CustomerBackend, CustomerRecord, Lookup, LookupKind, WriteResult } from '../backends/types.js';
import { NotFoundError, TemporaryError, UnsupportedError } from '../errors.js';
import { examples } from './examples.js';
import { addFieldOptions, fieldsFrom, textSource } from './field-input.js';
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
    .action(async (o: Record<string, unknown>) => {
      const backend = await app.backend();
      requireVerb(backend, 'create');
      const fields = await fieldsFrom(o, backend, 'create', textSource(app.deps.io.stdin));
      const result = await createOnce(app, backend, fields);
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
    });
}

/**
 * Sends the create; if its answer was lost (the server may have applied it), looks the record up
 * by a unique key instead of blindly sending it again, which could make a duplicate.
 */
export async function createOnce(app: AppContext, backend: CustomerBackend, fields: CustomerRecord): Promise<WriteResult> {
  try {
    return await backend.create(fields);
  } catch (err) {
    if (!(err instanceof TemporaryError && err.maybeApplied)) throw err;
    const found = await findCreated(backend, fields, err);
    if (found) {
      app.warn(`the answer to the create was lost, but the customer is there: ${found.lookup.by} '${found.lookup.value}'`);
      const id = backend.schema.idField;
      return { id: typeof found.record[id] === 'string' ? (found.record[id] as string) : undefined, record: found.record, raw: found.record };
    }
    app.warn('the answer to the create was lost and the customer is not there; sending the create once more');
    return backend.create(fields);
  }
}

async function findCreated(
  backend: CustomerBackend,
  fields: CustomerRecord,
  lost: TemporaryError,
): Promise<{ lookup: Lookup; record: CustomerRecord } | undefined> {
  const { schema } = backend;
  const keys: [LookupKind, string | undefined][] = [
    // A code the server ignores on create finds somebody else, never the customer just created.
    ['code', serverAssignsCode(schema) ? undefined : schema.codeField],
    ['email', schema.emailField],
    ['mobile', schema.mobileField],
  ];
  for (const [by, native] of keys) {
    const value = native ? fields[native] : undefined;
    if (typeof value !== 'string' || value.trim() === '') continue;
    const lookup: Lookup = { by, value: value.trim() };
    try {
      return { lookup, record: await backend.get(lookup) };
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      if (err instanceof UnsupportedError) continue;
      throw new TemporaryError(
        `${lost.message}, and looking it up failed (${(err as Error).message}); ` +
          `check with poscust get --${by} '${lookup.value}' before creating it again`,
        { maybeApplied: true, status: lost.status, cause: err },
      );
    }
  }
  const nameField = schema.flags.name;
  const name = nameField && typeof fields[nameField] === 'string' ? (fields[nameField] as string) : undefined;
  throw new TemporaryError(
    `${lost.message}; the outcome is unknown and the customer has no code, e-mail or mobile to look it up by. ` +
      `Look for ${name ? `'${name}' ` : 'it '}with poscust list before creating it again`,
    { maybeApplied: true, status: lost.status, cause: lost },
  );
}
