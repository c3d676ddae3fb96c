// `poscust export` on every backend: every customer, every field, importable as is (a re-import
// is no change at all).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';
import { tempDir } from '../helpers/harness.js';

describe.each(BACKEND_CASES)('export on $backend', (c) => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 14 });
  });
  afterAll(() => shop.sb.close());

  it('writes every customer to --output, and importing the file back changes nothing', async () => {
    const file = join(tempDir(), 'all.csv');
    const r = await shop.run(['export', '--output', file]);
    expect(r.result.code, r.result.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(15);
    expect(lines[0]!.split(',')).toContain(c.idField);
    const before = JSON.stringify(shop.sb.customers());
    const again = await shop.run(['import', file, '--key', c.codeField === 'customerCode' ? 'code' : 'id', '--format', 'json']);
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(JSON.parse(again.result.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 14 });
    expect(JSON.stringify(shop.sb.customers())).toBe(before);
  });

  it('refuses formats other than CSV, exit 2 before any request', async () => {
    const r = await shop.run(['export', '--format', 'json']);
    expect(r.result.code).toBe(2);
    expect(r.sent).toHaveLength(0);
  });
});
