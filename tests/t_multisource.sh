#!/usr/bin/env bash
# Acceptance (more-sources issue). Part 1: a synthetic export with --mail read as LinkedIn +
# Google Contacts + mail.mbox + calendar.ics gives one monthly report where e-mails and
# meetings count, co-recipients/co-attendees change the clusters, birthdays appear and a
# person in all four sources is one person (tests/multisource_check.py, against the same
# report without the mbox and .ics). Part 2: the hand-made fixture tests/fixtures/multisource
# (made-up names): Noor Vasquez-Lind is in all five files (LinkedIn, Google CSV, vCard, mbox,
# .ics, under two e-mail addresses) and merges into one person whose e-mails and meetings
# count; the two Sam Okonjo (different URLs and e-mails) stay two; Ivo Brandt, typed into Google
# Contacts as "Ivo from Quartzmill", keeps the name of his profile.
set -u
kith=$1; src=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
say() { echo "FAIL: $*"; fail=1; }

# ---- part 1: synthetic export
S=$scratch/S
"$kith" synth --persons 1500 --events 12000 --seed 5 --mail --out "$S" >"$scratch/synth.out" 2>&1 ||
    { cat "$scratch/synth.out"; echo "FAIL: kith synth --mail"; exit 1; }
"$kith" report monthly --quiet --out "$scratch/all" "$S/linkedin" "$S/google-contacts.csv" \
    "$S/mail.mbox" "$S/calendar.ics" >"$scratch/all.out" 2>&1 ||
    { cat "$scratch/all.out"; echo "FAIL: report with mail"; exit 1; }
"$kith" report monthly --quiet --out "$scratch/li" "$S/linkedin" "$S/google-contacts.csv" \
    >"$scratch/li.out" 2>&1 || { cat "$scratch/li.out"; echo "FAIL: report without mail"; exit 1; }
/usr/bin/python3 "$src/tests/multisource_check.py" "$S" "$scratch/all" "$scratch/li" || fail=1

# ---- part 2: the hand-made fixture
fx=$src/tests/fixtures/multisource
in=("$fx/linkedin" "$fx/google.csv" "$fx/contacts.vcf" "$fx/mail.mbox" "$fx/cal.ics")
"$kith" inspect --json "${in[@]}" >"$scratch/inspect.json" 2>"$scratch/inspect.err" ||
    { cat "$scratch/inspect.err"; say "inspect --json"; }
[[ -s $scratch/inspect.err ]] && say "inspect warned: $(cat "$scratch/inspect.err")"
"$kith" report monthly --quiet --month 2026-10 --out "$scratch/fx" "${in[@]}" \
    >"$scratch/fx.out" 2>&1 || { cat "$scratch/fx.out"; say "report on the fixture"; }

/usr/bin/python3 - "$scratch/inspect.json" "$scratch/fx" <<'PY' || fail=1
import datetime, json, sys
import openpyxl
js, out = sys.argv[1], sys.argv[2]
bad = []
d = json.load(open(js, encoding="utf-8"))
kinds = {i["file"]: (i["kind"], i["rows"], i["skipped"], i["dropped"]) for i in d["inputs"]}
want_kinds = {"Connections.csv": ("linkedin/connections", 4, 0, 0),
              "Profile.csv": ("linkedin/profile", 1, 0, 0),
              "messages.csv": ("linkedin/messages", 5, 0, 0),
              "google.csv": ("google-contacts", 3, 0, 0), "contacts.vcf": ("vcard", 2, 0, 0),
              "mail.mbox": ("mbox", 3, 0, 0), "cal.ics": ("ical", 1, 0, 0)}
if kinds != want_kinds:
    bad.append(f"inspect inputs {kinds}")
# 4 persons: Noor (all five files), Ivo, and two Sam Okonjo that share a name but no URL or
# e-mail
if d["persons"] != 4 or d["connections"] != 4:
    bad.append(f"inspect persons {d['persons']}, connections {d['connections']}, want 4 and 4")
if d["owner"]["name"] != "Wren Halloway" or d["owner"]["email"] != "wren@tamarisk.example":
    bad.append(f"owner {d['owner']}")
ev = d["events"]
# e-mails: out to Noor and Ivo (one mail, two persons), in from Noor and Sam B; the meeting
# Wren organized is out to Noor and Ivo
want_ev = {"message": {"out": 3, "in": 2}, "email": {"out": 2, "in": 2},
           "meeting": {"out": 2, "in": 0}}
for k, v in want_ev.items():
    if ev.get(k) != v:
        bad.append(f"inspect events.{k} = {ev.get(k)}, want {v}")
