import { Option, type Command } from 'commander';
import type { AppContext } from '../context.js';
import { BACKENDS, type BackendName } from '../backends/names.js';
import { normaliseBaseUrl } from '../config/resolve.js';
import { SECRET_FIELDS, updateStore, type Profile } from '../config/store.js';
import { tokenCacheFor } from '../config/token-cache.js';
import { writeOut } from '../deps.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { createRecordWriter } from '../output/records.js';
import { examples } from './examples.js';

export function registerProfile(program: Command, app: AppContext): void {
  const profile = program
    .command('profile')
    .summary('store and choose shop connections')
    .description(
      'Profiles hold a shop\'s backend, base URL and credentials in an owner-only file\n' +
        '(POSCUST_CONFIG_DIR, default ~/.config/poscust). POSCUST_* variables override them.',
    );

  profile
    .command('add <name>')
    .summary('store a profile')
    .description(
      'Store a profile. Secrets are read from a hidden prompt, or from stdin with\n' +
        '--client-secret-stdin / --password-stdin, never from the command line.',
    )
    .addOption(new Option('--backend <backend>', 'point-of-sale backend').choices(BACKENDS).makeOptionMandatory())
    .requiredOption('--base-url <url>', 'API base URL (DealPOS also takes the shop subdomain)')
    .option('--client-id <id>', 'DealPOS OAuth2 client id')
    .option('--client-secret-stdin', 'read the DealPOS client secret from stdin')
    .option('--username <user>', 'MYPOS API user e-mail / PORTOS user name')
    .option('--password-stdin', 'read the MYPOS or PORTOS password from stdin')
    .option('--device-name <name>', 'PORTOS device name')
    .option('--allow-insecure-http', 'allow plain http:// to this host (a PORTOS server on the shop LAN)')
    .option('--default', 'make it the default profile (the first profile always is)')
    .option('--force', 'replace an existing profile of that name')
    .addHelpText(
      'after',
      examples(
        'poscust profile add shop --backend dealpos --base-url myshop --client-id 8c1f2e',
        "printf '%s' \"$SECRET\" | poscust profile add shop --backend dealpos --base-url https://myshop.dealpos.net/api/v3 --client-id 8c1f2e --client-secret-stdin",
        'poscust profile add lan --backend portos --base-url http://10.0.0.5 --username admin --device-name till1 --allow-insecure-http',
      ),
    )
    .action(async (name: string, o: Record<string, unknown>) => runProfileAdd(app, name, o));

  profile
    .command('list')
    .summary('list profiles')
    .addHelpText('after', examples('poscust profile list', 'poscust profile list --format json'))
    .action(async () => {
      const store = app.store();
      const rows = Object.entries(store.profiles).map(([name, p]) => ({
        name,
        backend: p.backend,
        baseUrl: p.baseUrl,
        default: name === store.defaultProfile,
      }));
      const writer = createRecordWriter({
        format: app.globals.format,
        out: app.deps.io.stdout,
        fields: app.globals.fields,
        tableColumns: ['name', 'backend', 'baseUrl', 'default'],
        allColumns: ['name', 'backend', 'baseUrl', 'default'],
        shape: 'many',
      });
      await writer.write(rows);
      await writer.end();
      if (rows.length === 0) app.notice('no profiles yet; add one with poscust profile add <name> --backend ... --base-url ...');
    });

  profile
    .command('show <name>')
    .summary('show a profile, secrets masked')
    .addHelpText('after', examples('poscust profile show shop'))
    .action(async (name: string) => {
      const store = app.store();
      const p = store.profiles[name];
      if (!p) throw noProfile(name, Object.keys(store.profiles));
      const shown: Record<string, unknown> = { name, ...p, default: name === store.defaultProfile };
      for (const f of SECRET_FIELDS) if (shown[f] !== undefined) shown[f] = '********';
      if (app.globals.format === 'json' || app.globals.format === 'ndjson') {
        await writeOut(app.deps.io.stdout, `${JSON.stringify(shown, null, app.globals.format === 'json' ? 2 : 0)}\n`);
        return;
      }
      const width = Math.max(...Object.keys(shown).map((k) => k.length));
      const text = Object.entries(shown)
        .map(([k, v]) => `${k.padEnd(width)}  ${String(v)}`)
        .join('\n');
      await writeOut(app.deps.io.stdout, `${text}\n`);
    });

  profile
    .command('use <name>')
    .summary('make a profile the default')
    .addHelpText('after', examples('poscust profile use shop'))
    .action(async (name: string) => {
      await updateStore(app.configDir, (data) => {
        if (!data.profiles[name]) throw noProfile(name, Object.keys(data.profiles));
        data.defaultProfile = name;
      });
      app.notice(`default profile is now '${name}'`);
    });

  profile
    .command('remove <name>')
    .alias('rm')
    .summary('delete a profile and its cached token')
    .addHelpText('after', examples('poscust profile remove old-shop'))
    .action(async (name: string) => {
      let removed: Profile | undefined;
      await updateStore(app.configDir, (data) => {
        removed = data.profiles[name];
        if (!removed) throw noProfile(name, Object.keys(data.profiles));
        delete data.profiles[name];
        if (data.defaultProfile === name) delete data.defaultProfile;
      });
      if (removed) tokenCacheFor(app.configDir, removed).clear();
      app.notice(`removed profile '${name}'`);
    });
}

