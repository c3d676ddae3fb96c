// The profile store: `<config dir>/config.json`, written through `conf` (atomic, mode 0600).
// Reading takes a fast path: the file is plain JSON, and loading conf costs 25-175 ms of start-up
// (it builds an ajv validator eagerly), which every read command would pay. Writes go through conf.
import { lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { fsCause } from '../util/fs-error.js';
import { STORE_FILE } from './paths.js';
import { assertPrivate, checkPrivateDir, ensurePrivateDir } from './files.js';

export interface Profile {
  backend: string;
  baseUrl: string;
  /** DealPOS OAuth2 client id. */
  clientId?: string;
  clientSecret?: string;
  /** MYPOS API user e-mail / PORTOS user name. */
  username?: string;
  password?: string;
  /** PORTOS device name. */
  deviceName?: string;
  /** Allow plain http:// to a host that is not loopback (a PORTOS server on the shop's LAN). */
  allowInsecureHttp?: boolean;
  /** ISO 3166 alpha-2: how the shop's phone numbers without + are read (default: the vendor's). */
  region?: string;
  /** Days the history of this profile's jobs is kept (default 90). */
  keepHistory?: number;
}

export interface StoreData {
  defaultProfile?: string;
  profiles: Record<string, Profile>;
}

export const SECRET_FIELDS = ['clientSecret', 'password'] as const;

export function storePath(dir: string): string {
  return join(dir, STORE_FILE);
}

/**
 * The store, or an empty one when there is none yet. `backends` are the names a profile may use:
 * a profile naming another is damage, refused like any other.
 */
export function readStore(dir: string, backends: readonly string[]): StoreData {
  const file = storePath(dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new ConfigError(`cannot read the profile store ${file}: ${fsCause(err)}`);
  }
  checkPrivateDir(dir);
  assertPrivate(file, 'the profile store');
  return parseStore(text, file, backends);
}

export function parseStore(text: string, file: string, backends: readonly string[]): StoreData {
  let data: unknown;
  try {
    data = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw corrupt(file, `not valid JSON (${(err as Error).message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw corrupt(file, 'not a JSON object');
  const o = data as Record<string, unknown>;
  const profiles = o.profiles ?? {};
  if (!profiles || typeof profiles !== 'object' || Array.isArray(profiles)) {
    throw corrupt(file, '"profiles" is not an object');
  }
  for (const [name, p] of Object.entries(profiles as Record<string, unknown>)) {
    const prof = p as Partial<Profile> | null;
    if (!prof || typeof prof !== 'object') throw corrupt(file, `profile '${name}' is not an object`);
    if (!backends.includes(String(prof.backend))) {
      throw corrupt(file, `profile '${name}' has an unknown backend '${String(prof.backend)}'`);
    }
    if (typeof prof.baseUrl !== 'string') throw corrupt(file, `profile '${name}' has no baseUrl`);
  }
  if (o.defaultProfile !== undefined && typeof o.defaultProfile !== 'string') {
    throw corrupt(file, '"defaultProfile" is not a string');
  }
  return { defaultProfile: o.defaultProfile as string | undefined, profiles: profiles as Record<string, Profile> };
}

function corrupt(file: string, why: string): ConfigError {
  return new ConfigError(
    `the profile store ${file} is damaged: ${why}. Fix or move the file; poscust will not overwrite it`,
  );
}

/**
 * Changes the store: reads it (refusing a damaged or unsafe one), applies `change`, and writes it
 * back through conf, which writes atomically with mode 0600.
 */
export async function updateStore(dir: string, backends: readonly string[], change: (data: StoreData) => void): Promise<StoreData> {
  const data = readStore(dir, backends);
  change(data);
  const file = storePath(dir);
  const { default: Conf } = await import('conf');
  try {
    ensurePrivateDir(dir);
    // A 0-byte store is what an interrupted first write leaves: it holds nothing (readStore read
    // it as empty), and conf would refuse to open it.
    if (lstatSync(file, { throwIfNoEntry: false })?.size === 0) unlinkSync(file);
    const conf = new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: STORE_FILE.replace(/\.json$/, ''),
      projectName: 'poscust',
      configFileMode: 0o600,
      // Never wipe a store we cannot parse; readStore above already refused one.
      clearInvalidConfig: false,
      // Profile names may contain dots.
      accessPropertiesByDotNotation: false,
    });
    const next: Record<string, unknown> = { profiles: data.profiles };
    if (data.defaultProfile !== undefined) next.defaultProfile = data.defaultProfile;
    conf.store = next;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot write the profile store ${file}: ${fsCause(err)}; nothing was changed`, { cause: err });
  }
  return data;
}
