// `poscust profile add`: from options (scripts), or on a terminal by asking for whatever the options
// left out (the backend from a list, secrets hidden). When anything was asked, the credentials are
// checked by logging in and reading one customer before the profile is saved; a refused secret is
// said plainly and asked again, a few times.
import { checkTransport, normaliseBaseUrl, orList, type Connection } from '../backends/connection.js';
import { secretCredential, userCredential, type CredentialDef, type CredentialKey, type VendorDescriptor } from '../backends/descriptor.js';
import { openBackend } from '../backends/open.js';
import { VENDORS, vendorOf } from '../backends/registry.js';
import type { Profile } from '../config/store.js';
import { tokenCacheFor } from '../config/token-cache.js';
import type { AppContext } from '../context.js';
import { canPrompt, type Prompter } from '../deps.js';
import { AuthError, ConflictError, PoscustError, TemporaryError, UsageError } from '../errors.js';
import { Phones, regionCode } from '../util/phone.js';

/** The commander key of a credential's option: `--client-id` -> clientId. */
export function optionKey(c: CredentialDef): string {
  return c.flag.replace(/^--/, '').replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
}

/** How many times a refused secret is asked for before giving up. */
export const SECRET_ATTEMPTS = 3;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface ProfileAddOptions {
  name?: string;
  backend?: string;
  baseUrl?: string;
  /** Credentials given as options, by slot (`--client-id`, `--username`, `--device-name`). */
  credentials: Partial<Record<CredentialKey, string>>;
  /** The `--…-stdin` flags given: the secret comes from stdin. */
  secretStdin: string[];
  allowInsecureHttp: boolean;
  /** --region: the shop's country for phone numbers. */
  region?: string;
  /** --keep-history: days of history kept. */
  keepHistory?: number;
  makeDefault: boolean;
  force: boolean;
  /** Log in before saving: true/false as asked, undefined to check when anything was asked. */
  check?: boolean;
}

/** commander's parsed options of `profile add`, typed. */
export function profileAddOptionsFrom(name: string | undefined, o: Record<string, unknown>): ProfileAddOptions {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const credentials: Partial<Record<CredentialKey, string>> = {};
  const secretStdin: string[] = [];
  for (const c of VENDORS.flatMap((v) => v.credentials)) {
    if (c.secret) {
      if (o[optionKey(c)] && !secretStdin.includes(c.flag)) secretStdin.push(c.flag);
    } else if (text(o[optionKey(c)]) !== undefined) {
      credentials[c.key] = text(o[optionKey(c)])!;
    }
  }
  return {
    ...(name !== undefined ? { name } : {}),
    ...(text(o.backend) !== undefined ? { backend: text(o.backend)! } : {}),
    ...(text(o.baseUrl) !== undefined ? { baseUrl: text(o.baseUrl)! } : {}),
    credentials,
    secretStdin,
    allowInsecureHttp: Boolean(o.allowInsecureHttp),
    ...(text(o.region) !== undefined ? { region: text(o.region)! } : {}),
    ...(typeof o.keepHistory === 'number' ? { keepHistory: o.keepHistory } : {}),
    makeDefault: Boolean(o.default),
    force: Boolean(o.force),
    ...(typeof o.check === 'boolean' ? { check: o.check } : {}),
  };
}

