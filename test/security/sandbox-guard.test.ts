// Issue 10, item 3: the sandbox is a local tool. A DNS-rebinding page (foreign Host), a web page
// (foreign Origin, or a text/plain POST that needs no preflight) gets nothing; the request log keeps
// no client secret, token, password or PIN; listening beyond loopback says so.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { poscust } from '../helpers/e2e.js';
import { startCliSandbox } from '../helpers/cli-sandbox.js';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 2, closeGraceMs: 0 });
});
afterAll(() => sb.close());

function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sb.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the sandbox answers this machine only', () => {
  it('refuses a Host that names it by a DNS name (rebinding), on control and API paths', async () => {
    for (const path of ['/_sandbox/customers', '/api/v3/Customer']) {
      const r = await raw('GET', path, { host: `rebind.attacker.example:${sb.port}` });
      expect(r.status, path).toBe(403);
      expect(r.text).not.toContain('Code');
    }
    expect((await raw('GET', '/_sandbox/stats', { host: `localhost:${sb.port}` })).status).toBe(200);
    expect((await raw('GET', '/_sandbox/stats', { host: `127.0.0.1:${sb.port}` })).status).toBe(200);
  });

  it('refuses a foreign Origin, and a control write that is not application/json', async () => {
    const before = sb.customers().length;
    const wipe = JSON.stringify([]);
    const foreign = await raw('PUT', '/_sandbox/customers', { host: `127.0.0.1:${sb.port}`, origin: 'https://evil.example', 'content-type': 'application/json' }, wipe);
    expect(foreign.status).toBe(403);
    const plain = await raw('POST', '/_sandbox/seed', { host: `127.0.0.1:${sb.port}`, 'content-type': 'text/plain' }, '{"count": 0}');
    expect(plain.status).toBe(415);
    const plainPut = await raw('PUT', '/_sandbox/customers', { host: `127.0.0.1:${sb.port}`, 'content-type': 'text/plain;charset=UTF-8' }, wipe);
    expect(plainPut.status).toBe(415);
    expect(sb.customers()).toHaveLength(before);
    const local = await raw('GET', '/_sandbox/stats', { host: `127.0.0.1:${sb.port}`, origin: `http://localhost:${sb.port}` });
    expect(local.status).toBe(200);
  });
});

describe('the request log keeps no secrets', () => {
  it('masks client secrets, tokens, Basic credentials, passwords and PINs on all three backends', async () => {
    for (const backend of ['dealpos', 'mypos', 'portos'] as const) {
      const shop = await startCliSandbox(backend);
      try {
        await shop.run(['count']);
        const text = JSON.stringify(shop.sb.requests);
        for (const secret of [shop.sb.credentials.clientSecret, shop.sb.credentials.password]) {
          if (secret) expect(text, backend).not.toContain(secret);
        }
        expect(text, backend).toContain('[redacted]');
        expect(text, backend).not.toMatch(/"authorization":"(Bearer|Basic) (?!\[redacted\])/);
      } finally {
        await shop.sb.close();
      }
    }
    const shop = await startCliSandbox('dealpos');
    try {
      await shop.reset([{ ID: 'c27bfb13-4936-43e5-bd7d-410dc8d041c2', Code: 'HW1', Name: 'Hendry' }]);
      const r = await shop.run(['pin', 'set', '--code', 'HW1', '--pin-stdin'], { stdin: '482916\n' });
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(JSON.stringify(shop.sb.requests)).not.toContain('482916');
    } finally {
      await shop.sb.close();
    }
  });
});

describe('listening beyond this machine', () => {
  it('prints the real address and a warning with --host 0.0.0.0', async () => {
    const r = await poscust(['sandbox', '--host', '0.0.0.0', '--port', '0', '--seed', '1'], { timeoutMs: 3000 });
    expect(r.stdout).toMatch(/listening on 0\.0\.0\.0:\d+ \(from this machine: http:\/\/127\.0\.0\.1:\d+\/api\/v3\)/);
    expect(r.stderr).toContain('reachable from other machines');
  });
});
