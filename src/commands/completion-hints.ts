// How an option's or argument's value completes, where commander's own metadata (choices) does not
// say: profile names, file names, a comma list of known words. Kept on the option object under a
// registered symbol, so completion-spec.ts (loaded only by `poscust completion`) reads it without
// importing this module: a module shared with the lazy chunk would split the start-up bundle.
import type { Argument, Option } from 'commander';
import type { ValueSpec } from '../completion/spec.js';

export const COMPLETION_HINT = Symbol.for('poscust.completion');

export const PROFILE_NAMES: ValueSpec = { kind: 'profiles' };
export const FILE_NAMES: ValueSpec = { kind: 'files' };
export const words = (list: readonly string[]): ValueSpec => ({ kind: 'words', words: list });

/** Marks how `target`'s value completes; returns it, for chaining into addOption/addArgument. */
export function completeWith<T extends Option | Argument>(target: T, values: ValueSpec): T {
  (target as unknown as Record<symbol, ValueSpec>)[COMPLETION_HINT] = values;
  return target;
}
