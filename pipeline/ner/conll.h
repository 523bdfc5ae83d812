#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/error.h"
#include "pipeline/ner/label.h"

namespace wirefeed::ner {

class tagger;

// One sentence of a CoNLL file: its raw lines (line ends removed), the token (first column) of
// each, and the gold labels read from the last column if `has_gold`.
struct conll_sentence {
  std::vector<std::string> lines;
  std::vector<std::string> tokens;
  std::vector<label> gold;

  std::vector<std::string_view> token_views() const { return {tokens.begin(), tokens.end()}; }
};

// A document: the sentences after one "-DOCSTART-" line (or from the start of the file).
struct conll_document {
  std::string docstart_line;  // empty if the document had none (text before the first DOCSTART)
  std::vector<conll_sentence> sentences;
};

struct conll_file {
  std::vector<conll_document> documents;
  bool has_gold = false;  // every token line had at least two columns
  bool crlf = false;      // the first line ended in CRLF (the writer reproduces it)
};

// Reads a CoNLL-2003-style file: whitespace-separated columns, token first, NER tag (IOB1 or
// IOB2) last; blank lines end sentences; "-DOCSTART-" lines start documents; LF or CRLF. With
// `require_gold`, a token line with a single column or an unknown tag is an error (with its line
// number); otherwise gold labels are left empty when absent.
result<conll_file> read_conll(std::istream& in, bool require_gold);

// Writes `file` back with one extra column per token line: predicted[d][s][i] in IOB1. DOCSTART
// lines get " O". Sentences and documents are separated by one blank line.
void write_conll(const conll_file& file, const std::vector<std::vector<std::vector<label>>>& predicted,
                 std::ostream& out);

// Reads a CoNLL file from `in`, tags every document with tagger::tag_document and writes it to
// `out` with the predicted IOB1 tag appended to each line (so conlleval / tools/conll_score.py
// can score it). Returns 0 on success, 1 if the input could not be read or parsed or the output
// not written (the reason goes to `diagnostics` when given): the command's exit codes.
int tag_conll_file(const tagger& t, std::istream& in, std::ostream& out, std::ostream* diagnostics = nullptr);

}  // namespace wirefeed::ner
