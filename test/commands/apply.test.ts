// `import --dry-run --diff`, `import --save-plan` and `poscust apply`: the diff is what the real run
// then does; a plan is applied exactly, a row changed since is a conflict (never overwritten), and
// a plan for another shop, a damaged plan or no --yes without a terminal writes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvOf, people, shop } from '../import/helpers.js';

async function planned(n = 40) {
  const s = await shop({ seed: 0 });
  const base = people(n);
  await s.run(['import', s.file('seed.csv', csvOf(base)), '--mode', 'create']);
  const next = [...base.map((p, i) => (i % 4 === 0 ? { ...p, Group: 'Platinum', LoyaltyPoint: 900 + i } : p)), ...people(5, n + 1)];
  return { s, file: s.file('next.csv', csvOf(next)), next };
}

describe('import --dry-run --diff', () => {
  it('lists each changing row field by field (JSON), and the real run then does exactly that', async () => {
    const { s, file } = await planned();
    const before = s.stats().writes;
    const diff = await s.run(['import', file, '--dry-run', '--diff', '--format', 'json']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(s.stats().writes).toBe(before);
    const entries = JSON.parse(diff.stdout) as { line: number; action: string; key: string; changes: Record<string, { from: unknown; to: unknown }> }[];
    expect(entries).toHaveLength(15);
    expect(entries[0]).toEqual({ line: 2, action: 'update', key: 'P000001', changes: { Group: { from: 'Regular', to: 'Platinum' }, LoyaltyPoint: { from: 1, to: 900 } } });
    expect(entries.filter((e) => e.action === 'create')).toHaveLength(5);
    // The summary went to stderr; stdout is the diff alone.
    expect(JSON.parse(diff.stderr)).toMatchObject({ created: 5, updated: 10, unchanged: 30 });

    const real = await s.run(['import', file, '--json']);
    expect(JSON.parse(real.stdout)).toMatchObject({ created: 5, updated: 10 });
    const jobs = JSON.parse((await s.run(['history', '--format', 'json'])).stdout) as { id: string }[];
    const shown = JSON.parse((await s.run(['history', 'show', jobs[0]!.id, '--format', 'json'])).stdout) as { writes: { op: string; before?: Record<string, unknown>; after?: Record<string, unknown> }[] };
    const wrote = shown.writes.filter((w) => w.op === 'update').map((w) => ({ before: w.before, after: w.after }));
    const said = entries.filter((e) => e.action === 'update').map((e) => ({
      before: Object.fromEntries(Object.entries(e.changes).map(([k, c]) => [k, c.from])),
      after: Object.fromEntries(Object.entries(e.changes).map(([k, c]) => [k, c.to])),
    }));
    expect(wrote.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(said.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  it('prints a table on a terminal and NDJSON one row a line; --diff alone is exit 2', async () => {
    const { s, file } = await planned(8);
    const table = await s.run(['import', file, '--dry-run', '--diff']);
    expect(table.stdout).toContain('line 2  update  P000001');
    expect(table.stdout).toMatch(/Group\s+Regular → Platinum/);
    const nd = await s.run(['import', file, '--dry-run', '--diff', '--format', 'ndjson']);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: string }).map((e) => e.key)).toEqual(['P000001', 'P000005', 'P000009', 'P000010', 'P000011', 'P000012', 'P000013']);
    const alone = await s.run(['import', file, '--diff']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--dry-run');
  });
});

describe('apply', () => {
  it('applies a saved plan; a row changed since is the one conflict, kept as the other person left it', async () => {
    const { s, file } = await planned();
    const saved = await s.run(['import', file, '--save-plan', s.file('plan.json', '')]);
    expect(saved.code, saved.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(`${s.dir}/plan.json`, 'utf8')) as { rows: unknown[]; source: { sha256: string }; baseUrl: string };
    expect(plan.rows).toHaveLength(15);
    expect(plan.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s.customers().find((c) => c.Code === 'P000005')!.Group).toBe('Regular');

    await s.run(['update-by', 'code', 'P000005', '--set', 'LoyaltyPoint=3']);
    const noYes = await s.run(['apply', `${s.dir}/plan.json`]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('--yes');
    const r = await s.run(['apply', `${s.dir}/plan.json`, '--yes', '--json']);
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 5, updated: 9, rejected: 1 });
    expect(r.stderr).toContain('1 row changed on the server since the plan was made');
    const rejects = readFileSync(`${s.dir}/plan.rejects.csv`, 'utf8');
    expect(rejects).toContain('P000005');
    expect(rejects).toContain('LoyaltyPoint is now 3, planned from 5');
    const p5 = s.customers().find((c) => c.Code === 'P000005')!;
    expect([p5.Group, p5.LoyaltyPoint]).toEqual(['Regular', 3]);
    expect(s.customers().find((c) => c.Code === 'P000009')!.LoyaltyPoint).toBe(908);

    // Applied again: nothing left to do but the conflict.
    const again = await s.run(['apply', `${s.dir}/plan.json`, '--yes', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, rejected: 6 });
  });

  it('refuses a plan for another base URL or profile, a damaged plan and a missing one (exit 2, nothing written)', async () => {
    const { s, file } = await planned(8);
    await s.run(['import', file, '--save-plan', s.file('plan.json', '')]);
    const text = readFileSync(`${s.dir}/plan.json`, 'utf8');
    const requests = s.stats().requests;
    writeFileSync(`${s.dir}/other.json`, text.replace(/"baseUrl": "[^"]*"/, '"baseUrl": "https://other.dealpos.net/api/v3"'));
    const other = await s.run(['apply', `${s.dir}/other.json`, '--yes']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('was made for baseUrl "https://other.dealpos.net/api/v3"');
    writeFileSync(`${s.dir}/prof.json`, text.replace('"profile": null', '"profile": "bandung"'));
    expect((await s.run(['apply', `${s.dir}/prof.json`, '--yes'])).stderr).toContain('profile "bandung"');
    writeFileSync(`${s.dir}/bad.json`, text.slice(0, 100));
    const bad = await s.run(['apply', `${s.dir}/bad.json`, '--yes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`plan ${s.dir}/bad.json is damaged or not a poscust plan`);
    writeFileSync(`${s.dir}/proto.json`, text.replace('"fields": [', '"fields": ["__proto__", '));
    expect((await s.run(['apply', `${s.dir}/proto.json`, '--yes'])).code).toBe(2);
    const missing = await s.run(['apply', `${s.dir}/nope.json`, '--yes']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const writes = s.stats().requests - requests;
    // Only the logins and reads of the plans that got as far as the server.
    expect(s.customers().some((c) => c.Group === 'Platinum')).toBe(false);
    expect(writes).toBeLessThan(10);
  });

  it('is resumable: stopped by Ctrl-C, --resume finishes the plan exactly', async () => {
    const { s } = await planned(4);
    const many = people(400, 1000);
    await s.run(['import', s.file('big.csv', csvOf(many)), '--save-plan', s.file('big.json', '')]);
    s.sb.configure({ latencyMs: 3 });
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (s.customers().length >= 100) controller.abort(new Error('SIGINT'));
    }, 3);
    const r = await s.run(['apply', `${s.dir}/big.json`, '--yes'], { signal: controller.signal });
    clearInterval(poll);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('--resume');
    const resumed = await s.run(['apply', `${s.dir}/big.json`, '--yes', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const codes = s.customers().map((c) => c.Code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.filter((c) => c!.startsWith('P0010') || c!.startsWith('P0011') || c!.startsWith('P0012') || c!.startsWith('P0013'))).toHaveLength(400);
  });
});
