#!/usr/bin/env python3
"""Breaking news as wire services send it, made from a feed of whole articles.

    tools/flash_feed.py ARTICLES.ndjson [--headlines LABELS.tsv LABELS_OUT.tsv] > FEED.ndjson

Default: each article preceded by its flash: the same item (uri, source, times, ...) with an empty
body, as AP and Reuters send breaking news (the body follows as a new version of the item, which
is what the article then is). An article without a headline has no flash. Score `wirefeed process FEED.ndjson` with tools/cluster_score.py and
the corpus's own labels.

--headlines: the articles as they are, then each one's headline alone again under a new uri
("hl:" + uri): items that never get a body. LABELS_OUT.tsv gets the corpus's labels plus the
same event for each such item, for tools/cluster_score.py.
"""
import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles")
    parser.add_argument("--headlines", nargs=2, metavar=("LABELS", "LABELS_OUT"))
    args = parser.parse_args()
    with open(args.articles, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    out = sys.stdout
    if not args.headlines:
        for a in articles:
            if a.get("headline"):
                out.write(json.dumps(dict(a, body="")) + "\n")
            out.write(json.dumps(a) + "\n")
        return
    for a in articles:
        out.write(json.dumps(a) + "\n")
    for a in articles:
        if a.get("headline"):
            out.write(json.dumps(dict(a, uri="hl:" + a["uri"], body="")) + "\n")
    labels_in, labels_out = args.headlines
    with open(labels_in, encoding="utf-8") as f, open(labels_out, "w", encoding="utf-8") as w:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            w.write(line if line.endswith("\n") else line + "\n")
            if len(parts) == 2 and parts != ["uri", "event"]:
                w.write(f"hl:{parts[0]}\t{parts[1]}\n")


if __name__ == "__main__":
    main()
