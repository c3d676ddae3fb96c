// The sandbox core: one `node:http` server that any vendor emulator plugs into.
//
// The core owns what every vendor shares: the socket, body parsing, the request log, latency, fault
// injection, the optional fixed-window rate limit, persistence scheduling and the `/_sandbox/*`
// control endpoints. A vendor emulator (`BackendEmulator`) owns routes, auth, state, validation and
// the shape of its error bodies, so adding MYPOS or PORTOS means writing one emulator file and
// registering it in index.ts, without touching this one.

import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mulberry32 } from './seed.js';

// ---------------------------------------------------------------------------------------------
// The contract between the core and a vendor emulator

export type FaultKind = '500' | 'drop-before' | 'drop-after' | '429' | 'slow';
export const FAULT_KINDS: readonly FaultKind[] = ['500', 'drop-before', 'drop-after', '429', 'slow'];

/** Query parameters with ASP.NET-style case-insensitive names; repeated names keep every value. */
export class QueryParams {
  private readonly values = new Map<string, string[]>();
  constructor(readonly raw: string) {
    for (const [name, value] of new URLSearchParams(raw)) {
      const key = name.toLowerCase();
      const list = this.values.get(key);
      if (list) list.push(value);
      else this.values.set(key, [value]);
    }
  }
  /** The first value of `name` (any case), or undefined. */
  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.[0];
  }
  getAll(name: string): string[] {
    return this.values.get(name.toLowerCase()) ?? [];
  }
  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }
  /** Lower-cased name -> first value. */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, list] of this.values) out[key] = list[0] ?? '';
    return out;
  }
}

export interface EmulatorRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The path as sent (percent-decoded, original case), e.g. `/api/v3/Customer/Detail`. */
  path: string;
  /** The path below the emulator's `basePath`, lower-cased, without a trailing slash (`/customer/detail`): for matching. */
  route: string;
  /** The same path in its original case, for path parameters (`/customers/C-0001`). */
  subPath: string;
  /** The path exactly as sent, still percent-encoded, so a parameter holding `/` (`A%2FB`) stays one segment. */
  rawPath: string;
  query: QueryParams;
  /** Lower-cased header names, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** Parsed body: JSON value, or a string record for `application/x-www-form-urlencoded`; undefined if empty. */
  body: unknown;
  /** Set when a body was sent but could not be parsed; the emulator answers 400 in its own format. */
  bodyError?: string;
  rawBody: string;
}

export interface EmulatorReply {
  status: number;
  /** Serialised as JSON; undefined means an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The state changed although the status is an error (MYPOS answers a refused delete with 409 and
   * makes the customer inactive instead): persist it and count the write.
   */
  changed?: boolean;
}

/** Rate-limit window as seen by one admitted (or refused) request. */
export interface RateLimitInfo {
  limit: number;
  remaining: number;
  windowSeconds: number;
  /** Whole seconds until the window ends, at least 1. */
  resetSeconds: number;
}

export interface BackendStats {
  tokensIssued: number;
  customers: number;
}

/**
 * One vendor's emulator. Everything vendor-specific lives behind this interface:
 * - routing below `basePath` (`/api/v3` for DealPOS, `/api/v2` for MYPOS, `` for PORTOS, whose
 *   resources sit at the server root), auth and token rules (MYPOS's 250 tokens a day included),
 *   statuses (MYPOS 202/204/409, PORTOS 201 and `_v` checks), and error body shapes
 *   (`{"Message"}`, `{"failureDescription"}`, ProblemDetails);
 * - state: `snapshot()`/`restore()` for persistence, `seed()`, and the customer list for the
 *   control endpoints.
 * `handle` may be async, but an emulator should apply a change synchronously once it decides to, so
 * concurrent requests never see half a change.
 */
