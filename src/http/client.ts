// The HTTP client every backend talks through: one keep-alive undici Pool per origin, a per-request
// timeout, and the retry policy (retry-policy.ts: backoff for requests that are safe to repeat, 429
// waited out as the vendor says, one token renewal on 401). One attempt on the wire is
// transport.ts; its `--verbose` log is exchange-log.ts, why it got no answer failures.ts.
import type { Dispatcher } from 'undici';
import type { Clock } from '../deps.js';
import { AuthError, GeneralError, InterruptedError, PoscustError, TemporaryError } from '../errors.js';
import type { Redactor } from '../redact.js';
import { messageOf, retryAfterSeconds } from './ratelimit.js';
import type { HttpResponse, Query, RequestSpec } from './types.js';
import { RETRY_LIMITS, decide, type AttemptOutcome, type AttemptState, type Decision, type RetryLimits } from './retry-policy.js';
import type { ProxyChoice } from './proxy.js';
import { HttpTransport, type TransportFailureThrown } from './transport.js';

export type { HttpMethod, HttpResponse, Query, QueryValue, RequestSpec } from './types.js';

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
  /** Bulk work: many requests, several in flight (undici's pool; else node:http, wire.ts). */
  bulk?: boolean;
  random?: () => number;
  /** Turns an error body into a message (vendors differ: Message, failureDescription, ProblemDetails). */
  describeBody?: (body: unknown) => string | undefined;
  /**
   * Called before a request that may change data (any method but GET, except logins) goes out. It may
   * throw to stop it: `--dry-run` records the request and stops there, while the reads a
   * read-merge-write backend needs still happen. Adapters need no dry-run code of their own.
   */
  beforeWrite?: (spec: RequestSpec, url: string) => void;
  /** Verify the server's certificate (default true; false only with `--insecure-tls`). */
  rejectUnauthorized?: boolean;
  /** The proxy to go through (src/http/proxy.ts), when the environment names one for this shop. */
  proxy?: ProxyChoice;
}

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
  private readonly transport: HttpTransport;
  private readonly limits: RetryLimits;
  auth: AuthScheme | undefined;
  observer: RequestObserver | undefined;
  beforeWrite: HttpClientOptions['beforeWrite'];

  constructor(options: HttpClientOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.host = url.host;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.opts = {
      timeoutMs: 30_000,
      maxRetries: RETRY_LIMITS.transport,
      maxRateLimitRetries: RETRY_LIMITS.rateLimitWaits,
      maxRateLimitWaitMs: RETRY_LIMITS.maxRateLimitWaitMs,
      backoffBaseMs: RETRY_LIMITS.backoffBaseMs,
      backoffCapMs: RETRY_LIMITS.backoffCapMs,
      connections: 10,
      maxResponseBytes: 64 * 1024 * 1024,
      random: Math.random,
      ...options,
    };
    this.limits = {
      ...RETRY_LIMITS,
      transport: this.opts.maxRetries,
      rateLimitWaits: this.opts.maxRateLimitRetries,
      maxRateLimitWaitMs: this.opts.maxRateLimitWaitMs,
      backoffBaseMs: this.opts.backoffBaseMs,
      backoffCapMs: this.opts.backoffCapMs,
    };
    this.auth = options.auth;
    this.observer = options.observer;
    this.beforeWrite = options.beforeWrite;
    const o = this.opts;
    this.transport = new HttpTransport({
      origin: this.origin,
      host: this.host,
      clock: o.clock,
      signal: o.signal,
      redactor: o.redactor,
      timeoutMs: o.timeoutMs,
      connections: o.connections,
      maxResponseBytes: o.maxResponseBytes,
      rejectUnauthorized: o.rejectUnauthorized ?? true,
      ...(o.proxy ? { proxy: o.proxy } : {}),
      ...(o.log ? { log: o.log } : {}),
      ...(o.dispatcherFor ? { dispatcherFor: o.dispatcherFor } : {}),
      ...(o.bulk ? { bulk: true } : {}),
    });
  }

  /** The URL a request goes to (also what `--dry-run` prints). */
  urlFor(spec: Pick<RequestSpec, 'path' | 'query'>): string {
    return `${this.origin}${this.basePath}${spec.path}${buildQuery(spec.query)}`;
  }

  /**
   * Sends `spec`, trying again as the retry policy (retry-policy.ts) decides: backoff for a
   * repeatable request that got no answer or a 5xx, the server's wait for a 429, one credential
   * renewal on 401. Resolves to the answer; throws a PoscustError when the policy gives up.
   */
  async request(spec: RequestSpec): Promise<HttpResponse> {
    const idempotent = spec.idempotent ?? spec.method !== 'POST';
    for (const s of spec.secrets ?? []) this.opts.redactor.add(s);
    if (spec.method !== 'GET' && spec.auth !== false) this.beforeWrite?.(spec, this.urlFor(spec));
    const state: AttemptState = { retries: 0, rateLimitWaits: 0, renewed: false };
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

      let response: HttpResponse | undefined;
      let failure: TransportFailureThrown | undefined;
      try {
        response = await this.transport.send(spec, `${this.basePath}${spec.path}${buildQuery(spec.query)}`, authorization);
        this.observer?.after?.(response, spec);
      } catch (err) {
        this.observer?.failed?.(spec);
        if (err instanceof PoscustError) throw err;
        failure = err as TransportFailureThrown;
      }
      const outcome: AttemptOutcome = response
        ? { kind: 'answer', status: response.status, ...(response.status === 429 ? { waitSeconds: retryAfterSeconds(response.headers, response.body, this.opts.clock.now()) } : {}) }
        : { kind: 'no-answer', sent: failure!.sent };
      const decision = decide(outcome, { idempotent, renewable: authorization !== undefined && this.auth !== undefined }, state, this.limits, this.opts.random);
      switch (decision.action) {
        case 'accept':
          return response!;
        case 'renew':
          state.renewed = true;
          if (await this.auth!.renew(authorization!)) continue;
          throw this.giveUp('unauthorized', spec, response, failure, state, idempotent);
        case 'retry':
          if (decision.because === 'rate-limit') {
            state.rateLimitWaits++;
            this.opts.notice?.(`rate limit reached at ${this.host}; waiting ${outcome.kind === 'answer' ? outcome.waitSeconds : '?'} s before retrying`);
          } else {
            state.retries++;
            const why = failure ? failure.description : `${this.host} answered ${response!.status}`;
            this.opts.log?.(`! ${why}; retry ${state.retries}/${this.limits.transport} in ${decision.afterMs} ms`);
          }
          await this.sleep(decision.afterMs);
          continue;
        case 'give-up':
          throw this.giveUp(decision.because, spec, response, failure, state, idempotent);
      }
    }
  }

  /** The error for a request the retry policy gave up on, saying what happened and what to do. */
  private giveUp(
    because: Extract<Decision, { action: 'give-up' }>['because'],
    spec: RequestSpec,
    response: HttpResponse | undefined,
    failure: TransportFailureThrown | undefined,
    state: AttemptState,
    idempotent: boolean,
  ): PoscustError {
    const detail = response ? this.detail(response) : undefined;
    const withDetail = (code: number) => `${code}${detail ? `: ${detail}` : ''}`;
    switch (because) {
      case 'unauthorized':
        return new AuthError(`${this.host} refused the credentials (${withDetail(401)})`, { status: 401 });
      case 'forbidden':
        return new AuthError(`permission denied by ${this.host} (${withDetail(403)})`, { status: 403 });
      case 'rate-limit': {
        const waitS = retryAfterSeconds(response!.headers, response!.body, this.opts.clock.now());
        return new TemporaryError(`rate limit reached at ${this.host}: ${detail ?? 'too many requests'}; try again in ${waitS} s`, {
          status: 429,
          retryAfterSeconds: waitS,
        });
      }
      case 'server':
        return new TemporaryError(
          `${this.host} answered ${response!.status}${detail ? ` (${detail})` : ''}` +
            `${state.retries > 0 ? ` after ${state.retries + 1} attempts` : ''}` +
            (idempotent ? '' : '; the change may or may not have been applied'),
          { status: response!.status, maybeApplied: !idempotent },
        );
      case 'redirect': {
        // Not temporary either: the base URL needs fixing, so exit 1.
        const location = response!.headers['location'];
        return new GeneralError(
          `${this.host} redirected ${spec.method} ${spec.path.split('?')[0]} to ${String(location ?? '?')}; ` +
            'check the base URL of the profile (poscust does not follow redirects)',
          { status: response!.status },
        );
      }
      case 'no-answer': {
        const attempts = state.retries + 1;
        const unknown = failure!.sent && !idempotent;
        return new TemporaryError(
          `${failure!.description} (${spec.method} ${this.host}${this.basePath}${spec.path.split('?')[0]}` +
            `${attempts > 1 ? `, ${attempts} attempts` : ''})` +
            (unknown ? '; the change may or may not have been applied' : ''),
          { maybeApplied: unknown, cause: failure!.error },
        );
      }
    }
  }

  /** `text` with every secret of this run scrubbed (excerpts of answers in messages). */
  redact(text: string): string {
    return this.opts.redactor.redact(text);
  }

  detail(response: HttpResponse): string | undefined {
    const text = (this.opts.describeBody ?? messageOf)(response.body);
    return text === undefined ? undefined : this.opts.redactor.redact(text).slice(0, 500);
  }

  /** Releases the connections (see HttpTransport.close). */
  close(): Promise<void> {
    return this.transport.close();
  }

  /** Requests put on the wire (every attempt counts). */
  get requestsSent(): number {
    return this.transport.requestsSent;
  }

  private async sleep(ms: number): Promise<void> {
    try {
      await this.opts.clock.sleep(ms, this.opts.signal);
    } catch {
      throw new InterruptedError();
    }
  }
}
