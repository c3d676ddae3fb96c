// `poscust undo`: a job's writes put back, compared field by field with the sandbox's state before
// the job; under faults with lost answers; killed mid-way and continued; someone else's edit kept
// and listed; delete undone on every backend, a merge undone on DealPOS.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DealposCustomer } from '../../src/sandbox/index.js';
import { DEALPOS_SCHEMA } from '../../src/backends/dealpos/schema.js';
import { MYPOS_SCHEMA } from '../../src/backends/mypos/schema.js';
import { PORTOS_SCHEMA } from '../../src/backends/portos/schema.js';
import type { BackendSchema } from '../../src/backends/schema.js';
import { valueAt } from '../../src/output/cells.js';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';
import { FakeClock, tempDir } from '../helpers/harness.js';
import { csvOf, people, shop, type Shop } from '../import/helpers.js';

/** Every customer by ID, as stored. */
function state(s: Shop): Map<string, DealposCustomer> {
  return new Map(s.customers().map((c) => [c.ID, { ...c }]));
}

function expectSameState(now: Map<string, DealposCustomer>, before: Map<string, DealposCustomer>): void {
  const diffs: string[] = [];
  for (const [id, was] of before) {
    const c = now.get(id);
    if (!c) {
      diffs.push(`${was.Code} is gone`);
      continue;
    }
    for (const k of Object.keys(was) as (keyof DealposCustomer)[]) if (JSON.stringify(c[k]) !== JSON.stringify(was[k])) diffs.push(`${was.Code}.${k}: ${JSON.stringify(c[k])} != ${JSON.stringify(was[k])}`);
  }
  for (const [id, c] of now) if (!before.has(id)) diffs.push(`${c.Code} was not there before`);
  expect(diffs.slice(0, 10)).toEqual([]);
}

