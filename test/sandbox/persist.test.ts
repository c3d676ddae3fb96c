import { linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFileError, startSandbox } from '../../src/sandbox/index.js';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { SnapshotWriter } from '../../src/sandbox/core/persist.js';
import { closeSandboxesAfterEach, create, fetchToken, track } from './helpers.js';
import type { Customer, Harness } from './helpers.js';

closeSandboxesAfterEach();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'poscust-sandbox-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function readState(file: string): { format: string; backend: string; version: number; state: { customers: Customer[]; pins: Record<string, string> } } {
  return JSON.parse(readFileSync(file, 'utf8'));
}

async function harness(sb: RunningSandbox): Promise<Harness> {
  const token = await fetchToken(sb);
  const call = async (method: string, path: string, opts: { body?: unknown; query?: string } = {}) => {
    const res = await fetch(`${sb.baseUrl}${path}${opts.query ? `?${opts.query}` : ''}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
  };
  return { sb, token, api: call, raw: call, newToken: () => fetchToken(sb) };
}

describe('sandbox persistence (--data)', () => {
  it('seeds and creates a missing data file at start, owner-only', async () => {
    const file = join(dir, 'state.json');
    const sb = track(await startSandbox({ port: 0, dataFile: file, seed: 4 }));
    expect(sb.dataFile).toBe(file);
    const saved = readState(file);
    expect(saved).toMatchObject({ format: 'poscust-sandbox', version: 1, backend: 'dealpos' });
    expect(saved.state.customers.map((c) => c.Code)).toEqual(['C-00001', 'C-00002', 'C-00003', 'C-00004']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(sb.stats().persistence).toMatchObject({ file, snapshotsWritten: 1, lastError: null });
  });

  it('keeps the state across a restart', async () => {
    const file = join(dir, 'state.json');
    const first = await startSandbox({ port: 0, dataFile: file, seed: 3 });
    const h = await harness(first);
    const id = await create(h, { Name: 'Persistent Pelanggan', Code: 'P-1', Email: 'p@example.com' });
    await h.api('PUT', '/Customer/ByCode', { body: { Code: 'C-00001', Group: 'Gold', LoyaltyPoint: 777 } });
    await h.api('DELETE', '/Customer/DeleteByCode', { query: 'Code=C-00002' });
    const before = first.customers();
    await first.close();

    const second = track(await startSandbox({ port: 0, dataFile: file, seed: 99 }));
    expect(second.customers()).toEqual(before);
    expect(second.customers().map((c) => (c as Customer).Code)).toEqual(['C-00001', 'C-00003', 'P-1']);
    expect((second.customers()[0] as Customer).LoyaltyPoint).toBe(777);
    const h2 = await harness(second);
    expect((await h2.api('GET', '/Customer/Detail', { query: `ID=${id}` })).status).toBe(200);
    // The indexes are rebuilt: uniqueness still holds after the reload.
    expect((await h2.api('POST', '/Customer', { body: { Name: 'Dup', Email: 'P@example.com' } })).status).toBe(400);
  });

  it('close() writes the last change even when it came just before', async () => {
    const file = join(dir, 'state.json');
    const sb = await startSandbox({ port: 0, dataFile: file, seed: 0 });
    const h = await harness(sb);
    await create(h, { Name: 'Last Second' });
    await sb.close();
    expect(readState(file).state.customers.map((c) => c.Name)).toEqual(['Last Second']);
  });

  it('flushSync() writes the current state synchronously (for an exit handler)', async () => {
    const file = join(dir, 'state.json');
    const sb = track(await startSandbox({ port: 0, dataFile: file, seed: 0 }));
    const h = await harness(sb);
    await create(h, { Name: 'Sync Saved' });
    sb.flushSync();
    expect(readState(file).state.customers.map((c) => c.Name)).toEqual(['Sync Saved']);
  });

  it('stores only a salted hash of a PIN, which still works after a restart', async () => {
    const file = join(dir, 'state.json');
    const first = await startSandbox({ port: 0, dataFile: file, seed: 1 });
    const h = await harness(first);
    const id = (first.customers()[0] as Customer).ID;
    expect((await h.api('PUT', '/Customer/PIN', { body: { ID: id, PIN: '482913' } })).status).toBe(200);
    await first.flush();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('482913');
    const pins = readState(file).state.pins;
    expect(Object.keys(pins)).toEqual([id.toLowerCase()]);
    expect(pins[id.toLowerCase()]).toMatch(/^scrypt\$/);
    // The request log held it only in memory, never on disk.
    await first.close();

    const second = track(await startSandbox({ port: 0, dataFile: file }));
    const h2 = await harness(second);
    expect((await h2.api('POST', '/Customer/PIN/Authenticate', { body: { ID: id, PIN: '482913' } })).status).toBe(200);
    expect((await h2.api('POST', '/Customer/PIN/Authenticate', { body: { ID: id, PIN: '482914' } })).status).toBe(400);
  });

  it('coalesces a burst of changes into few atomic writes and leaves no temp files', async () => {
    const file = join(dir, 'state.json');
    const sb = track(await startSandbox({ port: 0, dataFile: file, seed: 300 }));
    const h = await harness(sb);
    // A hard link keeps the first file's inode alive: writes must replace the file by rename,
    // never rewrite it in place, so the link keeps the old content and the file gets a new inode.
    const keep = join(dir, 'keep.json');
    linkSync(file, keep);
    const contentBefore = readFileSync(keep, 'utf8');
    const inodeBefore = statSync(file).ino;
    // A reader polling during the burst must always see complete JSON (rename, never in-place writes).
    let reads = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const saved = readState(file);
        expect(saved.state.customers.length).toBeGreaterThanOrEqual(300);
        reads++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await Promise.all(Array.from({ length: 150 }, (_, i) => create(h, { Name: `Burst ${i}` })));
    await sb.flush();
    polling = false;
    await poller;
    expect(reads).toBeGreaterThan(0);
    const stats = sb.stats();
    expect(stats.writes).toBe(150);
    // One write at start plus a few coalesced ones, far fewer than 150.
    expect(stats.persistence!.snapshotsWritten).toBeGreaterThanOrEqual(2);
    expect(stats.persistence!.snapshotsWritten).toBeLessThan(40);
    expect(readState(file).state.customers).toHaveLength(450);
    expect(statSync(file).ino).not.toBe(inodeBefore);
    expect(readFileSync(keep, 'utf8')).toBe(contentBefore);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['keep.json', 'state.json']);
  });

  it('SnapshotWriter keeps at most one write in flight and writes again if the state changed meanwhile', async () => {
    const file = join(dir, 'w.json');
    let state = 0;
    let snapshots = 0;
    const writer = new SnapshotWriter({
      file,
      backend: 'dealpos',
      coalesceMs: 1,
      snapshot: () => {
        snapshots++;
        return { value: state };
      },
    });
    for (let i = 1; i <= 50; i++) {
      state = i;
      writer.markDirty();
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 3));
    }
    await writer.flush();
    expect(JSON.parse(readFileSync(file, 'utf8')).state).toEqual({ value: 50 });
    expect(writer.stats().snapshotsWritten).toBe(snapshots);
    expect(snapshots).toBeLessThanOrEqual(10);
    await writer.flush(); // nothing changed: no new write
    expect(writer.stats().snapshotsWritten).toBe(snapshots);
    await writer.close();
  });

  it('fails start-up on a corrupt data file, naming it, and leaves it untouched', async () => {
    const file = join(dir, 'broken.json');
    for (const content of ['{"format": "poscust-sandbox", "state": {', '', '42', '{"format":"other"}', '{"format":"poscust-sandbox","version":1,"backend":"mypos","state":{}}']) {
      writeFileSync(file, content);
      const error = await startSandbox({ port: 0, dataFile: file }).catch((e: unknown) => e);
      expect(error, content).toBeInstanceOf(DataFileError);
      expect((error as Error).message).toContain(file);
      expect((error as DataFileError).file).toBe(file);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it('fails start-up when the saved records break the rules, naming the file', async () => {
    const file = join(dir, 'dups.json');
    const content = JSON.stringify({
      format: 'poscust-sandbox', version: 1, backend: 'dealpos', savedAt: '', state: { customers: [{ Name: 'A', Code: 'X' }, { Name: 'B', Code: 'x' }], pins: {} },
    });
    writeFileSync(file, content);
    await expect(startSandbox({ port: 0, dataFile: file })).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*Code x already exists`));
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('accepts a hand-written JSON array of customers as a data file', async () => {
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify([{ Name: 'Tangan', Code: 'H-01' }, { name: 'Dua', email: 'dua@example.com' }]));
    const sb = track(await startSandbox({ port: 0, dataFile: file }));
    expect(sb.customers().map((c) => (c as Customer).Name)).toEqual(['Tangan', 'Dua']);
    const h = await harness(sb);
    await create(h, { Name: 'Tiga' });
    await sb.flush();
    const saved = readState(file);
    expect(saved.format).toBe('poscust-sandbox');
    expect(saved.state.customers.map((c) => c.Code)).toEqual(['H-01', null, 'H-02']);
  });

  it('fails start-up when the data file cannot be created', async () => {
    const file = join(dir, 'missing-dir', 'state.json');
    const error = await startSandbox({ port: 0, dataFile: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain(file);
  });

  it('control-endpoint changes are persisted too', async () => {
    const file = join(dir, 'state.json');
    const sb = await startSandbox({ port: 0, dataFile: file, seed: 5 });
    await fetch(`${sb.origin}/_sandbox/customers`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ Name: 'Only One' }]) });
    await sb.close();
    expect(readState(file).state.customers.map((c) => c.Name)).toEqual(['Only One']);
  });
});

