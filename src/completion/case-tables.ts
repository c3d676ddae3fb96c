// The lookup functions the bash and zsh scripts share. Both shells read `case "$1|$2" in ... esac`
// and POSIX single quotes the same way, so the tables that turn the words before the cursor into a
// command path, an option's arity and the completion of a value are generated here once; each
// script adds its own comments, its own way of offering candidates (`valueStatement`) and its own
// main function.
import { argumentSlots, checkWord, keyOf, optionFlags, ownOptions, type CommandSpec, type CompletionSpec, type OptionSpec, type ValueSpec } from './spec.js';

/** POSIX single quotes. */
export const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const q = shQuote;

/** The shell statement that completes a value, or undefined for free text. */
export type ValueStatement = (values: ValueSpec, spec: CompletionSpec) => string | undefined;

/** `__poscust_child`: the command that word $2 names below the command $1 (aliases too), in REPLY. */
export function childFunction(withRoot: readonly CommandSpec[]): string[] {
  const lines = ['__poscust_child() {', '  case "$1|$2" in'];
  for (const parent of withRoot) {
    for (const child of parent.commands) {
      const pats = [child.name, ...child.aliases].map((n) => q(`${keyOf(parent)}|${checkWord(n)}`)).join('|');
      lines.push(`    ${pats}) REPLY=${q(keyOf(child))} ;;`);
    }
  }
  lines.push('    *) return 1 ;;', '  esac', '}', '');
  return lines;
}

/** `__poscust_takes_value`: whether option $2 of the command $1 takes a value; the global options first. */
export function takesValueFunction(withRoot: readonly CommandSpec[], globals: readonly OptionSpec[], spec: CompletionSpec): string[] {
  const lines = ['__poscust_takes_value() {', '  case "$2" in'];
  if (optionFlags(globals, true).length) lines.push(`    ${optionFlags(globals, true).join('|')}) return 0 ;;`);
  if (optionFlags(globals, false).length) lines.push(`    ${optionFlags(globals, false).join('|')}) return 1 ;;`);
  lines.push('  esac', '  case "$1|$2" in');
  for (const c of withRoot) {
    const valued = optionFlags(ownOptions(c, spec), true).map((f) => q(`${keyOf(c)}|${f}`));
    if (valued.length) lines.push(`    ${valued.join('|')}) return 0 ;;`);
  }
  lines.push('  esac', '  return 1', '}', '');
  return lines;
}

/** `__poscust_option_value`: completes the value of option $2 of the command $1. */
export function optionValueFunction(
  withRoot: readonly CommandSpec[],
  globals: readonly OptionSpec[],
  spec: CompletionSpec,
  valueStatement: ValueStatement,
): string[] {
  const lines = ['__poscust_option_value() {', '  case "$2" in'];
  for (const o of globals) {
    if (o.takesValue) lines.push(`    ${o.flags.map(checkWord).join('|')}) ${valueStatement(o.values, spec) ?? ':'}; return ;;`);
  }
  lines.push('  esac', '  case "$1|$2" in');
  for (const c of withRoot) {
    for (const o of ownOptions(c, spec)) {
      const statement = o.takesValue ? valueStatement(o.values, spec) : undefined;
      if (statement) lines.push(`    ${o.flags.map((f) => q(`${keyOf(c)}|${checkWord(f)}`)).join('|')}) ${statement} ;;`);
    }
  }
  lines.push('  esac', '}', '');
  return lines;
}

/**
 * `__poscust_argument_value`: completes positional argument $2 (from 0) of the command $1.
 * `anyIndex` is the shell's pattern for "any number" (a repeatable last argument).
 */
export function argumentValueFunction(commands: readonly CommandSpec[], spec: CompletionSpec, valueStatement: ValueStatement, anyIndex: string): string[] {
  const lines = ['__poscust_argument_value() {', '  case "$1|$2" in'];
  for (const c of commands) {
    for (const slot of argumentSlots(c)) {
      const statement = valueStatement(slot.values, spec);
      if (statement) lines.push(`    ${q(`${keyOf(c)}|${slot.from ? '' : slot.index}`)}${slot.from ? anyIndex : ''}) ${statement} ;;`);
    }
  }
  lines.push('  esac', '}', '');
  return lines;
}
