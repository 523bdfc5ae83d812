#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wirefeed {

// Strong types for the three numbers that are easy to mix up.
struct partition_id {
  std::int32_t value = 0;
  auto operator<=>(const partition_id&) const = default;
};
struct offset {
  std::int64_t value = 0;
  auto operator<=>(const offset&) const = default;
};

// One input partition: the unit of ordering and of offset commits.
struct topic_partition {
  std::string topic;
  partition_id partition;
  auto operator<=>(const topic_partition&) const = default;
};

// A Kafka record header: name and value; the value may be null (nullopt), which is not the same
// as empty and is kept as such in dead letters.
using header = std::pair<std::string, std::optional<std::string>>;
using headers = std::vector<header>;

// A message as it arrives from a source. Owns its bytes.
struct input_record {
  topic_partition tp;
  offset off;
  std::int64_t timestamp_ms = 0;  // record timestamp (CreateTime/LogAppendTime), 0 if unknown
  std::string key;
  std::string value;
  wirefeed::headers hdrs;
  // Kafka keys and values are nullable: a null one reads as "" above and is flagged here, so a
  // dead letter can carry it on unchanged (a null key and an empty key partition differently).
  bool null_key = false;
  bool null_value = false;
  // A source that keeps only the start of a value too large to be an article gives its whole
  // length here (file_source: a line longer than max_message_bytes); 0: the value is whole.
  std::size_t whole_bytes = 0;
};

// Which configured output topic a produced record goes to.
enum class output_kind { enriched, stories, dead_letter, changelog, extracted };
const char* to_string(output_kind kind);

// A message to be produced. The sink maps `kind` to a topic name.
struct output_record {
  output_kind kind = output_kind::enriched;
  std::string key;
  std::string value;
  wirefeed::headers hdrs;
  bool tombstone = false;  // produce a null value (deletes `key` from a compacted topic)
  bool null_key = false;   // produce a null key (a dead letter of a record that had none)
  // Where the record goes: a partition of its own (else the key decides) and a record timestamp of
  // its own (else the produce time). The extract role's hand-off keeps the input's.
  std::optional<std::int32_t> partition = std::nullopt;
  std::int64_t timestamp_ms = 0;
};

// Finds a header by name (first match); empty if absent or null.
std::string_view find_header(const headers& hdrs, std::string_view name);

// An upper bound of the record's size as the producer counts it against message.max.bytes: key,
// value and headers, plus the record format's overhead (lengths, timestamps, attributes).
std::size_t record_bytes(const output_record& r);

}  // namespace wirefeed

template <>
struct std::hash<wirefeed::topic_partition> {
  std::size_t operator()(const wirefeed::topic_partition& tp) const noexcept {
    return std::hash<std::string>{}(tp.topic) * 31u + std::hash<std::int32_t>{}(tp.partition.value);
  }
};