export async function runProfileAdd(app: AppContext, o: ProfileAddOptions): Promise<void> {
  const { force } = o;
  const existing = app.store().profiles;
  const nameProblem = (name: string): string | undefined => {
    if (!NAME.test(name)) return `profile name '${name}' may hold only letters, digits, '.', '_' and '-'`;
    if (existing[name] && !force) return `a profile named '${name}' exists; add --force to replace it`;
    return undefined;
  };

  let name = o.name;
  let vendor: VendorDescriptor | undefined = o.backend !== undefined ? vendorOf(o.backend) : undefined;
  let baseUrl = vendor && o.baseUrl !== undefined ? normaliseBaseUrl(o.baseUrl, vendor.name) : undefined;
  // The credentials other than the secret: the user, and what else the backend needs (a device).
  const given = new Map<CredentialDef['key'], string>();
  const plainOf = (v: VendorDescriptor) => v.credentials.filter((c) => !c.secret);
  if (vendor) for (const c of plainOf(vendor)) if (o.credentials[c.key] !== undefined) given.set(c.key, o.credentials[c.key]!);
  // The program's global --allow-insecure-http takes the flag wherever it stands on the line.
  let allowInsecureHttp = Boolean(o.allowInsecureHttp || app.globals.allowInsecureHttp);
  // Checked before anything is asked: a region no phone number has is a typo.
  const region = o.region === undefined ? undefined : (await Phones.load(regionCode(o.region, '--region'), '--region')).region;
  if (name !== undefined) {
    const problem = nameProblem(name);
    if (problem) throw existing[name] && NAME.test(name) ? new ConflictError(problem) : new UsageError(problem);
  }

  const missing: string[] = [];
  if (name === undefined) missing.push('<name>');
  if (vendor === undefined) missing.push('--backend');
  if (baseUrl === undefined) missing.push('--base-url');
  if (vendor) {
    for (const c of plainOf(vendor)) if (!given.has(c.key)) missing.push(c.flag);
  } else {
    // Which user option depends on the backend: name each with the backends that take it.
    const byFlag = new Map<string, string[]>();
    for (const v of VENDORS) byFlag.set(userCredential(v).flag, [...(byFlag.get(userCredential(v).flag) ?? []), v.brand]);
    missing.push(orList([...byFlag].map(([flag, brands]) => `${flag} (${brands.join(', ')})`)));
  }
  const terminal = canPrompt(app.deps.io);
  if (missing.length && !terminal) {
    throw new UsageError(`profile add needs ${missing.join(', ')}; give them as options, or run it on a terminal to be asked`);
  }

  let prompter: Prompter | undefined;
  const ask = async () => (prompter ??= await app.deps.prompter());
  if (missing.length) {
    const p = await ask();
    name ??= await p.input('Profile name', {
      default: existing.shop ? undefined : 'shop',
      validate: (v) => nameProblem(v.trim()) ?? true,
    }).then((v) => v.trim());
    vendor ??= vendorOf(
      await p.select(
        'Point-of-sale backend',
        VENDORS.map((v) => ({ name: v.title, value: v.name })),
        VENDORS[0]!.name,
      ),
    );
    const v = vendor;
    const typed = o.baseUrl;
    while (baseUrl === undefined) {
      const raw = await p.input(`Base URL (${v.urlHint})`, {
        default: typed ?? v.defaultUrl,
        validate: (value) => urlProblem(value, v.name) ?? true,
      });
      const url = normaliseBaseUrl(raw, v.name);
      if (!allowInsecureHttp && insecure(url)) {
        const host = new URL(url).host;
        const allow = await p.confirm(
          `${host} would be reached over plain http://, so the ${secretCredential(v).label.toLowerCase()} travels unencrypted. ` +
            'Allow that for this profile (only on a network you trust)?',
          false,
        );
        if (!allow) continue;
        allowInsecureHttp = true;
      }
      baseUrl = url;
    }
    for (const c of plainOf(v)) {
      if (given.has(c.key)) continue;
      const value = o.credentials[c.key] ?? (await p.input(c.label, { validate: (x) => (x.trim() ? true : `the ${c.noun} is needed`) })).trim();
      given.set(c.key, value);
    }
  }
  // Every field is known from here on (the walk above filled what the options left out).
  if (name === undefined || vendor === undefined || baseUrl === undefined) throw new Error('unreachable');
  const backend = vendor.name;
  const secret = secretCredential(vendor);
  const user = userCredential(vendor);

  const profile: Profile = { backend, baseUrl };
  for (const [key, value] of given) profile[key] = value;
  if (allowInsecureHttp) profile.allowInsecureHttp = true;
  if (region !== undefined) profile.region = region;
  if (o.keepHistory !== undefined) profile.keepHistory = o.keepHistory;

  const otherStdin = o.secretStdin.find((flag) => flag !== secret.flag);
  if (otherStdin) throw new UsageError(`${otherStdin} does not apply to a ${backend} profile; use ${secret.flag}`);
  const fromStdin = o.secretStdin.includes(secret.flag);
  const fromEnv = fromStdin ? undefined : app.deps.env[secret.env] || undefined;
  if (fromEnv) app.deps.redactor.add(fromEnv);
  const secretPrompted = !fromStdin && !fromEnv && terminal;
  const check = o.check ?? (missing.length > 0 || secretPrompted);
  // Checked whether or not the credentials are: a profile every later command would refuse is
  // no profile (exit 2 now, before the secret is read, rather than on first use).
  checkTransport({ baseUrl, allowInsecureHttp });

  for (let attempt = 1; ; attempt++) {
    profile[secret.key] = fromEnv ?? (await app.readSecret({ label: secret.label, fromStdin, stdinFlag: secret.flag, envVar: secret.env }));
    if (!check) break;
    try {
      await verifyCredentials(app, { profileName: name, ...profile, allowInsecureHttp, insecureTls: app.globals.insecureTls });
      break;
    } catch (err) {
      const e = err instanceof PoscustError ? err : undefined;
      const refused = e instanceof AuthError && e.status !== 403;
      if (refused && secretPrompted && attempt < SECRET_ATTEMPTS) {
        app.deps.io.stderr.write(
          `${app.err.red('✗')} ${app.deps.redactor.redact(e.message)}\n` +
            `  That ${secret.label.toLowerCase()} was refused; type it again (${SECRET_ATTEMPTS - attempt} ` +
            `${SECRET_ATTEMPTS - attempt === 1 ? 'try' : 'tries'} left; Ctrl-C to stop).\n`,
        );
        continue;
      }
      if (e instanceof TemporaryError && terminal) {
        const p = await ask();
        if (await p.confirm(`Could not check the credentials: ${app.deps.redactor.redact(e.message)}. Save the profile anyway?`, false)) break;
      }
      if (e) {
        const hint = refused ? `; check the ${user.label.toLowerCase()} and the ${secret.label.toLowerCase()}` : '';
        throw new PoscustError(`${e.message}${hint}; the profile was not saved`, e.exitCode, e.kind, { status: e.status, cause: e });
      }
      throw err;
    }
  }

  const data = await app.updateStore((d) => {
    if (d.profiles[name] && !force) throw new ConflictError(`a profile named '${name}' exists; add --force to replace it`);
    d.profiles[name] = profile;
    if (o.makeDefault || !d.defaultProfile) d.defaultProfile = name;
  });
  const replaced = existing[name];
  if (replaced) tokenCacheFor(app.configDir, replaced).clear();
  app.notice(`saved profile '${name}'${data.defaultProfile === name ? ' (default)' : ''} in ${app.configDir}`);
}

function urlProblem(value: string, backend: string): string | undefined {
  try {
    normaliseBaseUrl(value, backend);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function insecure(url: string): boolean {
  try {
    checkTransport({ baseUrl: url, allowInsecureHttp: false });
    return false;
  } catch {
    return true;
  }
}

/**
 * Logs in with the profile's credentials and reads one customer. The cached token of this identity
 * is dropped first: a token from an earlier login must not vouch for a secret nobody has checked.
 */
export async function verifyCredentials(app: AppContext, conn: Connection): Promise<void> {
  tokenCacheFor(app.configDir, conn).clear();
  app.notice(`checking the credentials with ${new URL(conn.baseUrl).host}…`);
  const backend = await openBackend(conn, {
    deps: app.deps,
    configDir: app.configDir,
    timeoutMs: app.globals.timeoutMs,
    log: app.globals.verbose ? (line) => app.deps.io.stderr.write(`${app.deps.redactor.redact(line)}\n`) : undefined,
    notice: (line) => app.notice(line),
  });
  try {
    await backend.list({}, 1, 1);
  } finally {
    await backend.close();
  }
  app.notice(`${app.err.green('✓')} logged in and read a customer`);
}
