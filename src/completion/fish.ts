// The fish completion script (for ~/.config/fish/completions/poscust.fish). fish completes option
// values itself from `complete -l ... -x -a`; what it cannot know is which command the line is in,
// so __poscust_scan walks the tokens the way the parser does, and every `complete` line is guarded
// by a condition on the command path it found.
import {
  GENERATED_NOTE,
  allCommands,
  argumentSlots,
  checkWord,
  globalOptions,
  helpWords,
  keyOf,
  optionFlags,
  ownOptions,
  type CommandSpec,
  type CompletionSpec,
  type OptionSpec,
  type ValueSpec,
} from './spec.js';

/** fish single quotes: only \\ and \' are escapes inside them. */
const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const desc = (s: string) => q(s.replace(/\s+/g, ' '));

/** `complete` arguments for a value: candidates, and whether file names are wanted. */
function valueArgs(values: ValueSpec, spec: CompletionSpec): string {
  switch (values.kind) {
    case 'words':
      return `-f -a ${q(values.words.map(checkWord).join(' '))}`;
    case 'help-topics':
      return `-f -a ${q(helpWords(spec).map(checkWord).join(' '))}`;
    case 'profiles':
      return "-f -a '(__poscust_profiles)'";
    case 'files':
      return '-F';
    case 'text':
      return '-f';
  }
}

function optionLine(o: OptionSpec, condition: string | undefined, spec: CompletionSpec): string {
  const parts = ['complete -c poscust'];
  if (condition) parts.push(`-n ${q(condition)}`);
  for (const f of o.flags) {
    checkWord(f);
    if (f.startsWith('--')) parts.push(`-l ${f.slice(2)}`);
    else parts.push(`-s ${f.slice(1)}`);
  }
  if (o.takesValue) parts.push('-r', valueArgs(o.values, spec));
  parts.push(`-d ${desc(o.description)}`);
  return parts.join(' ');
}

export function fishScript(spec: CompletionSpec): string {
  const commands = allCommands(spec);
  const withRoot: CommandSpec[] = [spec.root, ...commands];
  const globals = globalOptions(spec);
  const out: string[] = [];
  const add = (...lines: string[]) => out.push(...lines);

  add('# fish completion for poscust', ...GENERATED_NOTE.split('\n').map((l) => `# ${l}`), '');

  add('function __poscust_child --argument-names cmdpath word', '    switch "$cmdpath|$word"');
  for (const parent of withRoot) {
    for (const child of parent.commands) {
      add(`        case ${[child.name, ...child.aliases].map((n) => q(`${keyOf(parent)}|${checkWord(n)}`)).join(' ')}`, `            echo ${q(keyOf(child))}`);
    }
  }
  add("        case '*'", '            return 1', '    end', 'end', '');

  add('function __poscust_takes_value --argument-names cmdpath opt', '    switch $opt');
  if (optionFlags(globals, true).length) add(`        case ${optionFlags(globals, true).join(' ')}`, '            return 0');
  if (optionFlags(globals, false).length) add(`        case ${optionFlags(globals, false).join(' ')}`, '            return 1');
  add('    end', '    switch "$cmdpath|$opt"');
  for (const c of withRoot) {
    const valued = optionFlags(ownOptions(c, spec), true).map((f) => q(`${keyOf(c)}|${f}`));
    if (valued.length) add(`        case ${valued.join(' ')}`, '            return 0');
  }
  add('    end', '    return 1', 'end', '');

  add(
    '# Walks the tokens before the cursor: the command path and the number of positional arguments.',
    'function __poscust_scan',
    '    set -l line (commandline -cp)',
    '    test "$line" = "$__poscust_scanned"; and return',
    '    set -g __poscust_scanned $line',
    '    set -l tokens (commandline -opc)',
    '    set -e tokens[1]',
    "    set -l cmdpath ''",
    '    set -l child',
    '    set -l npos 0',
    '    set -l skip 0',
    '    set -l dashdash 0',
    '    for w in $tokens',
    '        if test $skip = 1',
    '            set skip 0',
    '        else if test $dashdash = 1',
    '            set npos (math $npos + 1)',
    "        else if test \"$w\" = '--'",
    '            set dashdash 1',
    "        else if string match -qr -- '^-.' $w",
    "            if not string match -q -- '*=*' $w; and __poscust_takes_value \"$cmdpath\" $w",
    '                set skip 1',
    '            end',
    '        else if test $npos = 0; and set child (__poscust_child "$cmdpath" $w)',
    '            set cmdpath $child',
    '        else',
    '            set npos (math $npos + 1)',
    '        end',
    '    end',
    '    set -g __poscust_path $cmdpath',
    '    set -g __poscust_npos $npos',
    'end',
    '',
    '# In the command $argv[1] (its options apply).',
    'function __poscust_in',
    '    __poscust_scan',
    '    test "$__poscust_path" = "$argv[1]"',
    'end',
    '',
    '# In the command $argv[1], before any positional argument (its subcommands apply).',
    'function __poscust_at',
    '    __poscust_scan',
    '    test "$__poscust_path" = "$argv[1]"; and test $__poscust_npos = 0',
    'end',
    '',
    '# At positional argument $argv[2] of the command $argv[1]; "N+" means N or later.',
    'function __poscust_arg',
    '    __poscust_scan',
    '    test "$__poscust_path" = "$argv[1]"; or return 1',
    "    if string match -q -- '*+' $argv[2]",
    "        test $__poscust_npos -ge (string trim -r -c + -- $argv[2])",
    '    else',
    '        test $__poscust_npos = $argv[2]',
    '    end',
    'end',
    '',
    '# Profile names come from the profile store when Tab is pressed; the helper prints nothing but names.',
    'function __poscust_profiles',
    '    poscust __complete profiles 2>/dev/null',
    'end',
    '',
    '# No file names unless an argument or option asks for them.',
    'complete -c poscust -f',
    '',
    '# Global options, valid after any command.',
  );
  for (const o of globals) add(optionLine(o, undefined, spec));

  for (const c of withRoot) {
    const key = keyOf(c);
    add('', `# ${key ? `poscust ${key}` : 'poscust'}`);
    for (const o of ownOptions(c, spec)) add(optionLine(o, `__poscust_in '${key}'`, spec));
    for (const s of c.commands) add(`complete -c poscust -n ${q(`__poscust_at '${key}'`)} -f -a ${q(checkWord(s.name))} -d ${desc(s.description)}`);
    for (const slot of argumentSlots(c)) {
      if (slot.values.kind === 'text') continue;
      add(`complete -c poscust -n ${q(`__poscust_arg '${key}' ${slot.index}${slot.from ? '+' : ''}`)} ${valueArgs(slot.values, spec)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
