// `poscust list` on every backend: a page, every page streamed, and the formats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';

describe.each(BACKEND_CASES)('list on $backend', (c) => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 23 });
  });
  afterAll(() => shop.sb.close());

  it('prints one page of the size asked for, as JSON records with their native id', async () => {
    const r = await shop.run(['list', '--page-size', '5', '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    const records = JSON.parse(r.result.stdout) as Record<string, unknown>[];
    expect(records).toHaveLength(5);
    for (const rec of records) expect(typeof rec[c.idField]).toBe('string');
  });

  it('streams every page with --all (NDJSON, one customer a line), every customer once', async () => {
    const r = await shop.run(['list', '--all', '--page-size', '10', '--format', 'ndjson']);
    expect(r.result.code, r.result.stderr).toBe(0);
    const ids = r.result.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as Record<string, unknown>)[c.idField]);
    expect(ids).toHaveLength(23);
    expect(new Set(ids).size).toBe(23);
    expect(r.sent.length).toBeGreaterThanOrEqual(3);
  });

  it('prints a table with a header by default, and CSV with --format csv', async () => {
    const table = await shop.run(['list', '--page-size', '3']);
    expect(table.result.stdout.trimEnd().split('\n')).toHaveLength(4);
    const csv = await shop.run(['list', '--page-size', '3', '--format', 'csv', '--fields', c.idField]);
    expect(csv.result.stdout.split('\n')[0]).toBe(c.idField);
    expect(csv.result.stdout.trimEnd().split('\n')).toHaveLength(4);
  });

  it('refuses --all with --page (exit 2) and sends nothing', async () => {
    const r = await shop.run(['list', '--all', '--page', '2']);
    expect(r.result.code).toBe(2);
    expect(r.sent).toHaveLength(0);
  });
});