function noProfile(name: string, known: string[]): NotFoundError {
  return new NotFoundError(
    `no profile named '${name}'${known.length ? `; known profiles: ${known.join(', ')}` : '; run poscust profile add'}`,
  );
}

const NEEDS: Record<BackendName, { user?: 'clientId' | 'username'; secret: 'clientSecret' | 'password'; device?: boolean }> = {
  dealpos: { user: 'clientId', secret: 'clientSecret' },
  mypos: { user: 'username', secret: 'password' },
  portos: { user: 'username', secret: 'password', device: true },
};

export async function runProfileAdd(app: AppContext, name: string, o: Record<string, unknown>): Promise<void> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`profile name '${name}' may hold only letters, digits, '.', '_' and '-'`);
  }
  const backend = o.backend as BackendName;
  const needs = NEEDS[backend];
  const profile: Profile = { backend, baseUrl: normaliseBaseUrl(String(o.baseUrl), backend) };
  const flag = needs.user === 'clientId' ? '--client-id' : '--username';
  const user = needs.user === 'clientId' ? o.clientId : o.username;
  if (typeof user !== 'string' || !user) throw new UsageError(`a ${backend} profile needs ${flag}`);
  profile[needs.user!] = user;
  if (needs.device) {
    if (typeof o.deviceName !== 'string' || !o.deviceName) throw new UsageError('a portos profile needs --device-name');
    profile.deviceName = o.deviceName;
  }
  // The program's global --allow-insecure-http takes the flag wherever it stands on the line.
  if (o.allowInsecureHttp || app.globals.allowInsecureHttp) profile.allowInsecureHttp = true;
  // Refuse early, before asking for a secret the user would then have typed for nothing.
  const existing = app.store().profiles[name];
  if (existing && !o.force) throw new ConflictError(`a profile named '${name}' exists; add --force to replace it`);

  const stdinFlag = needs.secret === 'clientSecret' ? '--client-secret-stdin' : '--password-stdin';
  const wrongFlag = needs.secret === 'clientSecret' ? '--password-stdin' : '--client-secret-stdin';
  if (o[wrongFlag === '--password-stdin' ? 'passwordStdin' : 'clientSecretStdin']) {
    throw new UsageError(`${wrongFlag} does not apply to a ${backend} profile; use ${stdinFlag}`);
  }
  const envVar = needs.secret === 'clientSecret' ? 'POSCUST_CLIENT_SECRET' : 'POSCUST_PASSWORD';
  const fromStdin = Boolean(o[needs.secret === 'clientSecret' ? 'clientSecretStdin' : 'passwordStdin']);
  const fromEnv = app.deps.env[envVar];
  profile[needs.secret] =
    !fromStdin && fromEnv
      ? fromEnv
      : await app.readSecret({
          label: needs.secret === 'clientSecret' ? 'Client secret' : 'Password',
          fromStdin,
          stdinFlag,
          envVar,
        });

  const data = await updateStore(app.configDir, (d) => {
    if (d.profiles[name] && !o.force) throw new ConflictError(`a profile named '${name}' exists; add --force to replace it`);
    d.profiles[name] = profile;
    if (o.default || !d.defaultProfile) d.defaultProfile = name;
  });
  if (existing) tokenCacheFor(app.configDir, existing).clear();
  app.invalidateStore();
  app.notice(`saved profile '${name}'${data.defaultProfile === name ? ' (default)' : ''} in ${app.configDir}`);
}
