// undici's index module also loads fetch, WebSocket, the cache stores and the mock agent: about
// +60 ms of start-up measured here, against about +30 ms for the Pool and the request API alone.
// The read commands must start within 2x bare Node, so we import the two pieces directly. This is
// exactly what undici's index does (`Object.assign(Dispatcher.prototype, api)`), minus the global
// mutation: we call the request function with the dispatcher as `this`. undici is pinned exactly.
import { setFlagsFromString } from 'node:v8';
import type { Dispatcher } from 'undici';
import PoolImpl from 'undici/lib/dispatcher/pool.js';
import requestImpl from 'undici/lib/api/api-request.js';

// undici parses HTTP with llhttp compiled to WebAssembly. By default V8 later re-compiles its hot
// functions with the optimising compiler on a background thread, and Node waits for that job
// before the process can exit: about 100 ms on every one-shot command here, for code that has
// already done its work. The baseline compiler (Liftoff) is plenty for parsing headers. The flag
// must be set before undici compiles the module, which it does on the first connection.
setFlagsFromString('--liftoff-only');

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
