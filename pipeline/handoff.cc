#include "pipeline/handoff.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <system_error>

#include <boost/json.hpp>

#include "pipeline/changelog_json.h"
#include "pipeline/encode.h"
#include "pipeline/name_anchors.h"
#include "pipeline/story.h"

namespace wirefeed {
namespace json = boost::json;
namespace {

constexpr std::int64_t handoff_version = 1;

// Doubles as their shortest round-trip text: std::from_chars gives back the same bits, which a
// JSON number parsed by Boost.JSON 1.81 does not promise.
std::string exact(double v) {
  std::array<char, 32> buf{};
  const auto end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;
  return std::string(buf.data(), end);
}

json::array hashes(const std::vector<std::uint32_t>& values) {
  json::array out;
  out.reserve(values.size());
  for (const std::uint32_t v : values) out.push_back(v);
  return out;
}

// Reading: every accessor throws std::exception on a missing member or a wrong type; decode_handoff
// turns that into the stage_error.
double exact_number(const json::value& v) {
  const auto& s = v.as_string();
  double out = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) throw std::invalid_argument("not a number: " + std::string(s));
  return out;
}

std::vector<std::uint32_t> read_hashes(const json::value& v) {
  std::vector<std::uint32_t> out;
  const auto& a = v.as_array();
  out.reserve(a.size());
  for (const auto& x : a) out.push_back(json::value_to<std::uint32_t>(x));
  return out;
}

std::string text(const json::value& v) { return std::string(v.as_string()); }

std::uint64_t unsigned_text(const json::value& v) {
  const auto& s = v.as_string();
  std::uint64_t out = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) throw std::invalid_argument("not an unsigned number: " + std::string(s));
  return out;
}

entity_kind kind_named(std::string_view name) {
  for (const auto k : {entity_kind::person, entity_kind::organisation, entity_kind::place, entity_kind::other}) {
    if (name == to_string(k)) return k;
  }
  throw std::invalid_argument("unknown entity kind " + std::string(name));
}

// Appends `s` to the body as a paragraph of its own and returns its span.
text_span append_text(article& a, std::string_view s) {
  if (!a.body.empty()) a.body += "\n\n";
  const auto begin = static_cast<std::uint32_t>(a.body.size());
  a.body += s;
  return text_span{begin, static_cast<std::uint32_t>(a.body.size())};
}

// The enriched document the cluster role closes (close_enriched) must become one JSON object whose
// last member is the non-empty `wirefeed` object the cluster stage's members go into. Else a damaged
// record would publish a broken enriched article instead of becoming a dead letter. simdjson (as
// for the changelog): a few µs for the ~10 KB document, on the thread pool.
void check_unclustered(const std::string& document) {
  const simdjson::dom::object o = parse_object(document + "}}");
  std::string_view last;
  simdjson::dom::element value;
  for (const auto field : o) {
    last = field.key;
    value = field.value;
  }
  if (last != "wirefeed" || !value.is_object() || simdjson::dom::object(value).size() == 0) {
    throw std::invalid_argument("the enriched document does not end inside its wirefeed object");
  }
}

article read(const json::object& o) {
  if (o.at("handoff").as_int64() != handoff_version) {
    throw std::invalid_argument("hand-off version " + json::serialize(o.at("handoff")) + ", this build reads " +
                                std::to_string(handoff_version));
  }
  article a;
  a.unclustered = text(o.at("enriched"));
  check_unclustered(*a.unclustered);
  a.uri = text(o.at("uri"));
  a.headline = text(o.at("headline"));
  a.language = text(o.at("language"));
  a.publisher = text(o.at("source"));
  a.source.timestamp_ms = o.at("timestamp").as_int64();
  if (const auto& p = o.at("published_ms"); !p.is_null()) a.published_ms = p.as_int64();
  if (const auto* p = o.if_contains("dateline_place")) {  // absent in records of builds before it
    if (auto place = text(*p); !place.empty()) a.dateline.emplace().place = std::move(place);
  }
  for (const auto& t : o.at("terms").as_array()) {
    const auto& pair = t.as_array();
    a.terms.push_back(term_count{text(pair.at(0)), json::value_to<std::uint32_t>(pair.at(1))});
  }
  for (const auto& e : o.at("entities").as_array()) {
    const auto& pair = e.as_array();
    // The cluster stage counts mentions; it never reads their spans.
    const auto mentions = json::value_to<std::uint32_t>(pair.at(2));
    if (mentions > 100000) throw std::invalid_argument("entity mention count out of range");
    a.entities.push_back(entity{kind_named(pair.at(0).as_string()), text(pair.at(1)), {}, std::vector<text_span>(mentions)});
  }
  for (const auto& v : o.at("figures").as_array()) {
    const auto& f = v.as_object();
    figure fig;
    fig.text = append_text(a, f.at("text").as_string());
    fig.value = exact_number(f.at("value"));
    if (const auto& high = f.at("high"); !high.is_null()) fig.high = exact_number(high);
    fig.unit = text(f.at("unit"));
    fig.counted = text(f.at("counted"));
    fig.qualifier = text(f.at("qualifier"));
    a.figures.push_back(std::move(fig));
  }
  for (const auto& v : o.at("quotes").as_array()) {
    const auto& q = v.as_object();
    quote quo;
    quo.text = append_text(a, q.at("text").as_string());
    if (const auto& speaker = q.at("speaker"); !speaker.is_null()) {
      quo.speaker = json::value_to<std::uint32_t>(speaker);
      if (*quo.speaker >= a.entities.size()) throw std::invalid_argument("quote speaker out of range");
    }
    // Named at the quote ("... ," Arteta said): the cluster stage keeps it out of another speaker's
    // group. Absent in records of builds before it: as no attribution.
    if (const auto* direct = q.if_contains("direct"); direct && direct->is_bool() && direct->as_bool()) {
      quo.how = attribution::direct;
    }
    a.quotes.push_back(std::move(quo));
  }
  a.minhash = read_hashes(o.at("minhash"));
  for (const auto& p : o.at("paragraph_words").as_array()) a.paragraph_words.push_back(read_hashes(p));
  if (const auto* p = o.if_contains("anchors")) {  // absent in records of builds before it
    const auto halves = read_hashes(*p);
    if (halves.size() % 2 != 0) throw std::invalid_argument("anchors are not pairs of 32-bit halves");
    for (std::size_t i = 0; i < halves.size(); i += 2) a.anchors.push_back(halves[i] | (std::uint64_t{halves[i + 1]} << 32));
    std::sort(a.anchors.begin(), a.anchors.end());
    a.anchors.erase(std::unique(a.anchors.begin(), a.anchors.end()), a.anchors.end());
  }
  if (const auto* p = o.if_contains("paragraph_anchors")) {  // absent in records of builds before it
    for (const auto& q : p->as_array()) {
      if (a.paragraph_anchors.size() == max_anchor_paragraphs) break;
      a.paragraph_anchors.push_back(unpacked(read_hashes(q)));
    }
  }
  if (const auto* k = o.if_contains("content_key")) a.content_key = unsigned_text(*k);  // absent before it: 0
  return a;
}

}  // namespace

