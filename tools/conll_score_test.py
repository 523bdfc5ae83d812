#!/usr/bin/env python3
"""Checks tools/conll_score.py against a hand-counted case. Run: python3 tools/conll_score_test.py"""
import io
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conll_score  # noqa: E402

# token gold predicted. Gold entities (7): PER Anna Berg, PER Karl (B- after I-PER), ORG Orbex,
# LOC Oslo, LOC Norway, ORG EU, MISC Summit (a type change starts a new entity).
# Predicted (6): PER Anna Berg Karl, LOC Orbex, LOC Oslo, LOC Norway, MISC Summit, MISC Rain.
# Correct (3): Oslo, Norway, Summit. Tags equal on 10 of 14 lines (DOCSTART counts, as in conlleval).
CASE = """-DOCSTART- -X- O O\r
\r
Anna I-PER I-PER\r
Berg I-PER I-PER\r
Karl B-PER I-PER\r
met O O\r
Orbex I-ORG I-LOC\r
in O O\r
Oslo I-LOC I-LOC\r
, O O\r
Norway I-LOC I-LOC\r
and O O\r
EU I-ORG O\r
Summit I-MISC I-MISC\r
\r
Rain O I-MISC\r
"""

EXPECTED = """processed 14 tokens with 7 phrases; found: 6 phrases; correct: 3.
accuracy:  71.43%; precision:  50.00%; recall:  42.86%; FB1:  46.15
              LOC: precision:  66.67%; recall: 100.00%; FB1:  80.00  3
             MISC: precision:  50.00%; recall: 100.00%; FB1:  66.67  2
              ORG: precision:   0.00%; recall:   0.00%; FB1:   0.00  0
              PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  1
"""


class ConllScoreTest(unittest.TestCase):
    def test_hand_counted_case(self):
        out = io.StringIO()
        conll_score.report(conll_score.evaluate(io.StringIO(CASE)), out)
        self.assertEqual(out.getvalue(), EXPECTED)

    def test_iob2_and_iob1_score_the_same(self):
        iob1 = "A I-PER I-PER\nB B-PER B-PER\nc O O\n"
        iob2 = "A B-PER B-PER\nB B-PER B-PER\nc O O\n"
        for text in (iob1, iob2):
            c = conll_score.evaluate(io.StringIO(text))
            self.assertEqual((c.found_correct, c.found_guessed, c.correct_chunk), (2, 2, 2))

    def test_rejects_lines_without_two_tag_columns(self):
        with self.assertRaises(ValueError):
            conll_score.evaluate(io.StringIO("token O\n"))


if __name__ == "__main__":
    unittest.main()
