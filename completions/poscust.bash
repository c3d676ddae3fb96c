# bash completion for poscust
# Generated from the poscust command tree by scripts/gen-completions.mjs (npm run completions);
# do not edit. `poscust completion --help` says how to install it.

# The command that word $2 names below the command $1 (aliases too), in REPLY.
__poscust_child() {
  case "$1|$2" in
    '|list') REPLY='list' ;;
    '|count') REPLY='count' ;;
    '|get') REPLY='get' ;;
    '|create') REPLY='create' ;;
    '|update-by') REPLY='update-by' ;;
    '|delete') REPLY='delete' ;;
    '|suspend') REPLY='suspend' ;;
    '|unsuspend') REPLY='unsuspend' ;;
    '|merge') REPLY='merge' ;;
    '|new-code') REPLY='new-code' ;;
    '|pin') REPLY='pin' ;;
    '|verify') REPLY='verify' ;;
    '|app-signin') REPLY='app-signin' ;;
    '|profile') REPLY='profile' ;;
    '|doctor') REPLY='doctor' ;;
    '|sandbox') REPLY='sandbox' ;;
    '|import') REPLY='import' ;;
    '|export') REPLY='export' ;;
    '|apply') REPLY='apply' ;;
    '|history') REPLY='history' ;;
    '|undo') REPLY='undo' ;;
    '|duplicates') REPLY='duplicates' ;;
    '|migrate') REPLY='migrate' ;;
    '|completion') REPLY='completion' ;;
    '|help') REPLY='help' ;;
    'pin|set') REPLY='pin set' ;;
    'pin|check') REPLY='pin check' ;;
    'profile|add') REPLY='profile add' ;;
    'profile|list') REPLY='profile list' ;;
    'profile|show') REPLY='profile show' ;;
    'profile|use') REPLY='profile use' ;;
    'profile|remove'|'profile|rm') REPLY='profile remove' ;;
    'history|show') REPLY='history show' ;;
    'history|prune') REPLY='history prune' ;;
    *) return 1 ;;
  esac
}

# Whether option $2 of the command $1 takes a value; the global options first, as the parser reads them.
__poscust_takes_value() {
  case "$2" in
    --profile|--format|--fields|--profiles|--parallel|--timeout) return 0 ;;
    --json|--verbose|-q|--quiet|--no-color|-y|--yes|--all-profiles|--allow-insecure-http|--insecure-tls|-h|--help) return 1 ;;
  esac
  case "$1|$2" in
    'list|--name'|'list|--outlet'|'list|--from'|'list|--to'|'list|--search'|'list|--filter'|'list|--external-id'|'list|--card'|'list|--sort'|'list|--changed-since'|'list|--changed-until'|'list|--page'|'list|--page-size') return 0 ;;
    'count|--name'|'count|--outlet'|'count|--from'|'count|--to'|'count|--search'|'count|--filter'|'count|--external-id'|'count|--card'|'count|--sort'|'count|--changed-since'|'count|--changed-until') return 0 ;;
    'get|--id'|'get|--code'|'get|--email'|'get|--mobile') return 0 ;;
    'create|--name'|'create|--first-name'|'create|--last-name'|'create|--email'|'create|--mobile'|'create|--phone'|'create|--code'|'create|--group'|'create|--birthdate'|'create|--address'|'create|--gender'|'create|--loyalty-point'|'create|--outlet'|'create|--note'|'create|--active'|'create|--set'|'create|--from-json') return 0 ;;
    'update-by|--name'|'update-by|--first-name'|'update-by|--last-name'|'update-by|--email'|'update-by|--mobile'|'update-by|--phone'|'update-by|--code'|'update-by|--group'|'update-by|--birthdate'|'update-by|--address'|'update-by|--gender'|'update-by|--loyalty-point'|'update-by|--outlet'|'update-by|--note'|'update-by|--active'|'update-by|--set'|'update-by|--from-json') return 0 ;;
    'delete|--id'|'delete|--code'|'delete|--email') return 0 ;;
    'suspend|--id'|'suspend|--code'|'suspend|--email'|'suspend|--phone') return 0 ;;
    'unsuspend|--id'|'unsuspend|--code'|'unsuspend|--email'|'unsuspend|--phone') return 0 ;;
    'merge|--into'|'merge|--plan') return 0 ;;
    'pin set|--id'|'pin set|--code') return 0 ;;
    'pin check|--id'|'pin check|--code') return 0 ;;
    'verify|--id'|'verify|--code') return 0 ;;
    'app-signin|--id'|'app-signin|--code') return 0 ;;
    'profile add|--backend'|'profile add|--base-url'|'profile add|--client-id'|'profile add|--username'|'profile add|--device-name'|'profile add|--region'|'profile add|--keep-history') return 0 ;;
    'sandbox|--backend'|'sandbox|--port'|'sandbox|--host'|'sandbox|--data'|'sandbox|--seed'|'sandbox|--quota'|'sandbox|--window'|'sandbox|--latency'|'sandbox|--faults'|'sandbox|--fault-kinds'|'sandbox|--slow'|'sandbox|--random-seed'|'sandbox|--token-ttl'|'sandbox|--token-limit'|'sandbox|--dialect') return 0 ;;
    'import|--mode'|'import|--key'|'import|--map'|'import|--delimiter'|'import|--encoding'|'import|--sheet'|'import|--date-format'|'import|--clear-value'|'import|--phone-format'|'import|--save-plan'|'import|--concurrency'|'import|--rate'|'import|--rejects'|'import|--report'|'import|--journal') return 0 ;;
    'export|--name'|'export|--outlet'|'export|--from'|'export|--to'|'export|--search'|'export|--filter'|'export|--external-id'|'export|--card'|'export|--sort'|'export|--changed-since'|'export|--changed-until'|'export|--output'|'export|--since'|'export|--state') return 0 ;;
    'apply|--concurrency'|'apply|--rate'|'apply|--rejects'|'apply|--report'|'apply|--journal') return 0 ;;
    'history|--limit') return 0 ;;
    'duplicates|--by'|'duplicates|--keep'|'duplicates|--max-group'|'duplicates|--save-plan') return 0 ;;
    'migrate|--from'|'migrate|--to'|'migrate|--map'|'migrate|--id-map'|'migrate|--rejects'|'migrate|--concurrency'|'migrate|--rate') return 0 ;;
  esac
  return 1
}

