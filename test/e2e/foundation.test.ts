// The built binary against `poscust sandbox` over real HTTP: what a user and a cron job see.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';

interface Stats {
  tokensIssued: number;
  requests: number;
  rateLimited: number;
  faults: Record<string, number>;
}
interface Logged {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  status: number | null;
}

let sb: SandboxProcess;
let someone: { ID: string; Code: string; Email: string; Mobile: string; Name: string };

beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '120']);
  const all = await sb.control<(typeof someone)[]>('/_sandbox/customers');
  someone = all.find((c) => c.Code && c.Email && c.Mobile)!;
});
afterAll(async () => {
  await sb?.stop();
});

describe('read commands against the sandbox', () => {
  it('gets by code, id, email and mobile, and shows the same customer', async () => {
    for (const [flag, value] of [
      ['--code', someone.Code],
      ['--id', someone.ID],
      ['--email', someone.Email],
      ['--mobile', someone.Mobile],
    ] as const) {
      const r = await poscust(['get', flag, value, '--format', 'json'], { env: sb.env });
      expect(r.stderr, flag).toBe('');
      expect(r.code, flag).toBe(0);
      expect(JSON.parse(r.stdout), flag).toMatchObject({ ID: someone.ID, Code: someone.Code });
    }
  });

  it('counts, lists a page, and lists --all as NDJSON matching the count', async () => {
    const count = await poscust(['count'], { env: sb.env });
    expect(count.stdout).toBe('120\n');
    const page = await poscust(['list', '--page-size', '10', '--page', '2', '--json'], { env: sb.env });
    expect(JSON.parse(page.stdout)).toHaveLength(10);
    const all = await poscust(['list', '--all', '--page-size', '50', '--format', 'ndjson'], { env: sb.env });
    expect(all.code).toBe(0);
    const ids = all.stdout.trim().split('\n').map((l) => JSON.parse(l).ID);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it('exits 3 for an unknown customer, 2 for a usage error with the hint', async () => {
    const nf = await poscust(['get', '--code', 'NO-SUCH-CODE'], { env: sb.env });
    expect(nf.code).toBe(3);
    expect(nf.stderr).toBe("poscust: customer with Code 'NO-SUCH-CODE' not found\n");
    const bad = await poscust(['list', '--nmae', 'x'], { env: sb.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--nmae'");
    expect(bad.stderr).toContain('poscust list --help');
    const unknown = await poscust(['lsit'], { env: sb.env });
    expect(unknown.code).toBe(2);
  });

  it('exits 4 on a wrong secret, printing neither secret', async () => {
    const r = await poscust(['count'], {
      env: { ...sb.env, POSCUST_CONFIG_DIR: tempDir(), POSCUST_CLIENT_SECRET: 'wrong-secret-value-77' },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("refused the client credentials of client id 'sandbox'");
    expect(r.stderr).not.toContain('wrong-secret-value-77');
  });

  it('logs in once for two invocations (token cached on disk, owner-only)', async () => {
    const env = { ...sb.env, POSCUST_CONFIG_DIR: tempDir() };
    const before = await sb.control<Stats>('/_sandbox/stats');
    expect((await poscust(['count'], { env })).code).toBe(0);
    expect((await poscust(['get', '--code', someone.Code], { env })).code).toBe(0);
    const after = await sb.control<Stats>('/_sandbox/stats');
    expect(after.tokensIssued - before.tokensIssued).toBe(1);
    const tokenDir = join(env.POSCUST_CONFIG_DIR, 'tokens');
    expect(statSync(env.POSCUST_CONFIG_DIR).mode & 0o777).toBe(0o700);
    expect(statSync(tokenDir).mode & 0o777).toBe(0o700);
  });

  it('--verbose shows the exchange with the secret and tokens redacted', async () => {
    const env = { ...sb.env, POSCUST_CONFIG_DIR: tempDir() };
    const r = await poscust(['--verbose', 'get', '--code', someone.Code], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('> POST http://127.0.0.1');
    expect(r.stderr).toContain('/api/v3/Token/OAuth2');
    expect(r.stderr).toContain('authorization: Bearer [redacted]');
    expect(r.stderr).toContain('"client_secret":"[redacted]"');
    expect(r.stderr).toContain('"access_token":"[redacted]"');
    expect(r.stderr).not.toContain(sb.info.clientSecret);
    const cached = JSON.parse(readFileSync(join(env.POSCUST_CONFIG_DIR, 'tokens', (await import('node:fs')).readdirSync(join(env.POSCUST_CONFIG_DIR, 'tokens'))[0]!), 'utf8'));
    expect(r.stderr).not.toContain(cached.token);
  });

  it('never colours output that is not a terminal, and honours NO_COLOR', async () => {
    const plain = await poscust(['list', '--page-size', '3'], { env: sb.env });
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = await poscust(['list', '--page-size', '3'], { env: { ...sb.env, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[');
    const noColor = await poscust(['list', '--page-size', '3'], { env: { ...sb.env, FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('works from a stored profile, and refuses an unknown one with exit 3', async () => {
    const configDir = tempDir();
    const add = await poscust(
      ['profile', 'add', 'rehearsal', '--backend', 'dealpos', '--base-url', sb.info.baseUrl, '--client-id', sb.info.clientId, '--client-secret-stdin'],
      { env: { POSCUST_CONFIG_DIR: configDir }, input: `${sb.info.clientSecret}\n` },
    );
    expect(add.code).toBe(0);
    expect(statSync(join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
    const r = await poscust(['count'], { env: { POSCUST_CONFIG_DIR: configDir } });
    expect(r.stdout).toBe('120\n');
    const missing = await poscust(['--profile', 'nope', 'count'], { env: { POSCUST_CONFIG_DIR: configDir } });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("no profile named 'nope'");
  });
});

describe('resilience against the sandbox', () => {
  it('waits out a 429 (from RateLimit-Reset) and finishes', async () => {
    const limited = await startSandboxProcess(['--seed', '5', '--quota', '3', '--window', '2']);
    try {
      const env = { ...limited.env, POSCUST_CONFIG_DIR: tempDir() };
      // login + 3 gets = 4 requests against a quota of 3 per 2 s: at least one 429 to wait out.
      for (let i = 0; i < 3; i++) {
        const r = await poscust(['get', '--code', 'C-00001', '--json'], { env });
        expect(r.code, r.stderr).toBe(0);
      }
      const stats = await limited.control<Stats>('/_sandbox/stats');
      expect(stats.rateLimited).toBeGreaterThanOrEqual(1);
      const log = await limited.control<Logged[]>('/_sandbox/requests');
      expect(log.filter((l) => l.status === 200)).toHaveLength(4);
    } finally {
      await limited.stop();
    }
  });

  it('retries reads through injected 500s and dropped connections', async () => {
    const faulty = await startSandboxProcess(['--seed', '30', '--faults', '0.5', '--fault-kinds', '500,drop-before', '--random-seed', '7']);
    try {
      const env = { ...faulty.env, POSCUST_CONFIG_DIR: tempDir() };
      for (let i = 0; i < 4; i++) {
        const r = await poscust(['list', '--page-size', '5', '--json'], { env });
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toHaveLength(5);
      }
      const stats = await faulty.control<Stats>('/_sandbox/stats');
      expect(stats.faults['500']! + stats.faults['drop-before']!).toBeGreaterThan(0);
    } finally {
      await faulty.stop();
    }
  });

  it('exits 75 naming the host when the server is unreachable', async () => {
    const r = await poscust(['count'], {
      env: { ...sb.env, POSCUST_CONFIG_DIR: tempDir(), POSCUST_BASE_URL: 'http://127.0.0.1:9/api/v3' },
    });
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('connection refused');
    expect(r.stderr).toContain('127.0.0.1:9');
  });
});
