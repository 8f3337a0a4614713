"""Checks a workbook and summary.json written by tests/test_workbook.c from its hand-built
report, with independent readers (openpyxl, zipfile, json).

usage: /usr/bin/python3 check_workbook.py XLSX JSON [--split] [--charts]
  --split   the workbook was written with 2 data rows per sheet (continuation sheets)
  --charts  a Charts sheet with one PNG is expected
Exits 1 with a list of failures."""
import datetime
import json
import math
import sys
import zipfile

import openpyxl

CONTACTS_HEADER = [
    "Name", "Profile URL", "Email", "Company", "Position", "Sources", "Connected On", "Given",
    "Received", "Balance", "Label", "Last Contact", "Silent Days", "Usual Gap", "Strength",
    "Peak Strength", "Status", "Rule", "Layer", "Cluster", "Betweenness", "Given 12m",
    "Received 12m", "Birthday", "Labels",
]
SPEC_KPIS = [
    "persons", "connections", "new_connections", "active_ties", "fading", "dormant", "cold",
    "latent", "organizations", "organizations_active", "warm_reach", "clusters",
    "cluster_coverage", "modularity", "messages_sent", "messages_received", "given", "received",
    "given_12m", "received_12m", "reciprocity", "you_owe", "they_owe", "endorsements_given",
    "endorsements_received", "recommendations_given", "recommendations_received", "constraint",
    "effective_size", "efficiency", "active_months", "burstiness", "profile_completeness",
    "birthdays_next_30d",
]
COUNT_KPIS = {
    "persons", "connections", "new_connections", "active_ties", "fading", "dormant", "cold",
    "latent", "organizations", "organizations_active", "warm_reach", "clusters",
    "messages_sent", "messages_received", "you_owe", "they_owe", "endorsements_given",
    "endorsements_received", "recommendations_given", "recommendations_received",
    "active_months", "birthdays_next_30d",
}
HYPERLINK = '=HYPERLINK("http://x","y")'

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def close(a, b):
    return isinstance(a, (int, float)) and abs(a - b) < 1e-9


