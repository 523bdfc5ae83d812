#pragma once

// Test support for the extract stage: the committed NER model, loaded once; articles normalized
// from plain text by the normalize tests' normalizer (normalize_test_support.h), then extracted.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "normalize_test_support.h"
#include "pipeline/extract.h"

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
  const auto s = default_normalizer().process(a);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return a;
}

// The same, extracted.
inline article extracted(const std::string& body, const std::string& published = k_published) {
  article a = normalized(body, published);
  EXPECT_TRUE(test_extractor().process(a).ok());
  return a;
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
