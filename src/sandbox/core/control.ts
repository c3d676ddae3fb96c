// The `/_sandbox/*` control endpoints: the request log, the customers, seeding, stats and run-time
// settings. They need no auth and see no quota, faults or latency, and they are not logged, so a
// test can look at the sandbox without disturbing what it measures.

import { SandboxInputError } from './emulator.js';
import type { BackendEmulator, EmulatorReply, SandboxStats } from './emulator.js';
import type { RequestLog } from './request-log.js';


export const CONTROL_PREFIX = '/_sandbox';

/** True for `/_sandbox` and everything below it (`lowerPath` lower-cased). */
export function isControlPath(lowerPath: string): boolean {
  return lowerPath === CONTROL_PREFIX || lowerPath.startsWith(CONTROL_PREFIX + '/');
}

/** What the control endpoints act on: the server. */
export interface ControlTarget {
  readonly log: RequestLog;
  readonly backend: BackendEmulator;
  /** The state changed: persist it. */
  markDirty(): void;
  stats(): SandboxStats;
  config(): Record<string, unknown>;
  /** Throws SandboxInputError, changing nothing, on a bad setting. */
  configure(partial: Record<string, unknown>): void;
}

/**
 * The answer to one control request. `path` is lower-cased without a trailing slash. Bad input
 * (SandboxInputError) is answered 400; any other error is thrown.
 */
export function controlReply(
  target: ControlTarget,
  method: string,
  path: string,
  body: unknown,
  bodyError: string | undefined,
  contentType = 'application/json',
): EmulatorReply {
  const ok = (status: number, payload: unknown): EmulatorReply => ({ status, body: payload });
  const fail = (status: number, message: string) => ok(status, { Message: message });
  const refused = (methods: string[]): EmulatorReply | undefined => {
    if (!methods.includes(method)) return { status: 405, body: { Message: `Use ${methods.join(' or ')} on ${path}.` }, headers: { Allow: methods.join(', ') } };
    // A web page may POST text/plain to any address without asking first; a JSON body it may not.
    if ((method === 'POST' || method === 'PUT') && !/^application\/json\s*(;|$)/.test(contentType)) {
      return fail(415, `Send ${method} ${path} as application/json (got '${contentType || 'no content type'}').`);
    }
    return undefined;
  };
  if (bodyError !== undefined) return fail(400, `Request body is not valid JSON: ${bodyError}`);
  try {
    switch (path.slice(CONTROL_PREFIX.length)) {
      case '/requests':
        return (
          refused(['GET', 'DELETE']) ??
          (method === 'GET' ? ok(200, target.log.entries) : ok(200, { Message: 'Request log cleared.', cleared: target.log.clear() }))
        );
      case '/customers': {
        const no = refused(['GET', 'PUT']);
        if (no) return no;
        if (method === 'GET') return ok(200, target.backend.customers());
        target.backend.replaceCustomers(body);
        target.markDirty();
        return ok(200, { Message: 'Customers replaced.', count: target.backend.stats().customers });
      }
      case '/seed': {
        const no = refused(['POST']);
        if (no) return no;
        const count = (body as { count?: unknown } | undefined)?.count;
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
          return fail(400, 'Send {"count": n} with a whole number of customers to seed.');
        }
        target.backend.seed(count);
        target.markDirty();
        return ok(200, { Message: 'Customers seeded.', count });
      }
      case '/stats':
        return refused(['GET']) ?? ok(200, target.stats());
      case '/config': {
        const no = refused(['GET', 'PUT']);
        if (no) return no;
        if (method === 'PUT') {
          if (body === null || typeof body !== 'object' || Array.isArray(body)) return fail(400, 'Send a JSON object of settings.');
          target.configure(body as Record<string, unknown>);
        }
        return ok(200, target.config());
      }
      default:
        return fail(404, `No sandbox control endpoint at ${path}; try /_sandbox/requests, /_sandbox/customers, /_sandbox/stats or /_sandbox/config.`);
    }
  } catch (err) {
    if (err instanceof SandboxInputError) return fail(400, err.message);
    throw err;
  }
}
