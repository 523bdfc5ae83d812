#!/usr/bin/env python3
"""How far bag-of-words clustering can go on a labelled corpus, without wirefeed.

    tools/cluster_ceiling.py ARTICLES.ndjson LABELS.tsv     # needs numpy and scipy (pip)

Evaluation only (never in the daemon's path). TF-IDF over headline and body words, with the IDF
of the whole corpus (an oracle: wirefeed learns it online), then for a sweep of thresholds:
  - single pass: each article, in file order, joins the most similar centroid or starts a cluster
    (the plain baseline the issue quotes);
  - average-link and complete-link agglomerative clustering of all articles at once (offline,
    sees the whole corpus: an upper bound for what this representation can separate).
Prints the BCubed precision / recall / F1 and the cluster count of each, and the best F1 of each
method. On ECB+ the best of every method stays near 0.86-0.87: the two events of a topic share
their vocabulary, and what tells them apart is when they happened (docs/clustering.md).

    tools/cluster_ceiling.py ARTICLES LABELS --enriched OUT.ndjson --date-gate-days 30

adds a single pass gated by event dates: an article's date is the first full date (YYYY-MM-DD,
not relative) the extract stage found in its text (`wirefeed.dates` of `wirefeed process` output,
OUT.ndjson), `--month-dates` also takes YYYY-MM; an article never joins a cluster that has dated
members none of which is within the given days of it (undated articles and clusters: no gate).

    tools/cluster_ceiling.py ARTICLES LABELS --enriched OUT.ndjson --figure-penalty 0.9

adds a single pass where figures count against a cluster: of the article's counted figures
(`wirefeed.figures` with a counted noun, value at least 2), those whose noun and unit the
cluster's members reported too either agree (the same value was reported) or conflict; the
similarity is multiplied by the penalty once per conflict in excess of the agreements.

Further single passes tried in session 10 (each with figure penalty 0.9, the stage's; all need
--enriched):
  --person-penalty P     the similarity (at or above the threshold) times P when the article's
                         headline names a person (the last word of a person entity) no member of
                         the cluster mentions, and the cluster's headlines name persons of whom
                         the article mentions none ("Saints place Bush on injured reserve"
                         against a cluster about Pierre Thomas);
  --lead-date-chars N    the date gate (--date-gate-days) on dates within the first N characters
                         of the text only: a publication line ("Posted on January 5, 2011"),
                         not background dates in the body;
  --merge-threshold T    after each join, the cluster absorbs any other cluster (of those the
                         article was scored against at 0.1 or more) whose centroid is within
                         cosine T of its own, as the stage's merge step does at 0.6.
"""
import argparse
import collections
import datetime
import json
import math
import re

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from cluster_score import bcubed, read_labels

STOP = set("the a an and or of to in on for with at by from is was were be been are has have had it its this "
           "that as he she they his her their but not said says will would after over more than who which what "
           "when about into up out new also one two".split())


def words(text):
    return [w for w in re.findall(r"[a-z0-9']+", text.lower()) if len(w) > 2 and w not in STOP]


def vectors(articles):
    counts = []
    for a in articles:
        c = collections.Counter(words(a.get("body", "")))
        c.update(words(a.get("headline", "")) * 3)  # headline words count three times, as wirefeed's
        counts.append(c)
    df = collections.Counter()
    for c in counts:
        df.update(c.keys())
    vocab = {w: i for i, w in enumerate(df)}
    m = np.zeros((len(articles), len(vocab)))
    for i, c in enumerate(counts):
        for w, n in c.items():
            m[i, vocab[w]] = (1 + math.log(n)) * math.log(len(articles) / df[w])
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms > 0, norms, 1)


