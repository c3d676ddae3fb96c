// Issue 15: the two wires under the HTTP client (src/http/wire.ts) pass the same suite against real
// loopback servers: answers and headers, timeouts, the size cap, redirects refused, certificates
// that do not verify, proxies (CONNECT), dropped and refused connections, Ctrl-C. undici's pool
// carries bulk work, node:http the one-shot commands; a script must not be able to tell them apart.
import { readFileSync } from 'node:fs';
import { createServer as createHttp, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeneralError, InterruptedError, TemporaryError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/redact.js';
import { systemClock } from '../../src/deps.js';
import { TLS_CERT, TLS_KEY } from '../helpers/tls.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Loopback {
  origin: string;
  /** Requests that reached the server: method, path and headers. */
  seen: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  handle: (path: string, handler: Handler) => void;
  close(): Promise<void>;
}

async function serve(secure: boolean): Promise<Loopback> {
  const routes = new Map<string, Handler>();
  const seen: Loopback['seen'] = [];
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      const handler = routes.get(req.url!.split('?')[0]!.replace(/^\/api/, ''));
      if (handler) handler(req, res, body);
      else res.writeHead(404, { 'content-type': 'application/json' }).end('{"Message":"no route"}');
    });
  };
  const server: Server = secure ? createHttps({ key: readFileSync(TLS_KEY), cert: readFileSync(TLS_CERT) }, onRequest) : createHttp(onRequest);
  server.on('connection', (s: Socket) => sockets.add(s));
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    handle: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A CONNECT proxy on loopback that counts its tunnels. */
async function proxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttp((req, res) => {
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
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.each([
  ['undici', true],
  ['node:http', false],
])('the %s wire', (_name, bulk) => {
  let plain: Loopback;
  let secure: Loopback;
  beforeAll(async () => {
    plain = await serve(false);
    secure = await serve(true);
    for (const s of [plain, secure]) {
      s.handle('/json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"n":1}'));
      s.handle('/echo', (req, res, body) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: JSON.parse(body || 'null'), ua: req.headers['user-agent'] })));
      s.handle('/silent', () => undefined);
      s.handle('/big', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5000)));
      s.handle('/big-chunked', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 10; i++) res.write('y'.repeat(500));
        res.end();
      });
      s.handle('/redirect', (_req, res) => res.writeHead(302, { location: 'https://elsewhere.test/steal' }).end());
      s.handle('/drop', (req) => req.socket.destroy());
    }
  });
  afterAll(async () => {
    await plain.close();
    await secure.close();
  });

  const client = (origin: string, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
    new HttpClient({
      baseUrl: `${origin}/api`,
      clock: systemClock,
      signal: new AbortController().signal,
      redactor: new Redactor(),
      random: () => 0,
      backoffBaseMs: 1,
      backoffCapMs: 1,
      bulk,
      ...extra,
    });

  it('sends JSON with the User-Agent, reads the JSON answer, over http and https', async () => {
    const http = client(plain.origin);
    const res = await http.request({ method: 'POST', path: '/echo', body: { a: 1 } });
    expect(res).toMatchObject({ status: 201, body: { got: { a: 1 }, ua: expect.stringMatching(/^poscust\/\S+ \(\+node \d+\.\d+\.\d+\)$/) } });
    const tls = client(secure.origin, { rejectUnauthorized: false });
    expect((await tls.request({ method: 'GET', path: '/json' })).body).toEqual({ ok: true, n: 1 });
    await http.close();
    await tls.close();
  });

  it('times out a silent server after the per-request timeout', async () => {
    const http = client(plain.origin, { timeoutMs: 150, maxRetries: 0 });
    const err = await http.request({ method: 'GET', path: '/silent' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect((err as Error).message).toMatch(/no answer within 0\.15 s/);
    await http.close();
  });

  it('refuses an answer over the size cap, with or without a length', async () => {
    const http = client(plain.origin, { maxResponseBytes: 1000 });
    for (const path of ['/big', '/big-chunked']) {
      const err = await http.request({ method: 'GET', path }).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(GeneralError);
      expect((err as Error).message).toMatch(/larger than 0 MiB|larger than/);
    }
    await http.close();
  });

  it('never follows a redirect', async () => {
    const http = client(plain.origin);
    const err = await http.request({ method: 'GET', path: '/redirect' }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('redirected');
    expect((err as Error).message).toContain('elsewhere.test');
    await http.close();
  });

  it('fails at once, without a retry, on a certificate that does not verify', async () => {
    const before = secure.seen.length;
    const http = client(secure.origin);
    const err = await http.request({ method: 'GET', path: '/json' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GeneralError);
    expect((err as Error).message).toMatch(/cannot connect to 127\.0\.0\.1:\d+ securely: the server presented a self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    expect(secure.seen.length).toBe(before);
    await http.close();
  });

  it('goes through a CONNECT proxy to an http:// and an https:// server', async () => {
    const p = await proxy();
    try {
      const choice = { uri: p.url, display: p.url, variable: 'HTTPS_PROXY' };
      const http = client(plain.origin, { proxy: choice });
      expect((await http.request({ method: 'GET', path: '/json' })).body).toEqual({ ok: true, n: 1 });
      const tls = client(secure.origin, { proxy: choice, rejectUnauthorized: false });
      expect((await tls.request({ method: 'GET', path: '/json' })).body).toEqual({ ok: true, n: 1 });
      expect(p.tunnels).toEqual(expect.arrayContaining([new URL(plain.origin).host, new URL(secure.origin).host]));
      await http.close();
      await tls.close();
    } finally {
      await p.close();
    }
  });

  it('retries a GET whose connection dropped, never a POST (it may have been applied)', async () => {
    const http = client(plain.origin, { maxRetries: 2 });
    const before = plain.seen.filter((s) => s.path === '/api/drop').length;
    const get = await http.request({ method: 'GET', path: '/drop' }).catch((e: unknown) => e);
    expect(get).toBeInstanceOf(TemporaryError);
    expect(plain.seen.filter((s) => s.path === '/api/drop').length - before).toBe(3);
    const post = await http.request({ method: 'POST', path: '/drop', body: {} }).catch((e: unknown) => e);
    expect(post).toBeInstanceOf(TemporaryError);
    expect((post as TemporaryError).maybeApplied).toBe(true);
    expect(plain.seen.filter((s) => s.path === '/api/drop').length - before).toBe(4);
    await http.close();
  });

  it('retries a POST whose connection was refused: it never reached a server', async () => {
    const gone = await serve(false);
    await gone.close();
    const http = client(gone.origin, { maxRetries: 1 });
    const err = await http.request({ method: 'POST', path: '/echo', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect((err as Error).message).toMatch(/connection refused/);
    await http.close();
  });

  it('turns Ctrl-C into an interruption while waiting for an answer', async () => {
    const controller = new AbortController();
    const http = client(plain.origin, { signal: controller.signal });
    const pending = http.request({ method: 'GET', path: '/silent' }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error('SIGINT')), 30);
    expect(await pending).toBeInstanceOf(InterruptedError);
    await http.close();
  });
});
