#!/usr/bin/env bash
# kith synth through the command line: --zip --mail write every file, the zip holds the
# LinkedIn CSVs at its root, a usage error exits 2, and the same seed gives the same bytes.
set -u
kith=$1; src=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
out="$scratch/demo"
"$kith" synth --persons 120 --events 1500 --seed 5 --zip --mail --out "$out" >"$scratch/stdout" 2>"$scratch/stderr" \
    || { echo "FAIL: synth exited $?"; cat "$scratch/stderr"; exit 1; }
grep -q "120 persons" "$scratch/stdout" || { echo "FAIL: summary line"; cat "$scratch/stdout"; fail=1; }
for f in linkedin/Connections.csv linkedin/messages.csv linkedin/guide_messages.csv \
         linkedin/Invitations.csv linkedin/Endorsement_Received_Info.csv \
         linkedin/Endorsement_Given_Info.csv linkedin/Recommendations_Received.csv \
         linkedin/Recommendations_Given.csv linkedin/Profile.csv linkedin/Positions.csv \
         linkedin/Skills.csv linkedin/Shares.csv linkedin/Reactions.csv \
         google-contacts.csv mail.mbox calendar.ics plants.json \
         Basic_LinkedInDataExport_11-15-2026.zip; do
    [[ -s "$out/$f" ]] || { echo "FAIL: missing or empty $f"; fail=1; }
done
ls "$out"/linkedin/Comments_*.csv >/dev/null 2>&1 || { echo "FAIL: no Comments_<id>.csv"; fail=1; }
if command -v unzip >/dev/null; then
    unzip -l "$out/Basic_LinkedInDataExport_11-15-2026.zip" >"$scratch/members" \
        || { echo "FAIL: unzip -l"; fail=1; }
    for m in Connections.csv messages.csv Invitations.csv Endorsement_Received_Info.csv \
             Recommendations_Given.csv Profile.csv Shares.csv Reactions.csv guide_messages.csv; do
        # members sit at the zip root: the name is the last column, with no folder
        grep -qE "[[:space:]]$m\$" "$scratch/members" || { echo "FAIL: zip lacks $m"; fail=1; }
    done
    grep -qE "[[:space:]]Comments_[0-9]+\.csv\$" "$scratch/members" || { echo "FAIL: zip lacks Comments"; fail=1; }
    grep -q "/" <(awk 'NR>3 && $4 != "" {print $4}' "$scratch/members" | grep -v -- '^-') \
        && { echo "FAIL: zip members in a folder"; fail=1; }
    n=$(grep -cE "\.csv$" "$scratch/members")
    [[ $n -eq 14 ]] || { echo "FAIL: zip has $n csv members, want 14"; fail=1; }
    unzip -p "$out/Basic_LinkedInDataExport_11-15-2026.zip" Connections.csv | cmp -s - "$out/linkedin/Connections.csv" \
        || { echo "FAIL: zip member differs from the folder"; fail=1; }
fi
# mbox and ics shapes
grep -q '^From [0-9]*@xxx ' "$out/mail.mbox" || { echo "FAIL: mbox separator"; fail=1; }
grep -q '^X-Gmail-Labels: Sent' "$out/mail.mbox" || { echo "FAIL: no Sent mail"; fail=1; }
grep -q '^>From ' "$out/mail.mbox" || { echo "FAIL: no >From escape"; fail=1; }
grep -q 'STATUS:CANCELLED' "$out/calendar.ics" || { echo "FAIL: no cancelled event"; fail=1; }
grep -q 'CUTYPE=ROOM' "$out/calendar.ics" || { echo "FAIL: no room"; fail=1; }
grep -q '^ ' "$out/calendar.ics" || { echo "FAIL: no folded line"; fail=1; }
# another export date names the zip after it
"$kith" synth --persons 30 --events 200 --zip --export-date 2026-03-02 --out "$scratch/d2" >/dev/null \
    && [[ -f "$scratch/d2/Basic_LinkedInDataExport_03-02-2026.zip" ]] || { echo "FAIL: zip name by date"; fail=1; }
[[ ! -e "$scratch/d2/mail.mbox" ]] || { echo "FAIL: mbox without --mail"; fail=1; }
# same seed, same bytes
"$kith" synth --persons 120 --events 1500 --seed 5 --out "$scratch/again" >/dev/null
diff -r "$out/linkedin" "$scratch/again/linkedin" >/dev/null || { echo "FAIL: not deterministic"; fail=1; }
# the committed sample-data is exactly what its README's command makes
if [[ -d "$src/sample-data/linkedin" ]]; then
    "$kith" synth --persons 600 --events 8000 --seed 1 --mail --out "$scratch/sample" >/dev/null
    diff -r -x README.md -x '*.zip' "$src/sample-data" "$scratch/sample" >"$scratch/sample.diff" \
        || { echo "FAIL: sample-data is stale: run the command in sample-data/README.md"; head -5 "$scratch/sample.diff"; fail=1; }
fi
# once the loader is built: kith inspect reads it all, skipping only the deleted members
insp="$scratch/insp"
"$kith" synth --persons 120 --events 1500 --seed 5 --mail --out "$insp" >/dev/null
if "$kith" inspect --json "$insp" >"$scratch/inspect.json" 2>"$scratch/inspect.err"; then
    if [[ -x /usr/bin/python3 ]]; then
        /usr/bin/python3 - "$scratch/inspect.json" "$insp/plants.json" <<'PY' || fail=1
import json, sys
got = json.load(open(sys.argv[1])); plants = json.load(open(sys.argv[2]))
n = plants["persons"]; ev = plants["events"]; bad = []
def want(what, a, b):
    if a != b: bad.append(f"{what}: kith inspect says {a}, synth wrote {b}")
want("owner", got["owner"]["name"], plants["owner"]["name"])
want("owner e-mail", got["owner"]["email"], plants["owner"]["email"])
# connections + pending strangers (n/100+1) + family only in the address book (n/50+1)
want("persons", got["persons"], n + n // 100 + 1 + n // 50 + 1)
want("connections", got["connections"], n + n // 50 + 1)
for i in got["inputs"]:
    name = i["path"].rsplit("/", 1)[-1]
    if name == "guide_messages.csv": bad.append("guide_messages.csv was read")
    skipped = ev["connections_blank_rows"] if name == "Connections.csv" else 0
    want(name + " skipped", i["skipped"], skipped)
    if name == "messages.csv":
        want("messages rows", i["rows"], ev["messages"])
        want("messages dropped", i["dropped"], ev["drafts"] + ev["spam"])
for b in bad: print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
    fi
elif ! grep -q "not built yet" "$scratch/inspect.err"; then
    echo "FAIL: kith inspect on a synthetic export:"; cat "$scratch/inspect.err"; fail=1
fi
# usage errors
"$kith" synth --persons 10 >/dev/null 2>"$scratch/err"; rc=$?
[[ $rc -eq 2 ]] && grep -q "needs --out" "$scratch/err" || { echo "FAIL: no --out -> exit $rc"; fail=1; }
"$kith" synth --out "$scratch/bad" --export-date 2026-13-01 >/dev/null 2>"$scratch/err"; rc=$?
[[ $rc -eq 2 ]] && grep -q "2026-13-01" "$scratch/err" || { echo "FAIL: bad date -> exit $rc"; fail=1; }
exit $fail
