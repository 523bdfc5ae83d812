#include "pipeline/ner/features.h"

#include <algorithm>
#include <array>

#include "pipeline/ner/feature_hash.h"
#include "pipeline/ner/tag_set.h"

namespace wirefeed::ner {

namespace {

// Feature template ids. Part of the model format: append only, never renumber.
enum tmpl : std::uint64_t {
  t_bias = 1,
  t_form,
  t_lower,
  t_shape,
  t_short_shape,
  t_prefix,          // + length
  t_suffix,          // + length
  t_lower_at,        // + offset
  t_short_shape_at,  // + offset
  t_bigram_left,
  t_bigram_right,
  t_shape_trigram,
  t_lower_left_shape,
  t_shape_lower_right,
  t_first_case,
  t_length_case,
  t_gaz,
  t_gaz_case,
  t_gaz_left,
  t_gaz_right,
  t_doc_case,
  t_history_has,
  t_history_major,
  t_headline_case,
  t_form_left,
  t_form_right,
  t_stage1_tag_at,  // + offset, tag
  t_stage1_has,
  t_stage1_major,
};

constexpr std::uint64_t key(std::uint64_t t, std::uint64_t v) { return hash_combine(mix64(t), v); }
constexpr std::uint64_t key(std::uint64_t t, std::uint64_t a, std::uint64_t b) {
  return hash_combine(key(t, a), b);
}
constexpr std::uint64_t key(std::uint64_t t, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return hash_combine(key(t, a, b), c);
}

constexpr std::uint64_t begin_pad = 0x5e17b0e5a11ce001ULL;  // stands for tokens before the sentence
constexpr std::uint64_t end_pad = 0x5e17e0d5a11ce002ULL;    // and after it

std::uint64_t length_bucket(std::size_t n) {
  if (n <= 4) return n;
  if (n <= 6) return 5;
  if (n <= 9) return 6;
  return 7;
}

}  // namespace

void feature_extractor::prepare(const std::vector<std::string_view>& tokens, feature_buffer& out) const {
  const std::size_t n = tokens.size();
  out.tokens.resize(n);
  out.lower_hashes.resize(n);

  std::size_t upper_tokens = 0;
  std::size_t word_tokens = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view t = tokens[i];
    feature_buffer::token_info& info = out.tokens[i];
    info.word = describe_word(t);
    info.form = hash_bytes(t);
    info.lower = hash_lower(t);
    info.shape = hash_bytes(info.word.long_form());
    info.short_shape = hash_bytes(info.word.short_form());
    for (std::size_t k = 1; k <= 4; ++k) {
      const bool fits = t.size() > k;  // affixes only of words longer than the affix
      info.prefix[k - 1] = fits ? hash_lower(t.substr(0, k)) : 0;
      info.suffix[k - 1] = fits ? hash_lower(t.substr(t.size() - k)) : 0;
    }
    out.lower_hashes[i] = info.lower;
    if (info.word.casing != word_shape::no_letters) {
      ++word_tokens;
      if (info.word.casing == word_shape::upper) ++upper_tokens;
    }
  }
  // A headline in capitals (common in wire copy): most words ALL-CAPS.
  out.headline = word_tokens >= 2 && upper_tokens * 2 > word_tokens;

  const std::size_t lists = options_.gazetteer ? gaz_.list_count() : 0;
  if (lists > 0) {
    out.gazetteer_matches.resize(n * lists);
    gaz_.match(out.lower_hashes.data(), n, out.gazetteer_matches.data());
  }
}

