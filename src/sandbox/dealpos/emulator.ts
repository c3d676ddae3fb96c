// The DealPOS API v3 emulator (contract: shared/api/dealpos.md), plugged into the core through
// `BackendEmulator`: the route table, auth on every route but the token's, the vendor's error and
// quota bodies, and the state as the core sees it. The records and their binding are in
// dealpos-records.ts, the state in dealpos-store.ts, the handlers in dealpos-reads.ts and
// dealpos-writes.ts, tokens and PINs in dealpos-auth.ts.

import { DEALPOS_DEFAULT_CLIENT_ID, DEALPOS_DEFAULT_CLIENT_SECRET, DealposTokens } from './auth.js';
import { detail, list, listId, listIdByBody, newCode, withTotalCount } from './reads.js';
import { ApiError, type DealposCustomer, startOfDay } from './records.js';
import { CustomerStore, type DealposSnapshot, type DealposState, loadStore } from './store.js';
import { appSignIn, authenticatePin, create, deleteBy, merge, setPin, setStatus, updateBy, verify } from './writes.js';
import { SandboxInputError } from '../core/emulator.js';
import type {
  BackendEmulator,
  BackendStats,
  EmulatorReply,
  EmulatorRequest,
  RateLimitInfo,
  SandboxCredentials,
} from '../core/emulator.js';
import { draftRateLimitHeaders } from '../core/rate-limit.js';
import { type SettingChecks, checkSettings, dialectNames, onOff, positiveSeconds } from '../core/settings.js';
import { DEALPOS_DIALECTS } from './dialects.js';
import { DEALPOS_EMPTY_DATE, dealposSeedCustomers } from './seed.js';

export const DEALPOS_BASE_PATH = '/api/v3';
export const DEALPOS_DEFAULT_TOKEN_TTL_SECONDS = 3600;

export interface DealposEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** Customer Code Generator: NewCode works and creates without `Code` get the next code. Default on. */
  codeGenerator?: boolean;
  /** Server clock for `JoinDate` and `AppLastSignIn` (local time, like the vendor's). */
  clock?: () => Date;
  /** Dialects to speak (dialects.ts). */
  dialects?: string[];
}

type Handler = (req: EmulatorRequest) => EmulatorReply;
interface Route {
  handler: Handler;
  /** A successful answer changed the state. */
  mutation: boolean;
}

const TOKEN_ROUTE = '/token/oauth2';

const DEALPOS_SETTINGS: SettingChecks<{ tokenTtlSeconds: number; codeGenerator: boolean; dialects: string[] }> = {
  tokenTtlSeconds: positiveSeconds,
  codeGenerator: onOff,
  dialects: dialectNames(Object.keys(DEALPOS_DIALECTS)),
};

export class DealposEmulator implements BackendEmulator {
  readonly name = 'dealpos';
  readonly basePath = DEALPOS_BASE_PATH;
  private readonly state: DealposState;
  private readonly tokens: DealposTokens;
  /** Lower-cased route -> method -> route. */
  private readonly routes: Map<string, Map<string, Route>>;