def event_date(enriched, month_dates, lead_chars=None):
    """The first full (or, with month_dates, year-month) non-relative date in wirefeed.dates,
    with lead_chars only one that starts within the text's first lead_chars characters."""
    for d in enriched.get("wirefeed", {}).get("dates") or []:
        v = d.get("value") or ""
        if d.get("relative") or not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", v[:10]):
            continue
        if lead_chars is not None and d["span"][0] >= lead_chars:
            continue
        try:
            if len(v) >= 10:
                return datetime.date(int(v[:4]), int(v[5:7]), int(v[8:10]))
            if month_dates:
                return datetime.date(int(v[:4]), int(v[5:7]), 15)
        except ValueError:
            continue
    return None


def counted_figures(enriched):
    """{(counted noun's last word, singular; unit; value)} of the figures wirefeed found."""
    out = set()
    for f in enriched.get("wirefeed", {}).get("figures") or []:
        if not f.get("counted") or f.get("value") is None or f["value"] < 2:
            continue
        noun = f["counted"].split()[-1].lower()
        if len(noun) > 3 and noun.endswith("s") and not noun.endswith("ss"):
            noun = noun[:-1]
        out.add((noun, f.get("unit", ""), f["value"]))
    return out


def persons(article, enriched):
    """(last words of the person entities, those of them the headline holds), lower case."""
    headline = set(re.findall(r"[a-z]+", article.get("headline", "").lower()))
    named = set()
    for e in enriched.get("wirefeed", {}).get("entities") or []:
        if e["kind"] == "person":
            named.add(e["name"].lower().split()[-1])
    return named, named & headline


def figure_factor(figures, reported_by_cluster, penalty):
    agree = conflict = 0
    for noun, unit, value in figures:
        reported = [x for (n, u, x) in reported_by_cluster if n == noun and u == unit]
        if reported:
            agree += value in reported
            conflict += value not in reported
    return penalty ** max(0, conflict - agree)