void feature_extractor::emit(const document_context* doc, feature_buffer& out, const std::uint8_t* stage1_tags) const {
  const std::size_t n = out.tokens.size();
  const std::size_t lists = options_.gazetteer ? gaz_.list_count() : 0;
  const bool headline = out.headline;
  out.keys.clear();
  out.offsets.clear();

  auto lower_at = [&](std::ptrdiff_t j) {
    if (j < 0) return begin_pad;
    if (j >= static_cast<std::ptrdiff_t>(n)) return end_pad;
    return out.tokens[static_cast<std::size_t>(j)].lower;
  };
  auto form_at = [&](std::ptrdiff_t j) {
    if (j < 0) return begin_pad;
    if (j >= static_cast<std::ptrdiff_t>(n)) return end_pad;
    return out.tokens[static_cast<std::size_t>(j)].form;
  };
  auto shape_at = [&](std::ptrdiff_t j) {
    if (j < 0) return begin_pad;
    if (j >= static_cast<std::ptrdiff_t>(n)) return end_pad;
    return out.tokens[static_cast<std::size_t>(j)].short_shape;
  };

  out.keys.reserve(n * 64);
  for (std::size_t i = 0; i < n; ++i) {
    out.offsets.push_back(static_cast<std::uint32_t>(out.keys.size()));
    const auto& info = out.tokens[i];
    const auto si = static_cast<std::ptrdiff_t>(i);
    const std::uint64_t casing = info.word.casing;
    auto add = [&](std::uint64_t k) { out.keys.push_back(k); };

    add(key(t_bias, 0));
    add(key(t_form, info.form));
    add(key(t_lower, info.lower));
    add(key(t_shape, info.shape));
    add(key(t_short_shape, info.short_shape));
    for (std::size_t k = 0; k < 4; ++k) {
      if (info.prefix[k] != 0) add(key(t_prefix, k, info.prefix[k]));
      if (info.suffix[k] != 0) add(key(t_suffix, k, info.suffix[k]));
    }
    for (std::ptrdiff_t d : {-2, -1, 1, 2}) {
      add(key(t_lower_at, static_cast<std::uint64_t>(d + 2), lower_at(si + d)));
      add(key(t_short_shape_at, static_cast<std::uint64_t>(d + 2), shape_at(si + d)));
    }
    add(key(t_form_left, form_at(si - 1)));
    add(key(t_form_right, form_at(si + 1)));
    add(key(t_bigram_left, lower_at(si - 1), info.lower));
    add(key(t_bigram_right, info.lower, lower_at(si + 1)));
    add(key(t_shape_trigram, shape_at(si - 1), info.short_shape, shape_at(si + 1)));
    add(key(t_lower_left_shape, lower_at(si - 1), info.short_shape));
    add(key(t_shape_lower_right, info.short_shape, lower_at(si + 1)));
    add(key(t_first_case, i == 0 ? 1 : 0, casing));
    add(key(t_length_case, length_bucket(info.word.length), casing));
    if (headline) add(key(t_headline_case, casing, info.short_shape));

    for (std::size_t l = 0; l < lists; ++l) {
      const std::uint8_t pos = out.gazetteer_matches[i * lists + l];
      if (pos != gazetteer::none) {
        add(key(t_gaz, l, pos));
        add(key(t_gaz_case, l, pos, casing));
      }
      if (i > 0 && out.gazetteer_matches[(i - 1) * lists + l] != gazetteer::none)
        add(key(t_gaz_left, l, out.gazetteer_matches[(i - 1) * lists + l]));
      if (i + 1 < n && out.gazetteer_matches[(i + 1) * lists + l] != gazetteer::none)
        add(key(t_gaz_right, l, out.gazetteer_matches[(i + 1) * lists + l]));
    }

    if (stage1_tags != nullptr) {
      add(key(t_stage1_tag_at, 0, stage1_tags[i]));
      add(key(t_stage1_tag_at, 1, i > 0 ? stage1_tags[i - 1] : 255));
      add(key(t_stage1_tag_at, 2, i + 1 < n ? stage1_tags[i + 1] : 255));
    }

    const document_context::word_stats* stats = doc ? doc->find(info.lower) : nullptr;
    if (stats != nullptr && casing != word_shape::no_letters) {
      if (options_.document_case) {
        // Own casing and position, against how the word appears elsewhere.
        const std::uint64_t seen = (stats->title_inside > (casing == word_shape::title && i > 0 ? 1 : 0) ? 1 : 0) |
                                   (stats->lower > (casing == word_shape::lower ? 1 : 0) ? 2 : 0) |
                                   (stats->upper > (casing == word_shape::upper ? 1 : 0) ? 4 : 0);
        add(key(t_doc_case, casing, i == 0 ? 1 : 0, seen));
      }
      if (options_.document_form && (casing == word_shape::upper || i == 0) && stats->title_form != 0 &&
          stats->title_form != info.form)
        add(key(t_form, stats->title_form));
      if (options_.label_history) {
        std::size_t total = 0;
        std::size_t best = 0;
        for (std::size_t t = 0; t < entity_type_count; ++t) {
          total += stats->history[t];
          if (stats->history[t] > stats->history[best]) best = t;
        }
        if (total > 0) {
          for (std::size_t t = 0; t < entity_type_count; ++t)
            if (stats->history[t] > 0) add(key(t_history_has, t, casing == word_shape::lower ? 1 : 0));
          add(key(t_history_major, best, stats->history[best] * 2 > total ? 1 : 0));
        }
      }
      if (stage1_tags != nullptr) {
        // The word's stage-1 labels elsewhere in the document (its own label taken out).
        std::array<std::uint16_t, entity_type_count> others = stats->stage1;
        const std::size_t own = static_cast<std::size_t>(tag_set::type_of(stage1_tags[i]));
        if (others[own] > 0) --others[own];
        std::size_t total = 0;
        std::size_t best = 0;
        for (std::size_t t = 0; t < entity_type_count; ++t) {
          total += others[t];
          if (others[t] > others[best]) best = t;
        }
        if (total > 0) {
          for (std::size_t t = 0; t < entity_type_count; ++t)
            if (others[t] > 0) add(key(t_stage1_has, t, own));
          add(key(t_stage1_major, best, others[best] == total ? 1 : 0));
        }
      }
    }
  }
  out.offsets.push_back(static_cast<std::uint32_t>(out.keys.size()));
}

}  // namespace wirefeed::ner