describe('sandbox close()', () => {
  it('lets an in-flight request finish, then writes its change', async () => {
    const file = join(dir, 'state.json');
    const sb = await startSandbox({ port: 0, dataFile: file, seed: 0, latencyMs: 200 });
    const token = await fetchToken(sb);
    const pending = fetch(`${sb.baseUrl}/Customer`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'In Flight' }),
    });
    await new Promise((r) => setTimeout(r, 50));
    await sb.close();
    expect((await pending).status).toBe(200);
    expect(readState(file).state.customers.map((c) => c.Name)).toEqual(['In Flight']);
    // Closed means closed.
    await expect(fetch(`${sb.baseUrl}/Customer/NewCode`)).rejects.toThrow();
  });

  it('cuts requests still waiting after closeGraceMs, without applying them', async () => {
    const file = join(dir, 'state.json');
    const sb = await startSandbox({ port: 0, dataFile: file, seed: 0, faults: 1, faultKinds: ['slow'], slowMs: 5000, closeGraceMs: 100 });
    const token = await fetchToken(sb);
    const pending = fetch(`${sb.baseUrl}/Customer`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'Too Slow' }),
    });
    const settled = pending.then(() => 'answered', () => 'dropped');
    await new Promise((r) => setTimeout(r, 50));
    const t = Date.now();
    await sb.close();
    expect(Date.now() - t).toBeLessThan(1500);
    expect(await settled).toBe('dropped');
    expect(sb.customers()).toEqual([]);
    expect(readState(file).state.customers).toEqual([]);
  });
});
