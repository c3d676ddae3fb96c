// The security rules, each proven through a command: plain http only to this machine, owner-only
// credential files, no redirect followed (nothing reaches the other host), a size cap and a clear
// error for an answer that is not JSON, and secrets scrubbed from every error path, stack traces
// under --verbose included. Real loopback servers stand in for a misbehaving shop.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/backends/connection.js';
import { tokenCacheFor } from '../../src/config/token-cache.js';
import { dealposEnv, runCli, strictAgent, tempDir } from '../helpers/harness.js';

const SECRET = 'super-secret-value-123';
const servers: Server[] = [];

interface Fake {
  origin: string;
  requests: string[];
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Fake> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** A DealPOS-shaped shop whose login works and whose customer endpoints answer with `answer`. */
function shop(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Fake> {
  return serve((req, res) => {
    if (req.url?.endsWith('/Token/OAuth2')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-abcdef-123456', expires_in: 3600 }));
    } else {
      answer(req, res);
    }
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.closeAllConnections() ?? s.close(resolve))));
});

describe('plain http only to this machine', () => {
  it('refuses http:// to another host before any request, exit 2; --allow-insecure-http lets it through', async () => {
    const agent = strictAgent();
    const env = dealposEnv('http://shop.example.com/api/v3');
    const refused = await runCli(['count'], { env, dispatcher: agent });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to send credentials over plain http:// to shop.example.com');
    expect(agent.getCallHistory()?.calls() ?? []).toHaveLength(0);

    const pool = agent.get('http://shop.example.com');
    pool.intercept({ path: '/api/v3/Token/OAuth2', method: 'POST' }).reply(200, { access_token: 'tok-1234567', expires_in: 3600 });
    pool.intercept({ path: /\/api\/v3\/Customer\/WithTotalCount/, method: 'GET' }).reply(200, { TotalCount: 7, DataArray: [] });
    const allowed = await runCli(['--allow-insecure-http', 'count'], { env, dispatcher: agent });
    expect(allowed).toMatchObject({ code: 0, stdout: '7\n' });
  });

  it('counts only loopback addresses as this machine', () => {
    const resolve = (url: string) => () => resolveConnection({ env: { POSCUST_BACKEND: 'dealpos', POSCUST_BASE_URL: url }, store: () => ({ profiles: {} }) });
    for (const ok of ['http://localhost:8080/api/v3', 'http://127.0.0.9/api/v3', 'http://[::1]:8080/api/v3']) {
      expect(resolve(ok), ok).not.toThrow();
    }
    for (const bad of ['http://api.localhost/v3', 'http://127.0.0.1.nip.io/api/v3', 'http://localhost.example.com/api/v3', 'http://10.0.0.5', 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0:8080']) {
      expect(resolve(bad), bad).toThrow(/plain http/);
    }
  });
});

describe('owner-only credential files', () => {
  it('refuses a token cache other users can read, saying the chmod, before any request', async () => {
    const configDir = tempDir();
    const env = dealposEnv();
    const cache = tokenCacheFor(configDir, { backend: 'dealpos', baseUrl: env.POSCUST_BASE_URL!, clientId: env.POSCUST_CLIENT_ID });
    mkdirSync(join(configDir, 'tokens'), { recursive: true, mode: 0o700 });
    writeFileSync(cache.file, JSON.stringify({ token: 'tok', expiresAt: Date.now() + 3_600_000 }), { mode: 0o644 });
    chmodSync(cache.file, 0o644);
    const agent = strictAgent();
    const r = await runCli(['count'], { env, configDir, dispatcher: agent });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`chmod 600 '${cache.file}'`);
    expect(agent.getCallHistory()?.calls() ?? []).toHaveLength(0);
  });
});

describe('redirects', () => {
  it('never follows one: the login secret and the bearer token never reach the other host', async () => {
    const evil = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const redirecting = await serve((req, res) => res.writeHead(307, { location: `${evil.origin}${req.url}` }).end());
    const login = await runCli(['count'], { env: dealposEnv(`${redirecting.origin}/api/v3`) });
    expect(login.code).toBe(1);
    expect(login.stderr).toContain(`redirected POST /Token/OAuth2 to ${evil.origin}/api/v3/Token/OAuth2`);
    expect(login.stderr).toContain('does not follow redirects');
    expect(redirecting.requests).toEqual(['POST /api/v3/Token/OAuth2']);

    const bearer = await runCli(['count'], { env: { ...dealposEnv(`${redirecting.origin}/api/v3`), POSCUST_TOKEN: 'tok-live-123456' } });
    expect(bearer.code).toBe(1);
    expect(bearer.stderr).toContain('redirected GET /Customer/WithTotalCount');
    expect(evil.requests).toEqual([]);
  });
});

describe('answers that are not customer JSON', () => {
  it('says an HTML page is not the JSON it expected, and suggests the base URL (exit 1)', async () => {
    const html = await shop((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please sign in</body></html>'));
    const r = await runCli(['count'], { env: dealposEnv(`${html.origin}/api/v3`) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `poscust: expected a JSON object as the customer count from GET ${html.origin.slice(7)}/api/v3/Customer/WithTotalCount (HTTP 200), ` +
        'got text/html: "<html><body>Please sign in</body></html>"; is the base URL right?\n',
    );
  });

  it('stops reading an endless answer at the cap, and refuses a declared oversize one at once (exit 1, no retry)', async () => {
    const endless = await shop((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.destroy());
      pump();
    });
    const r = await runCli(['count'], { env: dealposEnv(`${endless.origin}/api/v3`) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is larger than 64 MiB; refusing to read it');
    expect(endless.requests.filter((q) => q.includes('WithTotalCount'))).toHaveLength(1);

    const declared = await shop((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) });
      res.write('[');
    });
    const started = Date.now();
    const d = await runCli(['count'], { env: dealposEnv(`${declared.origin}/api/v3`) });
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('larger than 64 MiB');
    expect(Date.now() - started).toBeLessThan(5000);
  }, 20_000);
});

describe('secrets in error paths', () => {
  /** A transport that fails the way a buggy layer might: with the secret in its message. */
  const leaky = {
    dispatch() {
      throw new Error(`socket hang up while sending client_secret=${SECRET}`);
    },
  } as unknown as Dispatcher;

  it('scrubs the secret from the error line, the JSON error, the --verbose log and its stack trace', async () => {
    const plain = await runCli(['count'], { env: dealposEnv(), dispatcher: leaky });
    expect(plain.code).toBe(75);
    expect(plain.stderr).toContain('client_secret=[redacted]');
    expect(plain.stderr.trimEnd().split('\n')).toHaveLength(1);

    const json = await runCli(['count', '--format', 'json'], { env: dealposEnv(), dispatcher: leaky });
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 75, kind: 'temporary', message: expect.stringContaining('[redacted]') });

    const verbose = await runCli(['--verbose', 'count'], { env: dealposEnv(), dispatcher: leaky });
    expect(verbose.code).toBe(75);
    expect(verbose.stderr).toMatch(/^< socket hang up while sending client_secret=\[redacted\]/m);
    expect(verbose.stderr).toMatch(/^Error: socket hang up while sending client_secret=\[redacted\]\n\s+at /m);
    for (const r of [plain, json, verbose]) expect(r.stderr + r.stdout).not.toContain(SECRET);
  });
});
