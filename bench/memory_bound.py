#!/usr/bin/env python3
"""The whole chain's memory against the stream's length (issue #5: memory stays bounded whatever
the stream length).

Runs `wirefeed process` over the first N articles of a generated feed, for growing N, each in a
process of its own, and prints the peak resident set of each. The feed is the worst case for
what the chain keeps: every article from a source of its own (the boilerplate learner keeps lines
per source), with a copyright line of that source, and words drawn from a 50,000-word vocabulary
of made-up words (the keyword ranker and the document frequencies see new terms all the time;
almost every article opens a story of its own, so the live-story cap evicts all the time). With
live stories capped (cluster.max_live_stories) and every learned table capped, the peak must
level off as N grows.

Usage: bench/memory_bound.py [--build-dir DIR] [--max-live-stories K] [--set KEY=VALUE ...] [N ...]
       (default: <repo>/build, 256, 15000 30000 60000 120000)

       bench/memory_bound.py --hostile [--build-dir DIR]

The peak resident set of `wirefeed process` over one article each of the shapes that cost most
per character, at the largest body the default configuration takes (pipeline.max_body_chars,
200,000 characters): runs of punctuation, one sentence without end, an unbroken word, tens of
thousands of one-line paragraphs, a long real article; and a short article as the baseline.
"""
import argparse
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_feed(path, count, seed=7):
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9))) for _ in range(50000)]
    with open(path, "w") as out:
        for i in range(count):
            source = f"Source{i}"
            paragraphs = [
                " ".join(rng.choice(vocabulary).capitalize() if k % 7 == 0 else rng.choice(vocabulary) for k in range(40)) + "."
                for _ in range(4)
            ]
            paragraphs.append(f"Copyright {source} 2022. All rights reserved.")
            out.write(json.dumps({
                "uri": f"urn:memory-bound:{i}",
                "source": source,
                "headline": " ".join(rng.choice(vocabulary) for _ in range(8)),
                "body": "\n\n".join(paragraphs),
                "versioncreated": "2022-02-07T10:00:00Z",
            }) + "\n")


def peak_rss_mb(command):
    """Runs the command in a child and returns (peak RSS in MB, seconds). A fresh Python child
    waits for it, so RUSAGE_CHILDREN holds that one process's peak alone."""
    waiter = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", waiter, *command], check=True, capture_output=True, text=True)
    return int(result.stdout.strip()) / 1024, time.monotonic() - start


