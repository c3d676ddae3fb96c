// `poscust create` on every backend: a new customer stored, the write printed in one shape, and bad
// input refused before any request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';

describe.each(BACKEND_CASES)('create on $backend', (c) => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 2 });
  });
  afterAll(() => shop.sb.close());

  it('stores the customer and prints {action, identifier, id, code, server}', async () => {
    const before = shop.sb.customers().length;
    const r = await shop.run(['create', ...c.createArgs, '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    const printed = JSON.parse(r.result.stdout) as { action: string; id: string | null; server: unknown };
    expect(printed.action).toBe('created');
    expect(Object.keys(printed)).toEqual(['action', 'identifier', 'id', 'code', 'server']);
    const after = shop.sb.customers() as Record<string, unknown>[];
    expect(after).toHaveLength(before + 1);
    expect(after.some((rec) => rec[c.idField] === printed.id)).toBe(true);
    expect(r.sent.filter((q) => q.method === 'POST')).toHaveLength(1);
  });

  it('refuses an unknown field, a bad e-mail and nothing to create, exit 2 before any request', async () => {
    for (const args of [['--set', 'NoSuchField=1'], ['--email', 'not-an-email'], []]) {
      const r = await shop.run(['create', ...args]);
      expect(r.result.code, args.join(' ')).toBe(2);
      expect(r.sent).toHaveLength(0);
    }
  });
});