# The subcommand names of the command $1, in REPLY; status 1 when it has none.
__poscust_subcommands() {
  case "$1" in
    '') REPLY='list count get create update-by delete suspend unsuspend merge new-code pin verify app-signin profile doctor sandbox import export apply history undo duplicates migrate completion help' ;;
    'pin') REPLY='set check' ;;
    'profile') REPLY='add list show use remove' ;;
    'history') REPLY='show prune' ;;
    *) return 1 ;;
  esac
}

# Every option the command $1 takes (its own, then the global ones), in REPLY.
__poscust_options() {
  case "$1" in
    '') REPLY='-V --version' ;;
    'list') REPLY='--name --outlet --from --to --search --filter --active --external-id --card --sort --changed-since --changed-until --page --page-size --all' ;;
    'count') REPLY='--name --outlet --from --to --search --filter --active --external-id --card --sort --changed-since --changed-until' ;;
    'get') REPLY='--id --code --email --mobile' ;;
    'create') REPLY='--name --first-name --last-name --email --mobile --phone --code --group --birthdate --address --gender --loyalty-point --outlet --note --active --set --from-json' ;;
    'update-by') REPLY='--name --first-name --last-name --email --mobile --phone --code --group --birthdate --address --gender --loyalty-point --outlet --note --active --set --from-json --dry-run' ;;
    'delete') REPLY='--id --code --email' ;;
    'suspend') REPLY='--id --code --email --phone' ;;
    'unsuspend') REPLY='--id --code --email --phone' ;;
    'merge') REPLY='--into --by-id --plan --suspend-others --fill-gaps' ;;
    'pin set') REPLY='--id --code --pin-stdin' ;;
    'pin check') REPLY='--id --code --pin-stdin' ;;
    'verify') REPLY='--id --code --unverify' ;;
    'app-signin') REPLY='--id --code' ;;
    'profile add') REPLY='--backend --base-url --client-id --client-secret-stdin --username --password-stdin --device-name --region --keep-history --default --force --check --no-check' ;;
    'sandbox') REPLY='--backend --port --host --data --seed --quota --window --latency --faults --fault-kinds --slow --random-seed --token-ttl --token-limit --no-code-generator --dialect' ;;
    'import') REPLY='--mode --key --map --delimiter --encoding --sheet --date-format --clear-value --phone-format --dry-run --diff --save-plan --concurrency --rate --rejects --report --resume --journal' ;;
    'export') REPLY='--name --outlet --from --to --search --filter --active --external-id --card --sort --changed-since --changed-until --output --bom --since --state' ;;
    'apply') REPLY='--concurrency --rate --rejects --report --resume --journal' ;;
    'history') REPLY='--limit' ;;
    'undo') REPLY='--dry-run' ;;
    'duplicates') REPLY='--by --keep --max-group --save-plan' ;;
    'migrate') REPLY='--from --to --map --dry-run --id-map --resume --rejects --concurrency --rate' ;;
    *) REPLY= ;;
  esac
  REPLY="$REPLY --profile --format --json --fields --verbose -q --quiet --no-color -y --yes --profiles --all-profiles --parallel --timeout --allow-insecure-http --insecure-tls -h --help"
}

