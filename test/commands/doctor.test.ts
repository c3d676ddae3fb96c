// doctor in-process: the file-mode check, rate-limit headroom, POSCUST_TOKEN, and the errors that
// leave nothing to check.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFiles, rateLimitCheck } from '../../src/doctor/checks.js';
import { runCli, tempDir } from '../helpers/harness.js';
import { startSandboxRun, type SandboxRun } from '../helpers/sandbox-run.js';

let s: SandboxRun;
beforeAll(async () => {
  s = await startSandboxRun();
  await s.reset([{ Code: 'A1', Name: 'Ani' }]);
});
afterAll(async () => {
  await s.sb.close();
});

const lines = (stdout: string) => stdout.trimEnd().split('\n');

describe('doctor checks', () => {
  it('config: passes owner-only files, warns on an open directory, fails on an open token file with the chmod', () => {
    const dir = tempDir();
    chmodSync(dir, 0o700);
    mkdirSync(join(dir, 'tokens'), { mode: 0o700 });
    writeFileSync(join(dir, 'config.json'), '{}', { mode: 0o600 });
    writeFileSync(join(dir, 'tokens', 'a.json'), '{}', { mode: 0o600 });
    expect(checkFiles(dir, 'linux')).toMatchObject({ status: 'pass', message: `${join(dir, 'config.json')} is 0600; 1 cached token, owner-only` });
    chmodSync(dir, 0o755);
    expect(checkFiles(dir, 'linux')).toMatchObject({ status: 'warn', message: expect.stringContaining(`chmod 700 '${dir}'`) });
    chmodSync(join(dir, 'tokens', 'a.json'), 0o640);
    expect(checkFiles(dir, 'linux')).toMatchObject({ status: 'fail', code: 1, message: expect.stringContaining(`chmod 600 '${join(dir, 'tokens', 'a.json')}'`) });
  });

  it('rate-limit: pass with headroom, warn when little is left, fail when none is, skip without headers', () => {
    const h = (remaining: number) => ({ 'ratelimit-limit': '50', 'ratelimit-remaining': String(remaining), 'ratelimit-reset': '90', 'ratelimit-policy': '50;w=180' });
    expect(rateLimitCheck(h(30))).toMatchObject({ status: 'pass', message: '30 of 50 requests left in this 180 s window (resets in 90 s)' });
    expect(rateLimitCheck(h(5))).toMatchObject({ status: 'warn', message: expect.stringMatching(/^only 5 of 50/) });
    expect(rateLimitCheck(h(0))).toMatchObject({ status: 'fail', code: 75 });
    expect(rateLimitCheck({})).toMatchObject({ status: 'skip' });
  });

  it('exits 75 when the read used the last request of the window', async () => {
    s.sb.configure({ quota: 2, windowSeconds: 180 });
    try {
      const r = await s.run(['doctor']);
      expect(r.code, r.stdout).toBe(75);
      expect(lines(r.stdout).at(-3)).toMatch(/^FAIL rate-limit no requests left in this 180 s window/);
      expect(lines(r.stdout).at(-2)).toMatch(/^skip dialect +not probed: too few requests left/);
    } finally {
      s.sb.configure({ quota: null });
    }
  });

  it('uses POSCUST_TOKEN as is: no login request, the read proves it', async () => {
    const login = await s.run(['count']);
    expect(login.code).toBe(0);
    const r = await s.run(['doctor'], { env: { POSCUST_TOKEN: 'not-a-real-token', POSCUST_CLIENT_SECRET: '' } });
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('ok   login      using POSCUST_TOKEN as is');
    expect(r.stdout).toMatch(/FAIL read\s+.*401/);
    expect(r.stdout).not.toContain('not-a-real-token');
  });

  it('reports nothing and exits 2 when there is nothing to check (half-set environment)', async () => {
    const r = await runCli(['doctor'], { env: { POSCUST_BACKEND: 'dealpos' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('POSCUST_BASE_URL');
  });

  it('has the marks on a terminal', async () => {
    const r = await s.run(['doctor'], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.code, r.stdout).toBe(0);
    expect(lines(r.stdout).slice(0, -1).map((l) => l[0])).toEqual(['✓', '✓', '✓', '-', '✓', '✓', '-', '✓']);
  });
});
