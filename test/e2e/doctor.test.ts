// `poscust doctor` with the built binary against a sandbox process: healthy, a refused secret, the
// sandbox stopped, over TLS (a local TLS front for the sandbox with a test certificate, trusted or
// not), and a profile store other users can read.
import { chmodSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';
import { TLS_CERT, startTlsFront, type TlsFront } from '../helpers/tls.js';
const CHECKS = ['config', 'profile', 'reachable', 'tls', 'login', 'read', 'rate-limit', 'dialect'];

let sb: SandboxProcess;
let front: TlsFront;
let frontUrl: string;

beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '4', '--quota', '50', '--window', '180']);
  // TLS in front of the sandbox, as a real shop's server would be.
  front = await startTlsFront(sb.info.port);
  frontUrl = `${front.origin}/api/v3`;
});

afterAll(async () => {
  await front.close();
  await sb.stop();
});

/** The plain-text report: [mark, check, message] per line, and the summary. */
function parse(stdout: string): { rows: [string, string, string][]; summary: string } {
  const lines = stdout.trimEnd().split('\n');
  const summary = lines.pop()!;
  return { rows: lines.map((l) => [l.slice(0, 4).trim(), l.slice(5, 15).trim(), l.slice(16)] as [string, string, string]), summary };
}

describe('poscust doctor', () => {
  it('passes every check against a healthy sandbox, in plain text off a terminal', async () => {
    const r = await poscust(['doctor'], { env: sb.env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const { rows, summary } = parse(r.stdout);
    expect(rows.map((x) => x[1])).toEqual(CHECKS);
    expect(rows.map((x) => x[0])).toEqual(['ok', 'ok', 'ok', 'skip', 'ok', 'ok', 'ok', 'ok']);
    expect(rows[7]![2]).toBe('list rows carry every field; the total is TotalCount; ListID takes repeated ID parameters');
    expect(rows[4]![2]).toBe(`logged in as client '${sb.info.clientId}'`);
    expect(rows[6]![2]).toMatch(/^\d+ of 50 requests left in this 180 s window/);
    expect(summary).toBe('all checks passed');
    expect(r.stdout).not.toContain(sb.info.clientSecret);
  });

  it('prints the checks as a JSON array with --format json', async () => {
    const r = await poscust(['doctor', '--format', 'json'], { env: sb.env });
    expect(r.code).toBe(0);
    const checks = JSON.parse(r.stdout) as { check: string; status: string; message: string; code: number | null }[];
    expect(checks.map((c) => [c.check, c.status])).toEqual(CHECKS.map((c) => [c, c === 'tls' ? 'skip' : 'pass']));
    expect(checks.every((c) => c.code === null && typeof c.message === 'string')).toBe(true);
  });

  it('fails the login with exit 4 on a wrong secret, and keeps the cached token that still works', async () => {
    const env = { ...sb.env, POSCUST_CONFIG_DIR: tempDir() };
    expect((await poscust(['count'], { env })).code).toBe(0);
    const tokens = readdirSync(join(env.POSCUST_CONFIG_DIR, 'tokens'));
    const r = await poscust(['doctor'], { env: { ...env, POSCUST_CLIENT_SECRET: 'not-the-secret' } });
    expect(r.code).toBe(4);
    const { rows, summary } = parse(r.stdout);
    expect(rows.slice(4).map((x) => [x[0], x[1]])).toEqual([['FAIL', 'login'], ['skip', 'read'], ['skip', 'rate-limit'], ['skip', 'dialect']]);
    expect(rows[4]![2]).toContain('refused the client credentials');
    expect(summary).toBe('1 check failed: login');
    expect(r.stdout + r.stderr).not.toContain('not-the-secret');
    expect(readdirSync(join(env.POSCUST_CONFIG_DIR, 'tokens'))).toEqual(tokens);
  });

  it('says the shop is unreachable (exit 75) when the sandbox is stopped, and skips the rest', async () => {
    const gone = await startSandboxProcess(['--seed', '0']);
    await gone.stop();
    const r = await poscust(['doctor', '--timeout', '3'], { env: gone.env });
    expect(r.code).toBe(75);
    const { rows, summary } = parse(r.stdout);
    expect(rows.map((x) => x[0])).toEqual(['ok', 'ok', 'FAIL', 'skip', 'skip', 'skip', 'skip', 'skip']);
    expect(rows[2]![2]).toBe(`cannot reach 127.0.0.1:${gone.info.port}: connection refused`);
    expect(summary).toBe('1 check failed: reachable');
  });

  it("says what a server speaks where it differs from the contract (sandbox --dialect all)", async () => {
    const odd = await startSandboxProcess(['--seed', '5', '--dialect', 'all']);
    try {
      const r = await poscust(['doctor'], { env: odd.env });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const dialect = parse(r.stdout).rows.find((x) => x[1] === 'dialect')!;
      expect(dialect[0]).toBe('ok');
      expect(dialect[2]).toMatch(/^list rows carry 10 of 22 fields \(not Address, Gender, Group, ExpiredGroup, …\): exports and tables read full records, 100 per request/);
      expect(dialect[2]).toContain('rows also carry NationalIDNumber, NationalityID, ExpiredDate, StateID (kept and exported)');
      expect(dialect[2]).toContain('the total is RecordsCount; ListID takes a POST with a JSON array of IDs');
      // Learned, so the next command goes straight there.
      const again = await poscust(['get', '--id', 'x', '--id', 'y', '--verbose'], { env: odd.env });
      expect(again.stderr).toContain('ListID: 127.0.0.1');
      expect(again.stderr).toContain('takes a POST with a JSON array of IDs (remembered for this server)');
    } finally {
      await odd.stop();
    }
  });

  it('checks a MYPOS connection the same way (Basic login, one-row read)', async () => {
    const mypos = await startSandboxProcess(['--backend', 'mypos', '--seed', '2']);
    try {
      const r = await poscust(['doctor'], { env: mypos.env });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const { rows } = parse(r.stdout);
      expect(rows[1]![2]).toBe(`POSCUST_* variables: mypos at ${mypos.info.baseUrl}`);
      expect(rows[4]).toEqual(['ok', 'login', `logged in as '${String(mypos.info.username)}'`]);
      expect(rows[5]![0]).toBe('ok');
      const bad = await poscust(['doctor'], { env: { ...mypos.env, POSCUST_PASSWORD: 'wrong-password-1' } });
      expect(bad.code).toBe(4);
      expect(parse(bad.stdout).rows[4]![0]).toBe('FAIL');
    } finally {
      await mypos.stop();
    }
  });

  it('checks a PORTOS connection (user, password and device)', async () => {
    const portos = await startSandboxProcess(['--backend', 'portos', '--seed', '2']);
    try {
      const r = await poscust(['doctor'], { env: portos.env });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const { rows } = parse(r.stdout);
      expect(rows[4]).toEqual(['ok', 'login', `logged in as '${String(portos.info.username)}' on device '${String(portos.info.deviceName)}'`]);
      expect(rows[5]![0]).toBe('ok');
    } finally {
      await portos.stop();
    }
  });

  it('checks TLS: a trusted certificate passes end to end, an untrusted one fails with exit 1 (waiting will not fix it)', async () => {
    const env = { ...sb.env, POSCUST_BASE_URL: frontUrl, POSCUST_CONFIG_DIR: tempDir() };
    const trusted = await poscust(['doctor'], { env: { ...env, NODE_EXTRA_CA_CERTS: TLS_CERT } });
    expect(trusted.code, trusted.stdout + trusted.stderr).toBe(0);
    const tls = parse(trusted.stdout).rows[3]!;
    expect(tls[0]).toBe('ok');
    expect(tls[2]).toMatch(/^TLSv1\.[23], certificate for localhost valid until \d{4}-\d\d-\d\d \(\d+ days\)$/);

    const untrusted = await poscust(['doctor'], { env });
    expect(untrusted.code).toBe(1);
    const rows = parse(untrusted.stdout).rows;
    expect(rows[3]![0]).toBe('FAIL');
    expect(rows[3]![2]).toContain('self-signed certificate');
    expect(rows.slice(4).every((x) => x[0] === 'skip')).toBe(true);
  });

  it('reports NODE_TLS_REJECT_UNAUTHORIZED=0 as a failure, and --insecure-tls as a warning', async () => {
    const env = { ...sb.env, POSCUST_BASE_URL: frontUrl, POSCUST_CONFIG_DIR: tempDir(), NODE_EXTRA_CA_CERTS: TLS_CERT };
    const off = await poscust(['doctor'], { env: { ...env, NODE_TLS_REJECT_UNAUTHORIZED: '0' } });
    expect(off.code).toBe(2);
    const rows = parse(off.stdout).rows;
    expect(rows[3]![0]).toBe('FAIL');
    expect(rows[3]![2]).toContain('NODE_TLS_REJECT_UNAUTHORIZED=0 is set');
    expect(rows.slice(4).every((x) => x[0] === 'skip')).toBe(true);

    const untrusted = { ...env, NODE_EXTRA_CA_CERTS: undefined };
    const accepted = await poscust(['--insecure-tls', 'doctor'], { env: untrusted });
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
    const tls = parse(accepted.stdout).rows[3]!;
    expect(tls[0]).toBe('warn');
    expect(tls[2]).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(tls[2]).toContain('--insecure-tls');
    expect(accepted.stderr).toContain('is not checked');
  });

  it('fails on a profile store other users can read (exit 1), naming the chmod, and checks nothing else', async () => {
    const configDir = tempDir();
    const add = await poscust(
      ['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', sb.info.baseUrl, '--client-id', sb.info.clientId, '--client-secret-stdin'],
      { env: { POSCUST_CONFIG_DIR: configDir }, input: sb.info.clientSecret },
    );
    expect(add.code, add.stderr).toBe(0);
    const healthy = await poscust(['doctor'], { env: { POSCUST_CONFIG_DIR: configDir } });
    expect(healthy.code, healthy.stdout).toBe(0);
    expect(parse(healthy.stdout).rows[1]![2]).toBe(`profile 'shop': dealpos at ${sb.info.baseUrl}`);

    chmodSync(join(configDir, 'config.json'), 0o644);
    const r = await poscust(['doctor'], { env: { POSCUST_CONFIG_DIR: configDir } });
    expect(r.code).toBe(1);
    const { rows } = parse(r.stdout);
    expect(rows[0]![0]).toBe('FAIL');
    expect(rows[0]![2]).toContain(`chmod 600 '${join(configDir, 'config.json')}'`);
    expect(rows.slice(1).every((x) => x[0] === 'skip')).toBe(true);
  });
});
