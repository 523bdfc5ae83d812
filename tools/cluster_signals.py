#!/usr/bin/env python3
"""Session 21's measurements of the name anchors and two signals tried against ECB+ (evaluation only).

    tools/cluster_signals.py fixtures
        name-anchor overlap of tests/data/cluster/*.txt with the sample story (samples/feed)
    tools/cluster_signals.py pairs ARTICLES LABELS
        how often pairs of ECB+ articles pass the cross-language rule (>= 6 shared anchors, at
        least half of the fewer): same event, the topic's other event, other topics
    tools/cluster_signals.py subject ARTICLES LABELS --enriched OUT      # needs numpy, scipy
    tools/cluster_signals.py anchor-penalty ARTICLES LABELS --enriched OUT
        tools/cluster_ceiling.py's single pass (figure penalty 0.9) with the article's subject
        person, or a story's coverage of the article's anchors, held against a story

`name_anchors` here re-implements pipeline/name_anchors.cc in Python (capitalised words not
opening a sentence, folded, accents dropped; numbers of two digits or more without thousands
separators); the C++ one is what the daemon runs, and tests/unit/pipeline/name_anchors_test.cc
pins it. OUT is `wirefeed process ARTICLES` output.
"""
import argparse
import collections
import glob
import json
import os
import random
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from cluster_score import bcubed, read_labels  # noqa: E402


def fold(word):
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def name_anchors(text):
    out = set()
    for m in re.finditer(r"\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+(?!\d)|\d+", text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) >= 2:
            out.add("#" + digits)
    for m in re.finditer(r"[^\W\d_]+", text):
        word = m.group()
        if len(word) < 3 or not (word[0].isupper() or word[0].istitle()):
            continue
        before = re.sub(r"[^\w.!?:\n]+$", "", text[:m.start()])
        if before == "" or before[-1] in ".!?:\n":
            continue
        out.add(fold(word))
    return out


def article_anchors(a):
    return name_anchors(a.get("headline", "")) | name_anchors(a.get("body", ""))


def passes(x, y):
    shared = len(x & y)
    return shared >= 6 and shared >= 0.5 * min(len(x), len(y))


def cmd_fixtures(_):
    counts = collections.Counter()
    for p in sorted(glob.glob(os.path.join(ROOT, "samples/feed/*.txt"))):
        counts.update(name_anchors(open(p, encoding="utf-8").read()))
    story = {k for k, _ in counts.most_common(128)}
    for p in sorted(glob.glob(os.path.join(ROOT, "tests/data/cluster/*.txt"))):
        a = name_anchors(open(p, encoding="utf-8").read())
        shared = len(a & story)
        print(f"{os.path.basename(p):28} anchors {len(a):3}  shared with the story {shared:3}  "
              f"overlap {shared / min(len(a), len(story)):.2f}  joins {passes(a, story)}")


def load(args):
    gold = read_labels(args.labels)
    with open(args.articles, encoding="utf-8") as f:
        articles = [a for a in (json.loads(line) for line in f if line.strip()) if a["uri"] in gold]
    return gold, articles


def cmd_pairs(args):
    gold, articles = load(args)
    anchors = {a["uri"]: article_anchors(a) for a in articles}
    uris = [a["uri"] for a in articles]
    rng = random.Random(1)
    tally = {k: [0, 0] for k in ("same event", "the topic's other event", "other topics")}
    for u in uris:
        for v in rng.sample(uris, 60):
            if v == u:
                continue
            kind = ("same event" if gold[v] == gold[u] else
                    "the topic's other event" if gold[v].split("_")[0] == gold[u].split("_")[0] else "other topics")
            tally[kind][0] += passes(anchors[u], anchors[v])
            tally[kind][1] += 1
    for kind, (hit, n) in tally.items():
        print(f"{kind:24} {hit:6} of {n:6} pairs pass ({hit / n:.3f})")


