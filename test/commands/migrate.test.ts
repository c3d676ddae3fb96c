// `poscust migrate` between sandboxes of the three backends: every customer exactly once with the
// mapped fields, a re-run sends no writes, the ID map complete, unmapped fields reported, a run
// stopped half-way continued by running it again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxBackend } from '../../src/sandbox/index.js';
import { systemClock } from '../../src/deps.js';
import { runCli, tempDir } from '../helpers/harness.js';

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sb) => sb.close()));
});

async function shops(from: SandboxBackend, to: SandboxBackend, seed = 25) {
  const dir = tempDir('poscust-migrate-');
  const configDir = join(dir, 'config');
  const src = await startSandbox({ backend: from, seed, closeGraceMs: 0 });
  const dst = await startSandbox({ backend: to, seed: 0, closeGraceMs: 0 });
  running.push(src, dst);
  const run = (argv: string[], o: { stdin?: string; signal?: AbortSignal } = {}) => runCli(argv, { configDir, env: {}, clock: systemClock, ...o });
  for (const [name, sb] of [['src', src], ['dst', dst]] as const) {
    const c = sb.credentials as Record<string, string>;
    const args =
      sb.backend === 'dealpos'
        ? ['--client-id', c.clientId!, '--client-secret-stdin']
        : sb.backend === 'mypos'
          ? ['--username', c.username!, '--password-stdin']
          : ['--username', c.username!, '--device-name', c.deviceName!, '--password-stdin', '--allow-insecure-http'];
    const secret = sb.backend === 'dealpos' ? c.clientSecret! : c.password!;
    const r = await run(['profile', 'add', name, '--backend', sb.backend, '--base-url', sb.baseUrl, ...args, '--no-check'], { stdin: secret });
    expect(r.code, r.stderr).toBe(0);
  }
  return { dir, src, dst, run };
}

describe.each([
  ['dealpos', 'portos', 'externalId'],
  ['portos', 'mypos', 'notes'],
  ['mypos', 'dealpos', 'Code'],
] as const)('migrate %s -> %s', (from, to, linkField) => {
  it('moves every customer once with the mapped fields; a re-run writes nothing; the ID map is complete', async () => {
    const { dir, src, dst, run } = await shops(from, to);
    const idMap = join(dir, 'ids.csv');
    const r = await run(['migrate', '--from', 'src', '--to', 'dst', '--id-map', idMap, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { created: number; unplaced: Record<string, number> };
    expect(summary.created).toBe(25);
    expect(Object.keys(summary.unplaced).length).toBeGreaterThan(0);
    expect(r.stderr).toContain('not migrated:');
    const moved = dst.customers() as Record<string, unknown>[];
    expect(moved).toHaveLength(25);
    const links = moved.map((c) => String(c[linkField]));
    expect(new Set(links).size).toBe(25);
    // The e-mail addresses arrive as they were (every backend has one).
    const emailOf = { dealpos: 'Email', mypos: 'emailAddress', portos: 'email' };
    const srcEmails = (src.customers() as Record<string, unknown>[]).map((c) => c[emailOf[from]] ?? null).filter(Boolean).sort();
    expect(moved.map((c) => c[emailOf[to]] ?? null).filter(Boolean).sort()).toEqual(srcEmails);
    const ids = readFileSync(idMap, 'utf8').trim().split('\n');
    expect(ids[0]).toBe('source_id,target_id');
    expect(ids.slice(1).filter((l) => /^[^,]+,[^,]+$/.test(l))).toHaveLength(25);

    const before = dst.stats().writes;
    const again = await run(['migrate', '--from', 'src', '--to', 'dst', '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 25 });
    expect(dst.stats().writes).toBe(before);
  });
});

describe('migrate', () => {
  it('continues a run stopped half-way: running it again creates each customer once', async () => {
    const { src, dst, run } = await shops('dealpos', 'portos', 300);
    dst.configure({ latencyMs: 3 });
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (dst.customers().length >= 80) controller.abort(new Error('SIGINT'));
    }, 3);
    const stopped = await run(['migrate', '--from', 'src', '--to', 'dst'], { signal: controller.signal });
    clearInterval(poll);
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('run the same migrate again');
    expect(dst.customers().length).toBeLessThan(300);
    const resumed = await run(['migrate', '--from', 'src', '--to', 'dst', '--resume', '--format', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const links = (dst.customers() as { externalId: string }[]).map((c) => c.externalId);
    expect(links).toHaveLength(300);
    expect(new Set(links).size).toBe(300);
    expect(src.customers()).toHaveLength(300);
  });

  it('--dry-run shows the diff and writes nothing; bad input is exit 2 or 3 before anything is sent', async () => {
    const { dst, run } = await shops('dealpos', 'portos', 3);
    const dry = await run(['migrate', '--from', 'src', '--to', 'dst', '--dry-run', '--format', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    const diff = JSON.parse(dry.stdout) as { action: string; changes: Record<string, unknown> }[];
    expect(diff).toHaveLength(3);
    expect(diff[0]!.changes).toHaveProperty('externalId');
    expect(dst.customers()).toHaveLength(0);
    expect((await run(['migrate', '--from', 'src', '--to', 'src'])).code).toBe(2);
    expect((await run(['migrate', '--from', 'src', '--to', 'nope'])).code).toBe(3);
    const requests = dst.stats().requests;
    const idMap = await run(['migrate', '--from', 'src', '--to', 'dst', '--id-map', join(tempDir(), 'missing', 'ids.csv')]);
    expect(idMap.code).toBe(2);
    expect(idMap.stderr).toContain('--id-map');
    expect(dst.stats().requests).toBe(requests);
    const badMap = await run(['migrate', '--from', 'src', '--to', 'dst', '--map', 'Group=nowhere']);
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toContain("portos has no writable field 'nowhere'; its fields:");
    const mapped = await run(['migrate', '--from', 'src', '--to', 'dst', '--map', 'Group=note', '--map', 'Email=', '--format', 'json']);
    expect(mapped.code, mapped.stderr).toBe(0);
    const stored = dst.customers() as { note?: string; email?: string }[];
    expect(stored.every((c) => typeof c.note === 'string' && c.note !== '')).toBe(true);
    expect(stored.every((c) => !c.email)).toBe(true);
  });
});
