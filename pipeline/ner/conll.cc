#include "pipeline/ner/conll.h"

#include <istream>
#include <ostream>

#include "pipeline/ner/tagger.h"

namespace wirefeed::ner {

namespace {

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

std::vector<std::string_view> columns(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

stage_error conll_error(std::size_t line_no, std::string message) {
  return stage_error{"ner", "conll_format", "line " + std::to_string(line_no) + ": " + std::move(message)};
}

}  // namespace

result<conll_file> read_conll(std::istream& in, bool require_gold) {
  conll_file file;
  file.has_gold = true;
  conll_document doc;
  conll_sentence sentence;
  label previous;
  bool any_token = false;
  auto end_sentence = [&] {
    if (!sentence.tokens.empty()) doc.sentences.push_back(std::move(sentence));
    sentence = conll_sentence{};
    previous = label{};
  };
  auto end_document = [&] {
    end_sentence();
    if (!doc.sentences.empty() || !doc.docstart_line.empty()) file.documents.push_back(std::move(doc));
    doc = conll_document{};
  };

  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
      if (line_no == 1) file.crlf = true;
    }
    if (is_blank(line)) {
      end_sentence();
      continue;
    }
    const auto cols = columns(line);
    if (cols[0] == "-DOCSTART-") {
      end_document();
      doc.docstart_line = line;
      continue;
    }
    any_token = true;
    sentence.tokens.emplace_back(cols[0]);
    if (cols.size() < 2) {
      if (require_gold) return conll_error(line_no, "token line has no tag column");
      file.has_gold = false;
    } else {
      const auto l = parse_iob(cols.back(), previous);
      if (!l) {
        if (require_gold) return conll_error(line_no, "unknown NER tag '" + std::string(cols.back()) + "'");
        file.has_gold = false;
      }
      previous = l.value_or(label{});
      sentence.gold.push_back(previous);
    }
    sentence.lines.push_back(std::move(line));
  }
  if (in.bad()) return stage_error{"ner", "conll_io", "read error"};
  end_document();
  if (!any_token) file.has_gold = false;
  if (!file.has_gold)
    for (auto& d : file.documents)
      for (auto& s : d.sentences) s.gold.clear();
  return file;
}

void write_conll(const conll_file& file, const std::vector<std::vector<std::vector<label>>>& predicted,
                 std::ostream& out) {
  const char* eol = file.crlf ? "\r\n" : "\n";
  for (std::size_t d = 0; d < file.documents.size(); ++d) {
    const conll_document& doc = file.documents[d];
    if (!doc.docstart_line.empty()) out << doc.docstart_line << " O" << eol << eol;
    for (std::size_t s = 0; s < doc.sentences.size(); ++s) {
      const conll_sentence& sentence = doc.sentences[s];
      const std::vector<label>& labels = predicted[d][s];
      for (std::size_t i = 0; i < sentence.lines.size(); ++i)
        out << sentence.lines[i] << ' ' << iob1_tag(labels, i) << eol;
      out << eol;
    }
  }
}

int tag_conll_file(const tagger& t, std::istream& in, std::ostream& out, std::ostream* diagnostics) {
  auto file = read_conll(in, false);
  if (!file.ok()) {
    if (diagnostics) *diagnostics << "ner: " << file.error().message << '\n';
    return 1;
  }
  std::vector<std::vector<std::vector<label>>> predicted;
  predicted.reserve(file->documents.size());
  for (const conll_document& doc : file->documents) {
    std::vector<std::vector<std::string_view>> sentences;
    sentences.reserve(doc.sentences.size());
    for (const conll_sentence& s : doc.sentences) sentences.push_back(s.token_views());
    predicted.push_back(t.tag_document(sentences));
  }
  write_conll(*file, predicted, out);
  out.flush();
  if (!out) {
    if (diagnostics) *diagnostics << "ner: write failed\n";
    return 1;
  }
  return 0;
}

}  // namespace wirefeed::ner
