// How an option's or argument's value completes, where commander's own metadata (choices) does not
// say: profile names, file names, a comma list of known words. Read by completion-spec.ts.
import type { Argument, Option } from 'commander';
import type { ValueSpec } from '../completion/spec.js';

const hints = new WeakMap<Option | Argument, ValueSpec>();

export const PROFILE_NAMES: ValueSpec = { kind: 'profiles' };
export const FILE_NAMES: ValueSpec = { kind: 'files' };
export const words = (list: readonly string[]): ValueSpec => ({ kind: 'words', words: list });

/** Marks how `target`'s value completes; returns it, for chaining into addOption/addArgument. */
export function completeWith<T extends Option | Argument>(target: T, values: ValueSpec): T {
  hints.set(target, values);
  return target;
}

export function completionHint(target: Option | Argument): ValueSpec | undefined {
  return hints.get(target);
}
