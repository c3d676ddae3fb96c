// `poscust merge` where the backend has it (DealPOS: the sources' points go to the target, the
// sources are deleted), and exit 6 without a prompt or a request where it has not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesWith } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';

const { have, lack } = casesWith('merge');

describe.each(have)('merge on $backend', (c) => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 5 });
  });
  afterAll(() => shop.sb.close());

  it('merges the sources into the target by code, after --yes, and adds their points', async () => {
    const [target, a, b] = shop.sb.customers() as Record<string, unknown>[];
    const points = Number(target!.LoyaltyPoint) + Number(a!.LoyaltyPoint) + Number(b!.LoyaltyPoint);
    const r = await shop.run(['merge', '--into', String(target![c.codeField!]), String(a![c.codeField!]), String(b![c.codeField!]), '--yes', '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(JSON.parse(r.result.stdout)).toMatchObject({ action: 'merged', id: target![c.idField] });
    const after = shop.sb.customers() as Record<string, unknown>[];
    expect(after).toHaveLength(3);
    expect(after.find((r2) => r2[c.idField] === target![c.idField])?.LoyaltyPoint).toBe(points);
  });
});

describe.each(lack)('merge on $backend', (c) => {
  it('exits 6 naming the backend, before any prompt or request', async () => {
    const shop = await startCliSandbox(c.backend, { seed: 2 });
    try {
      const r = await shop.run(['merge', '--into', 'A', 'B', '--yes']);
      expect(r.result.code).toBe(6);
      expect(r.result.stderr).toContain(`merge is unsupported on ${c.backend}`);
      expect(r.sent).toHaveLength(0);
    } finally {
      await shop.sb.close();
    }
  });
});