export interface BackendEmulator {
  readonly name: string;
  /** Path prefix of the vendor API, no trailing slash; matched case-insensitively. `''` = root. */
  readonly basePath: string;
  handle(req: EmulatorRequest): Promise<EmulatorReply> | EmulatorReply;
  /** True when a successful answer to `req` means the state changed (persist, count a write). */
  isMutation(req: EmulatorRequest): boolean;
  /** True for the token/login endpoint: exempt from faults unless `faultTokenEndpoint` is on. */
  isTokenRequest(req: EmulatorRequest): boolean;
  /** The vendor's error body for a status the core produces (404 outside the API, 500 faults, 413). */
  errorReply(status: number, message: string): EmulatorReply;
  /** The vendor's answer to a request over quota (and to the spurious-429 fault). */
  quotaExceededReply(info: RateLimitInfo): EmulatorReply;
  /** Headers that describe the rate limit on every API answer while a quota is set. */
  rateLimitHeaders(info: RateLimitInfo): Record<string, string>;
  /** A JSON-safe copy of the whole state; must not change when the state changes later. */
  snapshot(): unknown;
  /** Replaces the whole state with a snapshot (or whatever the emulator accepts); throws if unusable. */
  restore(data: unknown): void;
  /** Replaces the whole state with `n` deterministic seeded customers. */
  seed(n: number): void;
  /** Copies of the customer records in list order. */
  customers(): unknown[];
  /** Replaces all customers (control endpoint); throws `SandboxInputError` on bad records. */
  replaceCustomers(records: unknown): void;
  /** The credentials this emulator accepts (shown by `poscust sandbox`). */
  credentials(): SandboxCredentials;
  /** Vendor settings changeable at run time (e.g. `codeGenerator`, `tokenTtlSeconds`). */
  config(): Record<string, unknown>;
  /** Applies vendor settings; throws `SandboxInputError` on an unknown key or bad value. */
  configure(partial: Record<string, unknown>): void;
  stats(): BackendStats;
}

/**
 * Login credentials of a sandbox. DealPOS: OAuth2 client id and secret. MYPOS: the API user's
 * e-mail and password (`username`, `password`); PORTOS: user name and password (plus `deviceName`).
 */
export interface SandboxCredentials {
  clientId?: string;
  clientSecret?: string;
  /** MYPOS API user e-mail and password; PORTOS user name and password. */
  username?: string;
  password?: string;
  [extra: string]: string | undefined;
}

/** Bad input to a control endpoint, an option or `configure()`: answered 400, or thrown to the caller. */
export class SandboxInputError extends Error {
  override name = 'SandboxInputError';
}

/** What the core needs from persistence (see persist.ts). */
export interface PersistenceHook {
  markDirty(): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): { file: string; snapshotsWritten: number; lastError: string | null };
}

