#!/usr/bin/env bash
# Charts end to end: `kith report` on the synthetic sample-data, twice. Every chart is written
# as a 1600x1000 PNG and an SVG, the PDF has 1 + 5 pages (read with poppler's pdfinfo) and its
# creation date is the report's as_of; both runs give byte-identical PNG, SVG and PDF files.
# `kith report clusters` writes the cluster map and a 2-page clusters PDF.
set -u
kith=$1; src=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
data=$src/sample-data
fail=0
say() { echo "FAIL: $*"; fail=1; }
[[ -d $data ]] || { echo "sample-data missing: skipped"; exit 0; }

for run in a b; do
    "$kith" report monthly --quiet --month 2026-10 --out "$scratch/$run" "$data" \
        >"$scratch/$run.stdout" 2>"$scratch/$run.stderr" || {
        say "run $run failed"; cat "$scratch/$run.stderr"; exit 1; }
done
charts="cluster-map activity tie-status reciprocity layers"
for c in $charts; do
    png=$scratch/a/$c.png svg=$scratch/a/$c.svg
    [[ -s $png ]] || say "$c.png not written"
    [[ -s $svg ]] || say "$c.svg not written"
    # PNG header: width and height, big-endian, at bytes 16..23
    size=$(od -An -tu1 -j16 -N8 "$png" | awk '{printf "%d x %d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
    [[ $size == "1600 x 1000" ]] || say "$c.png is $size, not 1600 x 1000"
    head -c 400 "$svg" | grep -q '<svg' || say "$c.svg is not an SVG"
    grep -qi 'nan' "$svg" && say "$c.svg contains NaN"
    cmp -s "$png" "$scratch/b/$c.png" || say "$c.png differs between two runs"
    cmp -s "$svg" "$scratch/b/$c.svg" || say "$c.svg differs between two runs"
done
pdf=$scratch/a/network-health-2026-10.pdf
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[[ $pages == 6 ]] || say "PDF has '$pages' pages, not 6"
pdfinfo "$pdf" | grep -q 'CreationDate:.*Oct 31 23:59:59 2026' || say "PDF creation date is not the report's as_of: $(pdfinfo "$pdf" | grep CreationDate)"
pdfinfo "$pdf" | grep -q 'Page size:.*842 x 595' || say "PDF is not A4 landscape"
cmp -s "$pdf" "$scratch/b/network-health-2026-10.pdf" || say "PDF differs between two runs"
pdftotext -f 1 -l 1 "$pdf" - | grep -q 'What to do this month' || say "PDF page one lacks the to-do list"

"$kith" report clusters --quiet --month 2026-10 --out "$scratch/c" "$data" >/dev/null 2>&1 ||
    say "report clusters failed"
[[ -s $scratch/c/cluster-map.png && ! -e $scratch/c/activity.png ]] || say "clusters report charts: $(ls "$scratch/c")"
pages=$(pdfinfo "$scratch/c/clusters-2026-10.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[[ $pages == 2 ]] || say "clusters PDF has '$pages' pages, not 2"

exit $fail
