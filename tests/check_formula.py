"""No cell of any sheet of a workbook is a formula, and no text cell starts with =, +, -, @,
tab or CR unless that text came from the input (then it must be a plain string cell).
Usage: check_formula.py WORKBOOK MARKER... ; each MARKER (an injected name/company/position,
its leading character included) must appear in some string cell, as text.
Checks the raw XML too: openpyxl reads a formula cell as data_type 'f'."""
import sys, zipfile, re
import openpyxl

path, markers = sys.argv[1], sys.argv[2:]
bad = []
wb = openpyxl.load_workbook(path)
texts = []
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == 'f':
                bad.append(f"{ws.title}!{c.coordinate} is a formula: {c.value!r}")
            if isinstance(c.value, str):
                texts.append(c.value)
with zipfile.ZipFile(path) as z:
    for n in z.namelist():
        if n.startswith('xl/worksheets/') and n.endswith('.xml'):
            if re.search(rb'<f[ >]', z.read(n)):
                bad.append(f"{n} holds a <f> element")
for m in markers:
    if not any(m in t for t in texts):
        bad.append(f"marker {m!r} not found as text in any sheet")
print(f"{len(wb.worksheets)} sheets, {len(texts)} text cells")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
