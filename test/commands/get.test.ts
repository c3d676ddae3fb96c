// `poscust get` on every backend: one customer by id, several, and one that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';

describe.each(BACKEND_CASES)('get on $backend', (c) => {
  let shop: CliSandbox;
  let ids: string[];
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 6 });
    ids = (shop.sb.customers() as Record<string, unknown>[]).map((r) => String(r[c.idField]));
  });
  afterAll(() => shop.sb.close());

  it('prints one customer by id as an object, every field the server sent kept', async () => {
    const r = await shop.run(['get', '--id', ids[0]!, '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    const record = JSON.parse(r.result.stdout) as Record<string, unknown>;
    expect(record[c.idField]).toBe(ids[0]);
    expect(Object.keys(record).length).toBeGreaterThan(5);
  });

  it('prints several as a list, and exits 3 naming the ones not found after printing the others', async () => {
    const two = await shop.run(['get', '--id', ids[1]!, '--id', ids[2]!, '--format', 'json']);
    expect(two.result.code, two.result.stderr).toBe(0);
    expect((JSON.parse(two.result.stdout) as Record<string, unknown>[]).map((r) => r[c.idField])).toEqual([ids[1], ids[2]]);
    const missing = await shop.run(['get', '--id', ids[3]!, '--id', 'no-such-customer', '--format', 'json']);
    expect(missing.result.code).toBe(3);
    expect(JSON.parse(missing.result.stdout)).toHaveLength(1);
    expect(missing.result.stderr).toContain("'no-such-customer' not found");
  });

  it('exits 3 for an unknown id, and 2 with no identifier (nothing sent)', async () => {
    const unknown = await shop.run(['get', '--id', 'no-such-customer']);
    expect(unknown.result.code).toBe(3);
    expect(unknown.result.stderr).toMatch(/not found/);
    const none = await shop.run(['get']);
    expect(none.result.code).toBe(2);
    expect(none.sent).toHaveLength(0);
  });
});
