// `poscust profile add`: from options (scripts), or on a terminal by asking for whatever the options
// left out (the backend from a list, secrets hidden). When anything was asked, the credentials are
// checked by logging in and reading one customer before the profile is saved; a refused secret is
// said plainly and asked again, a few times.
import type { AppContext } from '../context.js';
import { openBackend } from '../backends/factory.js';
import { BACKENDS, type BackendName } from '../backends/names.js';
import { checkTransport, normaliseBaseUrl, type Connection } from '../config/resolve.js';
import { updateStore, type Profile } from '../config/store.js';
import { tokenCacheFor } from '../config/token-cache.js';
import { canPrompt, type Prompter } from '../deps.js';
import { AuthError, ConflictError, PoscustError, TemporaryError, UsageError } from '../errors.js';

interface BackendNeeds {
  title: string;
  user: 'clientId' | 'username';
  userFlag: string;
  userLabel: string;
  secret: 'clientSecret' | 'password';
  secretLabel: string;
  stdinFlag: string;
  envVar: string;
  device?: boolean;
  urlHint: string;
  defaultUrl?: string;
}

const NEEDS: Record<BackendName, BackendNeeds> = {
  dealpos: {
    title: 'DealPOS API v3',
    user: 'clientId',
    userFlag: '--client-id',
    userLabel: 'Client ID',
    secret: 'clientSecret',
    secretLabel: 'Client secret',
    stdinFlag: '--client-secret-stdin',
    envVar: 'POSCUST_CLIENT_SECRET',
    urlHint: 'the shop subdomain, or the whole URL such as https://myshop.dealpos.net/api/v3',
  },
  mypos: {
    title: 'MYPOS Connect v2',
    user: 'username',
    userFlag: '--username',
    userLabel: 'API user e-mail',
    secret: 'password',
    secretLabel: 'Password',
    stdinFlag: '--password-stdin',
    envVar: 'POSCUST_PASSWORD',
    urlHint: 'the API base URL',
    defaultUrl: 'https://api.myposconnect.com/api/v2',
  },
  portos: {
    title: 'PORTOS',
    user: 'username',
    userFlag: '--username',
    userLabel: 'User name',
    secret: 'password',
    secretLabel: 'Password',
    stdinFlag: '--password-stdin',
    envVar: 'POSCUST_PASSWORD',
    device: true,
    urlHint: 'the server, such as https://portos.myshop.sk or http://10.0.0.5',
  },
};

