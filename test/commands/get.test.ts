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

describe('get --mobile on dealpos, however the number is written', () => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox('dealpos', { seed: 6 });
  });
  afterAll(() => shop.sb.close());

  it('finds a customer stored as 0896… by +62, 62…, dashes or spaces, trying the typed form first', async () => {
    const c = (shop.sb.customers() as { Code: string; Mobile: string | null }[]).find((x) => x.Mobile)!;
    const nsn = c.Mobile!.slice(1);
    for (const typed of [`+62${nsn}`, `62${nsn}`, `${c.Mobile!.slice(0, 4)}-${c.Mobile!.slice(4, 8)}-${c.Mobile!.slice(8)}`, `+62 ${nsn.slice(0, 3)} ${nsn.slice(3)}`]) {
      const r = await shop.run(['get', '--mobile', typed, '--format', 'json']);
      expect(r.result.code, `${typed}: ${r.result.stderr}`).toBe(0);
      expect((JSON.parse(r.result.stdout) as { Code: string }).Code).toBe(c.Code);
      // The value as typed went first; another form found the customer.
      expect(new URLSearchParams(r.sent[0]!.query).get('Mobile')).toBe(typed);
      expect(r.sent.length).toBeGreaterThan(1);
    }
  });

  it('says which forms it tried before "not found" (exit 3)', async () => {
    const r = await shop.run(['get', '--mobile', '0899-0000-0001']);
    expect(r.result.code).toBe(3);
    expect(r.result.stderr).toContain("not found (also tried '+6289900000001', '6289900000001', '089900000001', '+62 899 0000 0001')");
  });
});