def hostile_bodies(chars=199990):
    """(name, body) of at most `chars` characters each."""
    with open(os.path.join(ROOT, "samples", "feed", "001_8b121821801e8273.txt"), encoding="utf-8") as f:
        prose = f.read()
    fill = lambda unit: (unit * (chars // len(unit) + 1))[:chars]
    return [
        ("short article (baseline)", prose[:2000]),
        ("'. ' repeated", fill(". ")),
        ("', ' repeated", fill(", ")),
        ("'word ' repeated: one sentence", fill("word ")),
        ("'Alpha Beta. ' repeated", fill("Alpha Beta. ")),
        ("one unbroken word", "x" * chars),
        ("'a\\n' repeated: one-line paragraphs", fill("a\n")),
        ("a real article, repeated", fill(prose + "\n\n")),
        ("a figure sentence, repeated", fill("100,000 troops and $500 million. ")),
        ("a quote sentence, repeated", fill('"We will not back down," said John Smith. ')),
    ]


def run_hostile(wirefeed, work):
    print("wirefeed process, one article of at most 200,000 characters (pipeline.max_body_chars)")
    print(f"{'body':<38} | {'peak RSS (MB)':>13} | {'seconds':>7} | outcome")
    for i, (name, body) in enumerate(hostile_bodies()):
        path = os.path.join(work, f"hostile-{i}.ndjson")
        with open(path, "w") as f:
            f.write(json.dumps({"uri": f"urn:hostile:{i}", "headline": "Hostile input", "body": body}) + "\n")
        dlq = os.path.join(work, f"hostile-{i}.dlq")
        rss, seconds = peak_rss_mb([wirefeed, "process", path, "--stories", os.devnull, "--dlq", dlq])
        with open(dlq) as f:
            reasons = [json.loads(line)["reason"] for line in f if line.strip()]
        outcome = f"dead letter ({', '.join(reasons)})" if reasons else "enriched"
        if not reasons:  # once more for its output (the peak above is measured without keeping it)
            enriched = subprocess.run([wirefeed, "process", path, "--stories", os.devnull, "--dlq", os.devnull],
                                      check=True, capture_output=True, text=True).stdout
            cut = json.loads(enriched)["wirefeed"].get("truncated")
            if cut:
                outcome += ", lists cut: " + ", ".join(f"{name} {size:,}" for name, size in cut.items())
        print(f"{name:<38} | {rss:>13.0f} | {seconds:>7.2f} | {outcome}", flush=True)


def heap_over_time(command, work, parts=10):
    """Runs the command under heaptrack (Debian package `heaptrack`) and returns, for each tenth
    of its run time, the most and the least heap in use (MB): what the peak RSS cannot tell apart,
    memory held for good against memory held for a while."""
    trace = os.path.join(work, "heap")
    subprocess.run(["heaptrack", "-o", trace, *command], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    massif = os.path.join(work, "heap.massif")
    subprocess.run(["heaptrack_print", "-f", trace + ".zst", "--print-peaks", "0", "--print-allocators", "0",
                    "--print-temporary", "0", "--print-leaks", "0", "-M", massif],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples, t = [], 0.0
    with open(massif) as f:
        for line in f:
            if line.startswith("time="):
                t = float(line[5:])
            elif line.startswith("mem_heap_B="):
                samples.append((t, int(line[11:]) / 1e6))
    end = samples[-1][0] * 0.99  # the last 1%: the exit freeing everything
    windows = []
    for i in range(parts):
        heap = [mb for when, mb in samples if end * i / parts <= when < end * (i + 1) / parts]
        windows.append((max(heap), min(heap)) if heap else (0.0, 0.0))
    return windows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("counts", nargs="*", type=int, default=[15000, 30000, 60000, 120000])
    parser.add_argument("--build-dir", default=os.environ.get("WIREFEED_BUILD_DIR", os.path.join(ROOT, "build")))
    parser.add_argument("--max-live-stories", type=int, default=256)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="more configuration for wirefeed process (repeatable)")
    parser.add_argument("--heaptrack", action="store_true",
                        help="then run the largest N under heaptrack and print the heap in use over the run")
    parser.add_argument("--hostile", action="store_true",
                        help="instead: the peak for one article of each costly shape (see above)")
    args = parser.parse_args()
    wirefeed = os.path.join(args.build_dir, "daemon", "wirefeed")
    if not os.access(wirefeed, os.X_OK):
        sys.exit(f"memory_bound: {wirefeed} not found (scripts/build.sh builds it)")
    if args.hostile:
        with tempfile.TemporaryDirectory() as work:
            run_hostile(wirefeed, work)
        return
    if args.heaptrack and not (shutil.which("heaptrack") and shutil.which("heaptrack_print")):
        sys.exit("memory_bound: --heaptrack needs heaptrack (apt-get install -y heaptrack)")

    counts = sorted(args.counts)
    with tempfile.TemporaryDirectory() as work:
        feed = os.path.join(work, "feed.ndjson")
        write_feed(feed, counts[-1])
        with open(feed) as f:
            lines = f.readlines()
        print(f"wirefeed process, cluster.max_live_stories={args.max_live_stories}, one source per article"
              + "".join(f", {kv}" for kv in args.set))
        print(f"{'articles':>9} | {'peak RSS (MB)':>13} | {'seconds':>7} | {'MB per 10k more':>15}")
        previous, command = None, None
        for n in counts:
            part = os.path.join(work, f"feed-{n}.ndjson")
            with open(part, "w") as f:
                f.writelines(lines[:n])
            command = [wirefeed, "process", part, "--stories", os.devnull, "--dlq", os.devnull,
                       "--set", f"cluster.max_live_stories={args.max_live_stories}",
                       *[a for kv in args.set for a in ("--set", kv)]]
            rss, seconds = peak_rss_mb(command)
            growth = "" if previous is None else f"{(rss - previous[1]) / (n - previous[0]) * 10000:.1f}"
            print(f"{n:>9} | {rss:>13.0f} | {seconds:>7.1f} | {growth:>15}", flush=True)
            previous = (n, rss)
        if args.heaptrack:
            print(f"\nheap in use over the run of {counts[-1]} articles (heaptrack), by tenth of the run time")
            print(f"{'tenth':>5} | {'most (MB)':>9} | {'least (MB)':>10}")
            for i, (most, least) in enumerate(heap_over_time(command, work), 1):
                print(f"{i:>5} | {most:>9.0f} | {least:>10.0f}", flush=True)


if __name__ == "__main__":
    main()
