# Completion driver for test/helpers/shells.ts: sources the bash script ($1), checks that it
# registered itself, then for each case on stdin (words, each ended by \x1f, as readline splits
# the line) calls the registered function the way bash does and prints COMPREPLY.
source "$1" || exit 8
spec=$(complete -p poscust) || { echo 'complete -p poscust: not registered' >&2; exit 9; }
fn=${spec#*-F }; fn=${fn%% *}
echo "<<SPEC>>$spec"
while IFS= read -r line; do
  COMP_WORDS=(); rest=$line
  while [[ $rest == *$'\x1f'* ]]; do COMP_WORDS+=("${rest%%$'\x1f'*}"); rest=${rest#*$'\x1f'}; done
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$fn" poscust "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '<<CASE>>'; printf '%s\x1f' "${COMPREPLY[@]}"; printf '\n'
done
