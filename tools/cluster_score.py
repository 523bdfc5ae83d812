#!/usr/bin/env python3
"""Scores wirefeed's story clustering against gold event labels.

    tools/cluster_score.py LABELS.tsv ENRICHED.ndjson [--stories STORIES.ndjson]

LABELS.tsv: `uri<TAB>event` lines (a header line `uri<TAB>event` is skipped).
ENRICHED.ndjson: `wirefeed process` output; each article's `wirefeed.story.id` is its cluster.
--stories: the story updates (`wirefeed process --stories`); a merge redirect
({"id": a, "merged_into": b}) sends every article of a to b's final story.
Articles missing from the output count as singletons (so losing articles costs recall).

Prints pairwise, BCubed precision/recall/F1 and NMI, one metric per line.
"""
import argparse
import collections
import json
import math
import sys


def read_labels(path):
    gold = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2 or parts == ["uri", "event"]:
                continue
            gold[parts[0]] = parts[1]
    return gold


def read_clusters(path, redirects):
    predicted = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            article = json.loads(line)
            story = (article.get("wirefeed", {}).get("story") or {}).get("id")
            predicted[article["uri"]] = story
    def final(story):
        seen = set()
        while story in redirects and story not in seen:
            seen.add(story)
            story = redirects[story]
        return story
    return {uri: final(story) for uri, story in predicted.items()}


def read_redirects(path):
    redirects = {}
    if not path:
        return redirects
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                update = json.loads(line)
                if "merged_into" in update:
                    redirects[update["id"]] = update["merged_into"]
    return redirects


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(pred, gold):
    def pairs(labels):
        groups = collections.defaultdict(list)
        for uri, label in labels.items():
            groups[label].append(uri)
        return sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
    both = collections.Counter((pred[u], gold[u]) for u in gold)
    tp = sum(n * (n - 1) // 2 for n in both.values())
    pp, gp = pairs(pred), pairs(gold)
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    return p, r, f1(p, r)


def bcubed(pred, gold):
    by_pred = collections.Counter(pred[u] for u in gold)
    by_gold = collections.Counter(gold.values())
    both = collections.Counter((pred[u], gold[u]) for u in gold)
    p = sum(both[(pred[u], gold[u])] / by_pred[pred[u]] for u in gold) / len(gold)
    r = sum(both[(pred[u], gold[u])] / by_gold[gold[u]] for u in gold) / len(gold)
    return p, r, f1(p, r)


def nmi(pred, gold):
    n = len(gold)
    by_pred = collections.Counter(pred[u] for u in gold)
    by_gold = collections.Counter(gold.values())
    both = collections.Counter((pred[u], gold[u]) for u in gold)
    mutual = sum(c / n * math.log(c * n / (by_pred[a] * by_gold[b])) for (a, b), c in both.items())
    h_pred = -sum(c / n * math.log(c / n) for c in by_pred.values())
    h_gold = -sum(c / n * math.log(c / n) for c in by_gold.values())
    return mutual / math.sqrt(h_pred * h_gold) if h_pred > 0 and h_gold > 0 else 1.0


def score(gold, predicted):
    """Returns {metric: value}; unlabelled output articles are ignored."""
    pred = {}
    for uri in gold:
        story = predicted.get(uri)
        pred[uri] = story if story is not None else "missing:" + uri
    out = {}
    out["pairwise_precision"], out["pairwise_recall"], out["pairwise_f1"] = pairwise(pred, gold)
    out["bcubed_precision"], out["bcubed_recall"], out["bcubed_f1"] = bcubed(pred, gold)
    out["nmi"] = nmi(pred, gold)
    out["articles"] = len(gold)
    out["missing"] = sum(1 for u in gold if predicted.get(u) is None)
    out["gold_events"] = len(set(gold.values()))
    out["stories"] = len(set(pred.values()))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels")
    parser.add_argument("enriched")
    parser.add_argument("--stories", help="story updates (for merge redirects)")
    args = parser.parse_args()
    gold = read_labels(args.labels)
    if not gold:
        sys.exit("no labels in " + args.labels)
    result = score(gold, read_clusters(args.enriched, read_redirects(args.stories)))
    for key, value in result.items():
        print(f"{key:20s} {value:.4f}" if isinstance(value, float) else f"{key:20s} {value}")


if __name__ == "__main__":
    main()