if ev.get("total") != 11:
    bad.append(f"inspect events.total = {ev.get('total')}, want 11")

wb = openpyxl.load_workbook(f"{out}/network-health-2026-10.xlsx", read_only=True)
rows = wb["Contacts"].iter_rows(values_only=True)
ix = {h: i for i, h in enumerate(next(rows))}
rows = [r for r in rows if r[0] is not None]
names = sorted(r[0] for r in rows)
if names != ["Ivo Brandt", "Noor Vasquez-Lind", "Sam Okonjo", "Sam Okonjo"]:
    bad.append(f"Contacts names {names}")
by_url = {r[ix["Profile URL"]]: r for r in rows}
noor = by_url.get("linkedin.com/in/noor-vasquez-lind")
if noor is None:
    bad.append("Noor missing")
else:
    if noor[ix["Sources"]] != "google-contacts; ical; linkedin/connections; linkedin/messages; mbox; vcard":
        bad.append(f"Noor's sources {noor[ix['Sources']]}")
    if set(noor[ix["Email"]].split("; ")) != {"noor@quartzmill.example", "noor.vl@homemail.example"}:
        bad.append(f"Noor's e-mails {noor[ix['Email']]}")
    # given: message 1 + e-mail 1 + meeting 3; received: message 1 + e-mail 1
    if (noor[ix["Given"]], noor[ix["Received"]], noor[ix["Label"]]) != (5, 2, "they owe"):
        bad.append(f"Noor given/received/label {noor[ix['Given']]}/{noor[ix['Received']]}/{noor[ix['Label']]}")
    if noor[ix["Last Contact"]] != datetime.datetime(2026, 10, 15, 10, 0):
        bad.append(f"Noor's last contact {noor[ix['Last Contact']]} (the meeting)")
    if noor[ix["Birthday"]] != datetime.datetime(1990, 11, 12):
        bad.append(f"Noor's birthday {noor[ix['Birthday']]}")
sam_a = by_url.get("linkedin.com/in/sam-okonjo-alpha")
sam_b = by_url.get("linkedin.com/in/sam-okonjo-beta")
if not sam_a or not sam_b:
    bad.append("a Sam Okonjo is missing")
else:
    if (sam_a[ix["Email"]], sam_a[ix["Sources"]], sam_a[ix["Company"]]) != \
            ("sam@alphaworks.example", "google-contacts; linkedin/connections; linkedin/messages", "Alphaworks"):
        bad.append(f"Sam A {sam_a[ix['Email']]} / {sam_a[ix['Sources']]} / {sam_a[ix['Company']]}")
    if (sam_b[ix["Email"]], sam_b[ix["Sources"]], sam_b[ix["Company"]]) != \
            ("sam.o@betaforge.example", "linkedin/connections; linkedin/messages; mbox; vcard", "Betaforge"):
        bad.append(f"Sam B {sam_b[ix['Email']]} / {sam_b[ix['Sources']]} / {sam_b[ix['Company']]}")
    if (sam_a[ix["Given"]], sam_a[ix["Received"]]) != (1, 0) or \
            (sam_b[ix["Given"]], sam_b[ix["Received"]]) != (0, 2):
        bad.append("the Sams' given/received are mixed up")
ivo = by_url.get("linkedin.com/in/ivo-brandt")
if not ivo or (ivo[ix["Given"]], ivo[ix["Received"]], ivo[ix["Sources"]]) != \
        (5, 0, "google-contacts; ical; linkedin/connections; linkedin/messages; mbox"):
    bad.append(f"Ivo {ivo and (ivo[ix['Given']], ivo[ix['Received']], ivo[ix['Sources']])}")

ledger = {(r[0], r[1], r[2], r[3]) for r in wb["Reciprocity"].iter_rows(min_row=2, values_only=True)}
for row in (("Noor Vasquez-Lind", "email", 1, 1), ("Noor Vasquez-Lind", "meeting", 3, 0),
            ("Ivo Brandt", "meeting", 3, 0), ("Sam Okonjo", "email", 0, 1)):
    if row not in ledger:
        bad.append(f"Reciprocity lacks {row}")
s = json.load(open(f"{out}/summary.json", encoding="utf-8"))
k = s["kpis"]
# October: given = e-mail 1 + 1 and meeting 3 + 3 (Noor, Ivo); received = e-mails of Noor, Sam B
for key, v in {"persons": 4, "birthdays_next_30d": 1, "given": 8, "received": 2}.items():
    if k.get(key) != v:
        bad.append(f"kpis.{key} = {k.get(key)}, want {v}")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
exit $fail
