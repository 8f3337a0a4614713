#!/usr/bin/env bash
# Acceptance: `kith inspect --json sample-data` recognizes every data file of the committed
# sample (all but README.md, plants.json and linkedin/guide_messages.csv, which a reader must
# ignore), reads every row, and skips or drops rows only for the reasons the generator
# planted, in the numbers counted here independently from the files (csv, mailbox, a
# line-level .ics reading) and from plants.json.
set -u
kith=$1; src=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"
fail=0
cd "$src" || exit 1
"$kith" inspect --json sample-data >"$scratch/inspect.json" 2>"$scratch/inspect.err" ||
    { cat "$scratch/inspect.err"; echo "FAIL: inspect exit"; exit 1; }
[[ -s $scratch/inspect.err ]] && { echo "FAIL: inspect wrote to stderr:"; cat "$scratch/inspect.err"; fail=1; }

/usr/bin/python3 - "$scratch/inspect.json" sample-data <<'PY' || fail=1
import collections, csv, io, json, mailbox, os, sys
js, sd = sys.argv[1], sys.argv[2]
d = json.load(open(js, encoding="utf-8"))
plants = json.load(open(f"{sd}/plants.json", encoding="utf-8"))
ev = plants["events"]
bad = []

ignored = {"README.md", "plants.json", "linkedin/guide_messages.csv"}
files = set()
for root, _, names in os.walk(sd):
    for n in names:
        files.add(os.path.relpath(os.path.join(root, n), sd))
got = {i["file"]: i for i in d["inputs"]}
if set(got) != files - ignored:
    bad.append(f"recognized {sorted(got)}; want {sorted(files - ignored)}")
for f, i in got.items():
    if i["rows"] <= 0:
        bad.append(f"{f}: {i['rows']} rows")
if d["warnings"]:
    bad.append(f"warnings {d['warnings']}")


def rows_of(path, start_marker=None):
    text = open(path, encoding="utf-8-sig", newline="").read()
    if start_marker:
        text = text[text.index(start_marker):]
    return list(csv.DictReader(io.StringIO(text, newline="")))


# LinkedIn: Connections (notes preamble), messages, endorsements, recommendations
conn = rows_of(f"{sd}/linkedin/Connections.csv", "First Name,")
blank = [c for c in conn if not c["First Name"] and not c["Last Name"] and not c["URL"]]
msgs = rows_of(f"{sd}/linkedin/messages.csv")
drafts = sum(1 for m in msgs if m.get("IS MESSAGE DRAFT", "").lower() == "yes")
spam = sum(1 for m in msgs if m["FOLDER"].upper() == "SPAM")
rejected = sum(1 for r in rows_of(f"{sd}/linkedin/Endorsement_Received_Info.csv")
               if r["Endorsement Status"] == "REJECTED")
hidden = sum(1 for r in rows_of(f"{sd}/linkedin/Recommendations_Received.csv")
             if r["Status"] == "HIDDEN")
google = rows_of(f"{sd}/google-contacts.csv")

# mbox: Gmail labels
mb = list(mailbox.mbox(f"{sd}/mail.mbox"))
junk = collections.Counter()
for m in mb:
    labels = {x.strip().strip('"').lower() for x in (m.get("X-Gmail-Labels") or "").split(",")}
    for lab in ("spam", "trash", "chat"):
        junk[lab] += lab in labels

# .ics, line by line: the owner is the sample's owner e-mail
owner = plants["owner"]["email"].lower()
text = open(f"{sd}/calendar.ics", encoding="utf-8").read().replace("\r\n", "\n").replace("\n ", "")
vevents = [b.split("END:VEVENT")[0] for b in text.split("BEGIN:VEVENT")[1:]]
ics = collections.Counter()
for b in vevents:
    if "\nSTATUS:CANCELLED" in b:
        ics["cancelled"] += 1
        continue
    lines = b.split("\n")
    org = next((l.rsplit(":", 1)[1].lower() for l in lines if l.startswith("ORGANIZER")), None)
    present = {org} if org else set()
    for l in lines:
        if not l.startswith("ATTENDEE"):
            continue
        params, addr = l.rsplit(":", 1)[0], l.rsplit(":", 1)[1].lower()
        if "CUTYPE=ROOM" in params or "CUTYPE=RESOURCE" in params:
            ics["resource"] += 1
        elif "PARTSTAT=DECLINED" in params or "PARTSTAT=DELEGATED" in params:
            ics["declined"] += 1
            present.discard(addr)  # an organizer who declines does not come either
        else:
            present.add(addr)
    if len(present) < 2:
        ics["no attendees"] += 1
