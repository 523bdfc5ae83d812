#pragma once

// Test support for the extract stage: the committed NER model, loaded once; articles normalized
// from plain text by the real normalizer, then extracted.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "pipeline/extract.h"
#include "pipeline/normalize.h"

namespace wirefeed::testing {

// Monday 2022-02-07 08:00 UTC: the sample feed's day.
inline constexpr const char* k_published = "2022-02-07T08:00:00Z";

inline std::shared_ptr<const ner::tagger> test_tagger() {
  static const std::shared_ptr<const ner::tagger> t = [] {
    auto loaded = ner::tagger::load(WIREFEED_NER_MODEL);
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    return std::make_shared<const ner::tagger>(std::move(loaded.value()));
  }();
  return t;
}

inline const normalizer& test_normalizer() {
  static const normalizer n = [] {
    auto built = normalizer::create(normalize_options{});
    if (!built) std::abort();
    return std::move(built.value());
  }();
  return n;
}

inline const extractor& test_extractor() {
  static const extractor e(test_tagger());
  return e;
}

// `body` as a normalized English plain-text article published at `published` (ISO 8601; "" for
// an article without a publication time).
inline article normalized(const std::string& body, const std::string& published = k_published) {
  article a;
  a.uri = "urn:test";
  a.format = feed_format::text;
  a.body = body;
  a.language = "en";
  a.published = published;
  const auto s = test_normalizer().process(a);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return a;
}

// The same, extracted.
inline article extracted(const std::string& body, const std::string& published = k_published) {
  article a = normalized(body, published);
  EXPECT_TRUE(test_extractor().process(a).ok());
  return a;
}

inline std::string_view text_of(const article& a, text_span s) {
  return std::string_view(a.body).substr(s.begin, s.size());
}

// The entity named `name`, or nullptr.
inline const entity* find_entity(const article& a, std::string_view name) {
  for (const entity& e : a.entities) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// The speaker's name of a quote: the entity's, else the raw text.
inline std::string speaker_of(const article& a, const quote& q) {
  if (q.speaker) return a.entities.at(*q.speaker).name;
  return q.speaker_text;
}

}  // namespace wirefeed::testing
