#pragma once

#include <cstddef>

#include "config/config.h"
#include "pipeline/article.h"
#include "pipeline/error.h"
#include "pipeline/record.h"

namespace wirefeed {

struct decode_options {
  std::size_t max_message_bytes = 1 << 20;
  std::size_t max_body_chars = 200000;
  cfg::input_format format = cfg::input_format::auto_detect;
  cfg::invalid_utf8_policy invalid_utf8 = cfg::invalid_utf8_policy::reject;
  cfg::field_map fields;
};

// Stage 1: bytes -> article. Detects the feed shape (ninjs 1.x/2.x JSON, plain JSON through the
// configured field map, raw text, HTML) unless the config or a `content-type` header fixes it, and
// rejects what cannot be an article: oversized, empty, invalid UTF-8 (unless repair is configured),
// malformed JSON, JSON that is not an object, no headline and no body, body over the limit.
//
// Pure and thread-safe: `process` may run on any number of threads at once.
class decoder {
 public:
  explicit decoder(decode_options options);
  result<article> process(const input_record& record) const;

 private:
  decode_options options_;
};

}  // namespace wirefeed
