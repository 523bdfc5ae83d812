#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "config/config.h"
#include "pipeline/article.h"
#include "pipeline/error.h"
#include "pipeline/record.h"

namespace wirefeed {

// The longest uri (id) an article may have, in bytes: longer is no identifier but a field holding
// something else (the dead letter `uri_too_long`). Long enough for any URL used as one; it also
// bounds what a uri adds to the records that repeat it (story members, duplicate_of).
inline constexpr std::size_t max_uri_bytes = 4096;

struct decode_options {
  std::size_t max_message_bytes = 1 << 20;
  std::size_t max_body_chars = 200000;
  cfg::input_format format = cfg::input_format::auto_detect;
  std::map<std::string, cfg::input_format> topic_formats;  // per input topic; wins over `format`
  cfg::invalid_utf8_policy invalid_utf8 = cfg::invalid_utf8_policy::reject;
  cfg::field_map fields;
};

// Stage 1: bytes -> article fields. Detects the feed shape (ninjs 1.x/2.x JSON, plain JSON through
// the configured field map, raw text, HTML) unless the config (per topic, then globally) or a
// `content-type` header fixes it, and rejects what cannot be an article: oversized, empty, invalid
// UTF-8 (unless repair is configured), malformed JSON, JSON that is not an object, no headline
// and no body, body over the limit, an id longer than max_uri_bytes.
//
// Fields: uri, headline(s), body/bodies (the field map's, else ninjs body_html / 1.x body_xhtml; HTML
// flagged, kept as-is), versioncreated (else the configured time fields, else firstcreated),
// firstcreated, language, by, located, altids (ninjs 1.x object or 2.x [{role, value}]),
// source/publisher, url. Kafka headers: `content-type`
// (format), `source` (publisher, unless the input names one), `content-language` (language,
// unless the input declares one). Raw text: header lines before the body (title, date and URL
// lines, a "date ..." prefix; text_header.h) go to header_lines, not into the body; normalize
// interprets them.
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