# Completes the value of option $2 of the command $1 for the word $3.
__poscust_option_value() {
  case "$2" in
    --profile) __poscust_profiles "$3"; return ;;
    --format) __poscust_words 'table json ndjson csv' "$3"; return ;;
    --fields) :; return ;;
    --profiles) :; return ;;
    --parallel) :; return ;;
    --timeout) :; return ;;
  esac
  case "$1|$2" in
    'create|--from-json') __poscust_files "$3" ;;
    'update-by|--from-json') __poscust_files "$3" ;;
    'profile add|--backend') __poscust_words 'dealpos mypos portos' "$3" ;;
    'sandbox|--backend') __poscust_words 'dealpos mypos portos' "$3" ;;
    'sandbox|--data') __poscust_files "$3" ;;
    'sandbox|--fault-kinds') __poscust_words '500 drop-before drop-after 429 slow' "$3" ;;
    'sandbox|--dialect') __poscust_words 'all narrow-list records-count listid-comma listid-body delete-body newcode-message portos-code-names' "$3" ;;
    'import|--mode') __poscust_words 'create upsert' "$3" ;;
    'import|--key') __poscust_words 'code email mobile id externalId' "$3" ;;
    'import|--encoding') __poscust_words 'windows-1250 windows-1252 iso-8859-1 iso-8859-2 utf-8 utf-16le' "$3" ;;
    'import|--date-format') __poscust_words 'dd/MM/yyyy MM/dd/yyyy dd.MM.yyyy yyyy-MM-dd' "$3" ;;
    'import|--phone-format') __poscust_words 'e164 national' "$3" ;;
    'import|--rejects') __poscust_files "$3" ;;
    'import|--report') __poscust_files "$3" ;;
    'import|--journal') __poscust_files "$3" ;;
    'export|--output') __poscust_files "$3" ;;
    'export|--state') __poscust_files "$3" ;;
    'apply|--rejects') __poscust_files "$3" ;;
    'apply|--report') __poscust_files "$3" ;;
    'apply|--journal') __poscust_files "$3" ;;
    'duplicates|--by') __poscust_words 'email mobile phone name' "$3" ;;
    'duplicates|--keep') __poscust_words 'most-points oldest newest most-complete' "$3" ;;
    'migrate|--id-map') __poscust_files "$3" ;;
    'migrate|--rejects') __poscust_files "$3" ;;
  esac
}

# Completes positional argument number $2 (from 0) of the command $1 for the word $3.
__poscust_argument_value() {
  case "$1|$2" in
    'update-by|0') __poscust_words 'id code email mobile' "$3" ;;
    'verify|0') __poscust_words 'email mobile' "$3" ;;
    'profile show|0') __poscust_profiles "$3" ;;
    'profile use|0') __poscust_profiles "$3" ;;
    'profile remove|0') __poscust_profiles "$3" ;;
    'import|0') __poscust_files "$3" ;;
    'completion|0') __poscust_words 'bash zsh fish' "$3" ;;
    'help|0') __poscust_words 'environment exit-codes list count get create update-by delete suspend unsuspend merge new-code pin verify app-signin profile doctor sandbox import export apply history undo duplicates migrate completion help' "$3" ;;
  esac
}

__poscust_words() {
  local w
  while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -W "$1" -- "$2")
}

__poscust_files() {
  compopt -o filenames 2>/dev/null
  local f
  while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -- "$1")
}

# Profile names come from the profile store when Tab is pressed; the helper prints nothing but names.
__poscust_profiles() {
  __poscust_words "$(poscust __complete profiles 2>/dev/null)" "$1"
}

_poscust() {
  local cur=${COMP_WORDS[COMP_CWORD]} cmdpath= npos=0 i=1 w valueof= dashdash=0 prefix= REPLY=
  COMPREPLY=()
  while (( i < COMP_CWORD )); do
    w=${COMP_WORDS[i]}
    if (( dashdash )); then
      npos=$((npos + 1))
    elif [[ $w == -- ]]; then
      dashdash=1
    elif [[ $w == -?* ]]; then
      # bash splits '--format=json' at '=' (COMP_WORDBREAKS): step over the '=' as well.
      if [[ $w != *=* ]] && __poscust_takes_value "$cmdpath" "$w"; then
        [[ ${COMP_WORDS[i+1]} == = ]] && i=$((i + 1))
        i=$((i + 1))
        (( i >= COMP_CWORD )) && valueof=$w
      fi
    elif (( npos == 0 )) && __poscust_child "$cmdpath" "$w"; then
      cmdpath=$REPLY
    else
      npos=$((npos + 1))
    fi
    i=$((i + 1))
  done
  [[ $cur == = ]] && cur=
  if [[ -z $valueof && $dashdash == 0 && $cur == --*=* ]]; then
    valueof=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}
  fi
  if [[ -n $valueof ]]; then
    __poscust_option_value "$cmdpath" "$valueof" "$cur"
  elif [[ $cur == -* && $dashdash == 0 ]]; then
    __poscust_options "$cmdpath"
    __poscust_words "$REPLY" "$cur"
  elif (( npos == 0 )) && __poscust_subcommands "$cmdpath"; then
    __poscust_words "$REPLY" "$cur"
  else
    __poscust_argument_value "$cmdpath" "$npos" "$cur"
  fi
  if [[ -n $prefix ]]; then
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$prefix${COMPREPLY[i]}; done
  fi
  return 0
}

complete -F _poscust poscust
