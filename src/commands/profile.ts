import * as parse from './parse.js';
import { Argument, Option, type Command } from 'commander';
import type { AppContext } from '../context.js';
import { orList } from '../backends/connection.js';
import type { CredentialDef } from '../backends/descriptor.js';
import { BACKENDS, VENDORS } from '../backends/registry.js';
import { SECRET_FIELDS, type Profile } from '../config/store.js';
import { tokenCacheFor } from '../config/token-cache.js';
import { writeOut } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { createRecordWriter } from '../output/records.js';
import { PROFILE_NAMES, completeWith } from './completion-hints.js';
import { profileAddOptionsFrom, runProfileAdd } from './profile-add.js';
import { examples } from './examples.js';

export function registerProfile(program: Command, app: AppContext): void {
  const profile = program
    .command('profile')
    .summary('store and choose shop connections')
    .description(
      'Profiles hold a shop\'s backend, base URL and credentials in an owner-only file\n' +
        '(POSCUST_CONFIG_DIR, default ~/.config/poscust). POSCUST_* variables override them.',
    )
    .addHelpText('after', examples('poscust profile add', 'poscust profile list', 'poscust profile use shop'));

  const add = profile
    .command('add')
    .summary('store a profile')
    .description(
      'Store a profile. On a terminal, whatever the options leave out is asked for (the backend ' +
        'from a list, secrets hidden), and the credentials are checked by logging in and reading one ' +
        'customer before the profile is saved. Without a terminal give <name>, --backend, --base-url ' +
        'and the user; secrets come from stdin with --client-secret-stdin / --password-stdin (or ' +
        'POSCUST_CLIENT_SECRET / POSCUST_PASSWORD), never from the command line.',
    )
    .argument('[name]', 'name of the new profile')
    .addOption(new Option('--backend <backend>', 'point-of-sale backend').choices(BACKENDS))
    .option('--base-url <url>', 'API base URL (DealPOS also takes the shop subdomain)');
  addCredentialOptions(add)
    .option('--allow-insecure-http', 'allow plain http:// to this host (a PORTOS server on the shop LAN)')
    .option('--region <code>', "the shop's country, ISO 3166 alpha-2 (ID, SK, GB…): how phone numbers without + are read (default: ID on DealPOS, SK on PORTOS)")
    .option('--keep-history <days>', "days to keep the history of this profile's jobs (default 90; it holds customers' personal data)", parse.positiveInt)
    .option('--default', 'make it the default profile (the first profile always is)')
    .option('--force', 'replace an existing profile of that name')
    .option('--check', 'log in and read one customer before saving (done anyway when anything was asked)')
    .option('--no-check', 'save without checking the credentials')
    .addHelpText(
      'after',
      examples(
        'poscust profile add',
        'poscust profile add shop --backend dealpos --base-url myshop --client-id 8c1f2e',
        "printf '%s' \"$SECRET\" | poscust profile add shop --backend dealpos --base-url https://myshop.dealpos.net/api/v3 --client-id 8c1f2e --client-secret-stdin",
        'poscust profile add lan --backend portos --base-url http://10.0.0.5 --username admin --device-name till1 --allow-insecure-http',
      ),
    )
    .action(async (name: string | undefined, o: Record<string, unknown>) => runProfileAdd(app, profileAddOptionsFrom(name, o)));

  profile
    .command('list')
    .summary('list profiles')
    .description('List the stored profiles: name, backend, base URL, and which one is the default.')
    .addHelpText('after', examples('poscust profile list', 'poscust profile list --format json'))
    .action(async () => runProfileList(app));

  profile
    .command('show')
    .addArgument(profileArgument())
    .summary('show a profile, secrets masked')
    .description('Show one stored profile with its secrets masked (********).')
    .addHelpText('after', examples('poscust profile show shop', 'poscust profile show shop --format json'))
    .action(async (name: string) => runProfileShow(app, name));

  profile
    .command('use')
    .addArgument(profileArgument())
    .summary('make a profile the default')
    .description('Make a profile the default, used when neither --profile nor POSCUST_PROFILE says otherwise.')
    .addHelpText('after', examples('poscust profile use shop', 'poscust profile use lan-shop && poscust count'))
    .action(async (name: string) => runProfileUse(app, name));

  profile
    .command('remove')
    .addArgument(profileArgument())
    .alias('rm')
    .summary('delete a profile and its cached token')
    .description('Delete a stored profile and forget its cached token. Removing the default leaves no default.')
    .addHelpText('after', examples('poscust profile remove old-shop', 'poscust --quiet profile remove test-sandbox'))
    .action(async (name: string) => runProfileRemove(app, name));
}

export async function runProfileList(app: AppContext): Promise<void> {
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
  if (rows.length === 0) app.notice('no profiles yet; add one with poscust profile add');
}

/** One profile, its secrets masked. */
export async function runProfileShow(app: AppContext, name: string): Promise<void> {
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
}

export async function runProfileUse(app: AppContext, name: string): Promise<void> {
  await app.updateStore((data) => {
    if (!data.profiles[name]) throw noProfile(name, Object.keys(data.profiles));
    data.defaultProfile = name;
  });
  app.notice(`default profile is now '${name}'`);
}

/** Deletes the profile and forgets its cached token. */
export async function runProfileRemove(app: AppContext, name: string): Promise<void> {
  let removed: Profile | undefined;
  await app.updateStore((data) => {
    removed = data.profiles[name];
    if (!removed) throw noProfile(name, Object.keys(data.profiles));
    delete data.profiles[name];
    if (data.defaultProfile === name) delete data.defaultProfile;
  });
  if (removed) tokenCacheFor(app.configDir, removed).clear();
  app.notice(`removed profile '${name}'`);
}

function profileArgument(): Argument {
  return completeWith(new Argument('<name>', 'profile name'), PROFILE_NAMES);
}

function noProfile(name: string, known: string[]): NotFoundError {
  return new NotFoundError(
    `no profile named '${name}'${known.length ? `; known profiles: ${known.join(', ')}` : '; run poscust profile add'}`,
  );
}

/**
 * One option per credential any backend needs (`--client-id <value>`; a secret only as
 * `--…-stdin`), its help naming the backends that use it: from the vendors' descriptors.
 */
function addCredentialOptions(cmd: Command): Command {
  const byFlag = new Map<string, CredentialDef[]>();
  for (const c of VENDORS.flatMap((v) => v.credentials)) byFlag.set(c.flag, [...(byFlag.get(c.flag) ?? []), c]);
  for (const [flag, defs] of byFlag) {
    const first = defs[0]!;
    if (first.secret) {
      const brands = defs.map((d) => d.help.slice(0, d.help.indexOf(' ')));
      cmd.option(flag, `read the ${orList([...new Set(brands)])} ${first.noun} from stdin`);
    } else {
      cmd.option(`${flag} <${first.noun.split(' ').pop()}>`, [...new Set(defs.map((d) => d.help))].join(' / '));
    }
  }
  return cmd;
}
