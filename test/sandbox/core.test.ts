// The core must host other vendors without changes: this plugs a tiny PORTOS-like emulator
// (resources at the server root, 201/204 statuses, ProblemDetails bodies, no rate-limit headers)
// straight into SandboxServer.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CORE_CONFIG } from '../../src/sandbox/core/config.js';
import { SandboxInputError } from '../../src/sandbox/core/emulator.js';
import { SandboxServer } from '../../src/sandbox/core/server.js';
import type { BackendEmulator, EmulatorReply, EmulatorRequest, RateLimitInfo } from '../../src/sandbox/core/emulator.js';

class RootEmulator implements BackendEmulator {
  readonly name = 'fake';
  readonly basePath = '';
  items = new Map<string, { id: string }>();
  tokens = 0;
  handle(req: EmulatorRequest): EmulatorReply {
    if (req.route === '/api/auth' && req.method === 'POST') {
      this.tokens++;
      return { status: 200, body: { tokenId: 't' } };
    }
    if (req.route === '/boom') throw new Error('emulator bug');
    const m = /^\/items\/([^/]+)$/.exec(req.subPath);
    if (req.route === '/items' && req.method === 'POST') {
      const id = String((req.body as { id: string }).id);
      this.items.set(id, { id });
      return { status: 201, body: { id, _v: 1 } };
    }
    if (m && req.method === 'DELETE') {
      return this.items.delete(m[1] as string) ? { status: 204 } : this.errorReply(404, 'no such item');
    }
    return this.errorReply(404, 'not found');
  }
  isMutation(req: EmulatorRequest): boolean {
    return req.method !== 'GET' && !this.isTokenRequest(req);
  }
  isTokenRequest(req: EmulatorRequest): boolean {
    return req.route === '/api/auth';
  }
  errorReply(status: number, message: string): EmulatorReply {
    return { status, body: { type: 'about:blank', title: message, status }, headers: { 'Content-Type': 'application/problem+json' } };
  }
  quotaExceededReply(info: RateLimitInfo): EmulatorReply {
    return this.errorReply(429, `slow down ${info.resetSeconds}`);
  }
  rateLimitHeaders(): Record<string, string> {
    return {};
  }
  snapshot(): unknown {
    return [...this.items.values()];
  }
  restore(): void {}
  seed(): void {}
  customers(): unknown[] {
    return [...this.items.values()];
  }
  replaceCustomers(records: unknown): void {
    if (!Array.isArray(records)) throw new SandboxInputError('array please');
  }
  credentials() {
    return { clientId: 'u', clientSecret: 'p', deviceName: 'till-1' };
  }
  config(): Record<string, unknown> {
    return {};
  }
  configure(partial: Record<string, unknown>): void {
    const key = Object.keys(partial)[0];
    if (key !== undefined) throw new SandboxInputError(`unknown sandbox setting '${key}'`);
  }
  stats() {
    return { tokensIssued: this.tokens, customers: this.items.size };
  }
}

let server: SandboxServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('sandbox core with another emulator', () => {
  it('routes everything but /_sandbox to a root-based emulator, passing its statuses, headers and path case through', async () => {
    const fake = new RootEmulator();
    server = new SandboxServer({ backend: fake, config: { ...DEFAULT_CORE_CONFIG, quota: 5, windowSeconds: 60 }, randomSeed: 1, requestLogLimit: 100, persistence: null });
    const { port } = await server.listen(0, '127.0.0.1');
    const origin = `http://127.0.0.1:${port}`;
    expect((await fetch(`${origin}/api/auth`, { method: 'POST' })).status).toBe(200);
    const created = await fetch(`${origin}/items`, { method: 'POST', body: JSON.stringify({ id: 'AbC-1' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('ratelimit-limit')).toBeNull();
    const deleted = await fetch(`${origin}/items/AbC-1`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const missing = await fetch(`${origin}/items/abc-1`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toEqual({ type: 'about:blank', title: 'no such item', status: 404 });
    // The quota applies, in the emulator's own 429 shape.
    expect((await fetch(`${origin}/nothing`)).status).toBe(404);
    const limited = await fetch(`${origin}/items`);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { title: string }).title).toMatch(/^slow down \d+$/);
    // Control endpoints still work, and stats come from both sides.
    const stats = (await (await fetch(`${origin}/_sandbox/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ backend: 'fake', requests: 6, writes: 2, tokensIssued: 1, rateLimited: 1, customers: 0 });
    const config = await fetch(`${origin}/_sandbox/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nope: 1 }) });
    expect(config.status).toBe(400);
  });
});

describe('sandbox core robustness', () => {
  it('answers 500 in the emulator\'s shape when the emulator throws, and tells the logger', async () => {
    const errors: string[] = [];
    server = new SandboxServer({
      backend: new RootEmulator(), config: { ...DEFAULT_CORE_CONFIG }, randomSeed: 1, requestLogLimit: 10, persistence: null,
      logger: { warn: () => undefined, error: (m) => errors.push(m) },
    });
    const { port } = await server.listen(0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${port}/boom`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { status: number }).status).toBe(500);
    expect(errors.join('\n')).toMatch(/emulator bug/);
    expect(server.log.entries.at(-1)).toMatchObject({ status: 500, answered: true });
  });

  it('answers 413 to a body over maxBodyBytes', async () => {
    server = new SandboxServer({ backend: new RootEmulator(), config: { ...DEFAULT_CORE_CONFIG }, randomSeed: 1, requestLogLimit: 10, persistence: null, maxBodyBytes: 100 });
    const { port } = await server.listen(0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${port}/items`, { method: 'POST', body: JSON.stringify({ id: 'x'.repeat(200) }) });
    expect(res.status).toBe(413);
  });

  it('survives a client that disconnects mid-body, and still closes promptly', async () => {
    const fake = new RootEmulator();
    server = new SandboxServer({ backend: fake, config: { ...DEFAULT_CORE_CONFIG }, randomSeed: 1, requestLogLimit: 10, persistence: null });
    const { port } = await server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"id":');
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`http://127.0.0.1:${port}/items`, { method: 'POST', body: '{"id":"ok"}' })).status).toBe(201);
    expect(fake.customers()).toEqual([{ id: 'ok' }]);
    const t = Date.now();
    await server.close();
    server = null;
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
