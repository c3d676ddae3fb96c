import { isAbsolute, join } from 'node:path';
import type { Env } from '../deps.js';

/**
 * `POSCUST_CONFIG_DIR`, else the platform's per-user config directory. `XDG_CONFIG_HOME` counts only
 * when it is an absolute path, as the XDG spec says: an empty or relative one would put the
 * credentials wherever the command happens to run. `homeDir` is absolute (see homeDirFrom).
 */
export function configDir(env: Env, homeDir: string, platform: NodeJS.Platform): string {
  if (env.POSCUST_CONFIG_DIR) return env.POSCUST_CONFIG_DIR;
  if (platform === 'darwin') return join(homeDir, 'Library', 'Preferences', 'poscust');
  if (platform === 'win32') return join(env.APPDATA ?? join(homeDir, 'AppData', 'Roaming'), 'poscust', 'Config');
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homeDir, '.config'), 'poscust');
}

/**
 * The home directory: `HOME` when it is an absolute path, else the account's own (from the password
 * database), as if HOME were unset. An empty `HOME=` must not make the current directory home.
 */
export function homeDirFrom(fromEnv: string, fromAccount: () => string): string {
  return fromEnv && isAbsolute(fromEnv) ? fromEnv : fromAccount();
}

export const STORE_FILE = 'config.json';
export const TOKEN_DIR = 'tokens';
/** What poscust learned about each server's dialect (server-notes.ts). */
export const SERVER_DIR = 'servers';
