// Issue 11, items 10 to 18: the everyday commands at their edges. Each case is the one the issue
// reproduced; each fails on the code before the fix.
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configDir } from '../../src/config/paths.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';
import { HENDRY, SITI } from '../helpers/customers.js';
import { BIN, poscust, startSandboxProcess } from '../helpers/e2e.js';
import { dealposEnv, runCli, tempDir } from '../helpers/harness.js';

let shop: CliSandbox;
beforeAll(async () => {
  shop = await startCliSandbox('dealpos');
});
afterAll(() => shop.sb.close());

describe('where the config lives (item 10)', () => {
  it('ignores an empty HOME and a relative XDG_CONFIG_HOME instead of using the current folder', async () => {
    const cwd = tempDir();
    const xdg = tempDir();
    const { spawnSync } = await import('node:child_process');
    const add = (env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, 'profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', 'myshop', '--client-id', 'c1', '--client-secret-stdin', '--no-check'], {
        cwd,
        env: { PATH: process.env.PATH ?? '', ...env },
        input: 'secret-value-1',
        encoding: 'utf8',
      });
    const empty = add({ HOME: '', XDG_CONFIG_HOME: xdg });
    expect(empty.status, empty.stderr).toBe(0);
    expect(existsSync(join(xdg, 'poscust', 'config.json'))).toBe(true);
    const home = tempDir();
    const relative = add({ HOME: home, XDG_CONFIG_HOME: 'relative-config' });
    expect(relative.status, relative.stderr).toBe(0);
    expect(existsSync(join(home, '.config', 'poscust', 'config.json'))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    expect(configDir({ XDG_CONFIG_HOME: 'rel' }, '/home/a', 'linux')).toBe('/home/a/.config/poscust');
  });
});

describe('an empty store (item 11)', () => {
  it('treats a 0-byte store as empty: profile add works', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '', { mode: 0o600 });
    const r = await runCli(['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', 'myshop', '--client-id', 'c1', '--client-secret-stdin', '--no-check'], {
      configDir: dir,
      stdin: 'secret-value-1',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).profiles.shop.backend).toBe('dealpos');
  });
});

