#!/usr/bin/env bash
# A workbook whose sheets are compressed in many pieces on two threads (src/output/xlsx_zip.c):
# every part inflates to its CRC (Python's zipfile, zlib underneath), the pieces cost under 0.6%
# of size against one deflate stream at the same level, the Contacts sheet holds every person,
# and two runs give the same bytes whichever thread compressed which piece, and the same bytes
# as a run whose cells all go through libxlsxwriter's cell calls (src/output/xlsx_rows.c).
set -u
kith=$1; src=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
"$kith" synth --persons 3000 --events 30000 --seed 7 --out "$scratch/in" >/dev/null \
    || { echo "FAIL: synth"; exit 1; }
ins=("$scratch/in/linkedin" "$scratch/in/google-contacts.csv")
for run in a b c; do
    # run c writes every cell through libxlsxwriter's own calls, not kith's row writer
    cells=$([[ $run == c ]] && echo 1 || echo 0)
    KITH_CELL_CALLS=$cells "$kith" report monthly --quiet --month 2026-10 --out "$scratch/$run" "${ins[@]}" \
        >/dev/null 2>"$scratch/$run.err" || { echo "FAIL: report $run"; cat "$scratch/$run.err"; exit 1; }
done
fail=0
cmp -s "$scratch"/a/network-health-2026-10.xlsx "$scratch"/c/network-health-2026-10.xlsx \
    || { echo "FAIL: the row writer and libxlsxwriter's cell calls wrote different workbooks"; fail=1; }
if ! cmp -s "$scratch"/a/network-health-2026-10.xlsx "$scratch"/b/network-health-2026-10.xlsx; then
    echo "FAIL: two runs wrote different workbooks"
    fail=1
    /usr/bin/python3 - "$scratch"/a/network-health-2026-10.xlsx "$scratch"/b/network-health-2026-10.xlsx <<'PY'
import sys, zipfile
a, b = (zipfile.ZipFile(p) for p in sys.argv[1:3])
for i in a.infolist():
    j = b.getinfo(i.filename) if i.filename in b.namelist() else None
    if not j or a.read(i) != b.read(j):
        print("  content differs:", i.filename)
    elif (i.CRC, i.compress_size) != (j.CRC, j.compress_size):
        print("  same content, compressed differently:", i.filename, i.compress_size, j.compress_size)
PY
    for f in "$scratch"/a/*; do cmp -s "$f" "$scratch/b/${f##*/}" || echo "  differs: ${f##*/}"; done
fi
"$kith" inspect --json "${ins[@]}" >"$scratch/inspect.json" || { echo "FAIL: inspect"; exit 1; }
/usr/bin/python3 - "$scratch/a/network-health-2026-10.xlsx" "$scratch/inspect.json" <<'PY' || fail=1
import json, re, sys, zipfile, zlib
xlsx, insp = sys.argv[1], json.load(open(sys.argv[2]))
bad = []
with zipfile.ZipFile(xlsx) as z:
    broken = z.testzip()  # inflates every part and checks its CRC-32
    if broken:
        bad.append(f"{broken}: bad CRC or deflate stream")
    big = [i for i in z.infolist() if i.file_size > 4 * 256 * 1024]
    if not big:
        bad.append("no part of more than four pieces: the test checks nothing")
    for i in big:
        data = z.read(i)
        c = zlib.compressobj(1, zlib.DEFLATED, -15)
        one = len(c.compress(data) + c.flush())
        if i.compress_size > one * 1.006:
            bad.append(f"{i.filename}: {i.compress_size} bytes in pieces, {one} in one stream")
    names = {m.group(1): n for n in z.namelist()
             for m in [re.match(r"xl/worksheets/(sheet\d+)\.xml$", n)] if m}
    book = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet name="Contacts" sheetId="\d+" r:id="(rId\d+)"', book).group(1)
    target = re.search(r'Id="%s" Type="[^"]+" Target="worksheets/(sheet\d+)\.xml"' % rid, rels).group(1)
    rows = len(re.findall(rb"<row ", z.read(names[target])))
    if rows != insp["persons"] + 1:
        bad.append(f"Contacts has {rows} rows, want {insp['persons']} persons and a header")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
# A sheet cut short (here by a file-size limit, as by a full disk) fails the run with a message,
# and the folder keeps the previous run's files as they were: kith's row writer checks its
# writes of the sheet's temporary file; libxlsxwriter does not check its own, which the zip
# layer catches (a part that does not end with its closing tag).
for cells in 0 1; do
    ( trap '' XFSZ; ulimit -f 2700   # KiB: above every other file written (xlsx 2.0 MB), below
                                     # the Contacts sheet's 3.3 MB of XML
      KITH_CELL_CALLS=$cells exec "$kith" report monthly --quiet --month 2026-10 --out "$scratch/a" "${ins[@]}" ) \
        >/dev/null 2>"$scratch/cut.err" && { echo "FAIL: a sheet cut short went unnoticed ($cells)"; fail=1; }
    if [[ $cells == 0 ]]; then
        want="cannot write the workbook: sheet 'Contacts': cannot write its rows to a temporary file: File too large"
    else
        want="cannot write the workbook: xl/worksheets/sheet[0-9]*.xml came out cut short"
    fi
    grep -q "a/network-health-2026-10.xlsx: $want" "$scratch/cut.err" \
        || { echo "FAIL: no message naming the workbook and the cut sheet ($cells)"; cat "$scratch/cut.err"; fail=1; }
    diff -r "$scratch/a" "$scratch/b" >/dev/null || { echo "FAIL: the failed run changed the folder"; fail=1; }
done
exit $fail
