#include "pipeline/encode.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
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

// ---- extract stage output (issue #4) ------------------------------------------------------------

// Byte offsets of the body to code point offsets, in any order: counts are kept per 256-byte
// block, so a lookup counts at most one block.
class code_points {
 public:
  explicit code_points(std::string_view body) : body_(body) {
    std::size_t total = 0;
    for (std::size_t at = 0; at < body.size(); at += block) {
      starts_.push_back(total);
      total += utf8::count_code_points(body.substr(at, block));
    }
  }
  std::size_t at(std::uint32_t byte) const {
    const std::size_t b = std::min<std::size_t>(byte, body_.size());
    const std::size_t k = b / block;
    if (k >= starts_.size()) return starts_.empty() ? 0 : starts_.back() + utf8::count_code_points(body_.substr(k * block));
    return starts_[k] + utf8::count_code_points(body_.substr(k * block, b - k * block));
  }
  json::array span(const text_span& s) const { return json::array{at(s.begin), at(s.end)}; }

 private:
  static constexpr std::size_t block = 256;
  std::string_view body_;
  std::vector<std::size_t> starts_;
};

std::string_view body_text(const article& a, const text_span& s) {
  if (s.begin > s.end || s.end > a.body.size()) return {};
  return std::string_view(a.body).substr(s.begin, s.size());
}

// Whole numbers as JSON integers (Boost.JSON writes doubles as 1E5).
json::value number(double v) {
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 9.0e15) return static_cast<std::int64_t>(v);
  return v;
}

std::string base64(const std::vector<std::uint32_t>& values) {
  static constexpr char k[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  bytes.reserve(values.size() * 4);
  for (const std::uint32_t v : values) {
    for (int i = 0; i < 4; ++i) bytes += static_cast<char>((v >> (8 * i)) & 0xFF);  // little-endian
  }
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) : 0u;
    const auto b2 = i + 2 < bytes.size() ? static_cast<unsigned char>(bytes[i + 2]) : 0u;
    out += k[b0 >> 2];
    out += k[((b0 & 3) << 4) | (b1 >> 4)];
    out += i + 1 < bytes.size() ? k[((b1 & 15) << 2) | (b2 >> 6)] : '=';
    out += i + 2 < bytes.size() ? k[b2 & 63] : '=';
  }
  return out;
}

// ninjs `people` / `organisations` / `places`, and `wirefeed.entities`, `quotes`, `figures`,
// `dates`, `keywords`, `fingerprint` (docs/output-contract.md).
void encode_extracted(const article& a, json::object& out, json::object& wf) {
  const code_points cp(a.body);
  std::vector<bool> quoted(a.entities.size(), false);
  for (const quote& q : a.quotes) {
    if (q.speaker && *q.speaker < quoted.size()) quoted[*q.speaker] = true;
  }
  json::array people, organisations, places, entities;
  for (std::size_t i = 0; i < a.entities.size(); ++i) {
    const entity& e = a.entities[i];
    json::object ninjs{{"name", e.name}, {"rel", quoted[i] ? "quoted" : "mentioned"}};
    if (e.kind == entity_kind::person) people.push_back(std::move(ninjs));
    else if (e.kind == entity_kind::organisation) organisations.push_back(std::move(ninjs));
    else if (e.kind == entity_kind::place) places.push_back(std::move(ninjs));
    json::object o{{"id", i}, {"kind", to_string(e.kind)}, {"name", e.name}};
    if (!e.role.empty()) o["role"] = e.role;
    json::array mentions;
    mentions.reserve(e.mentions.size());
    for (const text_span& m : e.mentions) mentions.push_back(cp.span(m));
    o["mentions"] = std::move(mentions);
    entities.push_back(std::move(o));
  }
  out["people"] = std::move(people);
  out["organisations"] = std::move(organisations);
  out["places"] = std::move(places);
  wf["entities"] = std::move(entities);

  json::array quotes;
  for (const quote& q : a.quotes) {
    json::object o{{"text", body_text(a, q.text)}, {"span", cp.span(q.text)}};
    if (q.speaker && *q.speaker < a.entities.size()) {
      o["speaker"] = a.entities[*q.speaker].name;
      o["speaker_entity"] = *q.speaker;
    } else {
      o["speaker"] = q.speaker_text.empty() ? json::value(nullptr) : json::value(q.speaker_text);
    }
    if (q.speaker_span) o["speaker_span"] = cp.span(*q.speaker_span);
    o["verb"] = q.verb.empty() ? json::value(nullptr) : json::value(q.verb);
    o["attribution"] = to_string(q.how);
    o["partial"] = q.partial;
    quotes.push_back(std::move(o));
  }
  wf["quotes"] = std::move(quotes);

  json::array figures;
  for (const figure& f : a.figures) {
    figures.push_back(json::object{{"text", body_text(a, f.text)},
                                   {"span", cp.span(f.text)},
                                   {"value", number(f.value)},
                                   {"high", f.high ? number(*f.high) : json::value(nullptr)},
                                   {"unit", f.unit},
                                   {"counted", f.counted},
                                   {"qualifier", f.qualifier}});
  }
  wf["figures"] = std::move(figures);

  json::array dates;
  for (const date_mention& d : a.dates) {
    dates.push_back(json::object{{"text", body_text(a, d.text)},
                                 {"span", cp.span(d.text)},
                                 {"value", d.value.empty() ? json::value(nullptr) : json::value(d.value)},
                                 {"relative", d.relative}});
  }
  wf["dates"] = std::move(dates);

  json::array keywords;
  for (const keyword& k : a.keywords) keywords.push_back(json::object{{"term", k.term}, {"score", number(k.score)}});
  wf["keywords"] = std::move(keywords);

  if (!a.minhash.empty()) {
    char simhash[24] = "";
    if (a.simhash) std::snprintf(simhash, sizeof simhash, "%016llx", static_cast<unsigned long long>(*a.simhash));
    json::object fp{{"minhash", base64(a.minhash)}, {"shingle_words", 5}};
    if (a.simhash) fp["simhash"] = simhash;
    wf["fingerprint"] = std::move(fp);
  } else {
    wf["fingerprint"] = nullptr;
  }
}

}  // namespace

std::string encode_unclustered(const article& a) {
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
  encode_extracted(a, out, wf);
  out["wirefeed"] = std::move(wf);

  // `wirefeed` is the last member of the document and is never empty: drop its closing "}}" so
  // close_enriched can append the cluster stage's members.
  std::string text = json::serialize(out);
  text.resize(text.size() - 2);
  return text;
}

output_record close_enriched(std::string unclustered, const article& a) {
  std::string& text = unclustered;
  text += R"(,"story":{"id":)";
  text += a.story_id.empty() ? "null" : json::serialize(json::value(a.story_id));
  text += R"(},"duplicate_of":)";
  text += a.duplicate_of ? json::serialize(json::value(*a.duplicate_of)) : "null";
  if (a.duplicate_of) {
    text += R"(,"duplicate_similarity":)";
    text += json::serialize(json::value(std::round(a.duplicate_similarity * 1000) / 1000));
  }
  text += "}}";
  return output_record{output_kind::enriched, a.uri, std::move(text), {}};
}

output_record encode_enriched(const article& a) { return close_enriched(encode_unclustered(a), a); }

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
