#!/usr/bin/env bash
# `kith report` end to end on a small hand-made LinkedIn export folder (made-up names):
# the files written, their modes, the workbook read back with openpyxl, summary.json values
# computed by hand, a failed run leaving the previous files untouched, usage errors.
set -u
kith=$1; src=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fx=$src/tests/fixtures/report/linkedin
out=$scratch/out
fail=0
say() { echo "FAIL: $*"; fail=1; }

"$kith" report monthly --quiet --month 2026-10 --out "$out" "$fx" >"$scratch/stdout" 2>"$scratch/stderr"
rc=$?
[[ $rc -eq 0 ]] || { say "report monthly exit $rc"; cat "$scratch/stderr"; exit 1; }
for f in network-health-2026-10.xlsx summary.json; do
    [[ -f $out/$f ]] || say "$f not written"
    [[ $(stat -c %a "$out/$f" 2>/dev/null) == 600 ]] || say "$f mode $(stat -c %a "$out/$f")"
    grep -qF "  $f" "$scratch/stdout" || say "$f not listed on stdout"
done
[[ $(stat -c %a "$out") == 700 ]] || say "output folder mode $(stat -c %a "$out")"
[[ -z $(find "$out" -name '.*' -type f) ]] || say "temporary files left: $(find "$out" -name '.*')"
grep -q "for 2026-10" "$scratch/stdout" || say "stdout lacks the month: $(cat "$scratch/stdout")"
grep -q "4 persons" "$scratch/stdout" || say "stdout lacks '4 persons': $(cat "$scratch/stdout")"

/usr/bin/python3 - "$out" <<'EOF' || fail=1
import json, sys
import openpyxl
out = sys.argv[1]
bad = []
wb = openpyxl.load_workbook(f"{out}/network-health-2026-10.xlsx")
want = ["Summary", "Habits", "Contacts", "Neglected", "Reciprocity", "Clusters", "Monthly"]
if wb.sheetnames[:7] != want or wb.sheetnames[7:] not in ([], ["Charts"]):
    bad.append(f"sheets {wb.sheetnames}")
ws = wb["Contacts"]
names = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
hl = '=HYPERLINK("http://x","y")'
if hl not in names:
    bad.append(f"hyperlink person missing: {sorted(names)}")
for s in wb.worksheets:
    for row in s.iter_rows():
        for c in row:
            if c.data_type == "f":
                bad.append(f"formula at {s.title}!{c.coordinate}")
status = {n: r[16] for n, r in names.items()}
if status.get("Sam Ito") != "dormant" or status.get(hl) != "latent" or status.get("Dana Okafor") != "active":
    bad.append(f"statuses {status}")
with open(f"{out}/summary.json") as f:
    s = json.load(f)
k = s["kpis"]
want = {"persons": 4, "dormant": 1, "latent": 1, "active_ties": 2, "messages_sent": 2,
        "messages_received": 1, "given": 2, "received": 1}
for key, v in want.items():
    if k.get(key) != v:
        bad.append(f"kpis.{key} = {k.get(key)!r}, want {v}")
if s["month"] != "2026-10" or s["as_of"] != "2026-10-31T23:59:59Z" or s["report"] != "monthly":
    bad.append("month/as_of/report")
if "previous" not in s or s["previous"].get("persons") is None:
    bad.append("previous")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
EOF

# Same inputs, same summary.json text.
"$kith" report monthly --quiet --month 2026-10 --out "$scratch/again" "$fx" >/dev/null 2>&1
cmp -s "$out/summary.json" "$scratch/again/summary.json" || say "summary.json differs between runs"

# A failed run (bad report definition) leaves the previous files as they were.
sum_before=$(md5sum "$out"/* | md5sum)
printf '[report]\nname = monthly\n[weights]\nmessage = lots\n' >"$scratch/bad.ini"
"$kith" report monthly --quiet --month 2026-10 --config "$scratch/bad.ini" --out "$out" "$fx" \
    >/dev/null 2>"$scratch/stderr"
[[ $? -eq 1 ]] || say "bad config: exit status not 1"
grep -q "bad.ini" "$scratch/stderr" || say "bad config: stderr lacks the file: $(cat "$scratch/stderr")"
[[ $(md5sum "$out"/* | md5sum) == "$sum_before" ]] || say "a failed run changed the previous files"
[[ -z $(find "$out" -name '.*' -type f) ]] || say "a failed run left temporary files"

# The neglected report writes its own workbook and no summary.json.
"$kith" report neglected --quiet --month 2026-10 --out "$scratch/neg" "$fx" >/dev/null 2>&1 \
    || say "report neglected failed"
[[ -f $scratch/neg/neglected-2026-10.xlsx ]] || say "neglected-2026-10.xlsx not written"
[[ ! -e $scratch/neg/summary.json ]] || say "neglected wrote summary.json"

# A month before the data is reported, with a warning.
"$kith" report monthly --quiet --month 1990-01 --out "$scratch/early" "$fx" >/dev/null 2>"$scratch/stderr" \
    || say "report for 1990-01 failed"
grep -q "warning: nobody is known as of 1990-01: the data starts 2019-01-03" "$scratch/stderr" \
    || say "no warning for a month before the data: $(cat "$scratch/stderr")"

# Usage errors.
"$kith" report weekly "$fx" >/dev/null 2>"$scratch/stderr"
[[ $? -eq 2 ]] || say "unknown report: exit status not 2"
grep -q "unknown report 'weekly'" "$scratch/stderr" || say "unknown report message: $(cat "$scratch/stderr")"
exit $fail