export interface SandboxLogger {
  info?(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The standard-draft `RateLimit-*` headers DealPOS sends. */
export function draftRateLimitHeaders(info: RateLimitInfo): Record<string, string> {
  return {
    'RateLimit-Limit': String(info.limit),
    'RateLimit-Remaining': String(info.remaining),
    'RateLimit-Policy': `${info.limit};w=${info.windowSeconds}`,
    'RateLimit-Reset': String(info.resetSeconds),
  };
}

// ---------------------------------------------------------------------------------------------
// Core configuration, stats and the request log

export interface CoreConfig {
  /** Probability (0..1) that an API request gets a fault. */
  faults: number;
  faultKinds: FaultKind[];
  /** Delay of the `slow` fault. */
  slowMs: number;
  /** Delay added to every API answer. */
  latencyMs: number;
  /** Requests per window, all API endpoints together; null = no rate limit. */
  quota: number | null;
  windowSeconds: number;
  /** Let faults hit the token endpoint too (off: a client could not even log in with `faults: 1`). */
  faultTokenEndpoint: boolean;
}

/** Vendor defaults used in headers and messages of the spurious-429 fault when no quota is set. */
export const DEFAULT_QUOTA = 50;
export const DEFAULT_WINDOW_SECONDS = 180;

export const DEFAULT_CORE_CONFIG: Readonly<CoreConfig> = Object.freeze({
  faults: 0,
  faultKinds: [...FAULT_KINDS],
  slowMs: 2000,
  latencyMs: 0,
  quota: null,
  windowSeconds: DEFAULT_WINDOW_SECONDS,
  faultTokenEndpoint: false,
});

export interface RecordedRequest {
  /** 1-based arrival number. */
  seq: number;
  /** ISO time of arrival. */
  time: string;
  method: string;
  path: string;
  /** Raw query string without `?` (empty when none). */
  query: string;
  headers: Record<string, string | string[]>;
  /** Parsed body; the raw text when it was not valid JSON; null when empty. */
  body: unknown;
  /**
   * The status the sandbox decided on. For `drop-after` it is the status of the change that was
   * applied but never sent; for `drop-before` it is null (nothing was handled).
   */
  status: number | null;
  fault: FaultKind | null;
  /** True when a response was written; false for dropped connections. */
  answered: boolean;
  durationMs: number;
}

export interface SandboxStats {
  backend: string;
  /** API requests received (control endpoints excluded). */
  requests: number;
  controlRequests: number;
  /** Successful state-changing API requests (a `drop-after` change counts: it was applied). */
  writes: number;
  tokensIssued: number;
  /** Requests refused because the quota was used up (spurious 429 faults are under `faults`). */
  rateLimited: number;
  faults: Record<FaultKind, number>;
  /** Answered API requests by status. */
  statuses: Record<string, number>;
  customers: number;
  /** Null when the sandbox runs without a data file. */
  persistence: { file: string; snapshotsWritten: number; lastError: string | null } | null;
  randomSeed: number;
}

/** A fixed-window counter: the window opens at the first request after the previous one ended. */
export class FixedWindowLimiter {
  private windowStart = 0;
  private windowEnd = 0;
  private used = 0;
  constructor(
    private quota: number,
    private windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  reset(quota: number, windowSeconds: number): void {
    this.quota = quota;
    this.windowSeconds = windowSeconds;
    this.windowEnd = 0;
    this.used = 0;
  }

  /** Counts one request if the quota allows it. */
  admit(): { allowed: boolean; info: RateLimitInfo } {
    const now = this.now();
    if (now >= this.windowEnd) {
      this.windowStart = now;
      this.windowEnd = now + this.windowSeconds * 1000;
      this.used = 0;
    }
    const allowed = this.used < this.quota;
    if (allowed) this.used++;
    return {
      allowed,
      info: {
        limit: this.quota,
        remaining: Math.max(0, this.quota - this.used),
        windowSeconds: this.windowSeconds,
        resetSeconds: Math.max(1, Math.ceil((this.windowEnd - now) / 1000)),
      },
    };
  }

  get windowStartedAt(): number {
    return this.windowStart;
  }
}

/** The request log: an array capped at `limit` entries, oldest dropped first. It is a live view. */
export class RequestLog {
  readonly entries: RecordedRequest[] = [];
  constructor(private limit: number) {}
  push(entry: RecordedRequest): void {
    this.entries.push(entry);
    // Array#shift on a packed array is cheap in V8 (left-trimming), so this stays O(1) per request.
    while (this.entries.length > this.limit) this.entries.shift();
  }
  clear(): number {
    const n = this.entries.length;
    this.entries.length = 0;
    return n;
  }
}

// ---------------------------------------------------------------------------------------------
// The server

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

const CONTROL_PREFIX = '/_sandbox';
const JSON_TYPE = 'application/json; charset=utf-8';


function cloneHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}

function emptyFaultCounts(): Record<FaultKind, number> {
  return { '500': 0, 'drop-before': 0, 'drop-after': 0, '429': 0, slow: 0 };
}

/** Validates and merges a partial core configuration; throws SandboxInputError. */
export function mergeCoreConfig(base: CoreConfig, partial: Record<string, unknown>): CoreConfig {
  const next: CoreConfig = { ...base, faultKinds: [...base.faultKinds] };
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue;
    switch (key) {
      case 'faults':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
          throw new SandboxInputError('faults must be a probability from 0 to 1');
        }
        next.faults = value;
        break;
      case 'faultKinds': {
        const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
        if (!Array.isArray(list) || list.length === 0 || !list.every((k) => FAULT_KINDS.includes(k as FaultKind))) {
          throw new SandboxInputError(`faultKinds must be a non-empty list of: ${FAULT_KINDS.join(', ')}`);
        }
        next.faultKinds = [...new Set(list as FaultKind[])];
        break;
      }
      case 'slowMs':
      case 'latencyMs':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new SandboxInputError(`${key} must be a number of milliseconds, 0 or more`);
        }
        next[key] = value;
        break;
      case 'quota':
        if (value === null || value === 0) {
          next.quota = null;
        } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
          throw new SandboxInputError('quota must be a whole number of requests, 1 or more (null or 0 turns the limit off)');
        } else {
          next.quota = value;
        }
        break;
      case 'windowSeconds':
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
          throw new SandboxInputError('windowSeconds must be a number of seconds greater than 0');
        }
        next.windowSeconds = value;
        break;
      case 'faultTokenEndpoint':
        if (typeof value !== 'boolean') throw new SandboxInputError('faultTokenEndpoint must be true or false');
        next.faultTokenEndpoint = value;
        break;
      default:
        throw new SandboxInputError(`unknown sandbox setting '${key}'`);
    }
  }
  return next;
}

