#!/usr/bin/env python3
"""Entity-level scoring of a CoNLL file, like the CoNLL shared tasks' conlleval.pl.

Usage: tools/conll_score.py [--latex] < tagged.conll    (or: tools/conll_score.py FILE)

Input: one token per line, whitespace-separated columns, the last two being the gold and the
predicted tag (IOB1 or IOB2: "O", "I-PER", "B-PER", ...); blank lines end sentences; a line whose
first column is "-DOCSTART-" is scored like conlleval does (as a token, normally tagged O both
ways). CRLF line ends are accepted.

An entity (a "phrase") is correct when its first token, last token and type all match. Chunk
boundaries follow conlleval's startOfChunk/endOfChunk rules, so IOB1 and IOB2 both work and
an I- tag after O or after another type starts a new entity.

Output: the same lines as conlleval:
  processed N tokens with G phrases; found: P phrases; correct: C.
  accuracy:  A%; precision:  P%; recall:  R%; FB1:  F
                LOC: precision:  P%; recall:  R%; FB1:  F  N
Exit status 0, or 1 for malformed input. Plain Python 3, no dependencies.
"""
import sys


def split_tag(tag):
    """'B-PER' -> ('B', 'PER'); 'O' -> ('O', ''). Tags without a '-' keep '' as type."""
    if tag == "O" or tag == "[O]":
        return "O", ""
    if "-" in tag:
        prefix, _, typ = tag.partition("-")
        return prefix, typ
    return tag, ""


def end_of_chunk(prev_tag, tag, prev_type, typ):
    """conlleval's endOfChunk: does a chunk end between the previous token and this one?"""
    end = False
    if prev_tag in ("E", "L"):
        end = True
    if prev_tag in ("S", "U"):
        end = True
    if prev_tag == "B" and tag in ("B", "S", "U", "O"):
        end = True
    if prev_tag == "I" and tag in ("B", "S", "U", "O"):
        end = True
    if prev_tag in ("E", "L") and tag in ("E", "L", "I", "O"):
        end = True
    if prev_tag not in ("O", ".") and prev_type != typ:
        end = True
    if prev_tag == "]":
        end = True
    return end


def start_of_chunk(prev_tag, tag, prev_type, typ):
    """conlleval's startOfChunk: does a chunk start at this token?"""
    start = False
    if tag in ("B", "S", "U"):
        start = True
    if prev_tag in ("E", "L") and tag in ("E", "L"):
        start = True
    if prev_tag in ("E", "L") and tag == "I":
        start = True
    if prev_tag in ("S", "U") and tag in ("E", "L"):
        start = True
    if prev_tag in ("S", "U") and tag == "I":
        start = True
    if prev_tag == "O" and tag in ("E", "L"):
        start = True
    if prev_tag == "O" and tag == "I":
        start = True
    if tag not in ("O", ".") and prev_type != typ:
        start = True
    if tag == "[":
        start = True
    return start


class counts:
    def __init__(self):
        self.correct_chunk = 0
        self.found_guessed = 0
        self.found_correct = 0
        self.correct_tags = 0
        self.token_counter = 0
        self.t_correct = {}
        self.t_guessed = {}
        self.t_gold = {}


def evaluate(lines):
    c = counts()
    in_correct = False
    last_correct, last_correct_type = "O", ""
    last_guessed, last_guessed_type = "O", ""
    for line_no, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        features = line.split()
        if not features:
            features = ["-X-", "O", "O"]  # sentence boundary, as conlleval
        elif len(features) < 3:
            raise ValueError("line %d: expected at least 3 columns (token gold predicted)" % line_no)
        guessed, guessed_type = split_tag(features[-1])
        correct, correct_type = split_tag(features[-2])
        first_item = features[0]
        if first_item == "-X-":  # conlleval's boundary token
            guessed, guessed_type, correct, correct_type = "O", "", "O", ""

        end_correct = end_of_chunk(last_correct, correct, last_correct_type, correct_type)
        end_guessed = end_of_chunk(last_guessed, guessed, last_guessed_type, guessed_type)
        start_correct = start_of_chunk(last_correct, correct, last_correct_type, correct_type)
        start_guessed = start_of_chunk(last_guessed, guessed, last_guessed_type, guessed_type)

        if in_correct:
            if end_correct and end_guessed and last_guessed_type == last_correct_type:
                in_correct = False
                c.correct_chunk += 1
                c.t_correct[last_correct_type] = c.t_correct.get(last_correct_type, 0) + 1
            elif end_correct != end_guessed or guessed_type != correct_type:
                in_correct = False

        if start_correct and start_guessed and guessed_type == correct_type:
            in_correct = True

        if start_correct:
            c.found_correct += 1
            c.t_gold[correct_type] = c.t_gold.get(correct_type, 0) + 1
        if start_guessed:
            c.found_guessed += 1
            c.t_guessed[guessed_type] = c.t_guessed.get(guessed_type, 0) + 1
        if first_item != "-X-":
            if correct == guessed and guessed_type == correct_type:
                c.correct_tags += 1
            c.token_counter += 1

        last_guessed, last_guessed_type = guessed, guessed_type
        last_correct, last_correct_type = correct, correct_type

    if in_correct:
        c.correct_chunk += 1
        c.t_correct[last_correct_type] = c.t_correct.get(last_correct_type, 0) + 1
    return c


def prf(correct, guessed, gold):
    p = 100.0 * correct / guessed if guessed else 0.0
    r = 100.0 * correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def report(c, out):
    out.write("processed %d tokens with %d phrases; found: %d phrases; correct: %d.\n"
              % (c.token_counter, c.found_correct, c.found_guessed, c.correct_chunk))
    if c.token_counter > 0:
        p, r, f = prf(c.correct_chunk, c.found_guessed, c.found_correct)
        out.write("accuracy: %6.2f%%; " % (100.0 * c.correct_tags / c.token_counter))
        out.write("precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f\n" % (p, r, f))
    for t in sorted(set(c.t_gold) | set(c.t_guessed)):
        p, r, f = prf(c.t_correct.get(t, 0), c.t_guessed.get(t, 0), c.t_gold.get(t, 0))
        out.write("%17s: precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f  %d\n"
                  % (t, p, r, f, c.t_guessed.get(t, 0)))


def main(argv):
    args = [a for a in argv[1:]]
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0
    try:
        if args:
            with open(args[0], encoding="utf-8", errors="replace") as f:
                c = evaluate(f)
        else:
            c = evaluate(sys.stdin)
    except ValueError as e:
        sys.stderr.write("conll_score: %s\n" % e)
        return 1
    report(c, sys.stdout)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        sys.exit(0)
