#include "pipeline/encode.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <span>

#include "pipeline/decode.h"
#include "pipeline/iso_time.h"
#include "pipeline/json_writer.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {

std::string format_utc(std::int64_t unix_ms) {
  // Years 1970-9999 without gmtime and snprintf (story updates write a time per member): the same
  // text as the general path below.
  constexpr std::int64_t year_10000_ms = 253402300800000;
  if (unix_ms >= 0 && unix_ms < year_10000_ms) {
    const std::int64_t secs = unix_ms / 1000, days = secs / 86400, in_day = secs % 86400;
    const civil date = civil_from_days(days);
    char buf[] = "0000-00-00T00:00:00.000Z";
    const auto put = [&](std::size_t at, std::int64_t value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10) buf[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    };
    put(0, date.y, 4);
    put(5, date.m, 2);
    put(8, date.d, 2);
    put(11, in_day / 3600, 2);
    put(14, in_day / 60 % 60, 2);
    put(17, in_day % 60, 2);
    put(20, unix_ms % 1000, 3);
    return std::string(buf, sizeof buf - 1);
  }
  // Before 1970 the second is the one below (floor, not toward zero): -1500 is 23:59:58.500.
  const std::int64_t ms = ((unix_ms % 1000) + 1000) % 1000;
  const std::time_t secs = static_cast<std::time_t>((unix_ms - ms) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

namespace {

// Sentence spans as [begin, end] code point offsets into the body (what Python's str indexes;
// JSON consumers rarely index UTF-8 bytes). One pass over the body.
void write_sentence_spans(json_writer& w, const article& a, std::size_t shown) {
  w.begin_array();
  std::size_t byte = 0, chars = 0;
  const auto advance_to = [&](std::uint32_t target) {
    const std::size_t end = std::min<std::size_t>(target, a.body.size());
    chars += utf8::count_code_points(std::string_view(a.body).substr(byte, end - byte));
    byte = end;
    return chars;
  };
  for (const text_span& s : std::span(a.sentences).first(std::min(shown, a.sentences.size()))) {
    if (s.begin < byte) break;  // spans are sorted; anything else is a bug upstream, not worth a crash
    const std::size_t b = advance_to(s.begin);
    const std::size_t e = advance_to(s.end);
    w.begin_array().value(b).value(e).end_array();
  }
  w.end_array();
}

// ---- extract stage output (issue #4) ------------------------------------------------------------

// Byte offsets of the body to code point offsets, in any order: counts are kept per 256-byte
// block (counted at the first lookup: an article without spans costs nothing), so a lookup counts
// at most one block.
class code_points {
 public:
  explicit code_points(std::string_view body) : body_(body) {}
  std::size_t at(std::uint32_t byte) const {
    if (starts_.empty()) {
      std::size_t total = 0;
      for (std::size_t at = 0; at < body_.size(); at += block) {
        starts_.push_back(total);
        total += utf8::count_code_points(body_.substr(at, block));
      }
      starts_.push_back(total);  // where a block after the last would start: the end of a body of whole blocks
    }
    const std::size_t b = std::min<std::size_t>(byte, body_.size());
    const std::size_t k = b / block;
    return starts_[k] + utf8::count_code_points(body_.substr(k * block, b - k * block));
  }
  void span(json_writer& w, const text_span& s) const { w.begin_array().value(at(s.begin)).value(at(s.end)).end_array(); }

 private:
  static constexpr std::size_t block = 256;
  std::string_view body_;
  mutable std::vector<std::size_t> starts_;
};

std::string_view body_text(const article& a, const text_span& s) {
  if (s.begin > s.end || s.end > a.body.size()) return {};
  return std::string_view(a.body).substr(s.begin, s.size());
}

// The lists an enriched article cuts short to fit one record (encode_unclustered): the first
// `shown` of each, and the whole length of each list cut.
struct cut_lists {
  std::size_t shown = std::numeric_limits<std::size_t>::max();
  std::vector<std::pair<const char*, std::size_t>> cut;

  template <class T>
  std::span<const T> first(const char* name, const std::vector<T>& list) {
    if (list.size() <= shown) return list;
    cut.emplace_back(name, list.size());
    return std::span(list).first(shown);
  }
};

// ninjs `people` / `organisations` / `places`: the first `entities` of a.entities.
void write_ninjs_entities(json_writer& w, const article& a, std::size_t entities) {
  std::vector<bool> quoted(a.entities.size(), false);
  for (const quote& q : a.quotes) {
    if (q.speaker && *q.speaker < quoted.size()) quoted[*q.speaker] = true;
  }
  for (const auto& [name, kind] : {std::pair{"people", entity_kind::person},
                                   std::pair{"organisations", entity_kind::organisation},
                                   std::pair{"places", entity_kind::place}}) {
    w.name(name).begin_array();
    for (std::size_t i = 0; i < entities; ++i) {
      const entity& e = a.entities[i];
      if (e.kind != kind) continue;
      w.begin_object().key("name").value(e.name).key("rel").value(quoted[i] ? "quoted" : "mentioned").end_object();
    }
    w.end_array();
  }
}

// `wirefeed.entities`, `quotes`, `figures`, `dates`, `keywords`, `fingerprint`
// (docs/output-contract.md); the first `lists.shown` of each list (and of each entity's mentions).
void write_extracted(json_writer& w, const article& a, cut_lists& lists) {
  const code_points cp(a.body);
  const auto entities = lists.first("entities", a.entities);
  w.key("entities").begin_array();
  bool mentions_cut = false;
  for (std::size_t i = 0; i < entities.size(); ++i) {
    const entity& e = entities[i];
    w.begin_object().key("id").value(i).key("kind").value(to_string(e.kind)).key("name").value(e.name);
    if (!e.role.empty()) w.key("role").value(e.role);
    w.key("mentions").begin_array();
    mentions_cut |= e.mentions.size() > lists.shown;
    for (const text_span& m : std::span(e.mentions).first(std::min(lists.shown, e.mentions.size()))) cp.span(w, m);
    w.end_array().end_object();
  }
  w.end_array();
  if (mentions_cut) {
    std::size_t mentions = 0;
    for (const entity& e : entities) mentions += e.mentions.size();
    lists.cut.emplace_back("mentions", mentions);
  }

  w.key("quotes").begin_array();
  for (const quote& q : lists.first("quotes", a.quotes)) {
    w.begin_object().key("text").value(body_text(a, q.text)).key("span");
    cp.span(w, q.text);
    if (q.speaker && *q.speaker < a.entities.size()) {
      w.key("speaker").value(a.entities[*q.speaker].name);
      if (*q.speaker < entities.size()) w.key("speaker_entity").value(*q.speaker);
    } else {
      w.key("speaker").string_or_null(q.speaker_text);
    }
    if (q.speaker_span) {
      w.key("speaker_span");
      cp.span(w, *q.speaker_span);
    }
    w.key("verb").string_or_null(q.verb).key("attribution").value(to_string(q.how)).key("partial").value(q.partial);
    w.end_object();
  }
  w.end_array();

  w.key("figures").begin_array();
  for (const figure& f : lists.first("figures", a.figures)) {
    w.begin_object().key("text").value(body_text(a, f.text)).key("span");
    cp.span(w, f.text);
    w.key("value").number(f.value).key("high");
    if (f.high) w.number(*f.high);
    else w.null();
    w.key("unit").value(f.unit).key("counted").value(f.counted).key("qualifier").value(f.qualifier).end_object();
  }
  w.end_array();

  w.key("dates").begin_array();
  for (const date_mention& d : lists.first("dates", a.dates)) {
    w.begin_object().key("text").value(body_text(a, d.text)).key("span");
    cp.span(w, d.text);
    w.key("value").string_or_null(d.value).key("relative").value(d.relative).end_object();
  }
  w.end_array();

  w.key("keywords").begin_array();
  for (const keyword& k : a.keywords) {
    w.begin_object().key("term").value(k.term).key("score").number(k.score).end_object();
  }
  w.end_array();

  w.key("fingerprint");
  if (a.minhash.empty()) {
    w.null();
    return;
  }
  w.begin_object().key("minhash").base64(a.minhash).key("shingle_words").value(5);
  if (a.simhash) {
    char simhash[24] = "";
    std::snprintf(simhash, sizeof simhash, "%016llx", static_cast<unsigned long long>(*a.simhash));
    w.key("simhash").value(std::string_view(simhash));
  }
  w.end_object();
}

std::string write_unclustered(const article& a, std::size_t shown) {
  cut_lists lists{shown, {}};
  std::string text;
  text.reserve(a.body.size() * 2 + 1024);
  json_writer w(text);
  w.begin_object().key("uri").value(a.uri);
  if (a.published_ms) w.key("versioncreated").value(format_utc(*a.published_ms));
  if (a.first_created_ms) w.key("firstcreated").value(format_utc(*a.first_created_ms));
  if (!a.language.empty()) w.key("language").value(a.language);
  if (!a.headline.empty()) {
    w.key("headlines").begin_array().begin_object().key("role").value("main").key("value").value(a.headline);
    w.end_object().end_array();
  }
  if (!a.body.empty()) {
    w.key("bodies").begin_array().begin_object().key("role").value("main");
    w.key("contenttype").value(a.body_is_html ? "text/html" : "text/plain").key("value").value(a.body);
    w.end_object().end_array();
  }
  if (!a.byline.empty()) w.key("by").value(a.byline);
  if (!a.located.empty()) w.key("located").value(a.located);
  if (!a.altids.empty()) {  // ninjs 2.0: [{"role", "value"}], in the input's order
    w.key("altids").begin_array();
    for (const auto& [role, value] : a.altids) w.begin_object().key("role").value(role).key("value").value(value).end_object();
    w.end_array();
  }
  write_ninjs_entities(w, a, std::min(shown, a.entities.size()));

  w.key("wirefeed").begin_object();
  w.key("source").begin_object().key("topic").value(a.source.topic).key("partition").value(a.source.partition);
  w.key("offset").value(a.source.offset).key("timestamp").value(a.source.timestamp_ms).end_object();
  w.key("format").value(to_string(a.format));
  if (a.uri_from_content) w.key("uri_from_content").value(true);
  if (!a.publisher.empty()) w.key("publisher").value(a.publisher);
  if (!a.url.empty()) w.key("url").value(a.url);
  w.key("published_source").value(to_string(a.published_from));
  if (!a.published.empty() && a.published_from != published_source::feed) w.key("published_raw").value(a.published);
  if (a.dateline) {
    w.key("dateline").begin_object().key("place").value(a.dateline->place).key("agency").value(a.dateline->agency);
    w.key("text").value(body_text(a, a.dateline->text)).end_object();
  }
  w.key("language_source").value(to_string(a.language_from));
  if (!a.language_detected.method.empty()) {
    w.key("language_detected").begin_object().key("code").value(a.language_detected.code);
    w.key("reliable").value(a.language_detected.reliable).key("method").value(a.language_detected.method).end_object();
  }
  w.key("removed").begin_array();
  for (const auto& r : lists.first("removed", a.removed)) w.begin_object().key("kind").value(to_string(r.kind)).key("text").value(r.text).end_object();
  w.end_array();
  w.key("sentences");
  write_sentence_spans(w, a, lists.first("sentences", a.sentences).size());
  write_extracted(w, a, lists);
  if (!lists.cut.empty()) {
    w.key("truncated").begin_object();
    for (const auto& [name, size] : lists.cut) w.name(name).value(size);
    w.end_object();
  }
  // Left open: close_enriched appends the cluster stage's members and the two closing braces.
  w.flush();
  return text;
}

}  // namespace

std::string encode_unclustered(const article& a, std::size_t max_bytes) {
  std::string text = write_unclustered(a, std::numeric_limits<std::size_t>::max());
  // Too large for one record (thousands of figures, quotes or sentences): fewer of each list.
  for (const std::size_t shown : {1000, 100, 10, 0}) {
    if (text.size() <= max_bytes) break;
    text = write_unclustered(a, shown);
  }
  return text;
}

std::size_t unclustered_budget(std::string_view uri, std::size_t max_record_bytes) {
  // What closing the document adds: the story id, the uri of the article it copies (decoded, so
  // at most max_uri_bytes) and the score.
  const std::size_t others = record_bytes(output_record{output_kind::enriched, std::string(uri), {}, {}}) + max_uri_bytes + 512;
  return max_record_bytes > others ? max_record_bytes - others : 0;
}

output_record close_enriched(std::string unclustered, const article& a) {
  json_writer w(unclustered);
  w.continue_object();  // the `wirefeed` object
  w.key("story").begin_object().key("id").string_or_null(a.story_id).end_object();
  w.key("duplicate_of");
  if (a.duplicate_of) w.value(*a.duplicate_of).key("duplicate_similarity").value(std::round(a.duplicate_similarity * 1000) / 1000);
  else w.null();
  w.end_object();
  unclustered += '}';  // the document
  return output_record{output_kind::enriched, a.uri, std::move(unclustered), {}};
}

output_record encode_enriched(const article& a) { return close_enriched(encode_unclustered(a), a); }

output_record encode_dead_letter(const input_record& input, const stage_error& error, std::int64_t now_ms) {
  output_record out{output_kind::dead_letter, input.key, input.value, input.hdrs};
  out.null_key = input.null_key;
  out.tombstone = input.null_value;
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