  constructor(opts: DealposEmulatorOptions = {}) {
    this.tokens = new DealposTokens(opts.clientId ?? DEALPOS_DEFAULT_CLIENT_ID, opts.clientSecret ?? DEALPOS_DEFAULT_CLIENT_SECRET);
    this.state = {
      store: new CustomerStore(),
      settings: { tokenTtlSeconds: DEALPOS_DEFAULT_TOKEN_TTL_SECONDS, codeGenerator: true, dialects: [] },
      clock: opts.clock ?? (() => new Date()),
    };
    this.configure({
      ...(opts.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: opts.tokenTtlSeconds } : {}),
      ...(opts.codeGenerator !== undefined ? { codeGenerator: opts.codeGenerator } : {}),
      ...(opts.dialects !== undefined ? { dialects: opts.dialects } : {}),
    });
    this.routes = dealposRoutes(this.state, this.tokens);
  }

  // --- BackendEmulator ---------------------------------------------------------------------

  handle(req: EmulatorRequest): EmulatorReply {
    const methods = this.routes.get(req.route);
    if (!methods) return this.errorReply(404, `No HTTP resource was found that matches the request URI '${req.path}'.`);
    const route = methods.get(req.method);
    if (!route) {
      return {
        status: 405,
        body: { Message: `The requested resource does not support http method '${req.method}'.` },
        headers: { Allow: [...methods.keys()].join(', ') },
      };
    }
    try {
      if (req.route !== TOKEN_ROUTE) this.tokens.authorize(req);
      return route.handler(req);
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, body: { ...err.extra, Message: err.message } };
      throw err;
    }
  }

  isMutation(req: EmulatorRequest): boolean {
    return this.routes.get(req.route)?.get(req.method)?.mutation ?? false;
  }

  isTokenRequest(req: EmulatorRequest): boolean {
    return req.route === TOKEN_ROUTE;
  }

  errorReply(status: number, message: string): EmulatorReply {
    return { status, body: { Message: message } };
  }

  quotaExceededReply(info: RateLimitInfo): EmulatorReply {
    return {
      status: 429,
      body: {
        Message: `API calls quota exceeded! maximum admitted ${info.limit} per ${info.windowSeconds}s. Try again in ${info.resetSeconds} seconds.`,
      },
    };
  }

  rateLimitHeaders(info: RateLimitInfo): Record<string, string> {
    return draftRateLimitHeaders(info);
  }

  snapshot(): DealposSnapshot {
    const store = this.state.store;
    return { customers: [...store.byId.values()], pins: Object.fromEntries(store.pins) };
  }

  restore(data: unknown): void {
    const isSnapshot = data !== null && typeof data === 'object' && !Array.isArray(data);
    const records = isSnapshot ? (data as { customers?: unknown }).customers : data;
    const pins = isSnapshot ? (data as { pins?: unknown }).pins ?? {} : {};
    if (!Array.isArray(records)) throw new SandboxInputError('expected {"customers": [...], "pins": {...}} or an array of customers');
    if (pins === null || typeof pins !== 'object' || Array.isArray(pins)) throw new SandboxInputError('"pins" must be an object');
    this.load(records, pins as Record<string, unknown>);
  }

  seed(n: number): void {
    const store = this.state.store;
    store.clear();
    for (const record of dealposSeedCustomers(n)) store.insert(record);
  }

  customers(): DealposCustomer[] {
    return Array.from(this.state.store.byId.values(), (r) => ({ ...r }));
  }

  replaceCustomers(records: unknown): void {
    if (!Array.isArray(records)) throw new SandboxInputError('send a JSON array of customer records');
    // PINs of customers whose ID is still there are kept.
    this.load(records, Object.fromEntries(this.state.store.pins));
  }

  credentials(): SandboxCredentials {
    return { clientId: this.tokens.clientId, clientSecret: this.tokens.clientSecret };
  }

  config(): Record<string, unknown> {
    const { codeGenerator, tokenTtlSeconds, dialects } = this.state.settings;
    return { codeGenerator, tokenTtlSeconds, dialects: [...dialects] };
  }

  configure(partial: Record<string, unknown>): void {
    Object.assign(this.state.settings, checkSettings(partial, DEALPOS_SETTINGS));
  }

  stats(): BackendStats {
    return { tokensIssued: this.tokens.issued, customers: this.state.store.size };
  }

  /** Replaces the whole state after checking every record; nothing changes on error. */
  private load(records: unknown[], pins: Record<string, unknown>): void {
    this.state.store = loadStore(records, pins, startOfDay(this.state.clock()));
  }
}

/** The API's routes, lower-cased, in the contract's order: route -> method -> handler. */
function dealposRoutes(s: DealposState, tokens: DealposTokens): Map<string, Map<string, Route>> {
  const r = (handler: Handler, mutation: boolean): Route => ({ handler, mutation });
  return new Map<string, Map<string, Route>>([
    [TOKEN_ROUTE, new Map([['POST', r((req) => tokens.login(req, s.settings.tokenTtlSeconds), false)]])],
    ['/customer', new Map([
      ['GET', r((req) => list(s, req), false)],
      ['PUT', r((req) => updateBy(s, req, 'Email'), true)],
      ['POST', r((req) => create(s, req), true)],
      ['DELETE', r((req) => deleteBy(s, req, 'Email'), true)],
    ])],
    ['/customer/p', new Map([['POST', r((req) => list(s, req), false)]])],
    ['/customer/appsignin', new Map([['PUT', r((req) => appSignIn(s, req), true)]])],
    ['/customer/detail', new Map([['GET', r((req) => detail(s, req), false)]])],
    ['/customer/bycode', new Map([['PUT', r((req) => updateBy(s, req, 'Code'), true)]])],
    ['/customer/byid', new Map([['PUT', r((req) => updateBy(s, req, 'ID'), true)]])],
    ['/customer/listid', new Map([
      ['GET', r((req) => listId(s, req), false)],
      ['POST', r((req) => listIdByBody(s, req), false)],
    ])],
    ['/customer/bymobilephone', new Map([['PUT', r((req) => updateBy(s, req, 'Mobile'), true)]])],
    ['/customer/verifymobile', new Map([['PUT', r((req) => verify(s, req, 'MobileVerified'), true)]])],
    ['/customer/verifyemail', new Map([['PUT', r((req) => verify(s, req, 'EmailVerified'), true)]])],
    ['/customer/deletebycode', new Map([['DELETE', r((req) => deleteBy(s, req, 'Code'), true)]])],
    ['/customer/withtotalcount', new Map([['GET', r((req) => withTotalCount(s, req), false)]])],
    ['/customer/suspend', new Map([['PUT', r((req) => setStatus(s, req, 'Suspended'), true)]])],
    ['/customer/newcode', new Map([['GET', r(() => newCode(s), false)]])],
    ['/customer/merge', new Map([['PUT', r((req) => merge(s, req), true)]])],
    ['/customer/pin/authenticate', new Map([['POST', r((req) => authenticatePin(s, req), false)]])],
    ['/customer/pin', new Map([['PUT', r((req) => setPin(s, req), true)]])],
    ['/customer/unsuspend', new Map([['PUT', r((req) => setStatus(s, req, 'Active'), true)]])],
  ]);
}

/** Factory used by index.ts's backend registry. */
export function createDealposEmulator(opts: DealposEmulatorOptions = {}): DealposEmulator {
  return new DealposEmulator(opts);
}

export { DEALPOS_EMPTY_DATE };
