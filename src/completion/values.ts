// `poscust __complete <kind>`: values the completion scripts ask for when Tab is pressed. src/cli.ts
// answers it before the command tree loads, so this module imports none of the CLI's own modules:
// sharing one with the command tree would split the start-up bundle into more chunks and slow every
// command. It prints nothing but the values, one a line; on any problem (no store, a damaged one,
// one other users can read, which poscust refuses to use) it prints nothing, so a Tab never writes
// an error into the user's command line.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** The profile store's directory: the same rule as src/config/paths.ts (a test keeps them equal). */
export function completionConfigDir(env: Env, homeDir: string, platform: NodeJS.Platform): string {
  if (env.POSCUST_CONFIG_DIR) return env.POSCUST_CONFIG_DIR;
  if (platform === 'darwin') return join(homeDir, 'Library', 'Preferences', 'poscust');
  if (platform === 'win32') return join(env.APPDATA ?? join(homeDir, 'AppData', 'Roaming'), 'poscust', 'Config');
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homeDir, '.config'), 'poscust');
}

export function completionValues(args: readonly string[], env: Env, homeDir: string, platform: NodeJS.Platform): string {
  if (args[0] !== 'profiles' || args.length !== 1) return '';
  try {
    const file = join(completionConfigDir(env, homeDir, platform), 'config.json');
    if (platform !== 'win32' && statSync(file).mode & 0o077) return '';
    const profiles = (JSON.parse(readFileSync(file, 'utf8')) as { profiles?: unknown }).profiles;
    if (!profiles || typeof profiles !== 'object' || Array.isArray(profiles)) return '';
    return Object.keys(profiles)
      .filter((name) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      .map((name) => `${name}\n`)
      .join('');
  } catch {
    return '';
  }
}