def single_pass(m, threshold, dates=None, gap_days=None, figures=None, penalty=1.0, people=None,
                person_penalty=1.0, merge_threshold=None):
    sums, assign, cluster_dates, cluster_figures = [], [], [], []
    cluster_named, cluster_headlined, absorbed_by = [], [], {}
    for i, v in enumerate(m):
        d = dates[i] if dates else None
        best, best_sim, scored = -1, 0.0, []
        for k, s in enumerate(sums):
            if k in absorbed_by:
                continue
            if d and cluster_dates[k] and min(abs((d - x).days) for x in cluster_dates[k]) > gap_days:
                continue
            sim = float(v @ s) / (np.linalg.norm(s) or 1)
            if figures:
                sim *= figure_factor(figures[i], cluster_figures[k], penalty)
            if people and sim >= threshold:
                named, headlined = people[i]
                if headlined and not headlined & cluster_named[k] and cluster_headlined[k] and not cluster_headlined[k] & named:
                    sim *= person_penalty
            scored.append((sim, k))
            if sim > best_sim:
                best, best_sim = k, sim
        if best_sim >= threshold:
            sums[best] = sums[best] + v
        else:
            sums.append(v.copy())
            cluster_dates.append([])
            cluster_figures.append(set())
            cluster_named.append(set())
            cluster_headlined.append(set())
            best = len(sums) - 1
        if d:
            cluster_dates[best].append(d)
        if figures:
            cluster_figures[best] |= figures[i]
        if people:
            cluster_named[best] |= people[i][0]
            cluster_headlined[best] |= people[i][1]
        if merge_threshold is not None:
            for sim, k in sorted(scored, reverse=True):
                if k == best or k in absorbed_by or sim < 0.1:
                    continue
                if float(sums[best] @ sums[k]) / (np.linalg.norm(sums[best]) * np.linalg.norm(sums[k]) or 1) < merge_threshold:
                    continue
                keep, gone = min(k, best), max(k, best)
                sums[keep] = sums[keep] + sums[gone]
                cluster_dates[keep] += cluster_dates[gone]
                cluster_figures[keep] |= cluster_figures[gone]
                cluster_named[keep] |= cluster_named[gone]
                cluster_headlined[keep] |= cluster_headlined[gone]
                absorbed_by[gone] = keep
                best = keep
        assign.append(best)

    def final(k):
        while k in absorbed_by:
            k = absorbed_by[k]
        return k

    return [final(k) for k in assign]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles")
    ap.add_argument("labels")
    ap.add_argument("--enriched", help="wirefeed process output of ARTICLES (for --date-gate-days)")
    ap.add_argument("--date-gate-days", type=int, help="also run the single pass gated by event dates")
    ap.add_argument("--month-dates", action="store_true", help="event dates may be year-month only")
    ap.add_argument("--figure-penalty", type=float, help="also run the single pass with conflicting figures as a penalty")
    ap.add_argument("--person-penalty", type=float, help="also run it with conflicting headline persons as a penalty")
    ap.add_argument("--lead-date-chars", type=int, help="the date gate on dates in the text's first N characters only")
    ap.add_argument("--merge-threshold", type=float, help="also run it with clusters merging at this centroid cosine")
    args = ap.parse_args()
    gold = read_labels(args.labels)
    with open(args.articles, encoding="utf-8") as f:
        articles = [a for a in (json.loads(line) for line in f if line.strip()) if a["uri"] in gold]
    uris = [a["uri"] for a in articles]
    m = vectors(articles)
    distances = squareform(np.clip(1 - m @ m.T, 0, 2), checks=False)
    runs = {"single pass": [(t, single_pass(m, t)) for t in (0.1, 0.15, 0.2, 0.25, 0.3)]}
    extra = (args.date_gate_days, args.figure_penalty, args.person_penalty, args.merge_threshold)
    if any(x is not None for x in extra) and not args.enriched:
        ap.error("--date-gate-days, --figure-penalty, --person-penalty and --merge-threshold need --enriched")
    if args.lead_date_chars is not None and args.date_gate_days is None:
        ap.error("--lead-date-chars goes with --date-gate-days")
    enriched = {}
    if args.enriched:
        with open(args.enriched, encoding="utf-8") as f:
            enriched = {e["uri"]: e for e in (json.loads(line) for line in f if line.strip())}
    figures = [counted_figures(enriched.get(u, {})) for u in uris] if enriched else None
    if args.date_gate_days is not None:
        dates = [event_date(enriched.get(u, {}), args.month_dates, args.lead_date_chars) for u in uris]
        if args.lead_date_chars is None:
            runs["date-gated"] = [(t, single_pass(m, t, dates, args.date_gate_days)) for t in (0.15, 0.2, 0.25)]
        else:
            runs["lead-dated"] = [(t, single_pass(m, t, dates, args.date_gate_days, figures, 0.9)) for t in (0.15, 0.2, 0.25)]
    if args.figure_penalty is not None:
        runs["figures"] = [(t, single_pass(m, t, figures=figures, penalty=args.figure_penalty)) for t in (0.15, 0.2, 0.25)]
    if args.person_penalty is not None:
        people = [persons(a, enriched.get(a["uri"], {})) for a in articles]
        runs["persons"] = [(t, single_pass(m, t, figures=figures, penalty=0.9, people=people, person_penalty=args.person_penalty))
                           for t in (0.15, 0.2, 0.25)]
    if args.merge_threshold is not None:
        runs["merging"] = [(t, single_pass(m, t, figures=figures, penalty=0.9, merge_threshold=args.merge_threshold))
                           for t in (0.15, 0.2, 0.25)]
    for method in ("average", "complete"):
        z = linkage(distances, method)
        runs[method + "-link"] = [(1 - t, list(fcluster(z, t, "distance"))) for t in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95)]
    for name, results in runs.items():
        best = 0.0
        for similarity, assign in results:
            p, r, f = bcubed({u: str(c) for u, c in zip(uris, assign)}, gold)
            best = max(best, f)
            print(f"{name:12} similarity >= {similarity:.2f}  BCubed P {p:.3f} R {r:.3f} F1 {f:.3f}  clusters {len(set(assign))}")
        print(f"{name:12} best BCubed F1 {best:.3f}")


if __name__ == "__main__":
    main()
