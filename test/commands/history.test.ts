// `poscust history`: every writing command is a job, recorded owner-only with the before-image of
// what it changed, never a PIN or a secret; reads and dry runs leave no job; list, show and prune.
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvOf, people, shop, type Shop } from '../import/helpers.js';

const PIN = '482916';

function historyFiles(s: Shop): string[] {
  const root = join(s.dir, 'config', 'history');
  return readdirSync(root).flatMap((slot) => readdirSync(join(root, slot)).map((f) => join(root, slot, f)));
}

async function jobs(s: Shop) {
  const r = await s.run(['history', '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: string; startedAt: string; command: string; profile: string | null; backend: string; writes: Record<string, number> }[];
}

describe('history', () => {
  it('records each writing command as a job (newest first) with its counts; reads and dry runs add none', async () => {
    const s = await shop({ seed: 0 });
    await s.run(['import', s.file('a.csv', csvOf(people(3))), '--mode', 'create']);
    await s.run(['list']);
    await s.run(['get', '--code', 'P000001']);
    await s.run(['update-by', 'code', 'P000001', '--group', 'Gold', '--dry-run']);
    await s.run(['import', s.file('a.csv', csvOf(people(3))), '--dry-run']);
    expect(await jobs(s)).toHaveLength(1);
    for (const argv of [
      ['create', '--name', 'Ani Wulandari', '--code', 'ANI-1'],
      ['update-by', 'code', 'P000001', '--group', 'Gold'],
      ['suspend', '--code', 'P000002'],
      ['unsuspend', '--code', 'P000002'],
      ['verify', 'email', '--code', 'P000003'],
      ['app-signin', '--code', 'P000003'],
      ['delete', '--code', 'ANI-1', '--yes'],
    ]) {
      const r = await s.run(argv);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const pin = await s.run(['pin', 'set', '--code', 'P000001', '--pin-stdin'], { stdin: `${PIN}\n` });
    expect(pin.code, pin.stderr).toBe(0);
    const list = await jobs(s);
    expect(list.map((j) => j.command.split(' ').slice(1, 3).join(' '))).toEqual([
      'pin set',
      'delete --code',
      'app-signin --code',
      'verify email',
      'unsuspend --code',
      'suspend --code',
      'update-by code',
      'create --name',
      `import ${s.dir}/a.csv`,
    ]);
    expect(list[0]).toMatchObject({ profile: null, backend: 'dealpos', writes: { created: 0, updated: 0, deleted: 0, other: 1 } });
    expect(list[1]!.writes).toEqual({ created: 0, updated: 0, deleted: 1, other: 0 });
    expect(list[6]!.writes).toEqual({ created: 0, updated: 1, deleted: 0, other: 0 });
    expect(list[8]!.writes).toEqual({ created: 3, updated: 0, deleted: 0, other: 0 });
    expect(new Date(list[0]!.startedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const show = await s.run(['history', 'show', list[6]!.id, '--format', 'json']);
    const detail = JSON.parse(show.stdout) as { writes: { op: string; before: unknown; after: unknown; status: string }[] };
    expect(detail.writes).toEqual([expect.objectContaining({ op: 'update', before: { Group: 'Regular' }, after: { Group: 'Gold' }, status: 'done' })]);
    const table = await s.run(['history', 'show', list[1]!.id]);
    expect(table.stdout).toContain('delete');
    expect(table.stdout).toContain('Ani Wulandari');
    expect((await s.run(['history', '--limit', '2', '--format', 'json'])).stdout).not.toContain('verify');

    // Owner-only, and never a PIN or a secret.
    for (const file of historyFiles(s)) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(PIN);
      expect(text).not.toContain(s.env.POSCUST_CLIENT_SECRET!);
    }
    expect(statSync(join(s.dir, 'config', 'history')).mode & 0o777).toBe(0o700);
  });

  it('undoes a suspension and a verification by flipping them back; a PIN is reported as not undoable', async () => {
    const s = await shop({ seed: 0 });
    await s.run(['import', s.file('a.csv', csvOf(people(2))), '--mode', 'create']);
    await s.run(['suspend', '--code', 'P000001']);
    const suspended = (await jobs(s))[0]!.id;
    await s.run(['verify', 'mobile', '--code', 'P000002']);
    const verified = (await jobs(s))[0]!.id;
    await s.run(['pin', 'set', '--code', 'P000002', '--pin-stdin'], { stdin: `${PIN}\n` });
    const pinned = (await jobs(s))[0]!.id;
    expect(s.byCode().get('P000001')!.Status).toBe('Suspended');
    expect((await s.run(['undo', suspended, '--yes'])).code).toBe(0);
    expect(s.byCode().get('P000001')!.Status).toBe('Active');
    expect(s.byCode().get('P000002')!.MobileVerified).toBe(true);
    expect((await s.run(['undo', verified, '--yes'])).code).toBe(0);
    expect(s.byCode().get('P000002')!.MobileVerified).toBe(false);
    const pin = await s.run(['undo', pinned, '--yes']);
    expect(pin.code).toBe(7);
    expect(pin.stdout).toContain('not undoable');
    expect(pin.stdout).toContain('the old PIN is never kept');
  });

  it('lists a finished job from its last line, and an unfinished one (no end line) from its writes', async () => {
    const s = await shop({ seed: 0 });
    await s.run(['import', s.file('a.csv', csvOf(people(4))), '--mode', 'create']);
    const [file] = historyFiles(s);
    const text = readFileSync(file!, 'utf8');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/"counts":\{"created":4,"updated":0,"deleted":0,"other":0\}/);
    expect((await jobs(s))[0]!.writes).toEqual({ created: 4, updated: 0, deleted: 0, other: 0 });
    // A job that died before its end line: the same counts, read from its writes, and "unfinished".
    writeFileSync(file!, text.trimEnd().split('\n').slice(0, -1).join('\n') + '\n');
    expect((await jobs(s))[0]!.writes).toEqual({ created: 4, updated: 0, deleted: 0, other: 0 });
    expect((await s.run(['history'])).stdout).toMatch(/unfinished/);
  });

  it('keeps none with POSCUST_HISTORY=off', async () => {
    const s = await shop({ seed: 0 });
    const off = await s.run(['create', '--name', 'Ani', '--code', 'ANI-1'], { env: { ...s.env, POSCUST_HISTORY: 'off' } });
    expect(off.code, off.stderr).toBe(0);
    expect(s.byCode().has('ANI-1')).toBe(true);
    expect(await jobs(s)).toEqual([]);
    await s.run(['create', '--name', 'Budi', '--code', 'BUDI-1']);
    expect(await jobs(s)).toHaveLength(1);
  });

  it('prunes jobs older than the days kept (90 by default)', async () => {
    const s = await shop({ seed: 0 });
    await s.run(['create', '--name', 'Old One', '--code', 'OLD-1']);
    await s.run(['create', '--name', 'New One', '--code', 'NEW-1']);
    const [newer, older] = historyFiles(s).sort().reverse();
    const longAgo = new Date(Date.now() - 91 * 86_400_000);
    utimesSync(older!, longAgo, longAgo);
    const r = await s.run(['history', 'prune']);
    expect(r.stdout).toBe('removed 1 job older than 90 days\n');
    expect(historyFiles(s)).toEqual([newer]);
  });
});
