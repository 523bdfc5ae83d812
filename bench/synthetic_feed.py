#!/usr/bin/env python3
"""Writes N synthetic NDJSON articles that all tell the sample feed's story: bodies of 2-4 KB made
of the feed's paragraphs in random order (sentences shuffled in half of them), six sources, one
minute apart. Most land in a few big stories: the costly case for the cluster stage.

    bench/synthetic_feed.py 2000 > /tmp/big.ndjson
    build/daemon/wirefeed process /tmp/big.ndjson --stories /tmp/big.stories > /tmp/big.out
"""
import json
import os
import random
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
feed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "feed")
paragraphs, headlines = [], []
for name in sorted(os.listdir(feed)):
    if name.endswith(".txt"):
        with open(os.path.join(feed, name), encoding="utf-8") as f:
            lines = [line.strip() for line in f if line.strip()]
        headlines.append(lines[0][:120])
        paragraphs += [line for line in lines if len(line) >= 60]

rng = random.Random(1)
for i in range(count):
    parts, size, target = [], 0, rng.randint(2000, 4000)
    while size < target:
        p = rng.choice(paragraphs)
        if rng.random() < 0.5:
            sentences = p.rstrip(".").split(". ")
            rng.shuffle(sentences)
            p = ". ".join(sentences) + "."
        parts.append(p)
        size += len(p) + 2
    print(json.dumps({
        "uri": "urn:b:%d" % i,
        "headline": rng.choice(headlines),
        "body": "\n\n".join(parts)[: target - 400],
        "versioncreated": "2022-02-07T%02d:%02d:00Z" % (i // 60 % 24, i % 60),
        "source": rng.choice(["AP", "Reuters", "AFP", "dpa", "EWN", "UPI"]),
        "language": "en",
    }))
