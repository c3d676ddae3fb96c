// `poscust __complete <kind>`: values the completion scripts ask for when Tab is pressed. It runs
// before the command tree loads (src/cli.ts), reads only the profile store, and prints nothing but
// the values, one a line; on any problem (no store, a damaged or unsafe one) it prints nothing, so a
// Tab never writes an error into the user's command line.
import type { Env } from '../deps.js';
import { configDir } from '../config/paths.js';
import { readStore } from '../config/store.js';

export function completionValues(args: readonly string[], env: Env, homeDir: string, platform: NodeJS.Platform): string {
  if (args[0] !== 'profiles' || args.length !== 1) return '';
  try {
    const names = Object.keys(readStore(configDir(env, homeDir, platform)).profiles);
    return names.map((n) => `${n}\n`).join('');
  } catch {
    return '';
  }
}
