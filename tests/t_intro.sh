#!/usr/bin/env bash
# kith intro on the sources fixtures (contacts, mail, calendar, CRM log) as of 2026-10:
# Acme is Dana's employer; the owner met Dana with Lee and Renée, and Jürgen mailed her with
# Lee, so those are the introducers; --json lists the same; an unknown target exits 1.
set -u
kith=$1; src=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch/in"
fx=$src/tests/fixtures
cp "$fx/mail.mbox" "$fx/calendar.ics" "$fx/google-new.csv" "$fx/generic.csv" "$scratch/in/"
fail=0
"$kith" intro Acme --quiet --month 2026-10 "$scratch/in" >"$scratch/out" 2>"$scratch/err" || {
    echo "FAIL: intro exited $?"; cat "$scratch/err"; exit 1; }
grep -q "^Direct ties (1)" "$scratch/out" || { echo "FAIL: direct ties"; fail=1; }
grep -q "^  Dana Okafor  *Acme Inc\." "$scratch/out" || { echo "FAIL: Dana"; fail=1; }
"$kith" intro Acme --quiet --json --month 2026-10 "$scratch/in" >"$scratch/out.json" 2>"$scratch/err" || {
    echo "FAIL: intro --json exited $?"; cat "$scratch/err"; exit 1; }
/usr/bin/python3 - "$scratch/out.json" <<'PY' || fail=1
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["match"] == "company", doc["match"]
assert [p["name"] for p in doc["direct"]] == ["Dana Okafor"], doc["direct"]
names = [p["name"] for p in doc["introducers"]]
# Mike (introduced to Dana), Tomas and Renée (a meeting with her), Lee and Jürgen (mail)
for n in ["Mike Delgado", "Tomas Quill", "Lee Park", "J\u00fcrgen M\u00fcller"]:
    assert n in names, (n, names)
scores = [p["score"] for p in doc["introducers"]]
assert scores == sorted(scores, reverse=True), scores
assert all(p["knows"] == "Dana Okafor" for p in doc["introducers"])
PY
"$kith" intro "Zed Unknown" --quiet "$scratch/in" >/dev/null 2>"$scratch/err"; rc=$?
if [[ $rc -ne 1 ]] || ! grep -q "matches 'Zed Unknown'" "$scratch/err"; then
    echo "FAIL: unknown target -> exit $rc:"; cat "$scratch/err"; fail=1
fi
exit $fail