describe('doctor --format json (item 12)', () => {
  it('prints complete JSON with a row for every check when the token cache is group-readable', async () => {
    const dir = tempDir();
    expect((await shop.run(['count'], { configDir: dir })).result.code).toBe(0);
    const token = join(dir, 'tokens', readdirSync(join(dir, 'tokens')).find((f) => f.endsWith('.json'))!);
    chmodSync(token, 0o640);
    const r = await shop.run(['doctor', '--format', 'json'], { configDir: dir });
    expect(r.result.code).toBe(1);
    const rows = JSON.parse(r.result.stdout) as { check: string; status: string }[];
    expect(rows.map((x) => x.check)).toEqual(['config', 'profile', 'reachable', 'tls', 'login', 'read', 'rate-limit', 'dialect']);
    expect(rows.map((x) => x.status)).toEqual(['fail', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip']);
  });
});

describe('answers that are not JSON (items 13 and 17)', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.endsWith('/auth/token')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in to the portal</html>');
      if (req.url?.endsWith('/Token/OAuth2')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"tok-123456789","expires_in":3600}');
      if (req.url?.includes('Code=EMPTY')) return void res.writeHead(200, { 'content-type': 'application/json' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ID": "x", "Name": "cut sh');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('MYPOS: an HTML page with 200 on login is exit 1 "expected JSON", not "login refused" (exit 4)', async () => {
    const env = { POSCUST_BACKEND: 'mypos', POSCUST_BASE_URL: `${origin}/api/v2`, POSCUST_USERNAME: 'api@shop.test', POSCUST_PASSWORD: 'pw-123456' };
    const r = await runCli(['count'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('expected a JSON object as the token answer from POST 127.0.0.1');
    expect(r.stderr).toContain('got text/html: "<html>Sign in to the portal</html>"; is the base URL right?');
  });

  it('says "an empty answer" and "invalid JSON", not "got null" and "not a JSON object"', async () => {
    const empty = await runCli(['get', '--code', 'EMPTY'], { env: dealposEnv(`${origin}/api/v3`) });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('got an empty answer');
    const cut = await runCli(['get', '--code', 'CUT'], { env: dealposEnv(`${origin}/api/v3`) });
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/got invalid JSON \(.*\): "\{\\"ID\\": \\"x\\", \\"Name\\": \\"cut sh"/);
  });
});

describe('export --output checked first (item 14)', () => {
  it('refuses a missing folder before any request', async () => {
    const path = join(tempDir(), 'no-such-folder', 'all.csv');
    const r = await shop.run(['export', '--output', path]);
    expect(r.result.code).toBe(2);
    expect(r.result.stderr).toContain('does not exist');
    expect(r.sent).toHaveLength(0);
  });
});

describe('profile add with plain http (item 15)', () => {
  it('refuses a non-loopback http:// URL even with --no-check, and stores --allow-insecure-http', async () => {
    const dir = tempDir();
    const args = ['profile', 'add', 'lan', '--backend', 'portos', '--base-url', 'http://10.0.0.5', '--username', 'u', '--device-name', 'till', '--password-stdin', '--no-check'];
    const r = await runCli(args, { configDir: dir, stdin: 'pw-123456' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to send credentials over plain http:// to 10.0.0.5');
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    const allowed = await runCli([...args, '--allow-insecure-http'], { configDir: dir, stdin: 'pw-123456' });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).profiles.lan.allowInsecureHttp).toBe(true);
  });
});

describe('several identifiers (item 16)', () => {
  it('get prints every --code given; a write command refuses the same option twice', async () => {
    await shop.reset([HENDRY, SITI]);
    const r = await shop.run(['get', '--code', HENDRY.Code, '--code', SITI.Code, '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    expect((JSON.parse(r.result.stdout) as { Code: string }[]).map((c) => c.Code)).toEqual([HENDRY.Code, SITI.Code]);
    const missing = await shop.run(['get', '--code', HENDRY.Code, '--code', 'NOPE', '--format', 'json']);
    expect(missing.result.code).toBe(3);
    expect(JSON.parse(missing.result.stdout)).toHaveLength(1);
    const twice = await shop.run(['suspend', '--code', HENDRY.Code, '--code', SITI.Code]);
    expect(twice.result.code).toBe(2);
    expect(twice.result.stderr).toContain("given twice ('HWCISAP' and 'TIA20887')");
    expect(twice.sent).toHaveLength(0);
  });
});

describe('messages (item 17)', () => {
  it('suggests the option of the command at hand, and its own --help', async () => {
    const suspend = await runCli(['suspend', '--mobile', '0812'], { env: dealposEnv() });
    expect(suspend.code).toBe(2);
    expect(suspend.stderr).toBe("poscust: unknown option '--mobile' (did you mean --phone?); see poscust suspend --help\n");
    const pin = await runCli(['pin', 'check', '--email', 'a@b.c'], { env: dealposEnv() });
    expect(pin.stderr).toContain('see poscust pin check --help');
  });

  it('says a number is too large instead of "null is not a number"', async () => {
    const file = join(tempDir(), 'big.json');
    writeFileSync(file, '{"Name": "X", "LoyaltyPoint": 1e400}');
    const r = await runCli(['create', '--from-json', file], { env: dealposEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('poscust: LoyaltyPoint: the number is too large (beyond what a number field can hold)\n');
  });

  it('accepts POSCUST_BACKEND in any case', async () => {
    const r = await shop.run(['count'], { env: { POSCUST_BACKEND: 'DealPOS' } });
    expect(r.result.code, r.result.stderr).toBe(0);
  });

  it('exits 143 on SIGTERM and 130 on SIGINT, saving an import\'s progress', async () => {
    const sb = await startSandboxProcess(['--seed', '0', '--latency', '50']);
    try {
      const dir = tempDir();
      const file = join(dir, 'slow.csv');
      writeFileSync(file, `Code,Name\n${Array.from({ length: 200 }, (_, i) => `S${i},Name ${i}`).join('\n')}\n`);
      for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
        const { spawn } = await import('node:child_process');
        const child = spawn(process.execPath, [BIN, 'import', file, '--mode', 'create', ...(code === 130 ? ['--resume'] : [])], {
          env: { PATH: process.env.PATH ?? '', HOME: dir, ...sb.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
        await new Promise((resolve) => setTimeout(resolve, 700));
        child.kill(signal);
        expect(await exited, stderr).toBe(code);
        expect(stderr).toContain(code === 143 ? 'terminated after' : 'interrupted after');
        expect(existsSync(`${file}.poscust-journal`)).toBe(true);
      }
      const done = await poscust(['import', file, '--mode', 'create', '--resume', '--format', 'json'], { env: sb.env });
      expect(done.code, done.stderr).toBe(0);
      expect((await sb.control<unknown[]>('/_sandbox/customers')).length).toBe(200);
    } finally {
      await sb.stop();
    }
  });
});

describe('write commands print one shape (item 18)', () => {
  it('delete and unsuspend under --format json print {action, identifier, id, code, server}; --format csv a header and one row', async () => {
    await shop.reset([HENDRY, SITI]);
    const un = await shop.run(['unsuspend', '--code', SITI.Code, '--format', 'json']);
    expect(JSON.parse(un.result.stdout)).toEqual({
      action: 'unsuspended',
      identifier: SITI.Code,
      id: null,
      code: SITI.Code,
      server: { Message: 'The contact has been successfully unsuspended.' },
    });
    const del = await shop.run(['delete', '--code', HENDRY.Code, '--yes', '--format', 'json']);
    expect(JSON.parse(del.result.stdout)).toEqual({ action: 'deleted', identifier: HENDRY.Code, id: null, code: HENDRY.Code, server: { Message: 'Record deleted' } });
    const csv = await shop.run(['suspend', '--code', SITI.Code, '--format', 'csv']);
    expect(csv.result.stdout).toBe(`action,identifier,id,code,server\nsuspended,${SITI.Code},,${SITI.Code},"{""Message"":""The contact has been successfully suspended.""}"\n`);
  });
});
