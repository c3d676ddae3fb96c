// `poscust update-by` on every backend: only the named fields change, by id; --dry-run sends no write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';

describe.each(BACKEND_CASES)('update-by on $backend', (c) => {
  let shop: CliSandbox;
  let target: Record<string, unknown>;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 4 });
    target = (shop.sb.customers() as Record<string, unknown>[])[1]!;
  });
  afterAll(() => shop.sb.close());
  const stored = () => (shop.sb.customers() as Record<string, unknown>[]).find((r) => r[c.idField] === target[c.idField])!;

  it('--dry-run prints the write it would send and changes nothing', async () => {
    const before = JSON.stringify(stored());
    const r = await shop.run(['update-by', 'id', String(target[c.idField]), ...c.change.args, '--dry-run', '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(JSON.parse(r.result.stdout)).toMatchObject({ dryRun: true });
    expect(r.sent.every((q) => q.method === 'GET')).toBe(true);
    expect(JSON.stringify(stored())).toBe(before);
  });

  it('changes the named field and keeps the others', async () => {
    const before = stored();
    const r = await shop.run(['update-by', 'id', String(target[c.idField]), ...c.change.args, '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(JSON.parse(r.result.stdout)).toMatchObject({ action: 'updated', identifier: target[c.idField] });
    const after = stored();
    expect(after[c.change.field]).toEqual(c.change.value);
    for (const key of Object.keys(before)) {
      if ([c.change.field, '_v', 'lastEditDate', 'lastEditDateUTC'].includes(key)) continue;
      expect(after[key], key).toEqual(before[key]);
    }
  });

  it('exits 3 for an unknown customer', async () => {
    const r = await shop.run(['update-by', 'id', 'no-such-customer', ...c.change.args]);
    expect(r.result.code).toBe(3);
  });
});

describe('update-by mobile on dealpos, however the number is written', () => {
  it('updates the customer stored as 0896… when given +62 896…, and nobody else', async () => {
    const shop = await startCliSandbox('dealpos', { seed: 6 });
    try {
      const before = shop.sb.customers() as { ID: string; Mobile: string | null; Group: string | null }[];
      const c = before.find((x) => x.Mobile)!;
      const r = await shop.run(['update-by', 'mobile', `+62${c.Mobile!.slice(1)}`, '--group', 'Platinum']);
      expect(r.result.code, r.result.stderr).toBe(0);
      const after = shop.sb.customers() as { ID: string; Group: string | null }[];
      expect(after.filter((x) => x.Group === 'Platinum').map((x) => x.ID)).toEqual([c.ID]);
    } finally {
      await shop.sb.close();
    }
  });
});
