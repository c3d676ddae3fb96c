// The HTTP client every backend talks through: one keep-alive undici Pool per origin, a per-request
// timeout, bounded retries with full-jitter backoff for requests that are safe to repeat, 429
// handled by waiting as the vendor says, one token renewal on 401, and `--verbose` logs of each
// exchange with every secret redacted.
import type { Dispatcher } from 'undici';
import type { Clock } from '../deps.js';
import { AuthError, GeneralError, InterruptedError, PoscustError, TemporaryError } from '../errors.js';
import type { Redactor } from '../redact.js';
import { type Headers, messageOf, retryAfterSeconds } from './ratelimit.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

export interface RequestSpec {
  method: HttpMethod;
  /** Path below the base URL, starting with '/'. Build it with `urlPath` so values are encoded. */
  path: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Whether sending it twice is harmless (default: every method but POST). A non-idempotent request
   * whose answer is lost is never re-sent: the caller gets a TemporaryError with `maybeApplied`.
   */
  idempotent?: boolean;
  /** Send the Authorization header of the client's auth scheme (default true). */
  auth?: boolean;
  /** Extra values to scrub from logs for this request (a PIN, a password). */
  secrets?: string[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text (or null when empty). */
  body: unknown;
  contentType: string;
}

/** Supplies the Authorization header and renews it once when the server answers 401. */
export interface AuthScheme {
  header(): Promise<string>;
  /** Called with the rejected header value; true when a fresh credential is ready to retry with. */
  renew(rejected: string): Promise<boolean>;
}

/** Hooks for a pacer that keeps a bulk job inside the vendor's quota. */
export interface RequestObserver {
  before?(spec: RequestSpec, signal: AbortSignal): Promise<void>;
  after?(response: HttpResponse, spec: RequestSpec): void;
  /** The attempt ended without an answer (connection failure, timeout, abort, failed login). */
  failed?(spec: RequestSpec): void;
}

export interface HttpClientOptions {
  baseUrl: string;
  clock: Clock;
  signal: AbortSignal;
  redactor: Redactor;
  timeoutMs?: number;
  /** Retries after the first attempt for 5xx, timeouts and connection failures. */
  maxRetries?: number;
  /** How many 429s in a row to wait out before giving up. */
  maxRateLimitRetries?: number;
  /** The longest single 429 wait we accept; a longer one is reported as exit 75 at once. */
  maxRateLimitWaitMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  connections?: number;
  maxResponseBytes?: number;
  auth?: AuthScheme;
  observer?: RequestObserver;
  /** `--verbose` sink: each exchange, already redacted. */
  log?: (line: string) => void;
  /** User-facing notices (rate-limit waits, retries) for stderr. */
  notice?: (line: string) => void;
  dispatcherFor?: (origin: string) => Dispatcher;
  random?: () => number;
  /** Turns an error body into a message (vendors differ: Message, failureDescription, ProblemDetails). */
  describeBody?: (body: unknown) => string | undefined;
  /**
   * Called before a request that may change data (any method but GET, except logins) goes out. It may
   * throw to stop it: `--dry-run` records the request and stops there, while the reads a
   * read-merge-write backend needs still happen. Adapters need no dry-run code of their own.
   */
  beforeWrite?: (spec: RequestSpec, url: string) => void;
}

const LOG_BODY_LIMIT = 4000;

/** Encodes every interpolated value as one path segment: `urlPath\`/customers/${code}\``. */
export function urlPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += encodePathSegment(String(v)) + (strings[i + 1] ?? '');
  });
  return out;
}

export function encodePathSegment(value: string): string {
  // "." and ".." would be collapsed by URL normalisation on the way; encode them as data.
  if (value === '.' || value === '..') return value.replace(/\./g, '%2E');
  return encodeURIComponent(value);
}

