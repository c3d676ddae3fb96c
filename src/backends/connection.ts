// Which shop to talk to, with what credentials. Precedence (contract, "Configuration"):
// command-line options, then POSCUST_* environment variables, then the selected profile.
import type { Profile, StoreData } from '../config/store.js';
import type { Env } from '../deps.js';
import { NotFoundError, UsageError } from '../errors.js';
import { isLoopbackHost } from '../net/loopback.js';
import { regionCode } from '../util/phone.js';
import type { Connection, CredentialKey } from './types.js';
import { BACKENDS, allCredentials, isBackendName, vendorOf, type BackendName } from './registry.js';

export type { Connection };

export interface ResolveInput {
  profileFlag?: string;
  env: Env;
  /** Read lazily: with a complete environment no store is read at all. */
  store: () => StoreData;
  allowInsecureHttp?: boolean;
  insecureTls?: boolean;
}

/** Profile fields the environment overrides: the connection's, then every backend's credentials. */
function envFields(): [keyof Profile, string][] {
  return [['backend', 'POSCUST_BACKEND'], ['baseUrl', 'POSCUST_BASE_URL'], ...allCredentials().map((c): [keyof Profile, string] => [c.key, c.env])];
}

/** What a first run (no profile, no POSCUST_* variables) says: two lines, after "poscust: ". */
export const FIRST_RUN_MESSAGE =
  "no profile yet; add one with `poscust profile add` (it asks for the shop's details)\n" +
  '  or try poscust on a local emulator first: run `poscust sandbox` and follow what it prints';

export function resolveConnection(input: ResolveInput): Connection {
  const { env } = input;
  const envHas = (name: string) => env[name] !== undefined && env[name] !== '';
  const selected = input.profileFlag ?? (envHas('POSCUST_PROFILE') ? env.POSCUST_PROFILE : undefined);
  const envComplete = envHas('POSCUST_BACKEND') && envHas('POSCUST_BASE_URL');

  let profile: Partial<Profile> = {};
  let profileName: string | null = null;
  if (selected !== undefined || !envComplete) {
    const store = input.store();
    const name = selected ?? store.defaultProfile;
    if (name !== undefined) {
      const found = store.profiles[name];
      if (!found) {
        const known = Object.keys(store.profiles);
        throw new NotFoundError(
          `no profile named '${name}'` +
            (known.length ? `; known profiles: ${known.join(', ')} (see poscust profile list)` : '; run poscust profile add'),
        );
      }
      profile = { ...found };
      profileName = name;
    } else if (!envComplete) {
      const known = Object.keys(store.profiles);
      if (known.length) {
        throw new UsageError(
          `no default profile; pick one with --profile <name> or poscust profile use <name> (profiles: ${known.join(', ')})`,
        );
      }
      const partial = envFields().some(([, v]) => envHas(v));
      if (partial) {
        throw new UsageError(
          'POSCUST_BACKEND and POSCUST_BASE_URL must both be set to work without a profile ' +
            `(missing: ${['POSCUST_BACKEND', 'POSCUST_BASE_URL'].filter((v) => !envHas(v)).join(', ')})`,
        );
      }
      throw new UsageError(FIRST_RUN_MESSAGE, { multiline: true });
    }
  }

  for (const [field, variable] of envFields()) {
    if (envHas(variable)) (profile as Record<string, unknown>)[field] = env[variable];
  }
  // `POSCUST_BACKEND=DealPOS` means dealpos: the vendors write their names in mixed case.
  const backend = String(profile.backend ?? '').trim().toLowerCase();
  if (!isBackendName(backend)) {
    throw new UsageError(`unknown backend '${backend}' (POSCUST_BACKEND or profile): use ${orList(BACKENDS)}`);
  }
  const conn: Connection = {
    profileName,
    backend,
    baseUrl: normaliseBaseUrl(String(profile.baseUrl ?? ''), backend),
    allowInsecureHttp: Boolean(input.allowInsecureHttp || profile.allowInsecureHttp),
    insecureTls: Boolean(input.insecureTls),
  };
  for (const { key } of vendorOf(backend).credentials) {
    const value = profile[key];
    if (value) conn[key] = value;
  }
  if (envHas('POSCUST_TOKEN')) conn.token = env.POSCUST_TOKEN;
  const region = envHas('POSCUST_REGION') ? regionCode(env.POSCUST_REGION!, 'POSCUST_REGION') : (profile.region ?? vendorOf(backend).defaultRegion);
  if (region !== undefined) conn.region = region;
  checkTransport(conn);
  return conn;
}

/** A base URL checked and made whole; a vendor's shorthand (a DealPOS subdomain) is expanded. */
export function normaliseBaseUrl(value: string, backend: BackendName): string {
  const v = value.trim();
  if (!v) throw new UsageError('no base URL: set POSCUST_BASE_URL or give the profile --base-url');
  const vendor = vendorOf(backend);
  const expanded = vendor.expandBaseUrl?.(v);
  if (expanded !== undefined) return expanded;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new UsageError(`the base URL '${v}' is not a URL (expected e.g. ${vendor.exampleUrl})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`the base URL '${v}' must start with https:// (or http:// for a local server)`);
  }
  if (url.username || url.password) {
    throw new UsageError('the base URL must not contain a user name or password; use the profile credentials');
  }
  if (url.search || url.hash) throw new UsageError(`the base URL '${v}' must not contain a query or fragment`);
  return url.toString().replace(/\/+$/, '');
}

/** Credentials over plain HTTP only to this machine, unless the user explicitly allows it. */
export function checkTransport(conn: Pick<Connection, 'baseUrl' | 'allowInsecureHttp'>): void {
  const url = new URL(conn.baseUrl);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !conn.allowInsecureHttp) {
    throw new UsageError(
      `refusing to send credentials over plain http:// to ${url.host}; use https://, ` +
        'or pass --allow-insecure-http (or store it in the profile) for a server on a trusted network',
    );
  }
}

/**
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` switches off certificate checks for the whole process, often
 * left behind by a debugging session. poscust verifies certificates whatever it says, but a user who
 * set it expects an unverified server to work, so rather than fail obscurely later we refuse now
 * and name the choice: unset it, or take the risk knowingly with `--insecure-tls`.
 */
export function checkTlsEnvironment(conn: Pick<Connection, 'baseUrl' | 'insecureTls'>, env: Env): void {
  const url = new URL(conn.baseUrl);
  if (url.protocol !== 'https:' || conn.insecureTls) return;
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    throw new UsageError(
      `NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off, so poscust will not send credentials to ${url.host}; ` +
        'unset it, or pass --insecure-tls to accept an unverified certificate knowingly (dangerous)',
    );
  }
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The credentials of a connection, by slot. */
export function credentialOf(conn: Connection, key: CredentialKey): string | undefined {
  return conn[key];
}
