# Completion driver for test/helpers/shells.ts: runs an interactive zsh on a pseudo-terminal
# (zsh/zpty), sets it up with complete-zsh-setup.zsh ($1), then for each case ($2...) types the
# line, presses Tab, prints what the completion added, and clears the line.
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "source ${(q)1}"
zpty -r z out '*<<READY>>*<<E>>*' || exit 4
print -r -- "$out"
shift
for line in "$@"; do
  zpty -w -n z "$line"$'\t'
  zpty -r z out '*<<DONE>>*' || exit 5
  print -r -- "<<CASE>>$out"
  zpty -w -n z $'\x15'
done
zpty -d z