def main():
    xlsx, js = sys.argv[1], sys.argv[2]
    split = "--split" in sys.argv
    charts = "--charts" in sys.argv
    wb = openpyxl.load_workbook(xlsx)

    want = ["Summary", "Habits", "Contacts"] + (["Contacts (2)"] if split else [])
    want += ["Neglected", "Reciprocity"] + (["Reciprocity (2)"] if split else [])
    want += ["Clusters", "Monthly"] + (["Charts"] if charts else [])
    check(wb.sheetnames == want, f"sheet names {wb.sheetnames} != {want}")

    # No formula anywhere: every cell starting with '=' (or + - @) must be text.
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                check(cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula")

    tables = ["Contacts", "Neglected", "Reciprocity", "Clusters", "Monthly"]
    for name in tables + (["Contacts (2)", "Reciprocity (2)"] if split else []):
        ws = wb[name]
        check(ws.freeze_panes == "A2", f"{name}: freeze panes {ws.freeze_panes}")
        check(bool(ws.auto_filter.ref) and ws.auto_filter.ref.startswith("A1:"),
              f"{name}: autofilter {ws.auto_filter.ref}")
    for name in ["Summary", "Habits"]:
        check(wb[name].freeze_panes == "A2", f"{name}: freeze panes {wb[name].freeze_panes}")

    # Contacts: header, rows of known persons, across continuation sheets.
    contacts = [wb["Contacts"]] + ([wb["Contacts (2)"]] if split else [])
    header = [c.value for c in contacts[0][1]]
    check(header == CONTACTS_HEADER, f"Contacts header {header}")
    rows = {}
    for ws in contacts:
        check([c.value for c in ws[1]] == CONTACTS_HEADER, f"{ws.title} header")
        for r in ws.iter_rows(min_row=2, values_only=True):
            rows[r[0]] = dict(zip(CONTACTS_HEADER, r))
    check(sorted(rows) == sorted(["Ada Quill", "Bo Brook", "Cy Dale", HYPERLINK]),
          f"Contacts names {sorted(rows)}")
    if split:
        check(contacts[0].max_row == 3 and contacts[1].max_row == 3, "2 data rows per sheet")
    ada = rows.get("Ada Quill", {})
    expect = {
        "Profile URL": "linkedin.com/in/adaquill",
        "Email": "ada@example.org; ada.quill@example.com",
        "Company": "Globex",
        "Position": "CTO",
        "Sources": "google-contacts; linkedin/connections",
        "Connected On": datetime.datetime(2024, 3, 15),
        "Given": 12.5,
        "Received": 4,
        "Label": "they owe",
        "Last Contact": datetime.datetime(2026, 10, 20),
        "Silent Days": 11.99999,
        "Usual Gap": 14,
        "Strength": 5.25,
        "Peak Strength": 9,
        "Status": "active",
        "Rule": "active: silent 12.0 d <= max(3 x 14 d gap, 45)",
        "Layer": 1,
        "Cluster": "Globex · 3",
        "Betweenness": 0.5,
        "Given 12m": 10,
        "Received 12m": 3,
        "Birthday": datetime.datetime(1990, 11, 5),
        "Labels": "Work",
    }
    for k, v in expect.items():
        got = ada.get(k)
        ok = got == v or (isinstance(v, float) and close(got, v))
        check(ok, f"Ada Quill {k}: {got!r} != {v!r}")
    check(close(ada.get("Balance"), 8.5 / 16.5), f"Ada balance {ada.get('Balance')!r}")
    for k in ["Connected On", "Last Contact", "Birthday"]:
        check(isinstance(ada.get(k), datetime.datetime), f"Ada {k} is not a date")

    hl = rows.get(HYPERLINK, {})
    check(hl.get("Balance") is None, f"NaN balance written as {hl.get('Balance')!r}")
    check(hl.get("Silent Days") is None and hl.get("Last Contact") is None, "blank NaN/no time")
    check(isinstance(hl.get("Connected On"), datetime.datetime), "hyperlink connected on")
    check(hl.get("Status") == "latent" and hl.get("Layer") is None, f"hyperlink row {hl}")
    cy = rows.get("Cy Dale", {})
    check(cy.get("Company") == "Init\ufffdech", f"invalid UTF-8 not replaced: {cy.get('Company')!r}")
    check(cy.get("Position") == "-VP" and cy.get("Labels") == "@work; +friends",
          f"formula-like text {cy.get('Position')!r} {cy.get('Labels')!r}")
    check(cy.get("Birthday") == "--12-24", f"birthday without year {cy.get('Birthday')!r}")
    bo = rows.get("Bo Brook", {})
    check(bo.get("Label") == "you owe" and bo.get("Status") == "dormant", f"Bo row {bo}")

    # Column widths fit the content (and are capped).
    dims = contacts[0].column_dimensions
    check(dims["A"].width is not None and dims["A"].width >= len(HYPERLINK) + 1
          if not split else dims["A"].width >= len("Ada Quill") + 1, f"Name width {dims['A'].width}")
    check(dims["R"].width <= 60, f"Rule width {dims['R'].width}")
    check(dims["U"].width >= len("123456.79") + 1, f"Betweenness width {dims['U'].width}")
    # Conditional formatting on Status and Balance.
    cf = [str(r.sqref) for r in contacts[0].conditional_formatting]
    check(any(s.startswith("Q2") for s in cf), f"no conditional format on Status: {cf}")
    check(any(s.startswith("J2") for s in cf), f"no conditional format on Balance: {cf}")
    check(contacts[0]["G2"].number_format == "yyyy-mm-dd", "date format")
    check(contacts[0]["J2"].number_format == "0.00", "balance format")

    # Neglected: by priority, as the report orders them.
    ng = wb["Neglected"]
    nh = [c.value for c in ng[1]]
    check(nh[:11] == ["Name", "Priority", "Engagement", "Mutuality", "Novelty", "Status", "Rule",
                      "Silent Days", "Last Contact", "Company", "Cluster"], f"Neglected header {nh}")
    check([ng.cell(2, 1).value, ng.cell(3, 1).value] == ["Bo Brook", "Cy Dale"], "Neglected order")
    check(close(ng.cell(2, 2).value, 0.8), f"Bo priority {ng.cell(2, 2).value!r}")

    # Summary: every KPI with this month, last month, change.
    sm = wb["Summary"]
    check([c.value for c in sm[1]][:4] == ["KPI", "This Month", "Last Month", "Change"],
          "Summary header")
    check(sm["A2"].value == "Persons" and sm["B2"].value == 4 and sm["C2"].value == 3
          and sm["D2"].value == 1, "Summary persons row")
    labels = [sm.cell(r, 1).value for r in range(1, sm.max_row + 1)]
    check("What to do this month" in labels, "no to-do list")
    texts = [str(sm.cell(r, 2).value) for r in range(1, sm.max_row + 1)]
    check(any(t.startswith("Bo Brook") for t in texts), "Bo not in the to-do list")
    by_label = {sm.cell(r, 1).value: [sm.cell(r, c).value for c in range(2, 5)]
                for r in range(1, sm.max_row + 1)}
    check(by_label.get("Became dormant") == [1, "Bo Brook", None],
          f"became dormant {by_label.get('Became dormant')}")
    check(by_label.get("Revived") == [0, None, None], f"revived {by_label.get('Revived')}")
    check(by_label.get("Layer moves") == [2, "Ada Quill (2 -> 1); Cy Dale (0 -> 2)", None],
          f"layer moves {by_label.get('Layer moves')}")
    check(by_label.get("Layer 1 (top 5)") == [1, 0, 1], f"layer 1 {by_label.get('Layer 1 (top 5)')}")
    check(by_label.get("No layer (strength 0)") == [1, 1, 0], "no layer row")

    # Reciprocity ledger and clusters.
    rc = [wb["Reciprocity"]] + ([wb["Reciprocity (2)"]] if split else [])
    ledger = [r for ws in rc for r in ws.iter_rows(min_row=2, values_only=True)]
    check(ledger[0] == ("Ada Quill", "message", 6, 4, 6, 4), f"ledger row {ledger[0]}")
    check(len(ledger) == 3, f"ledger rows {len(ledger)}")
    cl = wb["Clusters"]
    check([c.value for c in cl[2]] == [1, "Globex · 3", 3, 2, "Globex (3)", "Ada Quill; Bo Brook; Cy Dale"],
          f"cluster row {[c.value for c in cl[2]]}")

    if charts:
        check(wb["Charts"]["A1"].value == "Activity: given vs received",
              f"Charts title {wb['Charts']['A1'].value!r}")

    mo = wb["Monthly"]
    check(mo.max_row == 13 and mo["A13"].value == "2026-10", "Monthly 12 rows")
    check(close(mo["B13"].value, 7.5), f"Monthly given {mo['B13'].value!r}")

    # Native charts: Habits 1, Monthly 2.
    with zipfile.ZipFile(xlsx) as z:
        names = z.namelist()
        infos = z.infolist()
    # kith deflates the XML at a fast level and stores the (already compressed) PNGs.
    for i in infos:
        want = zipfile.ZIP_STORED if i.filename.endswith(".png") else zipfile.ZIP_DEFLATED
        check(i.compress_type == want, f"{i.filename} compress_type {i.compress_type}")
        if want == zipfile.ZIP_DEFLATED:  # general purpose bits 1-2: 3 = "super fast" (level 1)
            check((i.flag_bits >> 1) & 3 == 3, f"{i.filename} deflate level flags {i.flag_bits}")
    check(any(i.filename.endswith(".png") for i in infos) == charts, "PNG entries")
    n_charts = len([n for n in names if n.startswith("xl/charts/chart")])
    check(n_charts == 3, f"{n_charts} native charts")
    n_media = len([n for n in names if n.startswith("xl/media/")])
    check(n_media == (1 if charts else 0), f"{n_media} images")

    # summary.json
    with open(js, encoding="utf-8") as f:
        s = json.load(f)
    for k in ["report", "month", "as_of", "owner", "inputs", "kpis", "previous"]:
        check(k in s, f"summary.json lacks {k}")
    check(s.get("report") == "monthly" and s.get("month") == "2026-10", "report/month")
    check(s.get("as_of") == "2026-10-31T23:59:59Z", f"as_of {s.get('as_of')}")
    check(s.get("owner") == "Lee Park", "owner")
    check(s.get("inputs") == [{"path": "export.zip:Connections.csv", "kind": "linkedin/connections",
                               "rows": 4, "skipped": 1, "dropped": 0}], f"inputs {s.get('inputs')}")
    for side in ["kpis", "previous"]:
        kp = s.get(side, {})
        for k in SPEC_KPIS:
            check(k in kp, f"{side} lacks {k}")
            if k in COUNT_KPIS and kp.get(k) is not None:
                check(type(kp[k]) is int, f"{side}.{k} is not an integer: {kp[k]!r}")
    check(s["kpis"]["persons"] == 4 and s["previous"]["persons"] == 3, "persons")
    check(s["kpis"]["modularity"] is None, "NaN modularity is not null")
    check(close(s["kpis"]["reciprocity"], 0.5), "reciprocity")
    check(s["kpis"]["given"] == 7.5, "given")
    check(list(s.keys())[:4] == ["report", "month", "as_of", "owner"], "key order")
    check(s.get("changes") == {"became_dormant": 1, "revived": 0, "layer_moves": 2},
          f"changes {s.get('changes')}")
    check(s.get("layers") == {"1": 1, "2": 2, "3": 0, "4": 0, "5": 0, "none": 1},
          f"layers {s.get('layers')}")
    check(s.get("layers_previous", {}).get("1") == 0, "layers_previous")

    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        sys.exit(1)
    print("check_workbook: ok")


if __name__ == "__main__":
    main()
