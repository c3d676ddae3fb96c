// Reading a vendor's rate-limit state from an answer (IETF RateLimit headers, DealPOS flavour:
// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Policy: 50;w=180`, `RateLimit-Reset: <s>`).

export type Headers = Record<string, string | string[] | undefined>;

export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  /** Seconds until the current window ends. */
  resetSeconds: number | null;
  /** Window length from the policy header. */
  windowSeconds: number | null;
}

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function intHeader(headers: Headers, name: string): number | null {
  const v = header(headers, name);
  if (v === undefined) return null;
  const n = Number.parseInt(v.trim(), 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export function readRateLimit(headers: Headers): RateLimitState {
  const policy = header(headers, 'ratelimit-policy');
  const w = policy ? /(?:^|;)\s*w=(\d+)/.exec(policy) : null;
  return {
    limit: intHeader(headers, 'ratelimit-limit'),
    remaining: intHeader(headers, 'ratelimit-remaining'),
    resetSeconds: intHeader(headers, 'ratelimit-reset'),
    windowSeconds: w ? Number(w[1]) : null,
  };
}

export const DEFAULT_429_WAIT_SECONDS = 180;

/**
 * How long to wait after a 429, in seconds, as ../shared/api/dealpos.md orders it: Retry-After,
 * else RateLimit-Reset, else the digits in the Message ("Try again in N seconds"), else 180.
 */
export function retryAfterSeconds(headers: Headers, body: unknown, now: number): number {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const s = retryAfter.trim();
    if (/^\d+$/.test(s)) return Number(s);
    const at = Date.parse(s);
    if (Number.isFinite(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  const reset = intHeader(headers, 'ratelimit-reset');
  if (reset !== null) return reset;
  const message = messageOf(body);
  if (message) {
    const m = /try again in\s+(\d+)/i.exec(message) ?? /(\d+)\s*(?:seconds|secs?|s)\b/i.exec(message);
    if (m) return Number(m[1]);
  }
  return DEFAULT_429_WAIT_SECONDS;
}

export function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body || undefined;
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    for (const key of ['Message', 'message', 'failureDescription', 'detail', 'title', 'error']) {
      const v = o[key];
      if (typeof v === 'string' && v) return v;
    }
  }
  return undefined;
}
