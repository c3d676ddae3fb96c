// The bash completion script. Self-contained (no bash-completion package needed; bash 3.2 and later).
// It walks the words before the cursor the way the parser does (global options anywhere, options that
// take a value skip it, subcommands only before the first positional argument) and then offers the
// subcommands, the options, an option's values or an argument's values of the command it ended in.
import { argumentValueFunction, childFunction, optionValueFunction, shQuote, takesValueFunction } from './case-tables.js';
import {
  GENERATED_NOTE,
  allCommands,
  checkWord,
  globalOptions,
  helpWords,
  keyOf,
  optionFlags,
  ownOptions,
  type CommandSpec,
  type CompletionSpec,
  type ValueSpec,
} from './spec.js';

const q = shQuote;

/** The statement that completes a value for the word in "$3", or undefined for free text. */
function valueStatement(values: ValueSpec, spec: CompletionSpec): string | undefined {
  switch (values.kind) {
    case 'words':
      return `__poscust_words ${q(values.words.map(checkWord).join(' '))} "$3"`;
    case 'help-topics':
      return `__poscust_words ${q(helpWords(spec).map(checkWord).join(' '))} "$3"`;
    case 'profiles':
      return '__poscust_profiles "$3"';
    case 'files':
      return '__poscust_files "$3"';
    case 'text':
      return undefined;
  }
}


export function bashScript(spec: CompletionSpec): string {
  const commands = allCommands(spec);
  const withRoot: CommandSpec[] = [spec.root, ...commands];
  const globals = globalOptions(spec);
  const out: string[] = [];
  const add = (...lines: string[]) => out.push(...lines);

  add('# bash completion for poscust', ...GENERATED_NOTE.split('\n').map((l) => `# ${l}`), '');

  add('# The command that word $2 names below the command $1 (aliases too), in REPLY.', ...childFunction(withRoot));
  add(
    '# Whether option $2 of the command $1 takes a value; the global options first, as the parser reads them.',
    ...takesValueFunction(withRoot, globals, spec),
  );

  add('# The subcommand names of the command $1, in REPLY; status 1 when it has none.', '__poscust_subcommands() {', '  case "$1" in');
  for (const c of withRoot) {
    if (c.commands.length) add(`    ${q(keyOf(c))}) REPLY=${q(c.commands.map((s) => checkWord(s.name)).join(' '))} ;;`);
  }
  add('    *) return 1 ;;', '  esac', '}', '');

  add('# Every option the command $1 takes (its own, then the global ones), in REPLY.', '__poscust_options() {', '  case "$1" in');
  for (const c of withRoot) {
    const own = optionFlags(ownOptions(c, spec));
    if (own.length) add(`    ${q(keyOf(c))}) REPLY=${q(own.join(' '))} ;;`);
  }
  add('    *) REPLY= ;;', '  esac', `  REPLY="$REPLY ${optionFlags(globals).join(' ')}"`, '}', '');

  add('# Completes the value of option $2 of the command $1 for the word $3.', ...optionValueFunction(withRoot, globals, spec, valueStatement));
  add(
    '# Completes positional argument number $2 (from 0) of the command $1 for the word $3.',
    ...argumentValueFunction(commands, spec, valueStatement, '[0-9]*'),
  );

  add(
    '__poscust_words() {',
    '  local w',
    '  while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -W "$1" -- "$2")',
    '}',
    '',
    '__poscust_files() {',
    '  compopt -o filenames 2>/dev/null',
    '  local f',
    '  while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -- "$1")',
    '}',
    '',
    '# Profile names come from the profile store when Tab is pressed; the helper prints nothing but names.',
    '__poscust_profiles() {',
    '  __poscust_words "$(poscust __complete profiles 2>/dev/null)" "$1"',
    '}',
    '',
    '_poscust() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} cmdpath= npos=0 i=1 w valueof= dashdash=0 prefix= REPLY=',
    '  COMPREPLY=()',
    '  while (( i < COMP_CWORD )); do',
    '    w=${COMP_WORDS[i]}',
    '    if (( dashdash )); then',
    '      npos=$((npos + 1))',
    '    elif [[ $w == -- ]]; then',
    '      dashdash=1',
    '    elif [[ $w == -?* ]]; then',
    "      # bash splits '--format=json' at '=' (COMP_WORDBREAKS): step over the '=' as well.",
    '      if [[ $w != *=* ]] && __poscust_takes_value "$cmdpath" "$w"; then',
    '        [[ ${COMP_WORDS[i+1]} == = ]] && i=$((i + 1))',
    '        i=$((i + 1))',
    '        (( i >= COMP_CWORD )) && valueof=$w',
    '      fi',
    '    elif (( npos == 0 )) && __poscust_child "$cmdpath" "$w"; then',
    '      cmdpath=$REPLY',
    '    else',
    '      npos=$((npos + 1))',
    '    fi',
    '    i=$((i + 1))',
    '  done',
    '  [[ $cur == = ]] && cur=',
    '  if [[ -z $valueof && $dashdash == 0 && $cur == --*=* ]]; then',
    '    valueof=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}',
    '  fi',
    '  if [[ -n $valueof ]]; then',
    '    __poscust_option_value "$cmdpath" "$valueof" "$cur"',
    '  elif [[ $cur == -* && $dashdash == 0 ]]; then',
    '    __poscust_options "$cmdpath"',
    '    __poscust_words "$REPLY" "$cur"',
    '  elif (( npos == 0 )) && __poscust_subcommands "$cmdpath"; then',
    '    __poscust_words "$REPLY" "$cur"',
    '  else',
    '    __poscust_argument_value "$cmdpath" "$npos" "$cur"',
    '  fi',
    '  if [[ -n $prefix ]]; then',
    '    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$prefix${COMPREPLY[i]}; done',
    '  fi',
    '  return 0',
    '}',
    '',
    'complete -F _poscust poscust',
  );
  return `${out.join('\n')}\n`;
}
