// `poscust doctor`: the selected connection checked end to end, one step at a time, each step
// saying what it found. A step that cannot run because an earlier one failed is "skip", so the
// first failure is the one to fix. Used by src/commands/doctor.ts; no commander, no terminal here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../context.js';
import type { Connection } from '../backends/connection.js';
import { isLoopbackHost } from '../net/loopback.js';
import { STORE_FILE, TOKEN_DIR } from '../config/paths.js';
import { checkPrivateDir } from '../config/files.js';
import { tokenCacheFor } from '../config/token-cache.js';
import { ExitCode, toPoscustError } from '../errors.js';
import { certificateProblem } from '../http/failures.js';
import type { Headers } from '../http/ratelimit.js';
import { readRateLimit } from '../http/ratelimit.js';
import type { ProbeError } from './net.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  message: string;
  /** The exit code this failure stands for (null unless status is 'fail'). */
  code: number | null;
}

export const CHECKS = ['config', 'profile', 'reachable', 'tls', 'login', 'read', 'rate-limit', 'dialect'] as const;

/** Warn when the certificate expires sooner than this. */
const CERT_WARN_DAYS = 14;
/** Warn when fewer than this share of the rate-limit window's requests are left. */
const HEADROOM_WARN = 0.2;

const result = (check: string, status: CheckStatus, message: string, code: number | null = null): CheckResult => ({ check, status, message, code });
const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/** File modes of the profile store and token cache: owner-only, or the chmod that makes them so. */
export function checkFiles(dir: string, platform: NodeJS.Platform): CheckResult {
  if (platform === 'win32') return result('config', 'skip', 'file modes are not checked on Windows');
  const modeOf = (p: string) => {
    try {
      return statSync(p).mode & 0o777;
    } catch {
      return undefined;
    }
  };
  try {
    // The folders first: a `tokens` link or a folder others can write makes every file in it suspect.
    checkPrivateDir(dir);
    checkPrivateDir(join(dir, TOKEN_DIR), { noLink: true });
  } catch (err) {
    return result('config', 'fail', toPoscustError(err).message, ExitCode.failure);
  }
  const loose: string[] = [];
  const store = join(dir, STORE_FILE);
  const storeMode = modeOf(store);
  if (storeMode !== undefined && storeMode & 0o077) loose.push(store);
  let tokens: string[] = [];
  try {
    tokens = readdirSync(join(dir, TOKEN_DIR)).filter((f) => f.endsWith('.json')).map((f) => join(dir, TOKEN_DIR, f));
  } catch {
    // No token cache yet.
  }
  for (const file of tokens) {
    const mode = modeOf(file);
    if (mode !== undefined && mode & 0o077) loose.push(file);
  }
  if (loose.length) {
    return result(
      'config',
      'fail',
      `other users can read ${loose.join(', ')}, which hold credentials; fix with: chmod 600 ${loose.map((f) => `'${f}'`).join(' ')}`,
      ExitCode.failure,
    );
  }
  const cached = `${tokens.length} cached token${tokens.length === 1 ? '' : 's'}`;
  const what = storeMode === undefined ? `no profile store in ${dir} yet; ${cached}` : `${store} is ${octal(storeMode)}; ${cached}, owner-only`;
  const dirMode = modeOf(dir);
  if (dirMode !== undefined && dirMode & 0o077) {
    return result('config', 'warn', `${what}; the directory is ${octal(dirMode)}: chmod 700 '${dir}'`);
  }
  return result('config', 'pass', what);
}

function who(conn: Connection): string {
  if (conn.clientId) return `client '${conn.clientId}'`;
  return `'${conn.username ?? '?'}'${conn.deviceName ? ` on device '${conn.deviceName}'` : ''}`;
}

export function rateLimitCheck(headers: Headers | undefined): CheckResult {
  const rl = readRateLimit(headers ?? {});
  if (rl.limit === null || rl.remaining === null) return result('rate-limit', 'skip', 'the server sends no RateLimit headers');
  const window = rl.windowSeconds !== null ? ` in this ${rl.windowSeconds} s window` : '';
  const reset = rl.resetSeconds !== null ? ` (resets in ${rl.resetSeconds} s)` : '';
  const text = `${rl.remaining} of ${rl.limit} requests left${window}${reset}`;
  if (rl.remaining === 0) return result('rate-limit', 'fail', `no requests left${window}${reset}; commands wait or exit 75 until then`, ExitCode.temporary);
  if (rl.remaining < rl.limit * HEADROOM_WARN) return result('rate-limit', 'warn', `only ${text}; a bulk job would have to wait`);
  return result('rate-limit', 'pass', text);
}