output_record encode_handoff(const article& a, const input_record& input, std::size_t max_document_bytes) {
  json::object o;
  o["handoff"] = handoff_version;
  o["enriched"] = encode_unclustered(a, max_document_bytes);
  o["uri"] = a.uri;
  o["headline"] = a.headline;
  o["language"] = a.language;
  o["source"] = source_of(a);
  o["timestamp"] = a.source.timestamp_ms;
  o["published_ms"] = a.published_ms ? json::value(*a.published_ms) : json::value(nullptr);
  o["dateline_place"] = a.dateline ? a.dateline->place : std::string();
  json::array terms;
  terms.reserve(a.terms.size());
  for (const auto& t : a.terms) terms.push_back(json::array{json::value(t.term), json::value(t.count)});
  o["terms"] = std::move(terms);
  json::array entities;
  entities.reserve(a.entities.size());
  for (const auto& e : a.entities) {
    entities.push_back(json::array{json::value(to_string(e.kind)), json::value(e.name), json::value(e.mentions.size())});
  }
  o["entities"] = std::move(entities);
  json::array figures;
  for (const auto& f : a.figures) {
    figures.push_back(json::object{{"text", a.body.substr(f.text.begin, f.text.size())},
                                   {"value", exact(f.value)},
                                   {"high", f.high ? json::value(exact(*f.high)) : json::value(nullptr)},
                                   {"unit", f.unit},
                                   {"counted", f.counted},
                                   {"qualifier", f.qualifier}});
  }
  o["figures"] = std::move(figures);
  json::array quotes;
  for (const auto& q : a.quotes) {
    const bool entity_speaker = q.speaker && *q.speaker < a.entities.size();
    json::object quo{{"text", a.body.substr(q.text.begin, q.text.size())},
                     {"speaker", entity_speaker ? json::value(*q.speaker) : json::value(nullptr)}};
    if (q.how == attribution::direct) quo["direct"] = true;
    quotes.push_back(std::move(quo));
  }
  o["quotes"] = std::move(quotes);
  o["minhash"] = hashes(a.minhash);
  json::array paragraphs;
  paragraphs.reserve(a.paragraph_words.size());
  for (const auto& p : a.paragraph_words) paragraphs.push_back(hashes(p));
  o["paragraph_words"] = std::move(paragraphs);
  std::vector<std::uint32_t> anchors;  // two halves each, low first
  anchors.reserve(2 * a.anchors.size());
  for (const auto h : a.anchors) {
    anchors.push_back(static_cast<std::uint32_t>(h));
    anchors.push_back(static_cast<std::uint32_t>(h >> 32));
  }
  o["anchors"] = hashes(anchors);
  json::array anchored;
  anchored.reserve(a.paragraph_anchors.size());
  for (const auto& p : a.paragraph_anchors) anchored.push_back(hashes(packed(p)));
  o["paragraph_anchors"] = std::move(anchored);
  o["content_key"] = std::to_string(a.content_key);  // as text: no reader rounds it to a double

  output_record out{output_kind::extracted, a.uri, json::serialize(o), {}};
  out.partition = input.tp.partition.value;
  out.timestamp_ms = input.timestamp_ms;
  return out;
}

result<article> decode_handoff(const input_record& record) {
  try {
    json::error_code ec;
    const json::value v = json::parse(record.value, ec);
    if (ec) return stage_error{"decode", "invalid_handoff", "not a hand-off record: " + ec.message()};
    return read(v.as_object());
  } catch (const std::exception& e) {
    return stage_error{"decode", "invalid_handoff", std::string("not a hand-off record: ") + e.what()};
  }
}

}  // namespace wirefeed
