#!/usr/bin/env bash
# Hardening: no formula injection in any sheet, nothing lost when a run fails, inputs only
# read, bounded memory and a clear message on hostile inputs.
set -u
kith=$(realpath "$1"); src=$(realpath "$2"); scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
py=/usr/bin/python3
fx=$src/tests/fixtures

# --- formulas: names, companies and positions starting with = + - @ tab CR stay text --------
"$kith" report monthly --quiet --month 2026-10 --out "$scratch/formula" "$fx/formula" \
    >/dev/null 2>"$scratch/formula.err" || { echo "FAIL: report on formula fixture"; fail=1; }
$py "$src/tests/check_formula.py" "$scratch/formula/network-health-2026-10.xlsx" \
    "=1+1 Eq" "+Plus Sign" "-Minus Sign" "=Tab Lead" "=Cr Lead" "=CMD|" "+Globex" "-Initech" \
    "@SUM(1+1)" "=Tabco" "=Crco" "=Head of Stuff" "+Analyst" "-Manager" "@Director" "=Lead" \
    "+Lead" '=HYPERLINK("http://x","y")' || { echo "FAIL: formula check"; fail=1; }

# --- nothing lost ---------------------------------------------------------------------------
in=$scratch/in; cp -r "$fx/report/linkedin" "$in"
touch -d '2020-01-02 03:04:05' "$in"/* "$in"
snap_inputs() { (cd "$in" && stat -c '%n %Y %s' . * && sha256sum *); }
snap_inputs >"$scratch/inputs.before"
out=$scratch/out
"$kith" report monthly --quiet --month 2026-10 --out "$out" "$in" >/dev/null 2>&1 \
    || { echo "FAIL: first report"; fail=1; }
snap_out() { (cd "$out" && ls -A && find . -maxdepth 1 -type f -exec sha256sum {} + | sort && stat -c "%n %a" -- *); }
snap_out >"$scratch/out.before"
# after_failure WHAT: the previous files are byte-identical, no temp file is left.
after_failure() {
    snap_out >"$scratch/out.after" 2>&1
    diff -u "$scratch/out.before" "$scratch/out.after" >/dev/null \
        || { echo "FAIL: $1 changed the previous outputs"; diff -u "$scratch/out.before" "$scratch/out.after"; fail=1; }
    if ls -A "$out" | grep -q '^\.'; then echo "FAIL: $1 left temp files: $(ls -A "$out")"; fail=1; fi
}
printf '[measures]\nhalf_life_days = -3\n' >"$scratch/bad.ini"
"$kith" report monthly --quiet --month 2026-09 --config "$scratch/bad.ini" --out "$out" "$in" \
    >/dev/null 2>"$scratch/err1" && { echo "FAIL: bad --config succeeded"; fail=1; }
grep -q 'bad.ini:2' "$scratch/err1" || { echo "FAIL: bad --config message: $(cat "$scratch/err1")"; fail=1; }
after_failure "a bad --config"
# A chart that cannot be put in place (its name is taken by a folder): the month's other
# files (a new summary.json, new charts) must not replace the old ones either.
mv "$out/layers.svg" "$scratch/layers.svg.keep"
mkdir -p "$out/layers.svg/blocker"
snap_out >"$scratch/out.before"
"$kith" report monthly --quiet --month 2026-09 --out "$out" "$in" >/dev/null 2>"$scratch/err2" \
    && { echo "FAIL: a blocked chart succeeded"; fail=1; }
grep -q 'layers.svg' "$scratch/err2" || { echo "FAIL: blocked chart message: $(cat "$scratch/err2")"; fail=1; }
after_failure "a chart write failure"
rm -r "$out/layers.svg"; mv "$scratch/layers.svg.keep" "$out/layers.svg"
# An output folder that is a file.
: >"$scratch/plainfile"
"$kith" report monthly --quiet --out "$scratch/plainfile" "$in" >/dev/null 2>"$scratch/err3" \
    && { echo "FAIL: --out onto a file succeeded"; fail=1; }
grep -q 'plainfile' "$scratch/err3" || { echo "FAIL: --out onto a file: $(cat "$scratch/err3")"; fail=1; }
# Outputs are private: 0600 files.
for f in "$out"/*; do
    [[ $(stat -c %a "$f") == 600 ]] || { echo "FAIL: $f mode $(stat -c %a "$f")"; fail=1; }
done
# Inputs only read: same content and mtimes after three runs.
snap_inputs >"$scratch/inputs.after"
diff -u "$scratch/inputs.before" "$scratch/inputs.after" || { echo "FAIL: inputs changed"; fail=1; }

# Every other reader too (mbox on gmime, iCalendar, contacts, vCard, generic CSV, a zip).
in2=$scratch/in2; mkdir -p "$in2"
cp "$fx"/mail.mbox "$fx"/calendar.ics "$fx"/google-new.csv "$fx"/vcard-basic.vcf "$fx"/generic.csv "$in2/"
(cd "$fx/report/linkedin" && $py -c 'import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1], "w") as z:
    [z.write(n) for n in sorted(os.listdir("."))]' "$in2/export.zip")
touch -d '2020-01-02 03:04:05' "$in2"/* "$in2"
(cd "$in2" && stat -c '%n %Y %s' . * && sha256sum *) >"$scratch/in2.before"
"$kith" inspect "$in2"/* >/dev/null 2>&1 || { echo "FAIL: inspect of every reader"; fail=1; }
"$kith" report monthly --quiet --out "$scratch/out2" "$in2"/* >/dev/null 2>&1 \
    || { echo "FAIL: report over every reader"; fail=1; }
(cd "$in2" && stat -c '%n %Y %s' . * && sha256sum *) >"$scratch/in2.after"
diff -u "$scratch/in2.before" "$scratch/in2.after" || { echo "FAIL: inputs of other readers changed"; fail=1; }

# --- bounds: hostile inputs, peak RSS < 300 MB, a clear message -----------------------------
b=$scratch/bounds; mkdir -p "$b"/{bigfield,wide,badutf8,utf16,nul}
$py - "$b" <<'PY' || { echo "FAIL: making hostile inputs"; exit 1; }
import sys, zipfile
b = sys.argv[1]
hdr = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ok = b"Bo,Quill,,,Acme,Eng,15 Mar 2021\n"
with open(b + "/bigfield/Connections.csv", "wb") as f:   # a 100 MB field
    f.write(hdr + b'Ada,Lovegood,,,"'); f.write(b"x" * (100 << 20)); f.write(b'",Eng,15 Mar 2021\n' + ok)
with open(b + "/wide/Connections.csv", "wb") as f:       # a row of a million columns
    f.write(hdr + b"Ada,Lovegood" + b"," * 1000000 + b"\n" + ok)
with open(b + "/nul/Connections.csv", "wb") as f:        # NUL bytes
    f.write(b"\0" * (8 << 20))
with open(b + "/badutf8/Connections.csv", "wb") as f:    # invalid UTF-8
    f.write(hdr + b"Ad\xff\xfea,Lo\xc3,,,Ac\xe2\x82me,Eng,15 Mar 2021\n" + ok)
with open(b + "/utf16/Connections.csv", "wb") as f:      # UTF-16 with a BOM
    f.write((hdr + ok).decode().replace("Bo,", "Bö,").encode("utf-16"))
big = b"x" * (100 << 20)
with open(b + "/big.ics", "wb") as f:                     # a 100 MB iCalendar line
    f.write(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:" + big +
            b"\r\nDTSTART:20250101T100000Z\r\nORGANIZER:mailto:a@b.example\r\n"
            b"ATTENDEE:mailto:c@d.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
with open(b + "/big.mbox", "wb") as f:                    # a 100 MB mail header
    f.write(b"From a@b Mon Jan  1 00:00:00 2025\nFrom: Ada <a@b.example>\nTo: Bo <b@c.example>\n"
            b"Subject: " + big + b"\nDate: Mon, 1 Jan 2025 10:00:00 +0000\n\nhi\n")
with open(b + "/big.vcf", "wb") as f:                     # a 100 MB vCard line
    f.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada " + big + b"\r\nEMAIL:a@b.example\r\nEND:VCARD\r\n")
del big
with open(b + "/rrule.ics", "w") as f:                   # 50 FREQ=SECONDLY rules over 6 years
    f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(
        f"BEGIN:VEVENT\r\nUID:u{i}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20200101T000000Z\r\n"
        f"RRULE:FREQ=SECONDLY\r\nORGANIZER:mailto:a@b.example\r\n"
        f"ATTENDEE:mailto:c{i}@d.example\r\nEND:VEVENT\r\n" for i in range(50)) +
        "END:VCALENDAR\r\n")
with zipfile.ZipFile(b + "/bomb.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("Connections.csv", hdr + b" " * (200 << 20))
PY
# bounded NAME CODE PATTERN INPUT: kith inspect exits CODE, stderr matches PATTERN, RSS bounded.
bounded() {
    local name=$1 code=$2 pat=$3; shift 3
    (cd "$b" && /usr/bin/time -o "$b/$name.time" -v timeout 120 "$kith" inspect "$@" \
        >"$b/$name.out" 2>"$b/$name.err")
    local rc=$?
    [[ $rc == "$code" ]] || { echo "FAIL: $name exit $rc, want $code: $(head -c 300 "$b/$name.err")"; fail=1; }
    grep -q -- "$pat" "$b/$name.err" "$b/$name.out" || { echo "FAIL: $name message: $(head -c 300 "$b/$name.err")"; fail=1; }
    local kb; kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$b/$name.time")
    (( kb < 300000 )) || { echo "FAIL: $name peak RSS ${kb} kB"; fail=1; }
}
bounded bigfield 1 'bigfield/Connections.csv:2: a field longer than' bigfield
bounded wide 1 'wide/Connections.csv:2: a record with more than' wide
bounded nul 1 'nul/Connections.csv: no header line' nul
bounded bomb 1 'bomb.zip:Connections.csv: refusing a zip member' bomb.zip
bounded badutf8 0 'badutf8/Connections.csv *linkedin/connections *2 *0' badutf8
bounded utf16 0 'utf16/Connections.csv *linkedin/connections *1 *0' utf16
bounded bigmbox 1 'big.mbox:4: a mail header over 1 MiB' big.mbox
bounded bigics 0 'big.ics *ical *1' big.ics
bounded rrule 0 'rrule.ics: recurring events expanded only to' rrule.ics
bounded bigvcf 0 'big.vcf *vcard *1' big.vcf
rm -rf "$b"
exit $fail
