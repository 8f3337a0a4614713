#!/usr/bin/env bash
# Golden error messages, one per class of failure (stderr and exit code against
# tests/golden/errors/): each names the file (and line when there is one); exit code 1 for
# bad data, 2 for a bad command line. KITH_UPDATE_GOLDEN=1 rewrites the golden files.
set -u
kith=$(realpath "$1"); src=$(realpath "$2"); scratch=$3
golden=$src/tests/golden/errors
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0

# Inputs that cannot be read, made here (tests may run as root, so no chmod 000): a dangling
# symlink, a FIFO (must not block), a folder named like a CSV with nothing in it.
mkdir -p "$scratch/run/folder.csv"
ln -s does-not-exist.csv "$scratch/run/dangling.csv"
mkfifo "$scratch/run/fifo.csv"
cp -r "$src/tests/fixtures/errors/." "$scratch/run/"
cp -r "$src/tests/fixtures/linkedin-small" "$scratch/run/"

# case NAME ARGS...: run kith in the scratch copy (relative paths keep messages portable).
case_() {
    local name=$1; shift
    (cd "$scratch/run" && timeout 20 "$kith" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err")
    echo $? >"$scratch/$name.code"
    for ext in err code; do
        if [[ ${KITH_UPDATE_GOLDEN:-0} == 1 ]]; then
            cp "$scratch/$name.$ext" "$golden/$name.$ext"
        elif ! diff -u "$golden/$name.$ext" "$scratch/$name.$ext"; then
            echo "FAIL: golden $name.$ext (kith $*)"; fail=1
        fi
    done
}

case_ unreadable-dangling inspect dangling.csv
case_ unreadable-fifo     inspect fifo.csv
case_ unreadable-folder   inspect folder.csv
case_ missing-input       inspect no-such-file.csv
case_ not-a-zip           inspect export.zip
case_ unknown-export      inspect bad-value.ini
case_ wrong-header        inspect wrong-header/Connections.csv
case_ bad-date-strict     inspect --strict bad-date
case_ bad-date-lenient    inspect bad-date
case_ bad-date-report     report monthly --quiet --strict --out o bad-date
case_ bad-option          report monthly --bogus linkedin-small
case_ bad-option-value    report monthly --month 2026-13 linkedin-small
case_ bad-report-name     report weekly linkedin-small
case_ no-input            report monthly
case_ config-bad-value    report monthly --quiet --config bad-value.ini --out o linkedin-small
case_ config-bad-syntax   report monthly --quiet --config bad-syntax.ini --out o linkedin-small
case_ config-missing      report monthly --quiet --config nowhere.ini --out o linkedin-small

# Every error names its file: the cases on an input name it with the path given.
for n in unreadable-dangling unreadable-fifo unreadable-folder not-a-zip wrong-header; do
    grep -q '^kith: [^ ]*\.\(csv\|zip\)' "$scratch/$n.err" || { echo "FAIL: $n names no file"; fail=1; }
done
# Without --strict the bad row is skipped, reported with its line, and the run succeeds.
grep -q "bad-date/Connections.csv:3: bad date 'notadate'" "$scratch/bad-date-lenient.out" \
    || { echo "FAIL: lenient bad date not listed"; fail=1; }
grep -q ':3: ' "$scratch/bad-date-strict.err" || { echo "FAIL: bad date names no line"; fail=1; }
grep -q 'bad-value.ini:5: ' "$scratch/config-bad-value.err" || { echo "FAIL: config line"; fail=1; }
# Failed reports leave no output folder behind.
[[ ! -e "$scratch/run/o" ]] || { echo "FAIL: a failed report created its output folder"; fail=1; }
exit $fail