ics_rows = len(vevents) + ics["resource"] + ics["declined"]

want = {
    "linkedin/Connections.csv": ("linkedin/connections", len(conn), len(blank),
                                 {"missing name and URL": len(blank)}),
    "linkedin/messages.csv": ("linkedin/messages", len(msgs), 0, {"draft": drafts, "spam": spam}),
    "linkedin/Endorsement_Received_Info.csv": ("linkedin/endorsements-received",
                                               ev["endorsements_received"], 0,
                                               {"rejected": rejected}),
    "linkedin/Endorsement_Given_Info.csv": ("linkedin/endorsements-given",
                                            ev["endorsements_given"], 0, {}),
    "linkedin/Recommendations_Received.csv": ("linkedin/recommendations-received",
                                              ev["recommendations_received"], 0, {"hidden": hidden}),
    "linkedin/Recommendations_Given.csv": ("linkedin/recommendations-given",
                                           ev["recommendations_given"], 0, {}),
    "linkedin/Invitations.csv": ("linkedin/invitations", ev["invitations"], 0, {}),
    "google-contacts.csv": ("google-contacts", len(google), 0, {}),
    "mail.mbox": ("mbox", len(mb), 0, dict(junk)),
    "calendar.ics": ("ical", ics_rows, 0, dict(ics)),
}
# the plants' own counts agree with what is in the files
for what, a, b in (("blank connection rows", len(blank), ev["connections_blank_rows"]),
                   ("drafts", drafts, ev["drafts"]), ("spam messages", spam, ev["spam"]),
                   ("messages", len(msgs), ev["messages"]), ("google contacts", len(google),
                                                             ev["google_contacts"]),
                   ("meetings", len(vevents), ev["meetings"])):
    if a != b:
        bad.append(f"{what}: {a} in the files, plants.json says {b}")
if not (len(blank) and drafts and spam and rejected and hidden and all(junk.values())
        and all(ics[k] for k in ("cancelled", "declined", "resource"))):
    bad.append("a planted quirk is missing from sample-data: the check would prove nothing")

for f, i in got.items():
    reasons = {r["reason"]: r["count"] for r in i["reasons"]}
    kind, rows, skipped, why = want.get(f, (None, None, 0, {}))
    if kind is not None and (i["kind"], i["rows"]) != (kind, rows):
        bad.append(f"{f}: kind {i['kind']} rows {i['rows']}, want {kind} {rows}")
    if i["skipped"] != skipped:
        bad.append(f"{f}: skipped {i['skipped']}, want {skipped} ({i['reasons']})")
    if reasons != why:
        bad.append(f"{f}: reasons {reasons}, want {why}")
    if i["dropped"] != sum(c for r, c in why.items() if r != "missing name and URL"):
        bad.append(f"{f}: dropped {i['dropped']}")
    # the first skips point at the blank rows themselves
    for s in i["first_skips"]:
        line = open(f"{sd}/{f}", encoding="utf-8-sig").read().split("\n")[s["line"] - 1]
        if line.rstrip("\r").split(",")[:6] != [""] * 6:
            bad.append(f"{f}:{s['line']}: skipped line is not blank: {line!r}")
print("inspect sample-data:", {f: (i["rows"], i["skipped"], i["dropped"]) for f, i in sorted(got.items())})
print("calendar drops counted from the file:", dict(ics))
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
exit $fail
