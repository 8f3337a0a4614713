#!/usr/bin/env bash
# The README's gallery: every image it links exists in the repository as a 1600 x 1000 PNG,
# each chart of the monthly report is shown once, and the committed PNGs stay small (the
# whole gallery under 2 MB). `make gallery` renders them again.
set -u
kith=$1; src=$2; scratch=$3
fail=0
say() { echo "FAIL: $*"; fail=1; }
readme=$src/README.md
links=$(grep -o '](reports/examples/[^)]*)' "$readme" | sed 's/^](//; s/)$//')
[[ -n $links ]] || { say "README links no gallery image"; exit 1; }
for c in cluster-map activity tie-status reciprocity layers; do
    n=$(grep -c "](reports/examples/$c.png)" "$readme")
    [[ $n == 1 ]] || say "README shows $c.png $n times, not once"
done
total=0
for l in $links; do
    f=$src/$l
    [[ -s $f ]] || { say "$l is linked but missing"; continue; }
    size=$(od -An -tu1 -j16 -N8 "$f" | awk '{printf "%d x %d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
    [[ $size == "1600 x 1000" ]] || say "$l is $size, not 1600 x 1000"
    total=$((total + $(stat -c %s "$f")))
done
((total < 2000000)) || say "the gallery is $total bytes, over 2 MB"
exit $fail
