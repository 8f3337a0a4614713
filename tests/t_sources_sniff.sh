#!/usr/bin/env bash
# The loader recognizes each of the sources branch's formats by content, not by name: the
# fixtures are copied under names that say nothing (or mislead), then `kith inspect --json`
# must report the right kind and row counts for each, and a zip of them reads the same.
set -u
kith=$1; src=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch/in"
fx=$src/tests/fixtures
cp "$fx/mail.mbox" "$scratch/in/All mail Including Spam and Trash"
cp "$fx/calendar.ics" "$scratch/in/calendar-export.txt"
cp "$fx/vcard-bday.vcf" "$scratch/in/contacts.dat"
cp "$fx/google-new.csv" "$scratch/in/a.csv"
cp "$fx/google-old-utf16.csv" "$scratch/in/b.csv"
cp "$fx/outlook.csv" "$scratch/in/c.csv"
cp "$fx/generic.csv" "$scratch/in/crm-log"
"$kith" inspect --json "$scratch/in" >"$scratch/out.json" 2>"$scratch/err" || {
    echo "FAIL: inspect exited $?"; cat "$scratch/err"; exit 1; }
/usr/bin/python3 - "$scratch/out.json" <<'PY' || exit 1
import json, sys
doc = json.load(open(sys.argv[1]))
got = {i["file"]: (i["kind"], i["rows"], i["skipped"], i["dropped"]) for i in doc["inputs"]}
want = {
    "All mail Including Spam and Trash": ("mbox", 10, 0, 5),
    "calendar-export.txt": ("ical", 12, 0, 3),
    "contacts.dat": ("vcard", 9, 1, 0),
    "a.csv": ("google-contacts", 5, 1, 0),
    "b.csv": ("google-contacts", 3, 0, 0),
    "c.csv": ("outlook-contacts", 2, 0, 0),
    "crm-log": ("generic", 10, 4, 0),
}
bad = [f"{k}: got {got.get(k)} want {v}" for k, v in want.items() if got.get(k) != v]
if bad:
    print("FAIL:\n  " + "\n  ".join(bad)); sys.exit(1)
PY
# inside a zip the members have no path on disk: the mbox reader then reads from memory
/usr/bin/python3 - "$scratch/in" "$scratch/all.zip" <<'PY' || exit 1
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(sys.argv[1])):
        z.write(os.path.join(sys.argv[1], f), "export/" + f)
PY
"$kith" inspect --json "$scratch/all.zip" >"$scratch/zip.json" 2>"$scratch/err" || {
    echo "FAIL: inspect of the zip exited $?"; cat "$scratch/err"; exit 1; }
/usr/bin/python3 - "$scratch/out.json" "$scratch/zip.json" <<'PY' || exit 1
import json, sys
def rows(p):
    return sorted((i["kind"], i["rows"], i["skipped"], i["dropped"]) for i in json.load(open(p))["inputs"])
a, b = rows(sys.argv[1]), rows(sys.argv[2])
if a != b:
    print(f"FAIL: folder {a}\n      zip    {b}"); sys.exit(1)
PY
# --strict turns the first skipped row into an error naming file and line
"$kith" inspect --strict "$scratch/in/crm-log" >/dev/null 2>"$scratch/err"; rc=$?
if [[ $rc -ne 1 ]] || ! grep -q "crm-log:7" "$scratch/err"; then
    echo "FAIL: --strict -> exit $rc, stderr:"; cat "$scratch/err"; exit 1
fi
exit 0
