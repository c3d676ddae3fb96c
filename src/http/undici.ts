// The wire for bulk work (wire.ts): undici's keep-alive Pool. undici's index module also loads
// fetch, WebSocket, the cache stores and the mock agent (about +60 ms of start-up measured here,
// against about +30 ms for the Pool and the request API alone), so we import the two pieces
// directly. This is exactly what undici's index does (`Object.assign(Dispatcher.prototype, api)`),
// minus the global mutation: we call the request function with the dispatcher as `this`. undici is
// pinned exactly. (No V8 flag is changed at run time: it would invalidate the code cache of the
// chunks, bin/poscust.cjs; one-shot commands, where llhttp's WebAssembly tier-up delayed the exit,
// use node:http instead.)
import type { Dispatcher } from 'undici';
import PoolImpl from 'undici/lib/dispatcher/pool.js';
import requestImpl from 'undici/lib/api/api-request.js';
import type { Wire, WireOptions, WireRequest, WireResponse } from './wire.js';

const POOL_OPTIONS = {
  pipelining: 1,
  keepAliveTimeout: 10_000,
  // Our own per-request timeout governs; these only stop a silent socket holding a slot forever.
  headersTimeout: 0,
  bodyTimeout: 0,
};

export function createPool(origin: string, connections: number, rejectUnauthorized: boolean): Dispatcher {
  return new PoolImpl(origin, { ...POOL_OPTIONS, connections, connect: { rejectUnauthorized } });
}

/**
 * Requests through a proxy: a CONNECT tunnel per connection, loaded only when a proxy is set. The
 * proxy's own client needs undici's `connect` API, which undici's index adds to every dispatcher
 * by mutating Dispatcher.prototype; we give it to that one client instead.
 */
export async function createProxied(proxyUri: string, connections: number, rejectUnauthorized: boolean): Promise<Dispatcher> {
  const [{ default: ProxyAgentImpl }, { default: connectImpl }] = await Promise.all([
    import('undici/lib/dispatcher/proxy-agent.js'),
    import('undici/lib/api/api-connect.js'),
  ]);
  return new ProxyAgentImpl({
    ...POOL_OPTIONS,
    uri: proxyUri,
    connections,
    requestTls: { rejectUnauthorized },
    clientFactory: (origin: URL, opts: object) => Object.assign(new PoolImpl(origin, opts), { connect: connectImpl }),
  });
}

export function dispatch(dispatcher: Dispatcher, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return requestImpl.call(dispatcher, opts);
}

export class UndiciWire implements Wire {
  private dispatcher: Promise<Dispatcher> | undefined;

  /** `injected`: a dispatcher the caller owns (tests' MockAgent), never destroyed here. */
  constructor(
    private readonly opts: WireOptions,
    private readonly injected?: Dispatcher,
  ) {}

  private get pool(): Promise<Dispatcher> {
    const { origin, connections, rejectUnauthorized, proxy } = this.opts;
    return (this.dispatcher ??= this.injected
      ? Promise.resolve(this.injected)
      : proxy
        ? createProxied(proxy.uri, connections, rejectUnauthorized)
        : Promise.resolve(createPool(origin, connections, rejectUnauthorized)));
  }

  async exchange(req: WireRequest): Promise<WireResponse> {
    // Without a signal of its own the request is timed out by undici (headers, then each pause in
    // the body), and Ctrl-C destroys the pool (abort()): no controller, timer or listener per row.
    const own = req.signal ? { signal: req.signal } : { headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs };
    const res = await dispatch(await this.pool, { origin: this.opts.origin, method: req.method as Dispatcher.HttpMethod, path: req.path, headers: req.headers, body: req.body, ...own });
    return { statusCode: res.statusCode, headers: res.headers, body: res.body as AsyncIterable<Buffer>, destroy: () => res.body.destroy() };
  }

  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    if (d && !this.injected) await (await d).destroy().catch(() => undefined);
  }

  abort(): void {
    if (!this.injected) void this.close();
  }
}
