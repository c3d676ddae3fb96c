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

describe('suspend --phone on dealpos, however the number is written', () => {
  it('suspends the customer whose stored Mobile is another form of the number', async () => {
    const shop = await startCliSandbox('dealpos', { seed: 6 });
    try {
      const c = (shop.sb.customers() as { ID: string; Mobile: string | null; Phone: string | null }[]).find((x) => x.Mobile && !x.Phone)!;
      const r = await shop.run(['suspend', '--phone', `+62 ${c.Mobile!.slice(1)}`]);
      expect(r.result.code, r.result.stderr).toBe(0);
      expect((shop.sb.customers() as { ID: string; Status: string }[]).find((x) => x.ID === c.ID)!.Status).toBe('Suspended');
      const missing = await shop.run(['unsuspend', '--phone', '+62 899 0000 0001']);
      expect(missing.result.code).toBe(3);
    } finally {
      await shop.sb.close();
    }
  });
});
