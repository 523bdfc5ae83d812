#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "pipeline/article.h"
#include "pipeline/cluster.h"
#include "pipeline/error.h"
#include "pipeline/record.h"

namespace wirefeed {

// Stage 5: the wire formats. Pure functions.

// The enriched article as JSON (the public contract in docs/output-contract.md): ninjs 2.0 names
// where ninjs has them, everything else under `wirefeed`. Key = uri.
output_record encode_enriched(const article& a);

// encode_enriched in two halves, so that a split deployment (pipeline.role) writes the bytes the
// whole chain writes: the document without the cluster stage's members (what the extract role
// hands over; not valid JSON on its own), then those members closing it. A document longer than
// `max_bytes` is written again with its lists cut short (the first 1,000, 100, 10, then none of
// each: sentences, entities and each one's mentions, quotes, figures, dates, removed text) until
// it fits, and `wirefeed.truncated` then gives each cut list's whole length.
std::string encode_unclustered(const article& a, std::size_t max_bytes = std::numeric_limits<std::size_t>::max());
output_record close_enriched(std::string unclustered, const article& a);

// The most encode_unclustered may write for an article with this uri, so that the enriched
// record, once closed, is at most `max_record_bytes` (record_bytes) whatever the cluster stage adds.
std::size_t unclustered_budget(std::string_view uri, std::size_t max_record_bytes);


// Dead-letter header names (Kafka Connect's `__connect.errors.*` convention plus wirefeed's own).
namespace dlq_header {
inline constexpr const char* topic = "__connect.errors.topic";
inline constexpr const char* partition = "__connect.errors.partition";
inline constexpr const char* offset = "__connect.errors.offset";
inline constexpr const char* connector = "__connect.errors.connector.name";
inline constexpr const char* stage = "__connect.errors.stage";
inline constexpr const char* class_name = "__connect.errors.class.name";
inline constexpr const char* exception_class = "__connect.errors.exception.class.name";
inline constexpr const char* exception_message = "__connect.errors.exception.message";
inline constexpr const char* reason = "wirefeed.errors.reason";
inline constexpr const char* time = "wirefeed.errors.time";
// Present when the dead letter was larger than the producer sends (cfg::max_output_bytes): the
// value is cut to fit and this header holds its whole length in bytes; if the input's own headers
// alone were too large they are left out too ("headers dropped" follows the length).
inline constexpr const char* truncated = "wirefeed.errors.truncated";
}  // namespace dlq_header

// The dead letter for `input`: the original key, value and headers unchanged, plus the error
// headers above. `now_ms` is when the message was rejected (Unix ms, UTC).
output_record encode_dead_letter(const input_record& input, const stage_error& error, std::int64_t now_ms);

// ISO 8601 UTC with milliseconds, e.g. "2022-02-07T10:15:00.000Z".
std::string format_utc(std::int64_t unix_ms);

}  // namespace wirefeed
