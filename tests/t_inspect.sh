#!/usr/bin/env bash
# Golden cases for `kith inspect` (stdout, stderr and exit code against tests/golden/), the
# zip-vs-folder identity of --json, the export date from a zip name, and the error cases.
# KITH_UPDATE_GOLDEN=1 rewrites the golden files from the current output.
set -u
kith=$(realpath "$1"); src=$(realpath "$2"); scratch=$3
golden=$src/tests/golden
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0

# case NAME ARGS...: run kith in the fixtures folder (relative paths keep outputs portable).
case_() {
    local name=$1; shift
    (cd "$src/tests/fixtures" && "$kith" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err")
    echo $? >"$scratch/$name.code"
    for ext in out err code; do
        if [[ ${KITH_UPDATE_GOLDEN:-0} == 1 ]]; then
            cp "$scratch/$name.$ext" "$golden/$name.$ext"
        elif ! diff -u "$golden/$name.$ext" "$scratch/$name.$ext"; then
            echo "FAIL: golden $name.$ext (kith $*)"; fail=1
        fi
    done
}

case_ inspect-text inspect linkedin-small
case_ inspect-json inspect --json linkedin-small
case_ inspect-strict inspect --strict linkedin-small
case_ inspect-missing inspect no-such-export.zip
case_ inspect-not-zip inspect not-an-export/fake.zip
case_ inspect-unknown-folder inspect not-an-export
case_ inspect-unknown-file inspect linkedin-small/Rich_Media.csv
case_ inspect-one-file inspect linkedin-small/Invitations.csv

# Zips built from the fixture folder, members written in reverse order (the loader sorts):
# flat, and with the export inside a folder; both must read like the folder.
python3 - "$src/tests/fixtures/linkedin-small" "$scratch" <<'PY' || { echo "FAIL: building zips"; exit 1; }
import os, sys, zipfile
folder, out = sys.argv[1], sys.argv[2]
names = sorted(os.listdir(folder), reverse=True)
def build(path, prefix):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.write(os.path.join(folder, n), prefix + n)
build(os.path.join(out, "flat.zip"), "")
build(os.path.join(out, "nested.zip"), "linkedin-small/")
build(os.path.join(out, "Basic_LinkedInDataExport_05-01-2026.zip"), "")
# A zip bomb: 20 MiB of blanks compress more than 1000 times.
with zipfile.ZipFile(os.path.join(out, "bomb.zip"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("Connections.csv", b"First Name,Last Name,Connected On\n" + b" " * (20 << 20))
PY

# --json of a folder and of a zip agree once the paths (which name the input) are removed.
strip_paths() {
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["inputs"]:
    f.pop("path"); f.pop("input"); f["file"] = f["file"].rsplit("/", 1)[-1]
d["warnings"] = [w.split(":", 1)[-1] for w in d["warnings"]]
print(json.dumps(d, indent=1, sort_keys=True))' "$1"
}
(cd "$src/tests/fixtures" && "$kith" inspect --json linkedin-small) >"$scratch/folder.json" 2>"$scratch/folder.err"
strip_paths "$scratch/folder.json" >"$scratch/folder.norm"
for z in flat nested; do
    "$kith" inspect --json "$scratch/$z.zip" >"$scratch/$z.json" 2>"$scratch/$z.err"
    code=$?
    strip_paths "$scratch/$z.json" >"$scratch/$z.norm" 2>/dev/null
    if [[ $code -ne 0 ]] || ! diff -u "$scratch/folder.norm" "$scratch/$z.norm"; then
        echo "FAIL: $z.zip and the folder differ (exit $code)"; cat "$scratch/$z.err"; fail=1
    fi
    if ! cmp -s "$scratch/folder.err" "$scratch/$z.err"; then
        # stderr lines name the input too; compare their count
        [[ $(wc -l <"$scratch/folder.err") == $(wc -l <"$scratch/$z.err") ]] ||
            { echo "FAIL: $z.zip warnings differ"; fail=1; }
    fi
done
grep -q '"file":[[:space:]]*"linkedin-small/Connections.csv"' "$scratch/nested.json" ||
    { echo "FAIL: nested.zip member names"; fail=1; }

# The date in a LinkedIn zip name is the export date.
"$kith" inspect --json "$scratch/Basic_LinkedInDataExport_05-01-2026.zip" >"$scratch/dated.json" 2>/dev/null
grep -q '"export_date":[[:space:]]*"2026-05-01"' "$scratch/dated.json" ||
    { echo "FAIL: export date from the zip name"; grep export_date "$scratch/dated.json"; fail=1; }

# A zip bomb is refused with a clear one-line message.
"$kith" inspect "$scratch/bomb.zip" >"$scratch/bomb.out" 2>"$scratch/bomb.err"; code=$?
if [[ $code -ne 1 ]] || ! grep -q "bomb.zip:Connections.csv: refusing a zip member that expands" "$scratch/bomb.err" ||
   [[ $(wc -l <"$scratch/bomb.err") -ne 1 ]]; then
    echo "FAIL: zip bomb (exit $code)"; cat "$scratch/bomb.err"; fail=1
fi
exit $fail