async function lastJob(s: Shop): Promise<string> {
  const r = await s.run(['history', '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  const jobs = JSON.parse(r.stdout) as { id: string; command: string }[];
  return jobs[0]!.id;
}

/** An upsert of `n` rows over a shop of `n / 2` customers: half updates (two fields), half creates. */
async function upsertShop(n: number, options: Parameters<typeof shop>[0] = {}) {
  const s = await shop({ seed: 0, ...options });
  const base = people(n / 2);
  await s.run(['import', s.file('seed.csv', csvOf(base)), '--mode', 'create']);
  const before = state(s);
  const next = [...base.map((p, i) => ({ ...p, Group: i % 2 ? 'Platinum' : p.Group, LoyaltyPoint: p.LoyaltyPoint + 1 })), ...people(n / 2, n / 2 + 1)];
  return { s, before, file: s.file('up.csv', csvOf(next)) };
}

describe('undo of an import', () => {
  it('puts every customer back after an upsert of 3,000 rows, with reads of at most the listing pages', async () => {
    const { s, before, file } = await upsertShop(3000);
    const r = await s.run(['import', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 1500, updated: 1500 });
    const job = await lastJob(s);
    const shown = await s.run(['history', 'show', job, '--format', 'json']);
    const writes = (JSON.parse(shown.stdout) as { writes: { op: string; before?: Record<string, unknown> }[] }).writes;
    expect(writes.filter((w) => w.op === 'update')).toHaveLength(1500);
    expect(writes.find((w) => w.op === 'update')!.before).toHaveProperty('LoyaltyPoint');

    const statsBefore = s.stats();
    const undo = await s.run(['undo', job, '--yes', '--json']);
    expect(undo.code, undo.stderr).toBe(0);
    const reports = JSON.parse(undo.stdout) as { result: string }[];
    expect(reports.every((x) => x.result === 'reverted')).toBe(true);
    expectSameState(state(s), before);
    // Reads: the listing pages of the 3,000 customers (1,000 a page), never one read per customer.
    const reads = s.stats().requests - statsBefore.requests - 3000;
    expect(reads).toBeLessThanOrEqual(Math.ceil(3000 / 1000));
  });

  it('under 20% faults with lost answers, and when killed mid-way and run again, ends equal to before', async () => {
    const { s, before, file } = await upsertShop(600, { faults: 0.2, faultKinds: ['500', 'drop-before', 'drop-after'] });
    s.sb.configure({ faults: 0.2 });
    let r = await s.run(['import', file, '--json'], { clock: new FakeClock() });
    if (r.code === 7) r = await s.run(['import', file, '--resume', '--json'], { clock: new FakeClock() });
    const jobs = (JSON.parse((await s.run(['history', '--format', 'json'])).stdout) as { id: string; command: string }[]).filter((j) => j.command.includes('up.csv'));
    expect(jobs.length).toBeGreaterThanOrEqual(1);

    // Undo each import job (newest first), killed once mid-way, each run again until it is done.
    s.sb.configure({ latencyMs: 2 });
    for (const { id } of jobs) {
      const controller = new AbortController();
      const startCount = s.customers().length;
      const poll = setInterval(() => {
        if (s.customers().length < startCount - 50) controller.abort(new Error('SIGINT'));
      }, 2);
      const killed = await s.run(['undo', id, '--yes'], { clock: new FakeClock(), signal: controller.signal });
      clearInterval(poll);
      expect([0, 7, 130]).toContain(killed.code);
      for (let i = 0; i < 5; i++) {
        const again = await s.run(['undo', id, '--yes'], { clock: new FakeClock() });
        if (again.code === 0) break;
        expect(again.code, again.stderr).toBe(7);
        expect(again.stderr).toContain('failed');
      }
    }
    s.sb.configure({ faults: 0 });
    // Whatever faults left half-done, one more clean pass over each job finishes it.
    for (const { id } of jobs) expect((await s.run(['undo', id, '--yes'])).code).toBe(0);
    expectSameState(state(s), before);
  });

  it("keeps and lists a field someone else edited between the import and the undo", async () => {
    const { s, before, file } = await upsertShop(20);
    await s.run(['import', file]);
    const job = await lastJob(s);
    const target = before.values().next().value!;
    const edit = await s.run(['update-by', 'code', target.Code!, '--set', 'LoyaltyPoint=777']);
    expect(edit.code, edit.stderr).toBe(0);
    const dry = await s.run(['undo', job, '--dry-run', '--json']);
    expect(dry.code).toBe(7);
    const undo = await s.run(['undo', job, '--yes', '--json']);
    expect(undo.code).toBe(7);
    const reports = JSON.parse(undo.stdout) as { customer: string; result: string; conflicts?: Record<string, { now: unknown; jobWrote: unknown }> }[];
    const conflict = reports.find((x) => x.result === 'conflict')!;
    expect(conflict.customer).toBe(target.ID);
    expect(conflict.conflicts).toEqual({ LoyaltyPoint: { now: 777, jobWrote: target.LoyaltyPoint + 1 } });
    expect(undo.stderr).toContain('1 conflicts');
    const now = state(s);
    expect(now.get(target.ID)!.LoyaltyPoint).toBe(777);
    now.get(target.ID)!.LoyaltyPoint = target.LoyaltyPoint;
    expectSameState(now, before);
  });

  it('refuses an unknown job (3), a damaged history (naming the file) and one others can read', async () => {
    const { s, file } = await upsertShop(4);
    expect((await s.run(['undo', '20200101-000000-abcd', '--yes'])).code).toBe(3);
    expect((await s.run(['undo', 'nonsense!', '--yes'])).code).toBe(2);
    await s.run(['import', file]);
    const job = await lastJob(s);
    const dir = join(s.dir, 'config', 'history');
    const path = join(dir, readdirSync(dir)[0]!, `${job}.jsonl`);
    const { chmodSync, appendFileSync } = await import('node:fs');
    chmodSync(path, 0o644);
    const loose = await s.run(['undo', job, '--yes']);
    expect(loose.code).toBe(1);
    expect(loose.stderr).toContain(`chmod 600 '${path}'`);
    chmodSync(path, 0o600);
    appendFileSync(path, 'not json\n{"end":"x"}\n');
    const damaged = await s.run(['history', 'show', job]);
    expect(damaged.stderr).toContain(`history file ${path} is damaged at line`);
    expect(damaged.code).toBe(1);
    const count = s.customers().length;
    expect((await s.run(['undo', job, '--yes'])).code).toBe(1);
    expect(s.customers()).toHaveLength(count);
  });

  it('needs --yes without a terminal, and writes nothing then', async () => {
    const { s, file } = await upsertShop(4);
    await s.run(['import', file]);
    const job = await lastJob(s);
    const r = await s.run(['undo', job]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --yes');
    expect(await lastJob(s)).toBe(job);
  });
});

const SCHEMAS: Record<string, BackendSchema> = { dealpos: DEALPOS_SCHEMA, mypos: MYPOS_SCHEMA, portos: PORTOS_SCHEMA };

describe.each(BACKEND_CASES)('undo of a delete on $backend', (c) => {
  let cli: CliSandbox;
  beforeAll(async () => {
    cli = await startCliSandbox(c.backend, { seed: 0, configDir: tempDir('poscust-undo-') });
  });
  afterAll(() => cli.sb.close());

  it('creates the customer again from its before-image and reports the new ID beside the old', async () => {
    const created = await cli.run(['create', ...c.createArgs, '--format', 'json']);
    const id = (JSON.parse(created.result.stdout) as { id: string }).id;
    const before = (cli.sb.customers() as Record<string, unknown>[]).find((r) => r[c.idField] === id)!;
    const del = await cli.run(['delete', '--id', id, '--yes']);
    expect(del.result.code, del.result.stderr).toBe(0);
    const jobs = JSON.parse((await cli.run(['history', '--format', 'json'])).result.stdout) as { id: string; writes: { deleted: number } }[];
    expect(jobs[0]!.writes.deleted).toBe(1);
    const undo = await cli.run(['undo', jobs[0]!.id, '--yes', '--format', 'json']);
    expect(undo.result.code, undo.result.stderr).toBe(0);
    const [report] = JSON.parse(undo.result.stdout) as { result: string; newId: string; note: string }[];
    expect(report!.result).toBe('reverted');
    expect(report!.note).toContain(`(was ${id})`);
    const again = (cli.sb.customers() as Record<string, unknown>[]).find((r) => r[c.idField] === report!.newId)!;
    expect(again).toBeDefined();
    // A code the server assigns (MYPOS) is new, like the ID.
    const assigned = new Set(SCHEMAS[c.backend]!.import?.keys.filter((k) => k.serverAssigned).map((k) => k.field));
    const writable = SCHEMAS[c.backend]!.fields.filter((f) => f.writable && !assigned.has(f.name));
    expect(writable.length).toBeGreaterThan(3);
    for (const f of writable) expect(valueAt(again, f.name), f.name).toEqual(valueAt(before, f.name));
  });
});

describe('undo of a merge (DealPOS)', () => {
  it('creates the merged-away customers again and restores the survivor', async () => {
    const s = await shop({ seed: 0 });
    const two = people(2);
    two[1]!.LoyaltyPoint = 40;
    await s.run(['import', s.file('m.csv', csvOf(two)), '--mode', 'create']);
    const before = state(s);
    const [a, b] = s.customers();
    const merge = await s.run(['merge', '--into', a!.Code!, b!.Code!, '--yes']);
    expect(merge.code, merge.stderr).toBe(0);
    expect(s.customers()).toHaveLength(1);
    const job = await lastJob(s);
    const undo = await s.run(['undo', job, '--yes', '--json']);
    expect(undo.code, undo.stderr).toBe(0);
    const now = s.customers();
    expect(now).toHaveLength(2);
    const survivor = now.find((c) => c.ID === a!.ID)!;
    expect(survivor.LoyaltyPoint).toBe(before.get(a!.ID)!.LoyaltyPoint);
    const back = now.find((c) => c.ID !== a!.ID)!;
    expect({ ...back, ID: b!.ID, JoinDate: b!.JoinDate }).toEqual(before.get(b!.ID));
  });
});
