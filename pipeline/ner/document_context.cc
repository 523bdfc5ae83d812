#include "pipeline/ner/document_context.h"

#include "pipeline/ner/feature_hash.h"
#include "pipeline/ner/word_shape.h"

namespace wirefeed::ner {

namespace {

void bump(std::uint16_t& c) {
  if (c < 0xffff) ++c;
}

}  // namespace

void document_context::observe(const std::vector<std::string_view>& tokens) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const word_shape w = describe_word(tokens[i]);
    if (w.casing == word_shape::no_letters) continue;
    word_stats& s = words_[hash_lower(tokens[i])];
    switch (w.casing) {
      case word_shape::lower:
        bump(s.lower);
        break;
      case word_shape::upper:
        bump(s.upper);
        break;
      case word_shape::title:
        if (i == 0) {
          bump(s.first);
        } else {
          bump(s.title_inside);
          if (s.title_form == 0) s.title_form = hash_bytes(tokens[i]);
        }
        break;
      case word_shape::no_letters:
        break;
    }
  }
}

void document_context::record(const std::vector<std::string_view>& tokens, const std::vector<label>& labels) {
  for (std::size_t i = 0; i < tokens.size() && i < labels.size(); ++i) {
    const word_shape w = describe_word(tokens[i]);
    if (w.casing == word_shape::no_letters) continue;
    bump(words_[hash_lower(tokens[i])].history[static_cast<std::size_t>(labels[i].type)]);
  }
}

void document_context::record_stage1(const std::vector<std::string_view>& tokens,
                                     const std::vector<label>& labels) {
  for (std::size_t i = 0; i < tokens.size() && i < labels.size(); ++i) {
    const word_shape w = describe_word(tokens[i]);
    if (w.casing == word_shape::no_letters) continue;
    bump(words_[hash_lower(tokens[i])].stage1[static_cast<std::size_t>(labels[i].type)]);
  }
}

void document_context::clear_history() {
  words_.for_each_value([](word_stats& s) { s.history.fill(0); });
}

}  // namespace wirefeed::ner
