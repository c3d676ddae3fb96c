import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import { examples } from './examples.js';
import { lookupFrom } from './lookup-options.js';

export function registerGet(program: Command, app: AppContext): void {
  program
    .command('get')
    .summary('show one customer (or several by id)')
    .description(
      'Show a customer by ID, code, e-mail or mobile. Several --id values are fetched together\n' +
        '(one request on DealPOS) and printed as a list.',
    )
    .option('--id <id...>', 'customer ID; repeat or list several')
    .option('--code <code>', 'customer code')
    .option('--email <email>', 'e-mail address')
    .option('--mobile <mobile>', 'mobile number')
    .addHelpText(
      'after',
      examples(
        'poscust get --code HWCISAP',
        'poscust get --email hendryw@gmail.com --format json',
        'poscust get --id c27bfb13-4936-43e5-bd7d-410dc8d041c2 --id 298bb6ce-d337-43ab-9c9f-5b289f0f5c95',
      ),
    )
    .action(async (o: Record<string, unknown>) => {
      const ids = (o.id as string[] | undefined)?.flatMap((v) => v.split(',')).map((v) => v.trim());
      if (ids && ids.some((v) => v === '')) throw new UsageError('--id needs a value');
      const backend = await app.backend();
      if (ids && ids.length > 1) {
        if (o.code || o.email || o.mobile) throw new UsageError('give several --id values, or one --code/--email/--mobile, not both');
        const unique = [...new Set(ids)];
        const { found, missing } = await backend.getMany(unique);
        const writer = app.recordWriter(backend, 'many');
        await writer.write(found);
        await writer.end();
        if (missing.length) {
          throw new NotFoundError(`${missing.length === 1 ? 'customer' : 'customers'} with ID ${missing.map((m) => `'${m}'`).join(', ')} not found`);
        }
        return;
      }
      const lookup = lookupFrom({ ...o, id: ids?.[0] }, ['id', 'code', 'email', 'mobile']);
      const record = await backend.get(lookup);
      const writer = app.recordWriter(backend, 'one');
      await writer.write([record]);
      await writer.end();
    });
}