export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values as (string | number | boolean)[]) {
      // `$` stays literal in names (`$skip`, `$take`): some OData-style servers match `$`-names before decoding.
      parts.push(`${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(String(v))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

interface Failure {
  /** The request may have reached the server (so a non-idempotent one may have been applied). */
  sent: boolean;
  description: string;
  code: string;
  /** What undici threw, kept as the cause (its stack shows under --verbose, redacted). */
  error?: unknown;
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function classify(err: unknown, timedOut: boolean, timeoutMs: number): Failure {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? 'UNKNOWN';
  if (timedOut) return { sent: true, description: `no answer within ${timeoutMs / 1000} s`, code: 'TIMEOUT' };
  if (NOT_SENT_CODES.has(code)) {
    const what = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code;
    return { sent: false, description: what, code };
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return { sent: true, description: 'connection closed before an answer arrived', code };
  }
  return { sent: true, description: e?.message ?? String(err), code };
}

export class HttpClient {
  readonly origin: string;
  readonly host: string;
  private readonly basePath: string;
  private readonly opts: Required<
    Pick<
      HttpClientOptions,
      | 'timeoutMs'
      | 'maxRetries'
      | 'maxRateLimitRetries'
      | 'maxRateLimitWaitMs'
      | 'backoffBaseMs'
      | 'backoffCapMs'
      | 'connections'
      | 'maxResponseBytes'
      | 'random'
    >
  > &
    HttpClientOptions;
  private dispatcher: Dispatcher | undefined;
  private undici: typeof import('./undici.js') | undefined;
  auth: AuthScheme | undefined;
  observer: RequestObserver | undefined;
  beforeWrite: HttpClientOptions['beforeWrite'];
  /** Requests put on the wire (every attempt counts). */
  requestsSent = 0;
  /** The timeout controllers of the requests in flight: Ctrl-C aborts them all through one listener. */
  private readonly inFlight = new Set<AbortController>();

  constructor(options: HttpClientOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.host = url.host;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.opts = {
      timeoutMs: 30_000,
      maxRetries: 3,
      maxRateLimitRetries: 3,
      maxRateLimitWaitMs: 300_000,
      backoffBaseMs: 300,
      backoffCapMs: 8_000,
      connections: 10,
      maxResponseBytes: 64 * 1024 * 1024,
      random: Math.random,
      ...options,
    };
    this.auth = options.auth;
    this.observer = options.observer;
    this.beforeWrite = options.beforeWrite;
    // One listener rather than one per request: a bulk job has dozens in flight, and each listener
    // added and removed per request showed up as garbage surviving into the old generation.
    options.signal.addEventListener(
      'abort',
      () => {
        for (const c of this.inFlight) c.abort(options.signal.reason);
      },
      { once: true },
    );
  }

  /** The URL a request goes to (also what `--dry-run` prints). */
  urlFor(spec: Pick<RequestSpec, 'path' | 'query'>): string {
    return `${this.origin}${this.basePath}${spec.path}${buildQuery(spec.query)}`;
  }

  async request(spec: RequestSpec): Promise<HttpResponse> {
    const idempotent = spec.idempotent ?? spec.method !== 'POST';
    for (const s of spec.secrets ?? []) this.opts.redactor.add(s);
    if (spec.method !== 'GET' && spec.auth !== false) this.beforeWrite?.(spec, this.urlFor(spec));
    let retries = 0;
    let rateLimitRetries = 0;
    let renewed = false;
    for (;;) {
      if (this.opts.signal.aborted) throw new InterruptedError();
      await this.observer?.before?.(spec, this.opts.signal);
      let authorization: string | undefined;
      try {
        authorization = spec.auth !== false && this.auth ? await this.auth.header() : undefined;
      } catch (err) {
        this.observer?.failed?.(spec);
        throw err;
      }

      let response: HttpResponse;
      try {
        response = await this.send(spec, authorization);
      } catch (err) {
        this.observer?.failed?.(spec);
        if (err instanceof PoscustError) throw err;
        const failure = err as Failure & { failure: true };
        if ((idempotent || !failure.sent) && retries < this.opts.maxRetries) {
          retries++;
          await this.backoff(retries, `${failure.description}`);
          continue;
        }
        const attempts = retries + 1;
        const unknown = failure.sent && !idempotent;
        throw new TemporaryError(
          `${failure.description} (${spec.method} ${this.host}${this.basePath}${spec.path.split('?')[0]}` +
            `${attempts > 1 ? `, ${attempts} attempts` : ''})` +
            (unknown ? '; the change may or may not have been applied' : ''),
          { maybeApplied: unknown, cause: failure.error },
        );
      }
      this.observer?.after?.(response, spec);

      if (response.status === 401 && authorization !== undefined && this.auth) {
        if (!renewed) {
          renewed = true;
          if (await this.auth.renew(authorization)) continue;
        }
        throw new AuthError(
          `${this.host} refused the credentials (401${this.detail(response) ? `: ${this.detail(response)}` : ''})`,
          { status: 401 },
        );
      }
      if (response.status === 403) {
        throw new AuthError(
          `permission denied by ${this.host} (403${this.detail(response) ? `: ${this.detail(response)}` : ''})`,
          { status: 403 },
        );
      }
      if (response.status === 429) {
        const waitS = retryAfterSeconds(response.headers, response.body, this.opts.clock.now());
        const why = this.detail(response) ?? 'too many requests';
        if (rateLimitRetries >= this.opts.maxRateLimitRetries || waitS * 1000 > this.opts.maxRateLimitWaitMs) {
          throw new TemporaryError(`rate limit reached at ${this.host}: ${why}; try again in ${waitS} s`, {
            status: 429,
            retryAfterSeconds: waitS,
          });
        }
        rateLimitRetries++;
        this.opts.notice?.(`rate limit reached at ${this.host}; waiting ${waitS} s before retrying`);
        // A little past the reset, so we do not arrive in the last millisecond of the old window.
        await this.sleep(waitS * 1000 + 100 + Math.floor(this.opts.random() * 400));
        continue;
      }
      if (response.status >= 500) {
        if (idempotent && retries < this.opts.maxRetries) {
          retries++;
          await this.backoff(retries, `${this.host} answered ${response.status}`);
          continue;
        }
        const detail = this.detail(response);
        throw new TemporaryError(
          `${this.host} answered ${response.status}${detail ? ` (${detail})` : ''}` +
            `${retries > 0 ? ` after ${retries + 1} attempts` : ''}` +
            (idempotent ? '' : '; the change may or may not have been applied'),
          { status: response.status, maybeApplied: !idempotent },
        );
      }
      if (response.status >= 300 && response.status < 400) {
        // Never follow: a redirect to another host would carry our Authorization header (or the
        // login's secret) there. Not temporary either: the base URL needs fixing, so exit 1.
        const location = response.headers['location'];
        throw new GeneralError(
          `${this.host} redirected ${spec.method} ${spec.path.split('?')[0]} to ${String(location ?? '?')}; ` +
            'check the base URL of the profile (poscust does not follow redirects)',
          { status: response.status },
        );
      }
      return response;
    }
  }

  detail(response: HttpResponse): string | undefined {
    const text = (this.opts.describeBody ?? messageOf)(response.body);
    return text === undefined ? undefined : this.opts.redactor.redact(text).slice(0, 500);
  }

  /**
   * Releases the connections. Called when the command is over and nothing is in flight, so the
   * keep-alive sockets are destroyed rather than closed gracefully: a one-shot command should not
   * wait on a socket teardown to exit.
   */
  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    if (d && !this.opts.dispatcherFor) await d.destroy().catch(() => undefined);
  }

  private async getDispatcher(): Promise<{ dispatcher: Dispatcher; undici: typeof import('./undici.js') }> {
    const undici = (this.undici ??= await import('./undici.js'));
    this.dispatcher ??= this.opts.dispatcherFor
      ? this.opts.dispatcherFor(this.origin)
      : undici.createPool(this.origin, this.opts.connections);
    return { dispatcher: this.dispatcher, undici };
  }

  private async send(spec: RequestSpec, authorization: string | undefined): Promise<HttpResponse> {
    const { dispatcher, undici } = await this.getDispatcher();
    const path = `${this.basePath}${spec.path}${buildQuery(spec.query)}`;
    const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (authorization) headers['authorization'] = authorization;
    this.logRequest(spec, path, headers, body);

    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), this.opts.timeoutMs);
    this.inFlight.add(timeout);
    if (this.opts.signal.aborted) timeout.abort(this.opts.signal.reason);
    const started = this.opts.clock.now();
    this.requestsSent++;
    try {
      const res = await undici.dispatch(dispatcher, {
        origin: this.origin,
        method: spec.method,
        path,
        headers,
        body,
        signal: timeout.signal,
      });
      const declared = Number(res.headers['content-length']);
      if (declared > this.opts.maxResponseBytes) {
        res.body.destroy();
        throw this.tooLarge();
      }
      const text = await this.readBody(res.body);
      const contentType = String(res.headers['content-type'] ?? '');
      const response: HttpResponse = {
        status: res.statusCode,
        headers: res.headers as Headers,
        body: parseBody(text, contentType),
        contentType,
      };
      this.logResponse(response, text, this.opts.clock.now() - started);
      return response;
    } catch (err) {
      if (this.opts.signal.aborted) throw new InterruptedError();
      if (err instanceof PoscustError) throw err;
      const failure = classify(err, timeout.signal.aborted, this.opts.timeoutMs);
      this.opts.log?.(`< ${failure.description} [${failure.code}] after ${this.opts.clock.now() - started} ms`);
      throw Object.assign(failure, { failure: true, error: err });
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(timeout);
    }
  }

  private async readBody(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > this.opts.maxResponseBytes) {
        body.destroy();
        throw this.tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** No customer answer is this big: a wrong URL or a misbehaving server. Retrying would not help. */
  private tooLarge(): GeneralError {
    const mib = Math.round(this.opts.maxResponseBytes / 1048576);
    return new GeneralError(`the answer from ${this.host} is larger than ${mib} MiB; refusing to read it (is the base URL right?)`);
  }

  private async backoff(attempt: number, why: string): Promise<void> {
    const cap = Math.min(this.opts.backoffCapMs, this.opts.backoffBaseMs * 2 ** (attempt - 1));
    const ms = Math.floor(cap / 2 + (this.opts.random() * cap) / 2);
    this.opts.log?.(`! ${why}; retry ${attempt}/${this.opts.maxRetries} in ${ms} ms`);
    await this.sleep(ms);
  }

  private async sleep(ms: number): Promise<void> {
    try {
      await this.opts.clock.sleep(ms, this.opts.signal);
    } catch {
      throw new InterruptedError();
    }
  }

  private logRequest(spec: RequestSpec, path: string, headers: Record<string, string>, body: string | undefined): void {
    const log = this.opts.log;
    if (!log) return;
    const r = this.opts.redactor;
    log(`> ${spec.method} ${r.redactUrl(`${this.origin}${path}`)}`);
    for (const [k, v] of Object.entries(headers)) log(`> ${k}: ${r.redactHeader(k, v)}`);
    if (body !== undefined) log(`> ${truncate(r.redact(JSON.stringify(r.redactValue(spec.body))))}`);
  }

  private logResponse(response: HttpResponse, text: string, ms: number): void {
    const log = this.opts.log;
    if (!log) return;
    const r = this.opts.redactor;
    log(`< ${response.status} (${ms} ms)`);
    for (const [k, v] of Object.entries(response.headers)) {
      log(`< ${k}: ${r.redactHeader(k, Array.isArray(v) ? v.join(', ') : String(v))}`);
    }
    if (text) {
      const shown = typeof response.body === 'object' && response.body !== null ? JSON.stringify(r.redactValue(response.body)) : text;
      log(`< ${truncate(r.redact(shown))}`);
    }
  }
}

function truncate(text: string): string {
  return text.length > LOG_BODY_LIMIT ? `${text.slice(0, LOG_BODY_LIMIT)}… (${text.length} characters)` : text;
}

function parseBody(text: string, contentType: string): unknown {
  if (!text) return null;
  const looksJson = /json/i.test(contentType) || /^\s*[[{"]/.test(text);
  if (looksJson) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
