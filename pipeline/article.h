#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/record.h"

namespace wirefeed {

// Where an article came from in the input stream; copied into `wirefeed.source` of the output.
struct source_position {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t timestamp_ms = 0;
};

// The shape an input was decoded from.
enum class feed_format { ninjs, json, text };
const char* to_string(feed_format f);

// One article as it moves through the chain. decode fills the raw fields; normalize, extract and
// cluster each add their part. Owned by exactly one task at a time (moved between stages), so it
// needs no locking.
struct article {
  // --- set by decode ---
  source_position source;
  feed_format format = feed_format::text;
  std::string uri;             // input id, or "urn:wirefeed:sha256:<hex>" of the content
  bool uri_from_content = false;
  std::string headline;
  std::string body;            // text as decoded (HTML kept as-is until normalize)
  bool body_is_html = false;
  std::string published;       // as found in the input, not yet parsed
  std::string publisher;       // source/publisher field or header
  std::string url;
  std::string language;        // as declared by the input, if any
  std::vector<std::string> header_lines;  // raw-text header lines (title, date, URL) as found

  // --- set by cluster ---
  std::string story_id;
  std::optional<std::string> duplicate_of;
};

}  // namespace wirefeed