def single_pass_with(args, factor_of):
    import numpy as np
    from cluster_ceiling import counted_figures, figure_factor, vectors
    gold, articles = load(args)
    with open(args.enriched, encoding="utf-8") as f:
        enriched = {e["uri"]: e for e in (json.loads(line) for line in f if line.strip())}
    uris = [a["uri"] for a in articles]
    m = vectors(articles)
    figures = [counted_figures(enriched[u]) for u in uris]
    sums, cluster_figures, state, assign = [], [], [], []
    for i, v in enumerate(m):
        best, best_sim = -1, 0.0
        for k, s in enumerate(sums):
            sim = float(v @ s) / (np.linalg.norm(s) or 1) * figure_factor(figures[i], cluster_figures[k], 0.9)
            if sim >= args.threshold:
                sim *= factor_of(i, state[k])
            if sim > best_sim:
                best, best_sim = k, sim
        if best_sim < args.threshold:
            sums.append(v.copy())
            cluster_figures.append(set())
            state.append({"members": 0, "counts": collections.Counter()})
            best = len(sums) - 1
        else:
            sums[best] = sums[best] + v
        cluster_figures[best] |= figures[i]
        assign.append(best)
        yield i, articles[i], enriched[uris[i]], state[best]
    p, r, f = bcubed({u: str(c) for u, c in zip(uris, assign)}, gold)
    print(f"BCubed P {p:.3f} R {r:.3f} F1 {f:.3f}  clusters {len(sums)}")


def subject(article, enriched, min_mentions):
    """The person the article is about: most mentions, a headline mention counting three more."""
    headline = set(re.findall(r"[a-z]+", article.get("headline", "").lower()))
    best = None
    for e in enriched.get("wirefeed", {}).get("entities") or []:
        if e["kind"] == "person":
            last = e["name"].lower().split()[-1]
            n = len(e["mentions"]) + (3 if last in headline else 0)
            if best is None or n > best[0]:
                best = (n, last)
    return best[1] if best and best[0] >= min_mentions else None


def cmd_subject(args):
    gold, articles = load(args)
    with open(args.enriched, encoding="utf-8") as f:
        enriched = {e["uri"]: e for e in (json.loads(line) for line in f if line.strip())}
    subjects = [subject(a, enriched[a["uri"]], args.min_mentions) for a in articles]

    def factor(i, st):
        counts = st["counts"]
        if not subjects[i] or not counts or subjects[i] in counts:
            return 1.0
        return args.factor if counts.most_common(1)[0][1] / sum(counts.values()) >= 0.5 else 1.0

    for i, _, _, st in single_pass_with(args, factor):
        if subjects[i]:
            st["counts"][subjects[i]] += 1


def cmd_anchor_penalty(args):
    gold, articles = load(args)
    anchors = [article_anchors(a) for a in articles]

    def factor(i, st):
        a = anchors[i]
        if len(a) < 6 or st["members"] < args.min_members:
            return 1.0
        return args.factor if len(a & st["counts"].keys()) / len(a) < args.coverage else 1.0

    for i, _, _, st in single_pass_with(args, factor):
        st["counts"].update(anchors[i])
        st["members"] += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("fixtures").set_defaults(run=cmd_fixtures)
    for name, run in (("pairs", cmd_pairs), ("subject", cmd_subject), ("anchor-penalty", cmd_anchor_penalty)):
        p = sub.add_parser(name)
        p.add_argument("articles")
        p.add_argument("labels")
        p.set_defaults(run=run)
        if name != "pairs":
            p.add_argument("--enriched", required=True)
            p.add_argument("--threshold", type=float, default=0.2)
            p.add_argument("--factor", type=float, default=0.7)
        if name == "subject":
            p.add_argument("--min-mentions", type=int, default=4)
        if name == "anchor-penalty":
            p.add_argument("--coverage", type=float, default=0.5)
            p.add_argument("--min-members", type=int, default=5)
    args = ap.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
