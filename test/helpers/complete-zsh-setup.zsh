# Sourced by the interactive zsh of complete-zsh.zsh: the real completion system (compinit) with
# the directory under test first in $fpath, and compadd wrapped to report each match it adds
# (after zsh matched it against the word, so exactly what a Tab would offer).
PROMPT='' RPROMPT=''
fpath=("$POSCUST_TEST_FPATH" $fpath)
autoload -U compinit && compinit -u -D
zstyle ':completion:*' insert-tab false
compadd() {
  # Calls that only query matches (-O, -A, -D) pass straight through.
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  local -a __hits
  builtin compadd -A __hits "$@"
  local __h
  for __h in $__hits; do print -rn -- "<<M>>$IPREFIX$__h<<E>>"; done
  builtin compadd "$@"
}
__poscust_test_tab() { zle complete-word; print -rn -- '<<DONE>>' }
zle -N __poscust_test_tab
bindkey '^I' __poscust_test_tab
print -rn -- "<<READY>>$_comps[poscust]<<E>>"
