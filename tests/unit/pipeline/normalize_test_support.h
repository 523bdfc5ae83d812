#pragma once

// Helpers shared by the normalize tests: a normalizer built from the shipped lexicon and the
// default config, and decode + normalize of a raw input.

#include <string>

#include "config/config.h"
#include "pipeline/decode.h"
#include "pipeline/normalize.h"

namespace wirefeed::testing {

inline const normalizer& default_normalizer() {
  static const normalizer n = normalizer::create(normalize_options{}).value();
  return n;
}

inline input_record raw_record(std::string value, std::int64_t timestamp_ms = 0, headers hdrs = {}) {
  input_record r;
  r.tp = {"wire.raw", partition_id{0}};
  r.off = offset{7};
  r.timestamp_ms = timestamp_ms;
  r.value = std::move(value);
  r.hdrs = std::move(hdrs);
  return r;
}

// decode then normalize; the result of whichever failed first.
inline result<article> decode_and_normalize(const input_record& r, const normalizer& n = default_normalizer()) {
  const decoder decode{decode_options{}};
  auto a = decode.process(r);
  if (!a) return a;
  if (auto s = n.process(*a); !s) return s.error();
  return a;
}

// The display text of a span of the body.
inline std::string text_of(const article& a, text_span s) { return a.body.substr(s.begin, s.size()); }

}  // namespace wirefeed::testing
