#include "pipeline/encode.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "pipeline/utf8_cursor.h"

namespace wirefeed {
namespace json = boost::json;

std::string format_utc(std::int64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return buf;
}

namespace {

// Sentence spans as [begin, end] code point offsets into the body (what Python's str indexes;
// JSON consumers rarely index UTF-8 bytes). One pass over the body.
json::array sentence_spans(const article& a) {
  json::array spans;
  spans.reserve(a.sentences.size());
  std::size_t byte = 0, chars = 0;
  const auto advance_to = [&](std::uint32_t target) {
    const std::size_t end = std::min<std::size_t>(target, a.body.size());
    chars += utf8::count_code_points(std::string_view(a.body).substr(byte, end - byte));
    byte = end;
    return chars;
  };
  for (const text_span& s : a.sentences) {
    if (s.begin < byte) break;  // spans are sorted; anything else is a bug upstream, not worth a crash
    const std::size_t b = advance_to(s.begin);
    const std::size_t e = advance_to(s.end);
    spans.push_back(json::array{b, e});
  }
  return spans;
}

}  // namespace

output_record encode_enriched(const article& a) {
  json::object out;
  out["uri"] = a.uri;
  if (a.published_ms) out["versioncreated"] = format_utc(*a.published_ms);
  if (a.first_created_ms) out["firstcreated"] = format_utc(*a.first_created_ms);
  if (!a.language.empty()) out["language"] = a.language;
  if (!a.headline.empty()) out["headlines"] = json::array{json::object{{"role", "main"}, {"value", a.headline}}};
  if (!a.body.empty()) {
    out["bodies"] = json::array{json::object{{"role", "main"},
                                             {"contenttype", a.body_is_html ? "text/html" : "text/plain"},
                                             {"value", a.body}}};
  }
  if (!a.byline.empty()) out["by"] = a.byline;
  if (!a.located.empty()) out["located"] = a.located;
  if (!a.altids.empty()) {
    json::object ids;
    for (const auto& [role, value] : a.altids) ids[role] = value;
    out["altids"] = std::move(ids);
  }
  out["people"] = json::array{};
  out["organisations"] = json::array{};
  out["places"] = json::array{};

  json::object wf;
  wf["source"] = json::object{{"topic", a.source.topic},
                              {"partition", a.source.partition},
                              {"offset", a.source.offset},
                              {"timestamp", a.source.timestamp_ms}};
  wf["format"] = to_string(a.format);
  if (a.uri_from_content) wf["uri_from_content"] = true;
  if (!a.publisher.empty()) wf["publisher"] = a.publisher;
  if (!a.url.empty()) wf["url"] = a.url;
  wf["published_source"] = to_string(a.published_from);
  if (!a.published.empty() && a.published_from != published_source::feed) wf["published_raw"] = a.published;
  if (a.dateline) {
    wf["dateline"] = json::object{
        {"place", a.dateline->place},
        {"agency", a.dateline->agency},
        {"text", a.body.substr(a.dateline->text.begin, a.dateline->text.size())}};
  }
  wf["language_source"] = to_string(a.language_from);
  if (!a.language_detected.method.empty()) {
    wf["language_detected"] = json::object{{"code", a.language_detected.code},
                                           {"reliable", a.language_detected.reliable},
                                           {"method", a.language_detected.method}};
  }
  json::array removed;
  removed.reserve(a.removed.size());
  for (const auto& r : a.removed) removed.push_back(json::object{{"kind", to_string(r.kind)}, {"text", r.text}});
  wf["removed"] = std::move(removed);
  wf["sentences"] = sentence_spans(a);
  wf["story"] = json::object{{"id", a.story_id.empty() ? json::value(nullptr) : json::value(a.story_id)}};
  wf["duplicate_of"] = a.duplicate_of ? json::value(*a.duplicate_of) : json::value(nullptr);
  out["wirefeed"] = std::move(wf);

  return output_record{output_kind::enriched, a.uri, json::serialize(out), {}};
}

output_record encode_story_update(const story_update& update) {
  return output_record{output_kind::stories, update.story_id, update.state_json, {}};
}

output_record encode_dead_letter(const input_record& input, const stage_error& error, std::int64_t now_ms) {
  output_record out{output_kind::dead_letter, input.key, input.value, input.hdrs};
  auto& h = out.hdrs;
  h.emplace_back(dlq_header::topic, input.tp.topic);
  h.emplace_back(dlq_header::partition, std::to_string(input.tp.partition.value));
  h.emplace_back(dlq_header::offset, std::to_string(input.off.value));
  h.emplace_back(dlq_header::connector, "wirefeed");
  h.emplace_back(dlq_header::stage, error.stage);
  h.emplace_back(dlq_header::class_name, "wirefeed." + error.stage);
  h.emplace_back(dlq_header::exception_class, "wirefeed." + error.stage + "." + error.reason);
  h.emplace_back(dlq_header::exception_message, error.message);
  h.emplace_back(dlq_header::reason, error.reason);
  h.emplace_back(dlq_header::time, format_utc(now_ms));
  return out;
}

}  // namespace wirefeed
