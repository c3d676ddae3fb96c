// The sandbox's optional rate limit: one fixed window for all API endpoints together, and the
// standard-draft headers DealPOS describes it with.

import type { RateLimitInfo } from './emulator.js';

/** Vendor defaults used in headers and messages of the spurious-429 fault when no quota is set. */
export const DEFAULT_QUOTA = 50;
export const DEFAULT_WINDOW_SECONDS = 180;

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

/** The standard-draft `RateLimit-*` headers DealPOS sends. */
export function draftRateLimitHeaders(info: RateLimitInfo): Record<string, string> {
  return {
    'RateLimit-Limit': String(info.limit),
    'RateLimit-Remaining': String(info.remaining),
    'RateLimit-Policy': `${info.limit};w=${info.windowSeconds}`,
    'RateLimit-Reset': String(info.resetSeconds),
  };
}
