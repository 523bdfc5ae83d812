#include "pipeline/keyword_extractor.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "pipeline/word_set.h"

namespace wirefeed {
namespace {

// Words every news story has: never keywords, whatever the document frequencies say (they also
// keep the first articles, before any frequency is known, from ranking them first).
const word_set& news_words() {
  static const word_set s{"said", "says", "say", "told", "tell", "added", "according", "also", "would", "could",
                          "should", "mr.", "mrs.", "ms.", "one", "two", "three", "year", "years", "new",
                          "like", "including", "just", "many", "much", "may", "might", "must", "will", "last",
                          "next", "first", "week", "day", "time", "monday", "tuesday", "wednesday", "thursday",
                          "friday", "saturday", "sunday", "reporters", "reported", "news", "saying", "told",
                          "tried", "toward", "towards", "following", "set", "put", "part", "make", "made",
                          "take", "takes", "took", "come", "came", "get", "got", "going", "went", "well",
                          "still", "even", "way", "back", "however", "already", "around", "among", "since",
                          "expected", "expect", "want", "wants", "need", "needs", "see", "seen", "know",
                          "known", "think", "thing", "things", "give", "given", "gave", "use", "used",
                          "want", "lot", "yet", "ago", "later", "earlier", "today", "yesterday",
                          "tomorrow", "month", "months", "days", "weeks", "hours", "per", "cent", "percent",
                          "called", "asked", "added", "noted", "include", "includes", "included", "start",
                          "started", "end", "ended", "big", "large", "small", "able", "whether", "within",
                          // reporting words of the other languages wirefeed has stopwords for
                          "déclaré", "a-t-il", "a-t-elle", "selon", "affirmé", "indiqué", "sagte", "sagt",
                          "erklärte", "betonte", "dijo", "afirmó", "aseguró", "según", "detto", "secondo",
                          "disse", "afirmou", "segundo", "zei", "volgens"};
  return s;
}

// Longer "words" are not words: a script written without spaces (Thai, Chinese) tokenizes into
// runs of a clause or a whole body, and a run of 100 KB without a space is no keyword either.
constexpr std::size_t max_term_bytes = 64;

std::size_t letters(std::string_view s) {
  std::size_t n = 0;
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    n += (b >= 'a' && b <= 'z') || b >= 0xC0;  // ASCII letters and UTF-8 lead bytes
  }
  return n;
}

}  // namespace

std::vector<term_count> keyword_extractor::count(const extract_context& c) const {
  const article& a = c.doc();
  std::unordered_map<std::string_view, std::uint32_t> unigrams, bigrams, names;
  unigrams.reserve(c.size());
  const std::string_view folded = a.folded;
  const auto candidate = [&](std::uint32_t i) {
    if (!c.is_word(i) || a.tokens[i].is_stopword) return false;
    const std::string_view f = c.folded(i);
    return f.size() <= max_term_bytes && letters(f) >= 3 && !news_words().contains(f);
  };
  // "New" and "Los" are no terms, but start a name's pair: "new zealand", "los angeles" (not
  // first in a sentence: "New Apple products ...").
  const auto name_start = [&](std::uint32_t i) {
    const std::string_view f = c.folded(i);
    return (f == "new" || f == "los") && c.capitalized(i) && i > 0 && c.sentence_of(i - 1) == c.sentence_of(i) &&
           i + 1 < c.size() && c.capitalized(i + 1);
  };
  bool previous = false, named = false;
  for (std::uint32_t i = 0; i < c.size(); ++i) {
    const bool starts_name = name_start(i);
    const bool now = !starts_name && candidate(i);
    if (now) {
      ++unigrams[c.folded(i)];
      if (previous && c.sentence_of(i - 1) == c.sentence_of(i)) {
        const text_span x = a.tokens[i - 1].folded, y = a.tokens[i].folded;
        if (y.begin == x.end + 1 && folded[x.end] == ' ') {
          ++(named ? names : bigrams)[folded.substr(x.begin, y.end - x.begin)];
        }
      }
    }
    // The name's second word starts no pair of its own: "new york times" gives no "york times".
    previous = (now && !named) || starts_name;
    named = starts_name;
  }
  std::vector<term_count> out;
  out.reserve(unigrams.size() + bigrams.size());
  for (const auto& [term, n] : unigrams) out.push_back({std::string(term), n});
  for (const auto& [term, n] : bigrams) {
    if (n >= 2) out.push_back({std::string(term), n});
  }
  for (const auto& [term, n] : names) out.push_back({std::string(term), n});  // a name's pair from its first time
  std::sort(out.begin(), out.end(), [](const term_count& x, const term_count& y) {
    return x.count != y.count ? x.count > y.count : x.term < y.term;
  });
  if (out.size() > max_terms_) {
    out.resize(max_terms_);
    out.shrink_to_fit();  // the terms wait for the ordered strand with the article (~7 KB of slack)
  }
  return out;
}

}  // namespace wirefeed
