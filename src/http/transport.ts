// One attempt on the wire: the wire of the command's kind (wire.ts: undici's pool for bulk work,
// node:http for a handful of requests; loaded on first use, so a command that sends nothing loads
// neither), the per-request timeout, Ctrl-C, the response size cap, and the `--verbose` log of the
// exchange. Whether to try again, and when, is decided by the client (client.ts).
import type { Dispatcher } from 'undici';
import type { Clock } from '../deps.js';
import { GeneralError, InterruptedError, PoscustError } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { HttpResponse, RequestSpec } from './types.js';
import { ExchangeLog } from './exchange-log.js';
import { type TransportFailure, classifyFailure } from './failures.js';
import type { ProxyChoice } from './proxy.js';
import type { Headers } from './ratelimit.js';
import { chooseWire, type Wire, type WireKind, type WireResponse } from './wire.js';
import { MAX_JSON_DEPTH, jsonNestedDeeperThan } from '../util/json-depth.js';
import { VERSION } from '../version.js';

/** How poscust names itself to the vendors (their API dashboards show it): `poscust/0.1.0 (+node 20.20.2)`. */
export const USER_AGENT = `poscust/${VERSION} (+node ${process.versions.node})`;

export interface TransportOptions {
  origin: string;
  host: string;
  clock: Clock;
  signal: AbortSignal;
  redactor: Redactor;
  timeoutMs: number;
  connections: number;
  maxResponseBytes: number;
  /** Verify the server's certificate; passed explicitly, so no inherited or global default decides. */
  rejectUnauthorized: boolean;
  proxy?: ProxyChoice;
  log?: (line: string) => void;
  dispatcherFor?: (origin: string) => Dispatcher;
  /** Bulk work (several requests in flight): undici's pool rather than node:http (wire.ts). */
  bulk?: boolean;
}

/** What `send` throws when no answer came, marked so the client can tell it from its own errors. */
export type TransportFailureThrown = TransportFailure & { failure: true };

export class HttpTransport {
  private wire: Promise<Wire> | undefined;
  /** Which wire this transport uses (wire.ts decides). */
  readonly wireKind: WireKind;
  /** Requests put on the wire (every attempt counts). */
  requestsSent = 0;
  private readonly exchanges: ExchangeLog;
  /** The timeout controllers of the requests in flight: Ctrl-C aborts them all through one listener. */
  private readonly inFlight = new Set<AbortController>();
  /**
   * Whether each request has a controller and a timer of its own (node:http; an injected
   * dispatcher, which is not ours to destroy), or undici's own pool times requests out and Ctrl-C
   * destroys it: a bulk job then spends no controller, timer or listener per row.
   */
  private readonly perRequest: boolean;

  constructor(private readonly opts: TransportOptions) {
    this.wireKind = chooseWire({ bulk: opts.bulk, injected: opts.dispatcherFor !== undefined });
    this.perRequest = this.wireKind === 'node' || opts.dispatcherFor !== undefined;
    this.exchanges = new ExchangeLog(opts.log, opts.redactor);
    // One listener for the job, not one per request.
    opts.signal.addEventListener(
      'abort',
      () => {
        for (const c of this.inFlight) c.abort(opts.signal.reason);
        if (!this.perRequest) void this.wire?.then((w) => w.abort?.());
      },
      { once: true },
    );
  }

  /**
   * Sends `spec` to `path` (base path and query included) once. Throws InterruptedError on Ctrl-C,
   * a PoscustError for an answer too large to read, and a TransportFailureThrown when no answer came.
   */
  async send(spec: RequestSpec, path: string, authorization: string | undefined): Promise<HttpResponse> {
    const wire = await this.getWire();
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT, ...spec.headers };
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (authorization) headers['authorization'] = authorization;
    this.exchanges.request(spec.method, `${this.opts.origin}${path}`, headers, spec.body);