/**
 * Runs the checks in order, handing each result to `report` as soon as it is known. Errors that
 * leave nothing to check (no profile at all, an unknown one) are thrown, as any command would.
 */
export async function runDoctor(app: AppContext, report: (r: CheckResult) => Promise<void>): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = async (r: CheckResult) => {
    const redacted = { ...r, message: app.deps.redactor.redact(r.message) };
    results.push(redacted);
    await report(redacted);
  };
  const failure = (check: string, err: unknown) => {
    const e = toPoscustError(err);
    return result(check, 'fail', e.message, e.exitCode);
  };
  const skipRest = async (from: (typeof CHECKS)[number], why: string) => {
    for (const check of CHECKS.slice(CHECKS.indexOf(from))) await add(result(check, 'skip', why));
  };

  // Nothing is reported before the connection resolves: without a profile there is nothing to
  // check, and the first run's two lines on stderr say what to do, as for every command.
  const files = checkFiles(app.configDir, app.deps.platform);
  if (files.status === 'fail') {
    await add(files);
    await skipRest('profile', 'the config folder is not used until it is fixed');
    return results;
  }
  const conn = app.connection();
  await add(files);
  const url = new URL(conn.baseUrl);
  await add(result('profile', 'pass', `${conn.profileName ? `profile '${conn.profileName}'` : 'POSCUST_* variables'}: ${conn.backend} at ${conn.baseUrl}`));

  // node:net and node:tls cost start-up; only doctor needs them.
  const { probeTcp } = await import('./net.js');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const timeoutMs = Math.min(app.globals.timeoutMs, 10_000);
  try {
    const tcp = await probeTcp(host, port, timeoutMs, () => app.deps.clock.now());
    await add(result('reachable', 'pass', `${url.host} accepts connections (${tcp.ms} ms)`));
  } catch (err) {
    const why = (err as ProbeError).message ?? String(err);
    await add(result('reachable', 'fail', `cannot reach ${url.host}: ${why}`, ExitCode.temporary));
    await skipRest('tls', `${url.host} is not reachable`);
    return results;
  }

  if (url.protocol === 'https:') {
    const check = await tlsCheck(app, conn, url, timeoutMs);
    await add(check);
    if (check.status === 'fail') {
      await skipRest('login', 'no trusted TLS connection');
      return results;
    }
  } else if (isLoopbackHost(url.hostname)) {
    await add(result('tls', 'skip', 'plain http:// to this machine; nothing leaves it'));
  } else {
    await add(result('tls', 'warn', `plain http:// to ${url.host}: credentials travel unencrypted (allowed by --allow-insecure-http or the profile)`));
  }

  // A real login, not the cached token: the secret itself is what is being checked. The cached
  // token is put back if the login fails, so a doctor run never breaks a working setup.
  let lastHeaders: Headers | undefined;
  const observer = { after: (response: { headers: Headers }) => (lastHeaders = response.headers) };
  const cache = conn.token ? undefined : tokenCacheFor(app.configDir, conn);
  let previous: ReturnType<NonNullable<typeof cache>['readAny']>;
  try {
    previous = cache?.readAny();
    cache?.clear();
    const backend = await app.backend({ observer });
    await backend.authenticate();
    await add(result('login', 'pass', conn.token ? 'using POSCUST_TOKEN as is (no login; the read below tries it)' : `logged in as ${who(conn)}`));
  } catch (err) {
    try {
      if (previous && !cache?.readAny()) cache?.write(previous);
    } catch {
      // The folder refused the token back: the login row below says why it failed.
    }
    await add(failure('login', err));
    await skipRest('read', 'not logged in');
    return results;
  }

  try {
    const page = await (await app.backend()).list({}, 1, 1);
    await add(result('read', 'pass', page.records.length ? 'read one customer' : 'the customer list is empty (read allowed)'));
  } catch (err) {
    await add(failure('read', err));
    await skipRest('rate-limit', 'the read failed');
    return results;
  }

  const quota = rateLimitCheck(lastHeaders);
  await add(quota);
  // The probe costs a few requests: never from a window that is (nearly) used up.
  await add(quota.status === 'fail' || quota.status === 'warn' ? result('dialect', 'skip', 'not probed: too few requests left in the window') : await dialectCheck(app));
  return results;
}

