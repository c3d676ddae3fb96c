// The contract between the sandbox core (server.ts) and a vendor emulator.
//
// The core owns what every vendor shares: the socket, body parsing, the request log, latency, fault
// injection, the optional fixed-window rate limit, persistence scheduling and the `/_sandbox/*`
// control endpoints. A vendor emulator (`BackendEmulator`) owns routes, auth, state, validation and
// the shape of its error bodies, so adding a vendor means writing one emulator and registering it in
// index.ts, without touching the core.

import type { IncomingHttpHeaders } from 'node:http';
import type { FaultKind } from './fault-kinds.js';
import type { QueryParams } from './http-input.js';

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
export { SandboxInputError } from './errors.js';

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

/** What `GET /_sandbox/stats` answers. */
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
