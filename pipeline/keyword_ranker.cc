#include "pipeline/keyword_ranker.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "pipeline/ner/feature_hash.h"
#include "pipeline/word_set.h"

namespace wirefeed {
namespace {

bool contains_word(std::string_view phrase, std::string_view word) {
  std::size_t at = 0;
  while ((at = phrase.find(word, at)) != std::string_view::npos) {
    const bool starts = at == 0 || phrase[at - 1] == ' ';
    const bool ends = at + word.size() == phrase.size() || phrase[at + word.size()] == ' ';
    if (starts && ends) return true;
    ++at;
  }
  return false;
}

// Terms that count for the story's words but say nothing as an article's keywords: month names
// ("april") and ages ("28-year-old", "11-year old", "59-year").
bool no_keyword(std::string_view term) {
  static const word_set months{"january", "february", "march", "april", "june", "july", "august", "september",
                               "october", "november", "december"};
  if (months.contains(term)) return true;
  const std::size_t year = term.find("-year");
  return year != std::string_view::npos && year > 0 && term[year - 1] >= '0' && term[year - 1] <= '9';
}

}  // namespace

keyword_ranker::keyword_ranker(keyword_ranker_options options)
    : options_(options), frequencies_(options.sketch_width, options.half_life_articles) {}

std::uint32_t keyword_ranker::document_frequency(std::string_view term) const {
  return frequencies_.estimate(ner::hash_bytes(term));
}

void keyword_ranker::process(article& a) {
  struct scored {
    const term_count* term;
    double score;
  };
  std::vector<scored> ranked;
  ranked.reserve(a.terms.size());
  std::vector<std::uint64_t> hashes;
  hashes.reserve(a.terms.size());
  for (const term_count& t : a.terms) {
    const std::uint64_t h = ner::hash_bytes(t.term);
    hashes.push_back(h);
    const double idf = frequencies_.idf(h);
    const double tf = 1 + std::log(static_cast<double>(std::max<std::uint32_t>(t.count, 1)));
    ranked.push_back({&t, tf * idf});
  }
  std::sort(ranked.begin(), ranked.end(), [](const scored& x, const scored& y) {
    return x.score != y.score ? x.score > y.score : x.term->term < y.term->term;
  });
  a.keywords.clear();
  for (const scored& s : ranked) {
    if (a.keywords.size() >= options_.max_keywords) break;
    const std::string_view term = s.term->term;
    if (no_keyword(term)) continue;
    const bool one_word = term.find(' ') == std::string_view::npos;
    const bool covered = one_word && std::any_of(a.keywords.begin(), a.keywords.end(),
                                                 [&](const keyword& k) { return contains_word(k.term, term); });
    if (covered) continue;
    // A pair takes the place of its words chosen before it ("red line" of "red" and "line").
    if (!one_word) {
      std::erase_if(a.keywords, [&](const keyword& k) {
        return k.term.find(' ') == std::string::npos && contains_word(term, k.term);
      });
    }
    a.keywords.push_back({std::string(term), std::round(s.score * 10000) / 10000});
  }
  // Then this article counts: once per term.
  frequencies_.add_document(hashes);
}

}  // namespace wirefeed
