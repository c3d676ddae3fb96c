import { Argument, type Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { AppContext } from '../context.js';
import type { Lookup, LookupKind } from '../backends/types.js';
import { writeOut } from '../deps.js';
import { UnsupportedError, UsageError } from '../errors.js';
import type { RequestSpec } from '../http/client.js';
import { examples } from './examples.js';
import { addFieldOptions, fieldInputFrom, fieldsFrom, textSource, type FieldInput } from './field-input.js';
import { identityFrom, printWrite } from './write-output.js';
import { byAnyPhoneForm } from './phone-lookup.js';

const KEYS = ['id', 'code', 'email', 'mobile'] as const satisfies readonly LookupKind[];

/** Thrown by the beforeWrite hook to stop a dry run at the first request that would change data. */
class DryRunStop extends Error {
  constructor(
    readonly spec: RequestSpec,
    readonly url: string,
  ) {
    super('dry run');
  }
}

export function registerUpdateBy(program: Command, app: AppContext): void {
  const cmd = program
    .command('update-by')
    .summary('change fields of one customer')
    .description(
      'Change the given fields of the customer found by ID, code, e-mail or mobile. Only the ' +
        'fields you name are changed; the others keep their values. An empty value (--set Group=) ' +
        'clears a field. --dry-run prints the request that would be sent (method, URL, body, ' +
        'secrets redacted) and sends nothing that changes data.',
    )
    .addArgument(new Argument('<key>', 'which identifier <value> is').choices(KEYS))
    .argument('<value>', 'the identifier');
  addFieldOptions(cmd)
    .option('--dry-run', 'print the request instead of sending it')
    .addHelpText(
      'after',
      examples(
        'poscust update-by code HWCISAP --group Platinum --loyalty-point 120',
        'poscust update-by email hendryw@gmail.com --mobile 08569314516 --dry-run',
        'poscust update-by id c27bfb13-4936-43e5-bd7d-410dc8d041c2 --set ExpiredGroup=2026-12-31',
      ),
    )
    .action(async (key: LookupKind, value: string, o: Record<string, unknown>) =>
      runUpdateBy(app, { lookup: { by: key, value }, fields: fieldInputFrom(o), dryRun: Boolean(o.dryRun) }),
    );
}

export interface UpdateByOptions {
  lookup: Lookup;
  fields: FieldInput;
  /** Print the write request instead of sending it (the reads a read-merge-write backend needs still go). */
  dryRun: boolean;
}

export async function runUpdateBy(app: AppContext, o: UpdateByOptions): Promise<void> {
  const { lookup } = o;
  if (lookup.value.trim() === '') throw new UsageError(`update-by ${lookup.by} needs a value`);
  const dryRun = (spec: RequestSpec, url: string) => {
    throw new DryRunStop(spec, url);
  };
  const backend = await app.backend(o.dryRun ? { beforeWrite: dryRun } : {});
  requireVerb(backend, 'update');
  const changes = await fieldsFrom(o.fields, backend, 'update-by', textSource(app.deps.io.stdin));
  try {
    const result = await byAnyPhoneForm(app, lookup, (found) => backend.update(found, changes));
    await printWrite(app, { action: 'updated', identifier: lookup.value, ...identityFrom(lookup, result), server: result.raw, line: `updated ${lookup.value}` });
  } catch (err) {
    if (!(err instanceof DryRunStop)) throw err;
    await printDryRun(app, err);
  }
}

async function printDryRun(app: AppContext, stop: DryRunStop): Promise<void> {
  const { redactor } = app.deps;
  const url = redactor.redactUrl(stop.url);
  const body = stop.spec.body === undefined ? undefined : redactor.redactValue(stop.spec.body);
  const { format } = app.globals;
  let text: string;
  if (format === 'json' || format === 'ndjson') {
    text = JSON.stringify({ dryRun: true, method: stop.spec.method, url, body: body ?? null }, null, format === 'json' ? 2 : undefined);
  } else {
    text = `${stop.spec.method} ${url}${body === undefined ? '' : `\n${JSON.stringify(body, null, 2)}`}`;
  }
  await writeOut(app.deps.io.stdout, `${redactor.redact(text)}\n`);
  app.notice('dry run: nothing was changed');
}
