"""Checks for t_multisource.sh on a synthetic export with --mail: the monthly report with
LinkedIn + Google Contacts + mail.mbox + calendar.ics (ALL) against the one without the mbox
and .ics (LI), read back with independent readers (openpyxl, mailbox, csv, json).

usage: /usr/bin/python3 multisource_check.py SYNTH_DIR ALL_OUT LI_OUT
Exits 1 with a list of failures."""
import collections
import csv
import datetime
import email.utils
import glob
import json
import mailbox
import sys

import openpyxl

S, ALL, LI = sys.argv[1:4]
bad = []
plants = json.load(open(f"{S}/plants.json", encoding="utf-8"))
owner_email = plants["owner"]["email"].lower()
T = datetime.datetime.strptime(plants["as_of"], "%Y-%m-%dT%H:%M:%SZ")


def book(out):
    (path,) = glob.glob(f"{out}/network-health-*.xlsx")
    return openpyxl.load_workbook(path, read_only=True)


def contacts(wb):
    rows = wb["Contacts"].iter_rows(values_only=True)
    ix = {h: i for i, h in enumerate(next(rows))}
    return ix, [r for r in rows if r[0] is not None]


wb_all, wb_li = book(ALL), book(LI)
ix, rows = contacts(wb_all)
_, rows_li = contacts(wb_li)
s_all = json.load(open(f"{ALL}/summary.json", encoding="utf-8"))
s_li = json.load(open(f"{LI}/summary.json", encoding="utf-8"))
k_all, k_li = s_all["kpis"], s_li["kpis"]

# (a) e-mails and meetings count: ledger rows with weight > 0, Monthly columns > 0, and
# nothing of the kind without the mbox and .ics
for name, wb, want in (("with mail", wb_all, True), ("LinkedIn only", wb_li, False)):
    led = collections.Counter()
    for r in wb["Reciprocity"].iter_rows(min_row=2, values_only=True):
        if r[1] in ("email", "meeting") and (r[2] or 0) + (r[3] or 0) > 0:
            led[r[1]] += 1
    mrows = wb["Monthly"].iter_rows(values_only=True)
    mh = {h: i for i, h in enumerate(next(mrows))}
    tot = collections.Counter()
    for r in mrows:
        for col in ("Given email", "Received email", "Given meeting", "Received meeting"):
            tot[col] += r[mh[col]] or 0
    print(f"{name}: ledger rows email {led['email']}, meeting {led['meeting']}; "
          f"12-month weights {dict(tot)}")
    for kind in ("email", "meeting"):
        if want and led[kind] < 20:
            bad.append(f"{name}: only {led[kind]} {kind} rows with weight > 0 in Reciprocity")
        if not want and led[kind]:
            bad.append(f"{name}: {led[kind]} {kind} rows in Reciprocity")
    for col, v in tot.items():
        if want and v <= 0:
            bad.append(f"{name}: Monthly '{col}' sums to {v}")
        if not want and v:
            bad.append(f"{name}: Monthly '{col}' sums to {v}, want 0")
# mail adds weight: given/received over 12 months grow
for key in ("given_12m", "received_12m"):
    if not k_all[key] > k_li[key]:
        bad.append(f"{key}: {k_li[key]} without mail, {k_all[key]} with")

# (b) co-recipients and co-attendees become person-person links that change the clusters
def partition(rs):
    cl = collections.defaultdict(set)
    for r in rs:
        if r[ix["Cluster"]]:
            cl[r[ix["Cluster"]]].add(r[ix["Profile URL"]] or r[ix["Email"]] or r[0])
    return {frozenset(v) for v in cl.values()}


p_all, p_li = partition(rows), partition(rows_li)
moved = len(set().union(*p_all) ^ set().union(*p_li)) if p_all and p_li else -1
same = len(p_all & p_li)
print(f"clusters {k_li['clusters']} -> {k_all['clusters']}, modularity {k_li['modularity']} -> "
      f"{k_all['modularity']}; {same} identical clusters of {len(p_li)} / {len(p_all)}")
if p_all == p_li:
    bad.append("cluster membership is the same with and without the mbox and .ics")
if k_all["modularity"] == k_li["modularity"]:
    bad.append("modularity unchanged by the mbox and .ics")

# the links themselves: two non-owner persons on one mail or meeting of the 12 months share a
# cluster more often with the mbox and .ics than without
def mail_groups():
    out = []
    for msg in mailbox.mbox(f"{S}/mail.mbox"):
        labels = {x.strip().strip('"') for x in (msg.get("X-Gmail-Labels") or "").lower().split(",")}
        if labels & {"spam", "trash", "drafts", "draft", "chat"}:  # dropped (spec §2)
            continue
        hs = msg.get_all("From", []) + msg.get_all("To", []) + msg.get_all("Cc", [])
        addrs = {a.lower() for _, a in email.utils.getaddresses([str(h) for h in hs]) if a}
        out.append(addrs - {owner_email})
    return out


