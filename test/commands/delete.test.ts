// `poscust delete` on every backend: needs --yes without a terminal (nothing sent), then removes
// the customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';

describe.each(BACKEND_CASES)('delete on $backend', (c) => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 0 });
  });
  afterAll(() => shop.sb.close());

  it('refuses to ask without a terminal (exit 2, nothing sent), then deletes with --yes', async () => {
    const created = await shop.run(['create', ...c.createArgs, '--format', 'json']);
    const id = (JSON.parse(created.result.stdout) as { id: string }).id;
    const asked = await shop.run(['delete', '--id', id]);
    expect(asked.result.code).toBe(2);
    expect(asked.result.stderr).toContain('pass --yes');
    expect(asked.sent).toHaveLength(0);
    const r = await shop.run(['delete', '--id', id, '--yes', '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(JSON.parse(r.result.stdout)).toMatchObject({ action: 'deleted', identifier: id });
    expect((shop.sb.customers() as Record<string, unknown>[]).some((rec) => rec[c.idField] === id)).toBe(false);
  });

  it('exits 3 for an unknown customer', async () => {
    const r = await shop.run(['delete', '--id', 'no-such-customer', '--yes']);
    expect(r.result.code).toBe(3);
  });
});
