import { join } from 'node:path';
import type { Env } from '../deps.js';

/** `POSCUST_CONFIG_DIR`, else the platform's per-user config directory. */
export function configDir(env: Env, homeDir: string, platform: NodeJS.Platform): string {
  if (env.POSCUST_CONFIG_DIR) return env.POSCUST_CONFIG_DIR;
  if (platform === 'darwin') return join(homeDir, 'Library', 'Preferences', 'poscust');
  if (platform === 'win32') return join(env.APPDATA ?? join(homeDir, 'AppData', 'Roaming'), 'poscust', 'Config');
  return join(env.XDG_CONFIG_HOME || join(homeDir, '.config'), 'poscust');
}

export const STORE_FILE = 'config.json';
export const TOKEN_DIR = 'tokens';
