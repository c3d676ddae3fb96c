// Issue 10, items 4, 6 and 11: certificates are checked whatever the environment says, a
// certificate error is final (exit 1, no retries), `*.localhost` is not this machine, and proxies
// from the environment are honoured as curl does without ever carrying credentials in clear.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/backends/connection.js';
import { bypasses, proxyFor } from '../../src/http/proxy.js';
import { poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';
import { TLS_CERT, startTlsFront, type TlsFront } from '../helpers/tls.js';

let sb: SandboxProcess;
let front: TlsFront;

beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '3']);
  front = await startTlsFront(sb.info.port);
});
afterAll(async () => {
  await front.close();
  await sb.stop();
});

function tlsEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...sb.env, POSCUST_BASE_URL: `${front.origin}/api/v3`, POSCUST_CONFIG_DIR: tempDir(), ...extra };
}

describe('certificates', () => {
  it('sends no credentials under NODE_TLS_REJECT_UNAUTHORIZED=0 unless --insecure-tls is given (exit 2, nothing sent)', async () => {
    const seen = front.requests.length;
    const r = await poscust(['count'], { env: tlsEnv({ NODE_TLS_REJECT_UNAUTHORIZED: '0' }) });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off');
    expect(r.stderr).toContain('--insecure-tls');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(front.requests.length).toBe(seen);
  });

  it('fails on an untrusted certificate with exit 1 at once, no retries and no stack; --insecure-tls gets through with a warning', async () => {
    const seen = front.requests.length;
    const r = await poscust(['count'], { env: tlsEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('self-signed certificate');
    expect(r.stderr).toContain('nothing was sent');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(front.requests.length).toBe(seen);

    const insecure = await poscust(['--insecure-tls', 'count'], { env: tlsEnv() });
    expect(insecure.code, insecure.stderr).toBe(0);
    expect(insecure.stdout).toBe('3\n');
    expect(insecure.stderr).toContain('warning: --insecure-tls: the certificate of 127.0.0.1');
  });

  it('trusts a certificate through NODE_EXTRA_CA_CERTS as before', async () => {
    const r = await poscust(['count'], { env: tlsEnv({ NODE_EXTRA_CA_CERTS: TLS_CERT }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('3\n');
  });
});

describe('this machine', () => {
  it('counts only localhost, 127/8 and ::1 as loopback, never a *.localhost name', () => {
    const resolve = (url: string) => () => resolveConnection({ env: { POSCUST_BACKEND: 'portos', POSCUST_BASE_URL: url }, store: () => ({ profiles: {} }) });
    for (const ok of ['http://localhost:8080', 'http://127.0.0.1', 'http://127.255.0.9:1', 'http://[::1]:8080']) expect(resolve(ok), ok).not.toThrow();
    for (const bad of ['http://evil.localhost', 'http://api.localhost/v3', 'http://localhost.', 'http://127.0.0.1.nip.io']) {
      expect(resolve(bad), bad).toThrow(/plain http/);
    }
  });
});

/** A CONNECT proxy on loopback that records what it tunnels. */
async function connectProxy(): Promise<{ url: string; tunnels: string[]; plain: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const plain: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    // A proxy request in absolute form (no tunnel).
    plain.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    const up = httpRequest({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (a) => {
      res.writeHead(a.statusCode ?? 502, a.headers);
      a.pipe(res);
    });
    req.pipe(up);
  });
  server.on('connection', (s) => sockets.add(s));
  server.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    plain,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('proxies from the environment', () => {
  it('goes through HTTPS_PROXY to an https:// shop, in a CONNECT tunnel', async () => {
    const proxy = await connectProxy();
    try {
      const r = await poscust(['count'], { env: tlsEnv({ NODE_EXTRA_CA_CERTS: TLS_CERT, HTTPS_PROXY: proxy.url }) });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('3\n');
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(proxy.tunnels.every((t) => t === `127.0.0.1:${front.port}`)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('goes through HTTP_PROXY on loopback to an http:// shop, and straight past it for NO_PROXY hosts', async () => {
    const proxy = await connectProxy();
    try {
      const r = await poscust(['count'], { env: { ...sb.env, HTTP_PROXY: proxy.url } });
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.tunnels.length + proxy.plain.length).toBeGreaterThan(0);
      const before = proxy.tunnels.length + proxy.plain.length;
      const direct = await poscust(['count'], { env: { ...sb.env, HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' } });
      expect(direct.code, direct.stderr).toBe(0);
      expect(proxy.tunnels.length + proxy.plain.length).toBe(before);
    } finally {
      await proxy.close();
    }
  });

  it('refuses to send credentials for an http:// shop through a proxy on another machine (exit 2, nothing sent)', async () => {
    const r = await poscust(['count'], { env: { ...sb.env, http_proxy: 'http://proxy.example.com:3128' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('through the proxy http://proxy.example.com:3128 (http_proxy)');
    expect(r.stderr).toContain('NO_PROXY');
  });

  it('reads the variables as curl does', () => {
    const https = new URL('https://shop.dealpos.net/api/v3');
    const http = new URL('http://10.0.0.5:8080');
    expect(proxyFor(https, {})).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'proxy:3128' })).toMatchObject({ uri: 'http://proxy:3128/', variable: 'HTTPS_PROXY' });
    expect(proxyFor(https, { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' })?.display).toBe('http://a:1');
    expect(proxyFor(https, { HTTP_PROXY: 'http://a:1' })).toBeUndefined();
    expect(proxyFor(https, { ALL_PROXY: 'http://a:1' })?.variable).toBe('ALL_PROXY');
    expect(proxyFor(https, { HTTPS_PROXY: 'http://a:1', NO_PROXY: '.dealpos.net' })).toBeUndefined();
    expect(proxyFor(http, { HTTP_PROXY: 'http://127.0.0.1:3128' })?.display).toBe('http://127.0.0.1:3128');
    expect(() => proxyFor(http, { HTTP_PROXY: 'http://proxy.lan:3128' })).toThrow(/in clear/);
    expect(() => proxyFor(https, { HTTPS_PROXY: 'socks5://a:1' })).toThrow(/not socks5/);
    expect(bypasses('*', 'any.host', 443)).toBe(true);
    expect(bypasses('example.com', 'shop.example.com', 443)).toBe(true);
    expect(bypasses('example.com', 'badexample.com', 443)).toBe(false);
    expect(bypasses('shop.example.com:8443', 'shop.example.com', 443)).toBe(false);
    expect(bypasses('shop.example.com:443', 'shop.example.com', 443)).toBe(true);
    expect(bypasses('10.0.0.0/8', '10.1.2.3', 80)).toBe(true);
    expect(bypasses('10.0.0.0/8', '11.1.2.3', 80)).toBe(false);
    expect(bypasses('[::1]:8080', '[::1]', 8080)).toBe(true);
  });
});
