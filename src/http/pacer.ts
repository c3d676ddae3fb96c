// RateLimitPacer: holds each request until the vendor's quota has room for it, so a bulk job uses
// every request a window allows and never runs into a 429 (../shared/api/dealpos.md, "Rate limit").
//
// The model: a fixed window per tenant that opens at the first request after the previous one
// ended. Every answer says the limit, what remains and when the window resets (RateLimit-*). We
// count our own requests as they leave, so the concurrent ones in flight are never double-booked.
// What we know of the current window's end:
//   upper bound  every admitted request arrived before its answer, and the window began no later
//                than any admission: end <= answer time + window length, and <= answer time +
//                Reset (Reset is rounded up). The smallest of these.
//   lower bound  when our request opened the window: end >= its send time + window length.
// When the window is used up we wait until the upper bound has passed and every request has come
// back, then the next window is whole. Near the lower bound a request could land in either window,
// so none is sent there. `--rate` adds an even spacing on top as an explicit ceiling.
import type { Clock } from '../deps.js';
import { InterruptedError } from '../errors.js';
import type { HttpResponse, RequestObserver, RequestSpec } from './client.js';
import { readRateLimit, retryAfterSeconds } from './ratelimit.js';

/** Slack for clock granularity at window edges. */
const MARGIN_MS = 15;

export interface PacerOptions {
  clock: Clock;
  /** Requests per second at most (`--rate`). */
  rate?: number;
}

export class RateLimitPacer implements RequestObserver {
  private heard = false;
  private limit: number | null = null;
  private windowMs: number | null = null;
  private used = 0;
  private upper: number | null = null;
  private lower: number | null = null;
  private firstSend: number | null = null;
  private inFlight = 0;
  private slowest = 0;
  private nextSlot = 0;
  private readonly sentAt = new WeakMap<RequestSpec, number>();
  private waiters = new Set<() => void>();
  /** Time spent holding requests (for the summary and the benchmark). */
  waitedMs = 0;
  /** Windows this job has used. */
  windows = 0;
  /** Requests being held right now (progress says "waiting for the quota"). */
  holding = 0;

  constructor(private readonly options: PacerOptions) {}

  /** The quota as last reported, for progress lines ("50 per 180 s"). */
  get quota(): { limit: number; windowSeconds: number | null } | null {
    return this.limit === null ? null : { limit: this.limit, windowSeconds: this.windowMs === null ? null : this.windowMs / 1000 };
  }

  async before(spec: RequestSpec, signal: AbortSignal): Promise<void> {
    // A login is sent while the request that needed it holds its slot: never make it wait for that.
    if (spec.auth === false) {
      this.book(spec, this.options.clock.now());
      return;
    }
    const started = this.options.clock.now();
    this.holding++;
    try {
      for (;;) {
        const wait = this.delay(this.options.clock.now());
        if (wait === 0) break;
        await this.sleep(wait, signal);
      }
    } finally {
      this.holding--;
    }
    const now = this.options.clock.now();
    this.waitedMs += now - started;
    this.book(spec, now);
  }

  after(response: HttpResponse, spec: RequestSpec): void {
    const now = this.options.clock.now();
    const sent = this.settle(spec, now);
    this.heard = true;
    const rl = readRateLimit(response.headers);
    if (rl.limit !== null) {
      this.limit = rl.limit;
      if (rl.windowSeconds !== null) this.windowMs = rl.windowSeconds * 1000;
      const resetMs = (rl.resetSeconds ?? rl.windowSeconds ?? 0) * 1000;
      // An answer from a window that began after the one we track ended: adopt it, counting what
      // is still in flight as spent in it.
      const later = this.upper !== null && sent + resetMs - 1000 > this.upper;
      if (later) this.openWindow(sent);
      this.tighten(now, resetMs);
      if (rl.remaining !== null) this.used = Math.max(this.used, rl.limit - rl.remaining + (later ? this.inFlight : 0));
    }
    if (response.status === 429) {
      // Authoritative: this window is full until the server says otherwise.
      this.used = Math.max(this.used, this.limit ?? 1);
      this.upper = now + retryAfterSeconds(response.headers, response.body, now) * 1000;
      this.lower = null;
    }
    this.wake();
  }

  failed(spec: RequestSpec): void {
    this.settle(spec, this.options.clock.now());
    this.wake();
  }

  /** 0 when a request may go now; else how long to wait (Infinity: until an answer comes back). */
  private delay(now: number): number {
    if (this.options.rate && now < this.nextSlot) return this.nextSlot - now;
    if (!this.heard) return this.inFlight > 0 ? Infinity : 0;
    if (this.limit === null) return 0;
    if (this.upper !== null && now >= this.upper + MARGIN_MS) {
      // Every answer must be in before the count starts again, so none of them belongs to the new window.
      if (this.inFlight > 0) return Infinity;
      this.openWindow(null);
    }
    if (this.used >= this.limit) {
      if (this.upper === null) {
        if (this.inFlight > 0) return Infinity;
        // Used up, yet no answer said when the window ends: assume a whole window.
        this.upper = now + (this.windowMs ?? 1000);
      }
      return Math.max(1, this.upper + MARGIN_MS - now);
    }
    if (this.lower !== null && this.upper !== null && now >= this.lower - this.slowest - MARGIN_MS) {
      return Math.max(1, this.upper + MARGIN_MS - now);
    }
    return 0;
  }

  private book(spec: RequestSpec, now: number): void {
    this.inFlight++;
    this.used++;
    this.sentAt.set(spec, now);
    if (this.firstSend === null) {
      this.firstSend = now;
      this.windows++;
      if (this.windowMs !== null && this.used === 1) this.lower = now + this.windowMs;
    }
    if (this.options.rate) this.nextSlot = Math.max(this.nextSlot, now) + 1000 / this.options.rate;
  }

  /** Forgets the request; returns when it was sent. */
  private settle(spec: RequestSpec, now: number): number {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const sent = this.sentAt.get(spec) ?? now;
    // The slowest recent round trip, decaying, so one stall does not widen every window edge.
    this.slowest = Math.max(this.slowest * 0.95, now - sent);
    return sent;
  }

  private tighten(now: number, resetMs: number): void {
    const candidates = [now + resetMs];
    if (this.windowMs !== null) candidates.push(now + this.windowMs);
    const bound = Math.min(...candidates);
    this.upper = this.upper === null ? bound : Math.min(this.upper, bound);
  }

  private openWindow(firstSend: number | null): void {
    this.used = 0;
    this.upper = null;
    this.lower = null;
    this.firstSend = firstSend;
    if (firstSend !== null) this.windows++;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const w of waiters) w();
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new InterruptedError());
    return new Promise<void>((resolve, reject) => {
      const timer = new AbortController();
      const finish = () => {
        this.waiters.delete(finish);
        signal.removeEventListener('abort', finish);
        timer.abort();
        if (signal.aborted) reject(new InterruptedError());
        else resolve();
      };
      this.waiters.add(finish);
      signal.addEventListener('abort', finish, { once: true });
      if (Number.isFinite(ms)) this.options.clock.sleep(ms, timer.signal).then(finish, () => undefined);
    });
  }
}
