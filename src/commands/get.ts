import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import { examples } from './examples.js';
import { byAnyPhoneForm } from './phone-lookup.js';
import type { CustomerBackend, CustomerRecord, LookupKind } from '../backends/types.js';
import * as parse from './parse.js';

export function registerGet(program: Command, app: AppContext): void {
  program
    .command('get')
    .summary('show one customer, or several')
    .description(
      'Show a customer by ID, code, e-mail or mobile. Give several values of one kind (repeat the\n' +
        'option, or list them with commas for --id) to see several customers as a list: several\n' +
        '--id values are fetched together (one request on DealPOS), other kinds one request each.',
    )
    .option('--id <id...>', 'customer ID; repeat or list several')
    .option('--code <code>', 'customer code; repeatable', parse.collect)
    .option('--email <email>', 'e-mail address; repeatable', parse.collect)
    .option('--mobile <mobile>', 'mobile number; repeatable', parse.collect)
    .addHelpText(
      'after',
      examples(
        'poscust get --code HWCISAP',
        'poscust get --email hendryw@gmail.com --format json',
        'poscust get --id c27bfb13-4936-43e5-bd7d-410dc8d041c2 --id 298bb6ce-d337-43ab-9c9f-5b289f0f5c95',
        'poscust get --code HWCISAP --code TIA20887 --format csv',
      ),
    )
    .action(async (o: Record<string, unknown>) => {
      const ids = (o.id as string[] | undefined)?.flatMap((v) => v.split(','));
      const given = KINDS.filter((k) => (k === 'id' ? ids : o[k]) !== undefined);
      if (given.length === 0) throw new UsageError('say which customer: give one of --id, --code, --email, --mobile');
      if (given.length > 1) throw new UsageError(`give values of one kind only (got ${given.map((k) => `--${k}`).join(' and ')})`);
      const by = given[0]!;
      await runGet(app, { by, values: (by === 'id' ? ids : o[by]) as string[] });
    });
}

export interface GetOptions {
  by: LookupKind;
  /** One value prints one record; several print a list. */
  values: string[];
}

export async function runGet(app: AppContext, o: GetOptions): Promise<void> {
  const { by } = o;
  const values = [...new Set(o.values.map((v) => v.trim()))];
  if (values.some((v) => v === '')) throw new UsageError(`--${by} needs a value`);
  const backend = await app.backend();
  if (values.length === 1) {
    const record = await byAnyPhoneForm(app, { by, value: values[0]! }, (lookup) => backend.get(lookup));
    const writer = app.recordWriter(backend, 'one');
    await writer.write([record]);
    await writer.end();
    return;
  }
  const { found, missing } = by === 'id' ? await backend.getMany(values) : await eachOf(app, backend, by, values);
  const writer = app.recordWriter(backend, 'many');
  await writer.write(found);
  await writer.end();
  if (missing.length) {
    const field = { id: 'ID', code: 'Code', email: 'Email', mobile: 'Mobile', phone: 'Phone' }[by];
    throw new NotFoundError(`${missing.length === 1 ? 'customer' : 'customers'} with ${field} ${missing.map((m) => `'${m}'`).join(', ')} not found`);
  }
}

const KINDS = ['id', 'code', 'email', 'mobile'] as const;

/** One lookup each, in the order given; the ones not found are listed rather than ending the run. */
async function eachOf(app: AppContext, backend: CustomerBackend, by: LookupKind, values: string[]): Promise<{ found: CustomerRecord[]; missing: string[] }> {
  const found: CustomerRecord[] = [];
  const missing: string[] = [];
  for (const value of values) {
    try {
      found.push(await byAnyPhoneForm(app, { by, value }, (lookup) => backend.get(lookup)));
    } catch (err) {
      if (err instanceof NotFoundError) missing.push(value);
      else throw err;
    }
  }
  return { found, missing };
}