const CORE_CONFIG_KEYS: ReadonlySet<string> = new Set(Object.keys(DEFAULT_CORE_CONFIG));

export class SandboxServer {
  readonly backend: BackendEmulator;
  readonly log: RequestLog;
  private coreConfig: CoreConfig;
  private readonly server: Server;
  private readonly random: () => number;
  private readonly limiter: FixedWindowLimiter;
  private readonly persistence: PersistenceHook | null;
  private readonly logger: SandboxLogger | undefined;
  private readonly maxBodyBytes: number;
  private readonly closeGraceMs: number;
  private readonly randomSeed: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sockets = new Set<Socket>();
  /** Latency timers, cut short by close(). */
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
  private seq = 0;
  /** Set when close()'s grace period is over: requests still waiting are abandoned. */
  private cutOff = false;
  private closePromise: Promise<void> | null = null;
  private readonly counters = {
    requests: 0,
    controlRequests: 0,
    writes: 0,
    rateLimited: 0,
    faults: emptyFaultCounts(),
    statuses: {} as Record<string, number>,
  };

  constructor(opts: SandboxServerOptions) {
    this.backend = opts.backend;
    this.coreConfig = mergeCoreConfig(DEFAULT_CORE_CONFIG, { ...opts.config });
    this.randomSeed = opts.randomSeed >>> 0;
    this.random = mulberry32(this.randomSeed);
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
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
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
      faults: { ...this.counters.faults },
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
      if (this.inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...this.inFlight]),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, this.closeGraceMs);
          }),
        ]);
        clearTimeout(timer);
      }
      this.cutOff = true;
      for (const [timer, wake] of this.sleepers) {
        clearTimeout(timer);
        wake();
      }
      this.sleepers.clear();
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
      await closed;
      if (this.persistence) await this.persistence.close();
    })();
    return this.closePromise;
  }

  // -------------------------------------------------------------------------------------------

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve();
      }, ms);
      this.sleepers.set(timer, resolve);
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const qIndex = rawUrl.indexOf('?');
    const rawPath = qIndex === -1 ? rawUrl : rawUrl.slice(0, qIndex);
    const rawQuery = qIndex === -1 ? '' : rawUrl.slice(qIndex + 1);
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }

    const body = await this.readBody(req);
    if (body.aborted) return; // the client went away mid-body: nothing to answer
    if (body.tooLarge) {
      this.send(res, this.backend.errorReply(413, `Request body is larger than ${this.maxBodyBytes} bytes.`), undefined);
      return;
    }

    const lowerPath = path.toLowerCase();
    if (lowerPath === CONTROL_PREFIX || lowerPath.startsWith(CONTROL_PREFIX + '/')) {
      this.counters.controlRequests++;
      this.handleControl(method, lowerPath.replace(/\/+$/, ''), body.parsed, body.error, res);
      return;
    }

    const base = this.backend.basePath.toLowerCase();
    const inApi = base === '' || lowerPath === base || lowerPath.startsWith(base + '/');
    const subPath = (inApi ? path.slice(base.length) : path).replace(/\/+$/, '') || '/';
    const route = subPath.toLowerCase();
    const emulatorReq: EmulatorRequest = {
      method,
      path,
      route,
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
      headers: cloneHeaders(req.headers),
      body: body.error !== undefined ? body.text : body.parsed ?? null,
      status: null,
      fault: null,
      answered: false,
      durationMs: 0,
    };
    this.log.push(entry);
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

    const cfg = this.coreConfig;
    let limitHeaders: Record<string, string> | undefined;
    if (cfg.quota !== null) {
      const { allowed, info } = this.limiter.admit();
      limitHeaders = this.backend.rateLimitHeaders(info);
      if (!allowed) {
        this.counters.rateLimited++;
        if (cfg.latencyMs > 0) await this.sleep(cfg.latencyMs);
        const reply = this.backend.quotaExceededReply(info);
        entry.status = reply.status;
        finish(reply, limitHeaders);
        return;
      }
    }

    let fault: FaultKind | null = null;
    if (cfg.faults > 0 && (cfg.faultTokenEndpoint || !this.backend.isTokenRequest(emulatorReq))) {
      // Always roll twice so the sequence of faults depends only on the seed and request count.
      const hit = this.random() < cfg.faults;
      const pick = this.random();
      if (hit) fault = cfg.faultKinds[Math.floor(pick * cfg.faultKinds.length)] ?? null;
    }
    if (fault) {
      entry.fault = fault;
      this.counters.faults[fault]++;
    }

    const wait = cfg.latencyMs + (fault === 'slow' ? cfg.slowMs : 0);
    if (wait > 0) await this.sleep(wait);
    // Cut off by close(): the request is neither applied nor answered.
    if (this.cutOff) return;

    switch (fault) {
      case '500': {
        const reply = this.backend.errorReply(500, 'An error has occurred.');
        entry.status = reply.status;
        finish(reply, limitHeaders);
        return;
      }
      case 'drop-before':
        finish(null);
        return;
      case '429': {
        const info: RateLimitInfo = {
          limit: cfg.quota ?? DEFAULT_QUOTA,
          remaining: 0,
          windowSeconds: cfg.quota !== null ? cfg.windowSeconds : DEFAULT_WINDOW_SECONDS,
          resetSeconds: 1,
        };
        const reply = this.backend.quotaExceededReply(info);
        entry.status = reply.status;
        finish(reply, this.backend.rateLimitHeaders(info));
        return;
      }
      default:
        break;
    }

    let reply: EmulatorReply;
    try {
      reply = await this.backend.handle(emulatorReq);
    } catch (err) {
      // An emulator bug: answer like a server would, and say why on the logger.
      this.logger?.error(`sandbox: ${this.backend.name} failed on ${method} ${path}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      reply = this.backend.errorReply(500, 'An error has occurred.');
    }
    entry.status = reply.status;
    if ((reply.status < 400 || reply.changed === true) && this.backend.isMutation(emulatorReq)) {
      this.counters.writes++;
      this.persistence?.markDirty();
    }
    finish(fault === 'drop-after' ? null : reply, limitHeaders);
  }

  private readBody(req: IncomingMessage): Promise<{ text: string; parsed: unknown; error?: string; tooLarge?: boolean; aborted?: boolean }> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxBodyBytes) tooLarge = true;
        else chunks.push(chunk);
      });
      const abort = () => resolve({ text: '', parsed: undefined, aborted: true });
      req.on('error', abort);
      req.on('close', () => {
        if (!req.complete) abort();
      });
      req.on('end', () => {
        if (tooLarge) {
          resolve({ text: '', parsed: undefined, tooLarge: true });
          return;
        }
        const text = Buffer.concat(chunks).toString('utf8');
        if (text.trim() === '') {
          resolve({ text, parsed: undefined });
          return;
        }
        const type = (req.headers['content-type'] ?? '').toLowerCase();
        if (type.startsWith('application/x-www-form-urlencoded')) {
          resolve({ text, parsed: Object.fromEntries(new URLSearchParams(text)) });
          return;
        }
        try {
          resolve({ text, parsed: JSON.parse(text) as unknown });
        } catch (err) {
          resolve({ text, parsed: undefined, error: err instanceof Error ? err.message : String(err) });
        }
      });
    });
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

  // -------------------------------------------------------------------------------------------
  // Control endpoints: no auth, quota, faults or latency; not logged.

  private handleControl(method: string, path: string, body: unknown, bodyError: string | undefined, res: ServerResponse): void {
    const ok = (status: number, payload: unknown) => this.send(res, { status, body: payload }, undefined);
    const fail = (status: number, message: string) => ok(status, { Message: message });
    const allow = (methods: string[]): boolean => {
      if (methods.includes(method)) return true;
      this.send(res, { status: 405, body: { Message: `Use ${methods.join(' or ')} on ${path}.` }, headers: { Allow: methods.join(', ') } }, undefined);
      return false;
    };
    if (bodyError !== undefined) {
      fail(400, `Request body is not valid JSON: ${bodyError}`);
      return;
    }
    try {
      switch (path.slice(CONTROL_PREFIX.length)) {
        case '/requests':
          if (!allow(['GET', 'DELETE'])) return;
          if (method === 'GET') ok(200, this.log.entries);
          else ok(200, { Message: 'Request log cleared.', cleared: this.log.clear() });
          return;
        case '/customers':
          if (!allow(['GET', 'PUT'])) return;
          if (method === 'GET') {
            ok(200, this.backend.customers());
          } else {
            this.backend.replaceCustomers(body);
            this.persistence?.markDirty();
            ok(200, { Message: 'Customers replaced.', count: this.backend.stats().customers });
          }
          return;
        case '/seed': {
          if (!allow(['POST'])) return;
          const count = (body as { count?: unknown } | undefined)?.count;
          if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
            fail(400, 'Send {"count": n} with a whole number of customers to seed.');
            return;
          }
          this.backend.seed(count);
          this.persistence?.markDirty();
          ok(200, { Message: 'Customers seeded.', count });
          return;
        }
        case '/stats':
          if (!allow(['GET'])) return;
          ok(200, this.stats());
          return;
        case '/config':
          if (!allow(['GET', 'PUT'])) return;
          if (method === 'PUT') {
            if (body === null || typeof body !== 'object' || Array.isArray(body)) {
              fail(400, 'Send a JSON object of settings.');
              return;
            }
            this.configure(body as Record<string, unknown>);
          }
          ok(200, this.config());
          return;
        default:
          fail(404, `No sandbox control endpoint at ${path}; try /_sandbox/requests, /_sandbox/customers, /_sandbox/stats or /_sandbox/config.`);
      }
    } catch (err) {
      if (err instanceof SandboxInputError) fail(400, err.message);
      else throw err;
    }
  }
}
