// --profiles / --all-profiles over three sandboxes (two DealPOS, one PORTOS), one of them down:
// the others succeed, stderr names the one that failed, the exit code is its own.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/harness.js';
import { poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';

let shops: SandboxProcess[] = [];
let env: Record<string, string>;
const NAMES = ['jakarta', 'bandung', 'lan'];

beforeAll(async () => {
  shops = await Promise.all([startSandboxProcess(['--seed', '12']), startSandboxProcess(['--seed', '5']), startSandboxProcess(['--backend', 'portos', '--seed', '3'])]);
  env = { POSCUST_CONFIG_DIR: tempDir('poscust-fanout-'), NO_COLOR: '1' };
  for (const [i, s] of shops.entries()) {
    const creds = s.info.backend === 'portos' ? ['--username', String(s.info.username), '--device-name', String(s.info.deviceName), '--password-stdin', '--allow-insecure-http'] : ['--client-id', s.info.clientId, '--client-secret-stdin'];
    const secret = s.info.backend === 'portos' ? String(s.info.password) : s.info.clientSecret;
    const r = await poscust(['profile', 'add', NAMES[i]!, '--backend', s.info.backend, '--base-url', s.info.baseUrl, ...creds, '--no-check'], { env, input: secret });
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);
afterAll(async () => {
  await Promise.all(shops.map((s) => s.stop()));
});

describe('one command over several profiles', () => {
  it('counts per profile and in total; JSON per the contract', async () => {
    const r = await poscust(['--all-profiles', 'count'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('bandung  5\njakarta  12\nlan      3\ntotal    20\n');
    const json = await poscust(['--profiles', 'lan,jakarta', 'count', '--format', 'json'], { env });
    expect(JSON.parse(json.stdout)).toEqual([
      { profile: 'lan', count: 3 },
      { profile: 'jakarta', count: 12 },
    ]);
  });

  it('exports every shop into one CSV with _profile first, columns of both backends', async () => {
    const file = join(tempDir('poscust-fanout-out-'), 'all.csv');
    const r = await poscust(['--all-profiles', '--parallel', '2', 'export', '--output', file], { env });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^_profile,ID,Code,Name,.*,id,externalId,/);
    expect(lines).toHaveLength(1 + 20);
    expect(lines.filter((l) => l.startsWith('lan,'))).toHaveLength(3);
    const list = await poscust(['--profiles', 'jakarta,lan', 'list', '--all', '--format', 'ndjson', '--fields', 'Code,fullName'], { env });
    const rows = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(15);
    expect(Object.keys(rows[0]!)[0]).toBe('_profile');
  });

  it('imports one file into two shops, each with its own journal and rejects file, one summary each', async () => {
    const dir = tempDir('poscust-fanout-import-');
    const file = join(dir, 'new.csv');
    writeFileSync(file, 'Code,Name,Email\nFAN-1,Fan Satu,fan1@contoh.co.id\nFAN-2,Fan Dua,not-an-email\nFAN-3,Fan Tiga,\n');
    const r = await poscust(['--profiles', 'jakarta,bandung', 'import', file, '--mode', 'create', '--format', 'json'], { env });
    expect(r.code).toBe(7);
    const summaries = JSON.parse(r.stdout) as { _profile: string; created: number; rejected: number }[];
    expect(summaries.map((s) => `${s._profile} ${s.created} ${s.rejected}`).sort()).toEqual(['bandung 2 1', 'jakarta 2 1']);
    expect(readFileSync(join(dir, 'new.jakarta.rejects.csv'), 'utf8')).toContain('FAN-2');
    expect(readFileSync(join(dir, 'new.bandung.rejects.csv'), 'utf8')).toContain('FAN-2');
    expect(readdirSync(dir).filter((f) => f.endsWith('poscust-journal'))).toEqual([]);
  });

  it('suspends on every shop; with one shop down the others succeed, exit 75 names it', async () => {
    const code = 'C-00002';
    const r = await poscust(['--profiles', 'jakarta,bandung', 'suspend', '--code', code, '--format', 'json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { _profile: string; action: string }[]).map((x) => `${x._profile} ${x.action}`).sort()).toEqual(['bandung suspended', 'jakarta suspended']);
    await shops[1]!.stop();
    const down = await poscust(['--all-profiles', 'count', '--timeout', '2'], { env });
    expect(down.code).toBe(75);
    expect(down.stdout).toMatch(/^jakarta  14$/m);
    expect(down.stdout).toContain('lan      3');
    expect(down.stderr).toMatch(/profile bandung failed \(exit 75\)/);
  });

  it('refuses an unknown profile (exit 3) and --profile with --profiles (exit 2) before anything runs', async () => {
    const unknown = await poscust(['--profiles', 'jakarta,nope', 'count'], { env });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("no profile 'nope'");
    expect(unknown.stdout).toBe('');
    expect((await poscust(['--profile', 'jakarta', '--all-profiles', 'count'], { env })).code).toBe(2);
    const ask = await poscust(['--all-profiles', 'delete', '--code', 'C-00001'], { env });
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain('on 3 profiles: bandung, jakarta, lan');
    expect(ask.stderr).toContain('pass --yes');
  });
});
