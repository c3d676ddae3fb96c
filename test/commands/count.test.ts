// `poscust count` on every backend: the total, as an integer, the same as a full listing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';

describe.each(BACKEND_CASES)('count on $backend', (c) => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 17 });
  });
  afterAll(() => shop.sb.close());

  it('prints the number of customers, in every format, with one request', async () => {
    for (const format of ['table', 'json', 'csv']) {
      const r = await shop.run(['count', '--format', format]);
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(r.result.stdout).toBe('17\n');
      expect(r.sent).toHaveLength(1);
    }
  });

  it('agrees with a full listing after a create', async () => {
    expect((await shop.run(['create', ...c.createArgs])).result.code).toBe(0);
    const count = await shop.run(['count']);
    const all = await shop.run(['list', '--all', '--format', 'ndjson']);
    expect(count.result.stdout).toBe(`${all.result.stdout.trimEnd().split('\n').length}\n`);
  });
});
