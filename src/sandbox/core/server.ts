// The sandbox core: one `node:http` server that any vendor emulator plugs into (the contract is in
// emulator.ts). Per API request it logs, rate-limits, rolls the fault dice, waits the latency and
// then asks the emulator; `/_sandbox/*` goes to the control endpoints (control.ts) instead.

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { controlReply, isControlPath } from './control.js';
import { redactBody, redactHeader, redactText, refusal } from './guard.js';
import { CORE_CONFIG_KEYS, DEFAULT_CORE_CONFIG, mergeCoreConfig, type CoreConfig } from './config.js';
import type { BackendEmulator, EmulatorReply, EmulatorRequest, PersistenceHook, SandboxLogger, SandboxStats } from './emulator.js';
import { FaultDice, preemptingFaultAnswer, type FaultKind } from './faults.js';
import { QueryParams, readBody, splitUrl } from './http-input.js';
import { InFlightRequests } from './in-flight.js';
import { DEFAULT_QUOTA, FixedWindowLimiter } from './rate-limit.js';
import { RequestLog, cloneHeaders, type RecordedRequest } from './request-log.js';
import { mulberry32 } from './seed.js';

export type { SandboxStats };

export interface SandboxServerOptions {
  backend: BackendEmulator;
  config: CoreConfig;
  /** Seed of the fault dice; the same seed and the same request sequence give the same faults. */
  randomSeed: number;
  requestLogLimit: number;
  persistence: PersistenceHook | null;
  logger?: SandboxLogger;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
  /** How long `close()` lets in-flight requests finish before cutting connections. */
  closeGraceMs?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export class SandboxServer {
  readonly backend: BackendEmulator;
  readonly log: RequestLog;
  private coreConfig: CoreConfig;
  private readonly server: Server;
  private readonly dice: FaultDice;
  private readonly limiter: FixedWindowLimiter;
  private readonly persistence: PersistenceHook | null;
  private readonly logger: SandboxLogger | undefined;
  private readonly maxBodyBytes: number;
  private readonly closeGraceMs: number;
  private readonly randomSeed: number;
  private readonly inFlight = new InFlightRequests();
  private seq = 0;
  private closePromise: Promise<void> | null = null;
  private readonly counters = {
    requests: 0,
    controlRequests: 0,
    writes: 0,
    rateLimited: 0,
    statuses: {} as Record<string, number>,
  };

  constructor(opts: SandboxServerOptions) {
    this.backend = opts.backend;
    this.coreConfig = mergeCoreConfig(DEFAULT_CORE_CONFIG, { ...opts.config });
    this.randomSeed = opts.randomSeed >>> 0;
    this.dice = new FaultDice(mulberry32(this.randomSeed));
    this.log = new RequestLog(opts.requestLogLimit);
    this.limiter = new FixedWindowLimiter(this.coreConfig.quota ?? DEFAULT_QUOTA, this.coreConfig.windowSeconds);
    this.persistence = opts.persistence;
    this.logger = opts.logger;
    this.maxBodyBytes = opts.maxBodyBytes ?? 32 * 1024 * 1024;
    this.closeGraceMs = opts.closeGraceMs ?? 3000;
    this.server = createServer({ keepAlive: true }, (req, res) => {
      const work = this.onRequest(req, res).catch((err: unknown) => {
        this.logger?.error(`sandbox: unexpected error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        if (!res.headersSent && !res.destroyed) {
          this.send(res, this.backend.errorReply(500, 'An error has occurred.'), undefined);
        }
      });
      this.inFlight.track(work);
    });
    this.server.keepAliveTimeout = 5000;
    this.inFlight.watch(this.server);
    this.server.on('clientError', (_err, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  config(): CoreConfig & Record<string, unknown> {
    return { ...this.coreConfig, faultKinds: [...this.coreConfig.faultKinds], ...this.backend.config() };
  }

  /** Changes core and vendor settings at run time; all-or-nothing. */
  configure(partial: Record<string, unknown>): void {
    const core: Record<string, unknown> = {};
    const vendor: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(partial)) (CORE_CONFIG_KEYS.has(key) ? core : vendor)[key] = value;
    const next = mergeCoreConfig(this.coreConfig, core); // validates, changes nothing
    this.backend.configure(vendor); // validates everything before applying anything
    const limitChanged = next.quota !== this.coreConfig.quota || next.windowSeconds !== this.coreConfig.windowSeconds;
    this.coreConfig = next;
    // A new quota or window starts a fresh window.
    if (limitChanged) this.limiter.reset(next.quota ?? DEFAULT_QUOTA, next.windowSeconds);
  }

  stats(): SandboxStats {
    const backendStats = this.backend.stats();
    return {
      backend: this.backend.name,
      requests: this.counters.requests,
      controlRequests: this.counters.controlRequests,
      writes: this.counters.writes,
      tokensIssued: backendStats.tokensIssued,
      rateLimited: this.counters.rateLimited,
      faults: { ...this.dice.counts },
      statuses: { ...this.counters.statuses },
      customers: backendStats.customers,
      persistence: this.persistence ? this.persistence.stats() : null,
      randomSeed: this.randomSeed,
    };
  }

  /** Marks the state changed outside a request (e.g. a programmatic reseed), so it is persisted. */
  markDirty(): void {
    this.persistence?.markDirty();
  }

  /**
   * Stops accepting connections, lets in-flight requests finish for up to `closeGraceMs`, cuts
   * what is left, then writes the last state. Requests still waiting on latency when the grace
   * ends are dropped without being applied.
   */
  close(): Promise<void> {
    if (this.closePromise) return this.closePromise;
    this.closePromise = (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeIdleConnections();
      await this.inFlight.cutOffAfter(this.server, this.closeGraceMs);
      await closed;
      if (this.persistence) await this.persistence.close();
    })();
    return this.closePromise;
  }

  // -------------------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const { rawPath, rawQuery, path } = splitUrl(req.url ?? '/');

    const body = await readBody(req, this.maxBodyBytes);
    if (body.aborted) return; // the client went away mid-body: nothing to answer
    if (body.tooLarge) {
      this.send(res, this.backend.errorReply(413, `Request body is larger than ${this.maxBodyBytes} bytes.`), undefined);
      return;
    }

    const refused = refusal({ host: req.headers.host, origin: req.headers.origin });
    if (refused !== null) {
      this.send(res, this.backend.errorReply(403, refused), undefined);
      return;
    }

    const lowerPath = path.toLowerCase();
    if (isControlPath(lowerPath)) {
      this.counters.controlRequests++;
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      this.send(res, controlReply(this, method, lowerPath.replace(/\/+$/, ''), body.parsed, body.error, type), undefined);
      return;
    }

    const base = this.backend.basePath.toLowerCase();
    const inApi = base === '' || lowerPath === base || lowerPath.startsWith(base + '/');
    const subPath = (inApi ? path.slice(base.length) : path).replace(/\/+$/, '') || '/';
    const emulatorReq: EmulatorRequest = {
      method,
      path,
      route: subPath.toLowerCase(),
      subPath,
      rawPath,
      query: new QueryParams(rawQuery),
      headers: req.headers,
      body: body.parsed,
      rawBody: body.text,
      ...(body.error !== undefined ? { bodyError: body.error } : {}),
    };
    this.counters.requests++;
    const entry: RecordedRequest = {
      seq: ++this.seq,
      time: new Date(started).toISOString(),
      method,
      path,
      query: rawQuery,
      // Secrets clients send (client_secret, passwords, PINs, tokens) never stay in the log.
      headers: redactHeaders(cloneHeaders(req.headers)),
      body: body.error !== undefined ? redactText(body.text) : redactBody(body.parsed ?? null),
      status: null,
      fault: null,
      answered: false,
      durationMs: 0,
    };
    this.log.push(entry);
    /** Records the answer and sends it; null cuts the connection without one. */
    const finish = (reply: EmulatorReply | null, extraHeaders?: Record<string, string>) => {
      entry.durationMs = Date.now() - started;
      if (reply === null) {
        res.socket?.destroy();
        req.socket.destroy();
        return;
      }
      entry.answered = true;
      this.counters.statuses[reply.status] = (this.counters.statuses[reply.status] ?? 0) + 1;
      this.send(res, reply, extraHeaders);
    };

    if (!inApi) {
      const reply = this.backend.errorReply(404, `No HTTP resource was found that matches the request URI '${path}'.`);
      entry.status = reply.status;
      finish(reply);
      return;
    }
    await this.answerApi(emulatorReq, entry, finish);
  }

  /** Quota, faults, latency, then the emulator: the life of one API request after it is logged. */
  private async answerApi(
    req: EmulatorRequest,
    entry: RecordedRequest,
    finish: (reply: EmulatorReply | null, extraHeaders?: Record<string, string>) => void,
  ): Promise<void> {
    const cfg = this.coreConfig;
    let limitHeaders: Record<string, string> | undefined;
    if (cfg.quota !== null) {
      const { allowed, info } = this.limiter.admit();
      limitHeaders = this.backend.rateLimitHeaders(info);
      if (!allowed) {
        this.counters.rateLimited++;
        if (cfg.latencyMs > 0) await this.inFlight.sleep(cfg.latencyMs);
        const reply = this.backend.quotaExceededReply(info);
        entry.status = reply.status;
        finish(reply, limitHeaders);
        return;
      }
    }

    let fault: FaultKind | null = null;
    if (cfg.faults > 0 && (cfg.faultTokenEndpoint || !this.backend.isTokenRequest(req))) fault = this.dice.roll(cfg);
    entry.fault = fault;

    const wait = cfg.latencyMs + (fault === 'slow' ? cfg.slowMs : 0);
    if (wait > 0) await this.inFlight.sleep(wait);
    // Cut off by close(): the request is neither applied nor answered.
    if (this.inFlight.cutOff) return;

    const preempted = fault === null ? null : preemptingFaultAnswer(fault, this.backend, cfg, limitHeaders);
    if (preempted === 'drop') {
      finish(null);
      return;
    }
    if (preempted) {
      entry.status = preempted.reply.status;
      finish(preempted.reply, preempted.headers);
      return;
    }

    let reply: EmulatorReply;
    try {
      reply = await this.backend.handle(req);
    } catch (err) {
      // An emulator bug: answer like a server would, and say why on the logger.
      this.logger?.error(`sandbox: ${this.backend.name} failed on ${req.method} ${req.path}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      reply = this.backend.errorReply(500, 'An error has occurred.');
    }
    entry.status = reply.status;
    if ((reply.status < 400 || reply.changed === true) && this.backend.isMutation(req)) {
      this.counters.writes++;
      this.persistence?.markDirty();
    }
    finish(fault === 'drop-after' ? null : reply, limitHeaders);
  }

  private send(res: ServerResponse, reply: EmulatorReply, extraHeaders: Record<string, string> | undefined): void {
    if (res.destroyed || res.headersSent) return;
    const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const headers: Record<string, string | number> = { ...extraHeaders, ...reply.headers };
    // An emulator may set its own type (PORTOS answers application/problem+json).
    if (payload !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = JSON_TYPE;
    headers['Content-Length'] = Buffer.byteLength(payload);
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}

function redactHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redactHeader(name, value);
  return out;
}
