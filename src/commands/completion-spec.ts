// The commander tree as a CompletionSpec (src/completion/spec.ts): visible commands with their
// aliases, options and arguments, and how each value completes (explicit hints, else commander's
// choices, else file names for a <file> placeholder, else free text).
import type { Argument, Command, Option } from 'commander';
import type { ArgumentSpec, CommandSpec, CompletionSpec, OptionSpec, ValueSpec } from '../completion/spec.js';

/** completion-hints.ts's key (a registered symbol: the same wherever it is asked for). */
const COMPLETION_HINT = Symbol.for('poscust.completion');

function valuesOf(target: Option | Argument, placeholder: string): ValueSpec {
  const hint = (target as unknown as Record<symbol, ValueSpec | undefined>)[COMPLETION_HINT];
  if (hint) return hint;
  if (target.argChoices?.length) return { kind: 'words', words: target.argChoices };
  if (/\bfile\b|\bdir\b/i.test(placeholder)) return { kind: 'files' };
  return { kind: 'text' };
}

function optionSpec(o: Option): OptionSpec {
  const flags = [o.short, o.long].filter((f): f is string => Boolean(f));
  const takesValue = o.required;
  const placeholder = /<([^>]*)>/.exec(o.flags)?.[1] ?? '';
  return { flags, description: o.description, takesValue, values: takesValue ? valuesOf(o, placeholder) : { kind: 'text' } };
}

function argumentSpec(a: Argument): ArgumentSpec {
  return { name: a.name(), values: valuesOf(a, a.name()), variadic: a.variadic };
}

function summaryOf(cmd: Command): string {
  return cmd.summary() || cmd.description().split(/(?<=\.)\s|\n/)[0] || '';
}

function commandSpec(cmd: Command, path: string[]): CommandSpec {
  const help = cmd.createHelp();
  return {
    name: cmd.name(),
    path,
    aliases: cmd.aliases(),
    description: summaryOf(cmd),
    options: help.visibleOptions(cmd).map(optionSpec),
    args: cmd.registeredArguments.map(argumentSpec),
    commands: help.visibleCommands(cmd).map((c) => commandSpec(c, [...path, c.name()])),
  };
}

export function completionSpec(program: Command, helpTopics: CompletionSpec['helpTopics']): CompletionSpec {
  return { root: commandSpec(program, []), helpTopics };
}
