// Colour only on a terminal, never with NO_COLOR or --no-color (chalk 5 ignores NO_COLOR itself,
// so we decide and set its level). chalk is loaded only when colour may be wanted (a terminal or
// FORCE_COLOR): its terminal detection costs ~10 ms of start-up that scripts and cron never need.
import type { Env } from '../deps.js';

export interface Style {
  readonly level: number;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
}

const identity = (text: string) => text;
const PLAIN: Style = { level: 0, bold: identity, dim: identity, red: identity, yellow: identity, green: identity };

let chalk: typeof import('chalk') | undefined;

export function colorWanted(isTTY: boolean, env: Env, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

/** Loads chalk when either stream could be coloured; call before makeStyle. */
export async function prepareColor(stdoutIsTTY: boolean, stderrIsTTY: boolean, env: Env): Promise<void> {
  if (!chalk && (colorWanted(stdoutIsTTY, env, true) || colorWanted(stderrIsTTY, env, true))) chalk = await import('chalk');
}

export function makeStyle(enabled: boolean): Style {
  return enabled && chalk ? new chalk.Chalk({ level: 1 }) : PLAIN;
}