    if (this.opts.signal.aborted) throw new InterruptedError();
    let timeout: AbortController | undefined;
    let timer: NodeJS.Timeout | undefined;
    if (this.perRequest) {
      const controller = (timeout = new AbortController());
      timer = setTimeout(() => controller.abort(new Error('timeout')), this.opts.timeoutMs);
      this.inFlight.add(controller);
    }
    const started = this.opts.clock.now();
    this.requestsSent++;
    try {
      const res = await wire.exchange({
        method: spec.method,
        path,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(timeout ? { signal: timeout.signal } : {}),
        timeoutMs: this.opts.timeoutMs,
      });
      const declared = Number(res.headers['content-length']);
      if (declared > this.opts.maxResponseBytes) {
        res.destroy();
        throw this.tooLarge();
      }
      const text = await this.readBody(res);
      const contentType = String(res.headers['content-type'] ?? '');
      if (jsonNestedDeeperThan(text)) {
        // Malformed, not temporary: the same server would send the same answer again.
        throw new GeneralError(`the answer from ${this.opts.host} to ${spec.method} ${path.split('?')[0]} is nested more than ${MAX_JSON_DEPTH} levels deep; refusing to read it (is the base URL right?)`);
      }
      const parsed = parseBody(text, contentType);
      const response: HttpResponse = {
        status: res.statusCode,
        headers: res.headers as Headers,
        body: parsed.body,
        contentType,
        endpoint: `${spec.method} ${this.opts.host}${path.split('?')[0]}`,
        ...(parsed.invalidJson !== undefined ? { invalidJson: parsed.invalidJson } : {}),
      };
      this.exchanges.response(response, text, this.opts.clock.now() - started);
      return response;
    } catch (err) {
      if (this.opts.signal.aborted) throw new InterruptedError();
      if (err instanceof PoscustError) throw err;
      const failure = classifyFailure(err, timeout?.signal.aborted ?? false, this.opts.timeoutMs);
      this.exchanges.failure(failure, this.opts.clock.now() - started);
      if (failure.permanent) {
        throw new GeneralError(
          `cannot connect to ${this.opts.host} securely: ${failure.description.replace(/^TLS failed: /, '')}; nothing was sent. ` +
            'If the shop uses its own certificate authority, point NODE_EXTRA_CA_CERTS at its certificate',
          { cause: err },
        );
      }
      throw Object.assign(failure, { failure: true, error: err });
    } finally {
      if (timeout) {
        clearTimeout(timer);
        this.inFlight.delete(timeout);
      }
    }
  }

  /**
   * Releases the connections. Called when the command is over and nothing is in flight, so the
   * keep-alive sockets are destroyed rather than closed gracefully: a one-shot command should not
   * wait on a socket teardown to exit.
   */
  async close(): Promise<void> {
    const wire = this.wire;
    this.wire = undefined;
    if (wire) await (await wire).close();
  }

  private getWire(): Promise<Wire> {
    const { origin, connections, rejectUnauthorized, proxy, dispatcherFor } = this.opts;
    const options = { origin, connections, rejectUnauthorized, ...(proxy ? { proxy } : {}) };
    return (this.wire ??=
      this.wireKind === 'node'
        ? import('./node-wire.js').then(({ NodeWire }) => new NodeWire(options))
        : import('./undici.js').then(({ UndiciWire }) => new UndiciWire(options, dispatcherFor?.(origin))));
  }

  private async readBody(res: WireResponse): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > this.opts.maxResponseBytes) {
        res.destroy();
        throw this.tooLarge();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** No customer answer is this big: a wrong URL or a misbehaving server. Retrying would not help. */
  private tooLarge(): GeneralError {
    const mib = Math.round(this.opts.maxResponseBytes / 1048576);
    return new GeneralError(`the answer from ${this.opts.host} is larger than ${mib} MiB; refusing to read it (is the base URL right?)`);
  }
}

function parseBody(text: string, contentType: string): { body: unknown; invalidJson?: string } {
  if (!text) return { body: null };
  const looksJson = /json/i.test(contentType) || /^\s*[[{"]/.test(text);
  if (looksJson) {
    try {
      return { body: JSON.parse(text) };
    } catch (err) {
      return { body: text, invalidJson: (err as Error).message };
    }
  }
  return { body: text };
}