def ics_events():
    text = open(f"{S}/calendar.ics", encoding="utf-8").read().replace("\r\n", "\n")
    text = text.replace("\n ", "").replace("\n\t", "")
    out = []
    for block in text.split("BEGIN:VEVENT")[1:]:
        block = block.split("END:VEVENT")[0]
        if "STATUS:CANCELLED" in block:
            continue
        who = set()
        for line in block.split("\n"):
            if line.startswith("ATTENDEE") or line.startswith("ORGANIZER"):
                params, _, value = line.partition(":mailto:")
                if not value:
                    params, _, value = line.partition(":MAILTO:")
                if "PARTSTAT=DECLINED" in params or "CUTYPE=ROOM" in params or \
                        "CUTYPE=RESOURCE" in params:
                    continue
                if value:
                    who.add(value.strip().lower())
        out.append(who - {owner_email})
    return out


mails, meetings = mail_groups(), ics_events()
by_email = collections.defaultdict(list)
for r in rows:
    for e in (r[ix["Email"]] or "").split("; "):
        if e:
            by_email[e.lower()].append(r)
mail_addrs = set().union(*mails)
ics_addrs = set().union(*meetings)
google = list(csv.DictReader(open(f"{S}/google-contacts.csv", encoding="utf-8-sig", newline="")))
g_addrs = {g[c].strip().lower() for g in google for c in ("E-mail 1 - Value", "E-mail 2 - Value")
           if g.get(c, "").strip()}

# the owner never appears as a contact, under any of their addresses
if owner_email in by_email:
    bad.append(f"the owner {owner_email} has a Contacts row: {by_email[owner_email][0][0]}")

# (d) one person per address, and a person in all four sources lists them all
missing = [a for a in sorted(mail_addrs | ics_addrs) if len(by_email[a]) != 1]
for a in missing[:10]:
    print(f"  address {a}: {len(by_email[a])} Contacts rows")
if missing:
    bad.append(f"{len(missing)} mail/calendar addresses not on exactly one Contacts row")
if k_all["persons"] != k_li["persons"]:
    bad.append(f"persons {k_li['persons']} -> {k_all['persons']}: mail/calendar persons did not "
               "merge with their contacts entries")
four = 0
for a in sorted(mail_addrs & ics_addrs & g_addrs):
    if len(by_email[a]) != 1:
        continue
    r = by_email[a][0]
    src = set(r[ix["Sources"]].split("; "))
    if not {"google-contacts", "mbox", "ical"} <= src:
        bad.append(f"{r[0]} ({a}): Sources {r[ix['Sources']]}")
    four += "linkedin/connections" in src
print(f"{len(mail_addrs)} mail and {len(ics_addrs)} calendar addresses; {four} persons in "
      "LinkedIn, Google Contacts, mail and calendar")
if four < 50:
    bad.append(f"only {four} persons in all four sources")

# co-participation pairs now share clusters
def cluster_of(rs):
    m = {}
    for r in rs:
        for e in (r[ix["Email"]] or "").split("; "):
            if e:
                m[e.lower()] = r[ix["Cluster"]]
    return m


c_all, c_li = cluster_of(rows), cluster_of(rows_li)
pairs = set()
for g in mails + meetings:
    g = sorted(g)
    if 2 <= len(g) <= 20:
        pairs.update((x, y) for i, x in enumerate(g) for y in g[i + 1:])


def together(c):
    return sum(1 for x, y in pairs if c.get(x) and c.get(x) == c.get(y))


t_all, t_li = together(c_all), together(c_li)
print(f"{len(pairs)} co-recipient/co-attendee pairs; same cluster: {t_li} without, {t_all} with")
if not t_all > t_li:
    bad.append(f"co-participants share a cluster no more often with mail ({t_all}) than "
               f"without ({t_li})")

# (c) birthdays: every Google contact with a birthday shows it; the KPI counts the birthdays
# strictly after T up to T + 30 days
bday_want = 0
checked = 0
for g in google:
    b = g["Birthday"].strip()
    e = g["E-mail 1 - Value"].strip().lower()
    if not b or not e:
        continue
    mm, dd = (int(b[5:7]), int(b[8:10])) if b[0] != "-" else (int(b[2:4]), int(b[5:7]))
    rs = by_email.get(e, [])
    if len(rs) != 1:
        bad.append(f"google contact {e}: {len(rs)} Contacts rows")
        continue
    got = rs[0][ix["Birthday"]]
    ok = (isinstance(got, datetime.datetime) and b[0] != "-" and got.strftime("%Y-%m-%d") == b) or \
         (isinstance(got, str) and b[0] == "-" and got == f"--{mm:02d}-{dd:02d}")
    checked += 1
    if not ok:
        bad.append(f"{rs[0][0]}: Birthday {got!r}, Google Contacts says {b!r}")
    nxt = datetime.datetime(T.year + ((mm, dd) <= (T.month, T.day)), mm, dd) \
        if not (mm == 2 and dd == 29) else None
    if nxt is not None and T < nxt <= T + datetime.timedelta(days=30):
        bday_want += 1
