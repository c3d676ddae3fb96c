// What the shell completion scripts know about the command tree, as plain data: the generators
// (bash.ts, zsh.ts, fish.ts) turn it into scripts, and src/commands/completion.ts builds it from the
// commander tree, so no generator depends on commander and the scripts cannot drift from the CLI.

/** How the value of an option or a positional argument completes. */
export type ValueSpec =
  | { kind: 'words'; words: readonly string[] }
  /** Profile names, asked of `poscust __complete profiles` when the user presses Tab. */
  | { kind: 'profiles' }
  | { kind: 'files' }
  /** Help topics and command names (`poscust help <topic>`). */
  | { kind: 'help-topics' }
  /** Free text: nothing to offer. */
  | { kind: 'text' };

export interface OptionSpec {
  /** Every spelling: `--format`, or `-q` and `--quiet`. */
  flags: readonly string[];
  description: string;
  /** The option takes a value (`--format json`); its completions are `values`. */
  takesValue: boolean;
  values: ValueSpec;
}

export interface ArgumentSpec {
  name: string;
  values: ValueSpec;
  /** The last argument may repeat (`merge --into X <source-code...>`). */
  variadic: boolean;
}

export interface CommandSpec {
  name: string;
  /** Words from the program name down, without `poscust`: `['profile', 'add']`. */
  path: readonly string[];
  aliases: readonly string[];
  description: string;
  options: readonly OptionSpec[];
  args: readonly ArgumentSpec[];
  commands: readonly CommandSpec[];
}

export interface CompletionSpec {
  /** The program itself: its options are the global options, valid after any command too. */
  root: CommandSpec;
  /** Topics of `poscust help <topic>` besides the command names. */
  helpTopics: readonly { name: string; description: string }[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Every command below the root, depth first, parents before children. */
export function allCommands(spec: CompletionSpec): CommandSpec[] {
  const out: CommandSpec[] = [];
  const walk = (cmd: CommandSpec) => {
    for (const child of cmd.commands) {
      out.push(child);
      walk(child);
    }
  };
  walk(spec.root);
  return out;
}

/** The key a script uses for a command: its path joined by spaces ('' for the root). */
export function keyOf(cmd: CommandSpec): string {
  return cmd.path.join(' ');
}

/** Words for `poscust help <TAB>`: the topics and the top-level command names. */
export function helpWords(spec: CompletionSpec): string[] {
  return [...spec.helpTopics.map((t) => t.name), ...spec.root.commands.map((c) => c.name)];
}

export const GENERATED_NOTE =
  'Generated from the poscust command tree by scripts/gen-completions.mjs (npm run completions);\n' +
  'do not edit. `poscust completion --help` says how to install it.';

const ROOT_ONLY = new Set(['-V', '--version']);

/** Options valid anywhere on the line: the program's, except --version. */
export function globalOptions(spec: CompletionSpec): OptionSpec[] {
  return spec.root.options.filter((o) => !o.flags.some((f) => ROOT_ONLY.has(f)));
}

/**
 * A command's own options: those of its spellings the global options do not already take (the
 * parser reads the program's options first, wherever they stand, so a global spelling wins).
 */
export function ownOptions(cmd: CommandSpec, spec: CompletionSpec): OptionSpec[] {
  if (cmd === spec.root) return spec.root.options.filter((o) => o.flags.some((f) => ROOT_ONLY.has(f)));
  const taken = new Set(globalOptions(spec).flatMap((o) => o.flags));
  return cmd.options.filter((o) => !o.flags.some((f) => taken.has(f)));
}

/** The flags of `options`; only those that take a value, or only those that do not, when asked. */
export function optionFlags(options: readonly OptionSpec[], takesValue?: boolean): string[] {
  return options.filter((o) => takesValue === undefined || o.takesValue === takesValue).flatMap((o) => o.flags.map(checkWord));
}

/** Words a script embeds unquoted-safe: command names, flags, choices. Anything else is a bug here. */
export function checkWord(word: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@%+,:=/-]*$|^--?[A-Za-z0-9][A-Za-z0-9-]*$/.test(word)) {
    throw new Error(`completion: '${word}' cannot be embedded safely in a completion script`);
  }
  return word;
}

/** The argument index a script matches: `N` exactly, or from N on for a repeatable last argument. */
export function argumentSlots(cmd: CommandSpec): { index: number; from: boolean; values: ValueSpec }[] {
  return cmd.args.map((a, index) => ({
    index,
    // `help <topic>` offers topics for its first word only.
    from: a.variadic && a.values.kind !== 'help-topics',
    values: a.values,
  }));
}
