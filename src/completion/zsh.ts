// The zsh completion function (`_poscust`, for a directory in $fpath, or sourced after compinit). The
// same walk over the words as the bash script, then zsh's own tools: subcommands and options with
// their descriptions (_describe), values through compadd, file names through _files.
import { argumentValueFunction, childFunction, optionValueFunction, shQuote, takesValueFunction } from './case-tables.js';
import {
  GENERATED_NOTE,
  allCommands,
  checkWord,
  globalOptions,
  helpWords,
  keyOf,
  ownOptions,
  type CommandSpec,
  type CompletionSpec,
  type OptionSpec,
  type ValueSpec,
} from './spec.js';

const q = shQuote;

function valueStatement(values: ValueSpec, spec: CompletionSpec): string | undefined {
  switch (values.kind) {
    case 'words':
      return `compadd -- ${values.words.map(checkWord).join(' ')}`;
    case 'help-topics':
      return `compadd -- ${helpWords(spec).map(checkWord).join(' ')}`;
    case 'profiles':
      return '__poscust_profiles';
    case 'files':
      return '_files';
    case 'text':
      return undefined;
  }
}

/** `'--format:output format'` items for _describe (a colon in a name would need escaping; none has one). */
function describeItems(items: { name: string; description: string }[]): string {
  return items.map((i) => q(`${checkWord(i.name)}:${i.description.replace(/\s+/g, ' ')}`)).join(' ');
}

function optionItems(options: readonly OptionSpec[]): { name: string; description: string }[] {
  return options.flatMap((o) => o.flags.map((f) => ({ name: f, description: o.description })));
}

export function zshScript(spec: CompletionSpec): string {
  const commands = allCommands(spec);
  const withRoot: CommandSpec[] = [spec.root, ...commands];
  const globals = globalOptions(spec);
  const out: string[] = [];
  const add = (...lines: string[]) => out.push(...lines);

  add('#compdef poscust', ...GENERATED_NOTE.split('\n').map((l) => `# ${l}`), '');

  add(...childFunction(withRoot));
  add(...takesValueFunction(withRoot, globals, spec));

  add('__poscust_subcommands() {', '  local -a items', '  case "$1" in');
  for (const c of withRoot) {
    if (c.commands.length) add(`    ${q(keyOf(c))}) items=(${describeItems(c.commands.map((s) => ({ name: s.name, description: s.description })))}) ;;`);
  }
  add('    *) return 1 ;;', '  esac', "  _describe -t commands 'poscust command' items", '}', '');

  add('__poscust_options() {', '  local -a items', `  items=(${describeItems(optionItems(globals))})`, '  case "$1" in');
  for (const c of withRoot) {
    const own = ownOptions(c, spec);
    if (own.length) add(`    ${q(keyOf(c))}) items+=(${describeItems(optionItems(own))}) ;;`);
  }
  add('  esac', "  _describe -t options 'option' items", '}', '');

  add(...optionValueFunction(withRoot, globals, spec, valueStatement));
  add(...argumentValueFunction(commands, spec, valueStatement, '<->'));

  add(
    '# Profile names come from the profile store when Tab is pressed; the helper prints nothing but names.',
    '__poscust_profiles() {',
    '  local -a names',
    '  names=(${(f)"$(poscust __complete profiles 2>/dev/null)"})',
    '  compadd -a names',
    '}',
    '',
    '_poscust() {',
    '  local cur=${words[CURRENT]} cmdpath= w valueof= REPLY=',
    '  integer i=2 npos=0 dashdash=0',
    '  while (( i < CURRENT )); do',
    '    w=${words[i]}',
    '    if (( dashdash )); then',
    '      (( npos++ ))',
    '    elif [[ $w == -- ]]; then',
    '      dashdash=1',
    '    elif [[ $w == -?* ]]; then',
    '      if [[ $w != *=* ]] && __poscust_takes_value "$cmdpath" "$w"; then',
    '        (( i++ ))',
    '        (( i >= CURRENT )) && valueof=$w',
    '      fi',
    '    elif (( npos == 0 )) && __poscust_child "$cmdpath" "$w"; then',
    '      cmdpath=$REPLY',
    '    else',
    '      (( npos++ ))',
    '    fi',
    '    (( i++ ))',
    '  done',
    '  if [[ -n $valueof ]]; then',
    '    __poscust_option_value "$cmdpath" "$valueof"',
    '  elif (( ! dashdash )) && [[ $cur == --*=* ]]; then',
    '    valueof=${cur%%=*}',
    "    compset -P '*='",
    '    __poscust_option_value "$cmdpath" "$valueof"',
    '  elif (( ! dashdash )) && [[ $cur == -* ]]; then',
    '    __poscust_options "$cmdpath"',
    '  elif (( npos == 0 )) && __poscust_subcommands "$cmdpath"; then',
    '    :',
    '  else',
    '    __poscust_argument_value "$cmdpath" "$npos"',
    '  fi',
    '}',
    '',
    '# Autoloaded from $fpath the file is the body of _poscust: define, then run. Sourced, it registers.',
    'if [[ ${funcstack[1]} == _poscust ]]; then',
    '  _poscust "$@"',
    'else',
    '  compdef _poscust poscust',
    'fi',
  );
  return `${out.join('\n')}\n`;
}