/** How many times a refused secret is asked for before giving up. */
export const SECRET_ATTEMPTS = 3;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function runProfileAdd(app: AppContext, nameArg: string | undefined, o: Record<string, unknown>): Promise<void> {
  const str = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  const force = Boolean(o.force);
  const existing = app.store().profiles;
  const nameProblem = (name: string): string | undefined => {
    if (!NAME.test(name)) return `profile name '${name}' may hold only letters, digits, '.', '_' and '-'`;
    if (existing[name] && !force) return `a profile named '${name}' exists; add --force to replace it`;
    return undefined;
  };

  let name = nameArg;
  let backend = o.backend as BackendName | undefined;
  let baseUrl = backend && str('baseUrl') !== undefined ? normaliseBaseUrl(str('baseUrl')!, backend) : undefined;
  let user = backend ? str(NEEDS[backend].user) : undefined;
  let deviceName = str('deviceName');
  // The program's global --allow-insecure-http takes the flag wherever it stands on the line.
  let allowInsecureHttp = Boolean(o.allowInsecureHttp || app.globals.allowInsecureHttp);
  if (name !== undefined) {
    const problem = nameProblem(name);
    if (problem) throw existing[name] && NAME.test(name) ? new ConflictError(problem) : new UsageError(problem);
  }

  const missing: string[] = [];
  if (name === undefined) missing.push('<name>');
  if (backend === undefined) missing.push('--backend');
  if (baseUrl === undefined) missing.push('--base-url');
  if (user === undefined) missing.push(backend ? NEEDS[backend].userFlag : '--client-id (DealPOS) or --username');
  if (backend && NEEDS[backend].device && deviceName === undefined) missing.push('--device-name');
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
    backend ??= await p.select(
      'Point-of-sale backend',
      BACKENDS.map((b) => ({ name: NEEDS[b].title, value: b })),
      'dealpos',
    );
    const b = backend;
    const needs = NEEDS[b];
    const given = str('baseUrl');
    while (baseUrl === undefined) {
      const raw = await p.input(`Base URL (${needs.urlHint})`, {
        default: given ?? needs.defaultUrl,
        validate: (v) => urlProblem(v, b) ?? true,
      });
      const url = normaliseBaseUrl(raw, b);
      if (!allowInsecureHttp && insecure(url)) {
        const host = new URL(url).host;
        const allow = await p.confirm(
          `${host} would be reached over plain http://, so the ${needs.secretLabel.toLowerCase()} travels unencrypted. ` +
            'Allow that for this profile (only on a network you trust)?',
          false,
        );
        if (!allow) continue;
        allowInsecureHttp = true;
      }
      baseUrl = url;
    }
    user ??= str(needs.user);
    user ??= (await p.input(needs.userLabel, { validate: (v) => (v.trim() ? true : `the ${needs.userLabel.toLowerCase()} is needed`) })).trim();
    if (needs.device && deviceName === undefined) {
      deviceName = (await p.input('Device name (as registered in PORTOS)', { validate: (v) => (v.trim() ? true : 'the device name is needed') })).trim();
    }
  }
  // Every field is known from here on (the walk above filled what the options left out).
  if (name === undefined || backend === undefined || baseUrl === undefined || user === undefined) throw new Error('unreachable');
  const needs = NEEDS[backend];
  if (needs.device && deviceName === undefined) throw new UsageError('a portos profile needs --device-name');

  const profile: Profile = { backend, baseUrl };
  profile[needs.user] = user;
  if (needs.device) profile.deviceName = deviceName;
  if (allowInsecureHttp) profile.allowInsecureHttp = true;

  const wrongFlag = needs.stdinFlag === '--client-secret-stdin' ? 'passwordStdin' : 'clientSecretStdin';
  if (o[wrongFlag]) {
    throw new UsageError(`${wrongFlag === 'passwordStdin' ? '--password-stdin' : '--client-secret-stdin'} does not apply to a ${backend} profile; use ${needs.stdinFlag}`);
  }
  const fromStdin = Boolean(o[needs.stdinFlag === '--client-secret-stdin' ? 'clientSecretStdin' : 'passwordStdin']);
  const fromEnv = fromStdin ? undefined : app.deps.env[needs.envVar] || undefined;
  if (fromEnv) app.deps.redactor.add(fromEnv);
  const secretPrompted = !fromStdin && !fromEnv && terminal;
  const check = (o.check as boolean | undefined) ?? (missing.length > 0 || secretPrompted);
  // Checked whether or not the credentials are: a profile every later command would refuse is
  // no profile (exit 2 now, before the secret is read, rather than on first use).
  checkTransport({ baseUrl, allowInsecureHttp });

  for (let attempt = 1; ; attempt++) {
    profile[needs.secret] =
      fromEnv ?? (await app.readSecret({ label: needs.secretLabel, fromStdin, stdinFlag: needs.stdinFlag, envVar: needs.envVar }));
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
            `  That ${needs.secretLabel.toLowerCase()} was refused; type it again (${SECRET_ATTEMPTS - attempt} ` +
            `${SECRET_ATTEMPTS - attempt === 1 ? 'try' : 'tries'} left; Ctrl-C to stop).\n`,
        );
        continue;
      }
      if (e instanceof TemporaryError && terminal) {
        const p = await ask();
        if (await p.confirm(`Could not check the credentials: ${app.deps.redactor.redact(e.message)}. Save the profile anyway?`, false)) break;
      }
      if (e) {
        const hint = refused ? `; check the ${needs.userLabel.toLowerCase()} and the ${needs.secretLabel.toLowerCase()}` : '';
        throw new PoscustError(`${e.message}${hint}; the profile was not saved`, e.exitCode, e.kind, { status: e.status, cause: e });
      }
      throw err;
    }
  }

  const data = await updateStore(app.configDir, (d) => {
    if (d.profiles[name] && !force) throw new ConflictError(`a profile named '${name}' exists; add --force to replace it`);
    d.profiles[name] = profile;
    if (o.default || !d.defaultProfile) d.defaultProfile = name;
  });
  const replaced = existing[name];
  if (replaced) tokenCacheFor(app.configDir, replaced).clear();
  app.invalidateStore();
  app.notice(`saved profile '${name}'${data.defaultProfile === name ? ' (default)' : ''} in ${app.configDir}`);
}

function urlProblem(value: string, backend: BackendName): string | undefined {
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
