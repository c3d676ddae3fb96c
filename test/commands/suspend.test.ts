// `poscust suspend` and `unsuspend` on every backend: the stored customer is suspended, then active.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';

describe.each(BACKEND_CASES)('suspend and unsuspend on $backend', (c) => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 30 });
  });
  afterAll(() => shop.sb.close());
  const find = (id: unknown) => (shop.sb.customers() as Record<string, unknown>[]).find((r) => r[c.idField] === id)!;

  it('suspends an active customer by id, and makes it active again', async () => {
    const active = (shop.sb.customers() as Record<string, unknown>[]).find((r) => !c.suspended(r))!;
    const id = String(active[c.idField]);
    const s = await shop.run(['suspend', '--id', id]);
    expect(s.result.code, s.result.stderr).toBe(0);
    expect(s.result.stdout).toBe(`suspended ${id}\n`);
    expect(c.suspended(find(id))).toBe(true);
    const u = await shop.run(['unsuspend', '--id', id, '--format', 'json']);
    expect(u.result.code, u.result.stderr).toBe(0);
    expect(JSON.parse(u.result.stdout)).toMatchObject({ action: 'unsuspended', identifier: id });
    expect(c.suspended(find(id))).toBe(false);
  });

  it('refuses two identifiers of one kind, and none (exit 2, nothing sent)', async () => {
    for (const args of [['--id', 'a', '--id', 'b'], []]) {
      const r = await shop.run(['suspend', ...args]);
      expect(r.result.code).toBe(2);
      expect(r.sent).toHaveLength(0);
    }
  });
});
