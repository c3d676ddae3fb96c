// Colour only on a terminal, never with NO_COLOR or --no-color (chalk 5 ignores NO_COLOR itself,
// so we set its level from our own decision).
import { Chalk, type ChalkInstance } from 'chalk';
import type { Env } from '../deps.js';

export function colorWanted(isTTY: boolean, env: Env, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

export function makeStyle(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