print(f"{checked} Google birthdays checked; birthdays_next_30d {k_all['birthdays_next_30d']}, "
      f"want {bday_want}")
if checked < 50:
    bad.append(f"only {checked} birthdays checked")
if k_all["birthdays_next_30d"] != bday_want or k_li["birthdays_next_30d"] != bday_want:
    bad.append(f"birthdays_next_30d {k_li['birthdays_next_30d']} / {k_all['birthdays_next_30d']}"
               f", want {bday_want}")
if bday_want == 0:
    bad.append("no birthday in the next 30 days: the check proves nothing")

# (a, per person) the ledger's e-mail and meeting counts, recomputed from the files up to T:
# a mail the owner sent is one out event per recipient, a mail to the owner one in event from
# its sender; a meeting the owner attends is one event per other participant (out when the
# owner organized it), where declined attendees, rooms and an organizer who declined are out
Tz = T.replace(tzinfo=datetime.timezone.utc)
cnt = {("email", 0): collections.Counter(), ("email", 1): collections.Counter(),
       ("meeting", 0): collections.Counter(), ("meeting", 1): collections.Counter()}
seen_ids = set()
for msg in mailbox.mbox(f"{S}/mail.mbox"):
    labels = {x.strip().strip('"') for x in (msg.get("X-Gmail-Labels") or "").lower().split(",")}
    if labels & {"spam", "trash", "drafts", "draft", "chat"} or msg.get("Message-ID") in seen_ids:
        continue
    seen_ids.add(msg.get("Message-ID"))
    if email.utils.parsedate_to_datetime(msg["Date"]) > Tz:
        continue
    frm = email.utils.getaddresses([str(x) for x in msg.get_all("From", [])])[0][1].lower()
    to = {a.lower() for _, a in email.utils.getaddresses(
        [str(x) for x in msg.get_all("To", []) + msg.get_all("Cc", [])]) if a}
    if frm == owner_email:
        cnt[("email", 0)].update(to - {owner_email})
    elif owner_email in to:
        cnt[("email", 1)][frm] += 1
text = open(f"{S}/calendar.ics", encoding="utf-8").read().replace("\r\n", "\n")
for b in text.replace("\n ", "").split("BEGIN:VEVENT")[1:]:
    lines = b.split("END:VEVENT")[0].split("\n")
    if "STATUS:CANCELLED" in lines:
        continue
    v = next(l for l in lines if l.startswith("DTSTART")).split(":", 1)[1].rstrip("Z")
    t = datetime.datetime.strptime(v, "%Y%m%dT%H%M%S" if "T" in v else "%Y%m%d")
    if t > T:
        continue
    org = next((l.rsplit(":", 1)[1].lower() for l in lines if l.startswith("ORGANIZER")), None)
    present = {org} if org else set()
    for l in lines:
        if l.startswith("ATTENDEE"):
            params, addr = l.rsplit(":", 1)[0], l.rsplit(":", 1)[1].lower()
            if "CUTYPE=ROOM" in params or "CUTYPE=RESOURCE" in params:
                continue
            if "PARTSTAT=DECLINED" in params or "PARTSTAT=DELEGATED" in params:
                present.discard(addr)
            else:
                present.add(addr)
    if owner_email in present and len(present) >= 2:
        cnt[("meeting", 0 if org == owner_email else 1)].update(present - {owner_email})
name_of, n_name = {}, collections.Counter(r[0] for r in rows)
for r in rows:
    for e in (r[ix["Email"]] or "").split("; "):
        if e:
            name_of[e.lower()] = r[0]
ledger = {}
for r in wb_all["Reciprocity"].iter_rows(min_row=2, values_only=True):
    ledger[(r[0], r[1])] = (r[4], r[5])  # Count Given, Count Received
for kind in ("email", "meeting"):
    want = collections.defaultdict(lambda: [0, 0])
    for side in (0, 1):
        for a, c in cnt[(kind, side)].items():
            want[name_of.get(a, a)][side] += c
    compared = wrong = 0
    for nm, w in want.items():
        if n_name[nm] != 1:
            continue  # the ledger is by name: only unique names compare
        compared += 1
        if tuple(ledger.get((nm, kind), (0, 0))) != tuple(w):
            wrong += 1
            if wrong <= 5:
                print(f"  {kind} {nm}: files {w}, ledger {ledger.get((nm, kind))}")
    print(f"{kind}: ledger counts of {compared} persons checked against the files, {wrong} differ")
    if wrong or compared < 50:
        bad.append(f"{kind}: {wrong} of {compared} ledger counts differ from the files")

for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
