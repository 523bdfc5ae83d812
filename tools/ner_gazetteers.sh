#!/usr/bin/env bash
# Builds the gazetteer lists that wirefeed-ner-train bakes into models/ner-en.bin.
#
#   tools/ner_gazetteers.sh OUTDIR
#
# Writes one OUTDIR/<list>.txt per list (one phrase per line, tokens separated by spaces, sorted,
# deduplicated). Reads only files installed by these Debian 12 packages (install them first):
#
#   apt-get install iso-codes tzdata wordnet-base wamerican miscfiles
#
#   iso-codes      /usr/share/iso-codes/json/iso_3166-1.json   country         (LGPL-2.1+)
#                  /usr/share/iso-codes/json/iso_3166-2.json   subdivision
#                  /usr/share/iso-codes/json/iso_639-2.json    language
#                  /usr/share/iso-codes/json/iso_4217.json     currency
#   tzdata         /usr/share/zoneinfo/zone.tab, zone1970.tab  city            (public domain)
#   miscfiles      /usr/share/misc/cities.dat.gz, countries.gz,
#                  airport.gz                                  city, country   (GPL-2 / public domain)
#                  /usr/share/dict/propernames.gz              first_name
#   wordnet-base   /usr/share/wordnet/data.noun, data.adj      wn_location, wn_person, wn_group,
#                                                              wn_other, demonym (WordNet 3.0 licence)
#   wamerican      /usr/share/dict/american-english            dict_lower, dict_proper (public domain)
#
# Deterministic: the same package versions give byte-identical lists. Needs python3 (build-time
# only; nothing here runs in the daemon).
set -euo pipefail

out="${1:?usage: tools/ner_gazetteers.sh OUTDIR}"
missing=()
for f in /usr/share/iso-codes/json/iso_3166-1.json /usr/share/zoneinfo/zone1970.tab \
         /usr/share/misc/cities.dat.gz /usr/share/wordnet/data.noun /usr/share/dict/american-english; do
  [ -e "$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ner_gazetteers: missing ${missing[*]}" >&2
  echo "ner_gazetteers: apt-get install iso-codes tzdata wordnet-base wamerican miscfiles" >&2
  exit 1
fi
mkdir -p "$out"

python3 - "$out" <<'PY'
import gzip, json, os, re, sys

out = sys.argv[1]
lists = {}

def add(name, phrase):
    phrase = re.sub(r"\([^)]*\)", " ", phrase)  # drop parenthesised qualifiers
    phrase = phrase.replace("_", " ")
    phrase = " ".join(phrase.split())
    if not phrase or "," in phrase or ";" in phrase:
        return
    lists.setdefault(name, set()).add(phrase)

def load_json(path, key):
    with open(path, encoding="utf-8") as f:
        return json.load(f)[key]

# iso-codes
for c in load_json("/usr/share/iso-codes/json/iso_3166-1.json", "3166-1"):
    for k in ("name", "common_name", "official_name"):
        if k in c:
            add("country", c[k])
for c in load_json("/usr/share/iso-codes/json/iso_3166-3.json", "3166-3"):
    add("country", c["name"])
for s in load_json("/usr/share/iso-codes/json/iso_3166-2.json", "3166-2"):
    add("subdivision", s["name"])
for l in load_json("/usr/share/iso-codes/json/iso_639-2.json", "639-2"):
    add("language", l["name"])
for c in load_json("/usr/share/iso-codes/json/iso_4217.json", "4217"):
    add("currency", c["name"])

# tzdata: Area/City[/Sub] -> City
for tab in ("/usr/share/zoneinfo/zone.tab", "/usr/share/zoneinfo/zone1970.tab"):
    with open(tab, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 3:
                add("city", cols[2].split("/")[-1])

# miscfiles
with gzip.open("/usr/share/misc/cities.dat.gz", "rt", encoding="latin-1") as f:
    for line in f:
        if line.startswith("Name"):
            add("city", line.split(":", 1)[1].strip())
with gzip.open("/usr/share/misc/countries.gz", "rt", encoding="utf-8", errors="replace") as f:
    for line in f:
        if line.startswith("#"):
            continue
        cols = line.rstrip("\n").split(":")
        if len(cols) >= 5:
            add("country", cols[3])
            add("city", cols[4])
with gzip.open("/usr/share/misc/airport.gz", "rt", encoding="utf-8", errors="replace") as f:
    for line in f:
        if line.startswith("#"):
            continue
        cols = line.rstrip("\n").split(":")
        if len(cols) >= 5:
            for city in cols[4].split("/"):
                add("city", city)
with gzip.open("/usr/share/dict/propernames.gz", "rt", encoding="utf-8") as f:
    for line in f:
        add("first_name", line.strip())

# WordNet: capitalised lemmas by lexicographer file.
def wordnet(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):
                continue
            fields = line.split(" ")
            lexfile = int(fields[1])
            count = int(fields[3], 16)
            words = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]) for i in range(count)]
            ptr_at = 4 + 2 * count
            pointers = fields[ptr_at + 1: ptr_at + 1 + 4 * int(fields[ptr_at])]
            instance = "@i" in pointers[0::4]
            yield lexfile, words, instance

def capitalised(w):
    return w[:1].isupper()

for lexfile, words, instance in wordnet("/usr/share/wordnet/data.noun"):
    for w in words:
        if not capitalised(w):
            continue
        if lexfile == 15:
            add("wn_location", w)
        elif lexfile == 18:
            add("wn_person" if instance else "demonym", w)
        elif lexfile == 14:
            add("wn_group", w)
        else:
            add("wn_other", w)
for lexfile, words, instance in wordnet("/usr/share/wordnet/data.adj"):
    for w in words:
        if capitalised(w):
            add("demonym", w)

# wamerican: the English word list; lower-case words are vocabulary, capitalised ones names.
with open("/usr/share/dict/american-english", encoding="utf-8") as f:
    for line in f:
        w = line.strip()
        if "'" in w or not w:
            continue
        add("dict_proper" if capitalised(w) else "dict_lower", w)

for name, phrases in sorted(lists.items()):
    with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as f:
        for p in sorted(phrases):
            f.write(p + "\n")
    print("%-12s %7d" % (name, len(phrases)), file=sys.stderr)
PY