/**
 * What this server speaks where the vendor's pages leave a guess (docs/dialects.md), read-only:
 * how wide its list rows are, and what the adapter's own probe finds (DealPOS: the total's name,
 * the ListID shape). What it learns is remembered like any fallback.
 */
async function dialectCheck(app: AppContext): Promise<CheckResult> {
  try {
    const backend = await app.backend();
    const rows = (await backend.list({}, 1, 3)).records;
    const parts: string[] = [];
    if (rows.length) {
      const carried = new Set(rows.flatMap((r) => Object.keys(r)));
      const meta = new Set(backend.schema.listRowMeta ?? []);
      const native = [...new Set(backend.schema.fields.map((f) => f.name.split('.')[0]!))];
      const lacking = native.filter((f) => !carried.has(f));
      const own = [...carried].filter((k) => !meta.has(k) && !native.includes(k));
      const batch = backend.getManyBatch;
      parts.push(
        lacking.length
          ? `list rows carry ${native.length - lacking.length} of ${native.length} fields (not ${lacking.slice(0, 4).join(', ')}${lacking.length > 4 ? ', …' : ''}): ` +
              `exports and tables read full records, ${batch > 1 ? `${batch} per request` : 'one request each'}`
          : 'list rows carry every field',
      );
      if (own.length) parts.push(`rows also carry ${own.join(', ')} (kept and exported)`);
    } else {
      parts.push('no customers yet: list rows not seen');
    }
    parts.push(...((await backend.probeDialect?.(rows)) ?? []));
    return result('dialect', 'pass', parts.join('; '));
  } catch (err) {
    return result('dialect', 'warn', `could not tell what the server speaks: ${toPoscustError(err).message}`);
  }
}

/** The certificate, and what NODE_TLS_REJECT_UNAUTHORIZED and --insecure-tls make of it. */
async function tlsCheck(app: AppContext, conn: Connection, url: URL, timeoutMs: number): Promise<CheckResult> {
  const { probeTls } = await import('./net.js');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  let tls: Awaited<ReturnType<typeof probeTls>>;
  try {
    tls = await probeTls(host, port, timeoutMs);
  } catch (err) {
    const code = (err as ProbeError).code;
    // A port that does not speak TLS will not start to by itself; a timeout might pass.
    return result('tls', 'fail', `TLS with ${url.host} failed: ${(err as Error).message}`, code === 'TIMEOUT' || code === 'ECONNRESET' ? ExitCode.temporary : ExitCode.failure);
  }
  const days = Math.floor((tls.validTo - app.deps.clock.now()) / 86_400_000);
  const until = `certificate for ${tls.subject} valid until ${new Date(tls.validTo).toISOString().slice(0, 10)} (${days} days)`;
  if (tls.authorizationError !== null) {
    if (conn.insecureTls) return result('tls', 'warn', `${tls.protocol}, ${until}; it does not verify (${tls.authorizationError}), accepted only because of --insecure-tls`);
    return result(
      'tls',
      'fail',
      `${url.host} presented ${certificateProblem(tls.authorizationError) ?? 'a certificate that does not verify'} (${tls.authorizationError}); ` +
        'if the shop uses its own certificate authority, point NODE_EXTRA_CA_CERTS at it',
      ExitCode.failure,
    );
  }
  if (app.deps.env.NODE_TLS_REJECT_UNAUTHORIZED === '0' && !conn.insecureTls) {
    return result('tls', 'fail', `${tls.protocol}, ${until}; but NODE_TLS_REJECT_UNAUTHORIZED=0 is set: poscust will not send credentials until it is unset (or --insecure-tls is given)`, ExitCode.usage);
  }
  if (conn.insecureTls) return result('tls', 'warn', `${tls.protocol}, ${until}; --insecure-tls would accept a certificate that does not verify: drop it`);
  return result('tls', days < CERT_WARN_DAYS ? 'warn' : 'pass', `${tls.protocol}, ${until}`);
}
