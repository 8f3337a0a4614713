#!/usr/bin/python3
"""The Python way: the monthly measures of kith computed with pandas + networkx + matplotlib +
xlsxwriter, as a person would write them in a notebook. Used only by bench/run.sh to compare
speed with kith on the same synthetic export; it is not a second implementation to trust.

usage: bench/reference.py --out DIR LINKEDIN_FOLDER [GOOGLE_CONTACTS_CSV]
"""
import argparse
import collections
import glob
import os
import re

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

WEIGHTS = {"message": 1, "invitation": 0.5, "endorsement": 2, "recommendation": 8}
H = 180 * 86400.0


def url_key(u):
    if not isinstance(u, str) or not u:
        return None
    u = re.sub(r"^[a-z]+://", "", u.strip().lower())
    u = re.sub(r"^www\.", "", u).split("?")[0].split("#")[0].rstrip("/")
    return u or None


def read_linkedin_csv(folder, prefix, required):
    paths = sorted(p for p in glob.glob(os.path.join(folder, "*.csv"))
                   if os.path.basename(p).lower().startswith(prefix.lower()))
    if not paths:
        return pd.DataFrame()
    with open(paths[0], encoding="utf-8-sig") as f:
        lines = f.readlines()
    skip = next(i for i, l in enumerate(lines) if all(r in l for r in required))
    return pd.read_csv(paths[0], skiprows=skip, dtype=str, keep_default_na=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    folder = a.inputs[0]
    os.makedirs(a.out, exist_ok=True)

    conns = read_linkedin_csv(folder, "Connections", ["First Name", "Connected On"])
    conns["key"] = conns["URL"].map(url_key)
    conns = conns[conns["key"].notna()]
    conns["name"] = conns["First Name"] + " " + conns["Last Name"]
    conns["connected"] = pd.to_datetime(conns["Connected On"], format="%d %b %Y", utc=True)
    profile = read_linkedin_csv(folder, "Profile", ["First Name", "Headline"])

    msgs = read_linkedin_csv(folder, "messages", ["CONVERSATION ID", "FROM"])
    msgs = msgs[(msgs["FOLDER"] != "SPAM")]
    if "IS MESSAGE DRAFT" in msgs:
        msgs = msgs[msgs["IS MESSAGE DRAFT"].str.lower() != "yes"]
    msgs["t"] = pd.to_datetime(msgs["DATE"].str.replace(" UTC", ""), utc=True)
    msgs["from"] = msgs["SENDER PROFILE URL"].map(url_key)
    msgs["to"] = msgs["RECIPIENT PROFILE URLS"].map(
        lambda s: [url_key(x) for x in s.split(",") if url_key(x)])
    # the owner is the participant present in almost every conversation
    presence = collections.Counter()
    for conv, g in msgs.groupby("CONVERSATION ID"):
        people = set(g["from"]) | set(x for l in g["to"] for x in l)
        presence.update(p for p in people if p)
    owner = presence.most_common(1)[0][0]

    ev = []
    for t, frm, to in zip(msgs["t"], msgs["from"], msgs["to"]):
        if frm == owner:
            for p in to:
                if p != owner:
                    ev.append((t, "message", "out", p))
        elif owner in to:
            ev.append((t, "message", "in", frm))
    for fname, d in (("Endorsement_Received_Info", "in"), ("Endorsement_Given_Info", "out")):
        e = read_linkedin_csv(folder, fname, ["Endorsement Date"])
        if len(e):
            e = e[e["Endorsement Status"] != "REJECTED"]
            col = [c for c in e.columns if c.endswith("Public Url")][0]
            for t, u in zip(pd.to_datetime(e["Endorsement Date"].str.replace(" UTC", ""),
                                           format="%Y/%m/%d %H:%M:%S", utc=True), e[col]):
                ev.append((t, "endorsement", d, url_key(u)))
    inv = read_linkedin_csv(folder, "Invitations", ["Direction"])
    if len(inv):
        for r in inv.itertuples():
            t = pd.to_datetime(r._3, format="%m/%d/%y, %I:%M %p", utc=True)
            out = r.Direction == "OUTGOING"
            ev.append((t, "invitation", "out" if out else "in",
                       url_key(r.inviteeProfileUrl if out else r.inviterProfileUrl)))
    events = pd.DataFrame(ev, columns=["t", "kind", "dir", "person"])
    events["w"] = events["kind"].map(WEIGHTS)

    # T: the last second of the last complete month before the latest timestamp
    latest = events["t"].max()
    T = (latest.to_period("M").to_timestamp(how="start").tz_localize("UTC") - pd.Timedelta(seconds=1))
    events = events[events["t"] <= T]
    ts = T.timestamp()
    events["age"] = ts - events["t"].map(pd.Timestamp.timestamp)
    events["decayed"] = events["w"] * np.power(2.0, -events["age"] / H)
    last12 = events[events["age"] <= 365 * 86400]

    people = pd.DataFrame({"person": pd.unique(pd.concat([conns["key"], events["person"]]).dropna())})
    g = events.groupby(["person", "dir"])["w"].sum().unstack(fill_value=0)
    people = people.merge(g, left_on="person", right_index=True, how="left").fillna(0)
    people["given"], people["received"] = people.get("out", 0), people.get("in", 0)
    tot = people["given"] + people["received"]
    people["balance"] = np.where(tot > 0, (people["given"] - people["received"]) / tot.replace(0, 1), np.nan)
    people["strength"] = people["person"].map(events.groupby("person")["decayed"].sum()).fillna(0)
    last = events.groupby("person")["t"].max()
    people["silent_days"] = (T - people["person"].map(last)).dt.total_seconds() / 86400

    def peak_and_gap(grp):
        s, prev, peak = 0.0, None, 0.0
        for t, w in zip(grp["t"].map(pd.Timestamp.timestamp), grp["w"]):
            s = (s * 2 ** (-(t - prev) / H) if prev is not None else 0) + w
            prev, peak = t, max(peak, s)
        days = sorted(set(grp["t"].dt.floor("D")))
        gap = np.median(np.diff([d.timestamp() / 86400 for d in days])) if len(days) >= 3 else np.nan
        return pd.Series({"peak": peak, "gap": gap})
    pg = events.sort_values("t").groupby("person").apply(peak_and_gap)
    people = people.merge(pg, left_on="person", right_index=True, how="left")

    def status(r):
        if np.isnan(r.silent_days):
            return "latent"
        dorm = max(8 * r.gap, 90) if not np.isnan(r.gap) else 365
        fade = max(3 * r.gap, 45) if not np.isnan(r.gap) else 180
        if r.silent_days > dorm and r.peak >= 2:
            return "dormant"
        if r.silent_days > 365 and r.peak < 2:
            return "cold"
        return "fading" if r.silent_days > fade else "active"
    people["status"] = people.apply(status, axis=1)
    people = people.sort_values(["strength"], ascending=False)
    people["layer"] = pd.cut(np.arange(1, len(people) + 1), [0, 5, 15, 50, 150, 10**9], labels=[1, 2, 3, 4, 5])

    # person–person graph: group threads + same employer
    G = nx.Graph()
    for conv, grp in msgs[msgs["t"] <= T].groupby("CONVERSATION ID"):
        ps = sorted((set(grp["from"]) | set(x for l in grp["to"] for x in l)) - {owner, None})
        if 2 <= len(ps) <= 20:
            for i in range(len(ps)):
                for j in range(i + 1, len(ps)):
                    w = G.get_edge_data(ps[i], ps[j], {"weight": 0})["weight"]
                    G.add_edge(ps[i], ps[j], weight=w + 1 / (len(ps) - 1))
    # kith's employer rule at scale (include/kith/graph.h): the clique for up to 64 persons,
    # above that random cycles through the members (seeded shuffles): 16 of weight 0.5/32 up
    # to 256 persons, 4 of weight 0.5/8 above
    rng = np.random.default_rng(7)
    for comp, grp in conns[conns["Company"].str.strip() != ""].groupby(conns["Company"].str.lower()):
        ks = sorted(set(grp["key"]))
        k = len(ks)
        if k <= 64:
            pairs = [(ks[i], ks[j], 0.5 / (k - 1)) for i in range(k) for j in range(i + 1, k)]
        else:
            pairs = []
            d = 32 if k <= 256 else 8
            for _ in range(d // 2):
                ks = [ks[i] for i in rng.permutation(k)]
                pairs += [(ks[i], ks[(i + 1) % k], 0.5 / d) for i in range(k)]
        for u, v, w0 in pairs:
            w = G.get_edge_data(u, v, {"weight": 0})["weight"]
            G.add_edge(u, v, weight=w + w0)
    comms = nx.community.louvain_communities(G, weight="weight", seed=42) if len(G) else []
    modularity = nx.community.modularity(G, comms, weight="weight") if len(G) else float("nan")
    for u, v, d in G.edges(data=True):
        d["distance"] = 1 / d["weight"]
    # kith's rule: exact betweenness up to V x (E + 5 V) = 1e7, else 1e7 / (E + 5 V) (at
    # least 8) sampled pivots
    search = G.number_of_edges() + 5 * len(G)
    k = None if len(G) * search <= 1e7 else min(len(G), max(8, int(1e7 / search)))
    btw = nx.betweenness_centrality(G, k=k, weight="distance", normalized=False, seed=42)
    E = nx.Graph()
    for r in people.itertuples():
        E.add_edge(owner, r.person, weight=max(r.strength, 0.1))
    E.add_edges_from((u, v, d) for u, v, d in G.edges(data=True) if u in E and v in E)
    # Burt's constraint and effective size of the owner (networkx's formulas, undirected):
    # nx.constraint / nx.effective_size recompute each neighbour's total per term and take
    # hours for an owner with thousands of contacts, so the same sums are taken edge by edge.
    strength = dict(E.degree(weight="weight"))
    maxw = {u: max(d["weight"] for d in E[u].values()) for u in E}
    total = strength[owner]
    acc = {j: E[owner][j]["weight"] / total for j in E[owner]}
    redundancy = 0.0
    for u, v, dd in E.edges(data=True):
        if owner in (u, v):
            continue
        w = dd["weight"]
        acc[v] += E[owner][u]["weight"] / total * w / strength[u]
        acc[u] += E[owner][v]["weight"] / total * w / strength[v]
        redundancy += E[owner][v]["weight"] / total * w / maxw[u] + E[owner][u]["weight"] / total * w / maxw[v]
    constraint = sum(x * x for x in acc.values())
    eff = E.degree(owner) - redundancy
    people["betweenness"] = people["person"].map(btw).fillna(0)

    with pd.ExcelWriter(os.path.join(a.out, "reference.xlsx"), engine="xlsxwriter") as xw:
        pd.DataFrame({"kpi": ["persons", "dormant", "fading", "modularity", "constraint", "effective_size"],
                      "value": [len(people), (people.status == "dormant").sum(), (people.status == "fading").sum(),
                                modularity, constraint, eff]}).to_excel(xw, "Summary", index=False)
        people.to_excel(xw, "Contacts", index=False)
    months = events[events["age"] <= 365 * 86400].groupby([events["t"].dt.strftime("%Y-%m"), "dir"])["w"].sum().unstack(fill_value=0)
    months.plot(kind="bar", stacked=True, figsize=(8, 5))
    plt.savefig(os.path.join(a.out, "activity.png"), dpi=200)
    print(len(people), "persons,", len(events), "events, modularity", round(modularity, 3))


if __name__ == "__main__":
    main()
