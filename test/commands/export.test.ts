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

describe('incremental export', () => {
  it('--state writes only what was created, changed or deleted since the last complete run; a failed run moves nothing on', async () => {
    const dir = tempDir('poscust-incr-');
    const shop = await startCliSandbox('dealpos', { seed: 20, configDir: join(dir, 'config') });
    try {
      const state = join(dir, 'nightly.state');
      const first = await shop.run(['export', '--state', state]);
      expect(first.result.code, first.result.stderr).toBe(0);
      const firstLines = first.result.stdout.trim().split('\n');
      expect(firstLines[0]).toMatch(/^_change,ID,Code,/);
      expect(firstLines.slice(1).every((l) => l.startsWith('created,'))).toBe(true);
      expect(firstLines).toHaveLength(21);
      expect((await shop.run(['export', '--state', state])).result.stdout.trim().split('\n')).toHaveLength(1);

      await shop.run(['create', '--name', 'Baru Satu', '--code', 'NEW-1']);
      await shop.run(['update-by', 'code', 'C-00003', '--group', 'Platinum']);
      await shop.run(['delete', '--code', 'C-00004', '--yes']);
      const gone = (shop.sb.customers() as { ID: string; Code: string }[]).length;
      expect(gone).toBe(20);
      const savedState = readFileSync(state, 'utf8');

      // The server fails half-way: no output file, and the state stays where it was.
      shop.sb.configure({ faults: 1, faultKinds: ['500'] });
      const failed = await shop.run(['export', '--state', state, '--output', join(dir, 'changes.csv'), '--timeout', '1']);
      expect(failed.result.code).not.toBe(0);
      expect(readFileSync(state, 'utf8')).toBe(savedState);
      shop.sb.configure({ faults: 0 });

      const changes = await shop.run(['export', '--state', state, '--fields', 'ID,Code,Group']);
      expect(changes.result.code, changes.result.stderr).toBe(0);
      const rows = changes.result.stdout.trim().split('\n');
      expect(rows[0]).toBe('_change,ID,Code,Group');
      const byChange = rows.slice(1).map((l) => l.split(',')).map(([change, , code, group]) => `${change} ${code} ${group}`).sort();
      expect(byChange).toEqual(['changed C-00003 Platinum', 'created NEW-1 ', 'deleted  ']);
      expect((await shop.run(['export', '--state', state])).result.stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      await shop.sb.close();
    }
  });

  it('refuses a damaged state file (exit 2, no output) and --since where the backend cannot filter by change time (exit 6)', async () => {
    const dir = tempDir('poscust-incr-');
    const shop = await startCliSandbox('dealpos', { seed: 3, configDir: join(dir, 'config') });
    try {
      const state = join(dir, 'bad.state');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(state, '{"kind":"poscust-export-state","version":1}\nnot a line\n');
      const bad = await shop.run(['export', '--state', state]);
      expect(bad.result.code).toBe(2);
      expect(bad.result.stderr).toContain(`the state file ${state} is damaged`);
      expect(bad.result.stdout).toBe('');
      const nowhere = await shop.run(['export', '--state', join(dir, 'no-such-folder', 'x.state')]);
      expect(nowhere.result.code).toBe(2);
      expect(nowhere.result.stderr).toContain('--state');
      expect(nowhere.sent).toHaveLength(0);
      const since = await shop.run(['export', '--since', '2026-01-01T00:00:00Z']);
      expect(since.result.code).toBe(6);
      expect(since.result.stderr).toContain('--state');
    } finally {
      await shop.sb.close();
    }
  });

  it('--since on MYPOS asks the server for the customers changed since then', async () => {
    const shop = await startCliSandbox('mypos', { seed: 5 });
    try {
      const r = await shop.run(['export', '--since', '2026-01-02T03:04:05Z']);
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(r.sent.some((q) => JSON.stringify(q.query).includes('filt_LastEditDateUTC_dt_min'))).toBe(true);
    } finally {
      await shop.sb.close();
    }
  });
});
