#include "pipeline/story.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "pipeline/encode.h"
#include "pipeline/ner/feature_hash.h"
#include "pipeline/text_fold.h"

namespace wirefeed {
namespace json = boost::json;
namespace {

// "https://www.ewn.co.za/2022/..." -> "ewn.co.za".
std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  url = url.substr(0, url.find(':'));
  if (url.starts_with("www.")) url.remove_prefix(4);
  return std::string(url);
}

// "Russian troops" -> "troop": the last word, lower-case, a plural 's' dropped.
std::string counted_head(std::string_view counted) {
  const auto space = counted.rfind(' ');
  std::string head(space == std::string_view::npos ? counted : counted.substr(space + 1));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (head.size() > 3 && head.back() == 's' && head[head.size() - 2] != 's') head.pop_back();
  return head;
}

// Sorted distinct hashes of the folded words of `text`.
std::vector<std::uint32_t> word_hashes(std::string_view text) {
  const std::string folded = fold_text(text);
  std::vector<std::uint32_t> out;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !std::isalnum(static_cast<unsigned char>(folded[i])) &&
           static_cast<unsigned char>(folded[i]) < 0x80)
      ++i;
    const std::size_t start = i;
    while (i < folded.size() && (std::isalnum(static_cast<unsigned char>(folded[i])) ||
                                 static_cast<unsigned char>(folded[i]) >= 0x80))
      ++i;
    if (i > start) out.push_back(static_cast<std::uint32_t>(ner::hash_bytes(std::string_view(folded).substr(start, i - start))));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Two quotations are the same when they share half their words, or one holds 80% of the other's
// (a quote trimmed by one outlet).
bool same_quote(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) {
  const std::size_t c = common_count(x, y);
  const std::size_t smaller = std::min(x.size(), y.size());
  return 2 * c >= x.size() + y.size() - c || (smaller > 0 && 5 * c >= 4 * smaller);
}

constexpr std::size_t min_quote_words = 5;

std::string figure_label(const figure_report& r, const figure_group& g) {
  return r.text + (g.counted.empty() ? "" : " " + g.counted);
}

// The same quantity, as sources report it: within 25% of each other (100,000 and 110,000 troops
// are one figure in conflict; 3,000 and 100,000 troops are two figures).
bool close(double x, double y) {
  if (x <= 0 || y <= 0) return x == y;
  return std::max(x, y) <= 1.25 * std::min(x, y);
}

bool same_value(const figure_report& x, const figure_report& y) { return x.value == y.value && x.high == y.high; }

// Figures worth consolidating: something counted, or a currency / measure unit.
bool consolidates(const figure& f) { return !f.counted.empty() || (!f.unit.empty() && f.unit != "percent"); }

std::vector<story_change> add_figures(story& s, const article& a, const std::string& source,
                                      const story_limits& limits) {
  std::vector<story_change> changes;
  for (const figure& f : a.figures) {
    if (!consolidates(f)) continue;
    const std::string head = counted_head(f.counted);
    figure_report r{source, a.uri, a.body.substr(f.text.begin, f.text.size()), f.value, f.high, f.qualifier};
    auto g = std::find_if(s.figures.begin(), s.figures.end(), [&](const figure_group& x) {
      return x.unit == f.unit && counted_head(x.counted) == head &&
             std::any_of(x.reports.begin(), x.reports.end(), [&](const figure_report& y) { return close(y.value, f.value); });
    });
    if (g == s.figures.end()) {
      if (s.figures.size() >= limits.figure_groups) continue;
      s.figures.push_back(figure_group{f.counted, f.unit, {r}});
      changes.push_back({"new_figure", figure_label(r, s.figures.back())});
      continue;
    }
    const bool known = std::any_of(g->reports.begin(), g->reports.end(), [&](const figure_report& x) {
      return x.uri == r.uri && same_value(x, r);
    });
    if (known || g->reports.size() >= limits.reports_per_figure) continue;
    const bool was_conflict = g->conflict();
    const bool new_value =
        std::none_of(g->reports.begin(), g->reports.end(), [&](const figure_report& x) { return same_value(x, r); });
    g->reports.push_back(r);
    if (new_value) changes.push_back({"new_figure", figure_label(r, *g)});
    if (!was_conflict && g->conflict()) changes.push_back({"figure_conflict", figure_label(r, *g)});
  }
  return changes;
}

std::vector<story_change> add_quotes(story& s, const article& a, const std::string& source,
                                     const story_limits& limits) {
  std::vector<story_change> changes;
  for (const quote& q : a.quotes) {
    std::string text = a.body.substr(q.text.begin, q.text.size());
    auto words = word_hashes(text);
    if (words.size() < min_quote_words) continue;
    std::string speaker =
        q.speaker && *q.speaker < a.entities.size() ? a.entities[*q.speaker].name : std::string();
    auto g = std::find_if(s.quotes.begin(), s.quotes.end(), [&](const quote_group& x) {
      return std::any_of(x.variants.begin(), x.variants.end(),
                         [&](const quote_variant& v) { return same_quote(v.words, words); });
    });
    if (g == s.quotes.end()) {
      if (s.quotes.size() >= limits.quote_groups) continue;
      changes.push_back({"new_quote", text});
      s.quotes.push_back(quote_group{std::move(speaker), {{std::move(text), source, a.uri, std::move(words)}}});
      continue;
    }
    if (g->speaker.empty()) g->speaker = std::move(speaker);
    const bool known = std::any_of(g->variants.begin(), g->variants.end(),
                                   [&](const quote_variant& v) { return v.uri == a.uri; });
    if (!known && g->variants.size() < limits.variants_per_quote) {
      g->variants.push_back({std::move(text), source, a.uri, std::move(words)});
    }
  }
  return changes;
}

json::value time_value(const std::optional<std::int64_t>& ms) {
  return ms ? json::value(format_utc(*ms)) : json::value(nullptr);
}

json::array top_entities(const story& s, entity_kind kind, std::size_t n) {
  std::vector<std::pair<std::uint32_t, const std::string*>> found;
  for (const auto& [key, count] : s.entities) {
    if (key.first == static_cast<int>(kind)) found.emplace_back(count, &key.second);
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  json::array out;
  for (std::size_t i = 0; i < found.size() && i < n; ++i) {
    out.push_back(json::object{{"name", *found[i].second}, {"count", found[i].first}});
  }
  return out;
}

// The heaviest centroid terms, as keywords.
json::array keywords(const story& s, std::size_t n) {
  std::vector<const centroid_entry*> order;
  for (const auto& e : s.terms) {
    if (e.text.find(':') == std::string::npos) order.push_back(&e);  // entities have their own lists
  }
  std::sort(order.begin(), order.end(), [](const centroid_entry* x, const centroid_entry* y) {
    return x->weight != y->weight ? x->weight > y->weight : x->text < y->text;
  });
  json::array out;
  for (std::size_t i = 0; i < order.size() && i < n; ++i) out.push_back(json::value(order[i]->text));
  return out;
}

json::object public_state(const story& s) {
  json::object o;
  o["id"] = s.id;
  o["version"] = s.version;
  o["headline"] = s.headline;
  o["first_seen"] = time_value(s.first_seen_ms);
  o["last_updated"] = time_value(s.last_updated_ms);
  o["articles"] = s.articles;
  json::array members;
  for (const auto& m : s.members) {
    members.push_back(json::object{
        {"uri", m.uri},
        {"source", m.source.empty() ? json::value(nullptr) : json::value(m.source)},
        {"time", time_value(m.time_ms)},
        {"duplicate_of", m.duplicate_of ? json::value(*m.duplicate_of) : json::value(nullptr)},
        {"similarity", m.duplicate_of ? json::value(std::round(m.duplicate_similarity * 1000) / 1000) : json::value(nullptr)}});
  }
  o["members"] = std::move(members);
  o["sources"] = s.source_count();
  json::array names;
  for (const auto& [name, count] : s.sources) names.push_back(json::value(name));
  o["source_names"] = std::move(names);
  o["people"] = top_entities(s, entity_kind::person, 10);
  o["organisations"] = top_entities(s, entity_kind::organisation, 10);
  o["places"] = top_entities(s, entity_kind::place, 10);
  o["keywords"] = keywords(s, 10);
  json::object languages;
  for (const auto& [code, count] : s.languages) languages[code] = count;
  o["languages"] = std::move(languages);
  json::array figures;
  for (const auto& g : s.figures) {
    json::array reports;
    for (const auto& r : g.reports) {
      reports.push_back(json::object{{"source", r.source.empty() ? json::value(nullptr) : json::value(r.source)},
                                     {"uri", r.uri},
                                     {"text", r.text},
                                     {"value", r.value},
                                     {"high", r.high ? json::value(*r.high) : json::value(nullptr)},
                                     {"qualifier", r.qualifier}});
    }
    figures.push_back(json::object{
        {"counted", g.counted}, {"unit", g.unit}, {"conflict", g.conflict()}, {"reports", std::move(reports)}});
  }
  o["figures"] = std::move(figures);
  json::array quotes;
  for (const auto& g : s.quotes) {
    json::array variants;
    std::set<std::string> carriers;
    for (const auto& v : g.variants) {
      variants.push_back(json::object{{"text", v.text},
                                      {"source", v.source.empty() ? json::value(nullptr) : json::value(v.source)},
                                      {"uri", v.uri}});
      carriers.insert(v.uri);
    }
    quotes.push_back(json::object{{"speaker", g.speaker.empty() ? json::value(nullptr) : json::value(g.speaker)},
                                  {"text", g.variants.front().text},
                                  {"articles", carriers.size()},
                                  {"variants", std::move(variants)}});
  }
  o["quotes"] = std::move(quotes);
  return o;
}

json::array u32_array(const std::vector<std::uint32_t>& v) {
  json::array out;
  out.reserve(v.size());
  for (auto x : v) out.push_back(x);
  return out;
}

std::vector<std::uint32_t> u32_vector(const json::value& v) {
  std::vector<std::uint32_t> out;
  for (const auto& x : v.as_array()) out.push_back(static_cast<std::uint32_t>(x.to_number<std::uint64_t>()));
  return out;
}

json::array vector_json(const feature_vector& v) {
  json::array out;
  for (const auto& e : v) out.push_back(json::array{std::to_string(e.hash), e.weight, e.text});
  return out;
}

feature_vector vector_from(const json::value& v) {
  feature_vector out;
  for (const auto& e : v.as_array()) {
    const auto& a = e.as_array();
    out.push_back({std::stoull(std::string(a.at(0).as_string())), static_cast<float>(a.at(1).to_number<double>()),
                   std::string(a.at(2).as_string())});
  }
  return out;
}

std::optional<std::int64_t> optional_ms(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  return v.to_number<std::int64_t>();
}

}  // namespace

std::size_t common_count(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) {
  std::size_t n = 0;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] == y[j]) ++n, ++i, ++j;
    else if (x[i] < y[j]) ++i;
    else ++j;
  }
  return n;
}

bool figure_group::conflict() const {
  // Only figures written with digits can disagree: "tens of thousands" is no claim against 25,000.
  const auto precise = [](const figure_report& r) {
    return std::any_of(r.text.begin(), r.text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (const auto& x : reports) {
    if (!precise(x)) continue;
    for (const auto& y : reports) {
      if (!precise(y)) continue;
      if (x.source != y.source && !same_value(x, y)) return true;
      if (x.source.empty() && x.uri != y.uri && !same_value(x, y)) return true;
    }
  }
  return false;
}

std::string source_of(const article& a) {
  if (!a.publisher.empty()) return a.publisher;
  if (auto host = url_host(a.url); !host.empty()) return host;
  if (a.dateline && !a.dateline->agency.empty()) return a.dateline->agency;
  return {};
}

std::optional<std::int64_t> article_time(const article& a) {
  if (a.source.timestamp_ms > 0) return a.source.timestamp_ms;
  return a.published_ms;
}

double dot(const feature_vector& x, const feature_vector& y) {
  double sum = 0;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i].hash == y[j].hash) sum += static_cast<double>(x[i++].weight) * y[j++].weight;
    else if (x[i].hash < y[j].hash) ++i;
    else ++j;
  }
  return sum;
}

double norm(const feature_vector& v) {
  double sum = 0;
  for (const auto& e : v) sum += static_cast<double>(e.weight) * e.weight;
  return std::sqrt(sum);
}

void add_vectors(feature_vector& v, const feature_vector& w, std::size_t keep) {
  feature_vector out;
  out.reserve(v.size() + w.size());
  std::size_t i = 0, j = 0;
  while (i < v.size() || j < w.size()) {
    if (j == w.size() || (i < v.size() && v[i].hash < w[j].hash)) out.push_back(std::move(v[i++]));
    else if (i == v.size() || w[j].hash < v[i].hash) out.push_back(w[j++]);
    else {
      out.push_back(std::move(v[i++]));
      out.back().weight += w[j++].weight;
    }
  }
  if (out.size() > keep) {
    std::nth_element(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(),
                     [](const centroid_entry& x, const centroid_entry& y) {
                       return x.weight != y.weight ? x.weight > y.weight : x.hash < y.hash;
                     });
    out.resize(keep);
    std::sort(out.begin(), out.end(), [](const centroid_entry& x, const centroid_entry& y) { return x.hash < y.hash; });
  }
  v = std::move(out);
}

std::vector<story_change> add_member(story& s, const article& a, story_member m, const feature_vector& terms,
                                     const story_limits& limits) {
  std::vector<story_change> changes;
  changes.push_back({"new_article", a.uri});
  if (s.headline.empty()) s.headline = a.headline;
  if (m.time_ms) {
    s.first_seen_ms = s.first_seen_ms ? std::min(*s.first_seen_ms, *m.time_ms) : *m.time_ms;
    s.last_updated_ms = s.last_updated_ms ? std::max(*s.last_updated_ms, *m.time_ms) : *m.time_ms;
  }
  const std::string source = m.source;
  if (source.empty()) {
    ++s.unknown_sources;
    changes.push_back({"new_source", a.uri});
  } else if (s.sources[source]++ == 0) {
    changes.push_back({"new_source", source});
  }
  if (!a.language.empty()) ++s.languages[a.language];
  for (const entity& e : a.entities) {
    const auto key = std::make_pair(static_cast<int>(e.kind), e.name);
    if (auto it = s.entities.find(key); it != s.entities.end()) ++it->second;
    else if (s.entities.size() < limits.entities) s.entities.emplace(key, 1);
  }
  add_vectors(s.terms, terms, limits.centroid_terms);
  for (auto& c : add_figures(s, a, source, limits)) changes.push_back(std::move(c));
  for (auto& c : add_quotes(s, a, source, limits)) changes.push_back(std::move(c));
  ++s.articles;
  s.members.push_back(std::move(m));
  if (s.members.size() > limits.members) s.members.erase(s.members.begin());
  return changes;
}

void absorb(story& into, story&& from, const story_limits& limits) {
  if (from.first_seen_ms) {
    into.first_seen_ms = into.first_seen_ms ? std::min(*into.first_seen_ms, *from.first_seen_ms) : from.first_seen_ms;
  }
  if (from.last_updated_ms) {
    into.last_updated_ms =
        into.last_updated_ms ? std::max(*into.last_updated_ms, *from.last_updated_ms) : from.last_updated_ms;
  }
  into.articles += from.articles;
  for (auto& m : from.members) into.members.push_back(std::move(m));
  std::stable_sort(into.members.begin(), into.members.end(), [](const story_member& x, const story_member& y) {
    return x.time_ms.value_or(0) < y.time_ms.value_or(0);
  });
  while (into.members.size() > limits.members) into.members.erase(into.members.begin());
  for (const auto& [k, n] : from.sources) into.sources[k] += n;
  into.unknown_sources += from.unknown_sources;
  for (const auto& [k, n] : from.languages) into.languages[k] += n;
  for (const auto& [k, n] : from.entities) {
    if (auto it = into.entities.find(k); it != into.entities.end()) it->second += n;
    else if (into.entities.size() < limits.entities) into.entities.emplace(k, n);
  }
  add_vectors(into.terms, from.terms, limits.centroid_terms);
  for (auto& g : from.figures) {
    if (into.figures.size() >= limits.figure_groups) break;
    into.figures.push_back(std::move(g));
  }
  for (auto& g : from.quotes) {
    if (into.quotes.size() >= limits.quote_groups) break;
    into.quotes.push_back(std::move(g));
  }
}

std::string story_json(const story& s, const std::vector<story_change>& changes) {
  json::object o = public_state(s);
  json::array list;
  for (const auto& c : changes) list.push_back(json::object{{"kind", c.kind}, {"detail", c.detail}});
  o["changes"] = std::move(list);
  return json::serialize(o);
}

std::string redirect_json(std::string_view absorbed_id, std::string_view into_id) {
  return json::serialize(json::object{{"id", absorbed_id}, {"merged_into", into_id}});
}

namespace {

// Adds the internal fields (centroid, counts, ...) to a story's public state.
void add_internal_state(const story& s, json::object& o);

}  // namespace

std::pair<std::string, std::string> story_update_and_state(const story& s, const std::vector<story_change>& changes) {
  json::object o = public_state(s);
  json::array list;
  for (const auto& c : changes) list.push_back(json::object{{"kind", c.kind}, {"detail", c.detail}});
  o["changes"] = std::move(list);
  std::string update = json::serialize(o);
  add_internal_state(s, o);
  return {std::move(update), json::serialize(o)};
}

namespace {

void add_internal_state(const story& s, json::object& o) {
  o["seq"] = s.seq;
  o["unknown_sources"] = s.unknown_sources;
  json::object sources;
  for (const auto& [k, n] : s.sources) sources[k] = n;
  o["source_counts"] = std::move(sources);
  json::array entities;
  for (const auto& [k, n] : s.entities) entities.push_back(json::array{k.first, k.second, n});
  o["entity_counts"] = std::move(entities);
  o["terms"] = vector_json(s.terms);
  auto& members = o["members"].as_array();
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto& m = s.members[i];
    auto& jm = members[i].as_object();
    jm["time_ms"] = m.time_ms ? json::value(*m.time_ms) : json::value(nullptr);
  }
  auto& quotes = o["quotes"].as_array();
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    auto& variants = quotes[i].as_object()["variants"].as_array();
    for (std::size_t j = 0; j < variants.size(); ++j) {
      variants[j].as_object()["words"] = u32_array(s.quotes[i].variants[j].words);
    }
  }
  o["first_seen_ms"] = s.first_seen_ms ? json::value(*s.first_seen_ms) : json::value(nullptr);
  o["last_updated_ms"] = s.last_updated_ms ? json::value(*s.last_updated_ms) : json::value(nullptr);
}

}  // namespace

std::string fingerprint_json(const story_member& m) {
  json::array paragraphs;
  for (const auto& p : m.paragraphs) paragraphs.push_back(u32_array(p));
  return json::serialize(json::object{{"minhash", u32_array(m.minhash)}, {"paragraphs", std::move(paragraphs)}});
}

result<story_member> parse_fingerprint(std::string_view text) {
  try {
    const json::object o = json::parse(text).as_object();
    story_member m;
    m.minhash = u32_vector(o.at("minhash"));
    for (const auto& p : o.at("paragraphs").as_array()) m.paragraphs.push_back(u32_vector(p));
    return m;
  } catch (const std::exception& e) {
    return stage_error{"cluster", "bad_changelog_record", std::string("fingerprint record does not parse: ") + e.what()};
  }
}

result<story> parse_story_state(std::string_view text) {
  try {
    const json::object o = json::parse(text).as_object();
    story s;
    s.id = std::string(o.at("id").as_string());
    s.seq = o.at("seq").to_number<std::uint64_t>();
    s.version = o.at("version").to_number<std::uint64_t>();
    s.headline = std::string(o.at("headline").as_string());
    s.first_seen_ms = optional_ms(o.at("first_seen_ms"));
    s.last_updated_ms = optional_ms(o.at("last_updated_ms"));
    s.articles = o.at("articles").to_number<std::uint64_t>();
    for (const auto& jm : o.at("members").as_array()) {
      const auto& m = jm.as_object();
      story_member member;
      member.uri = std::string(m.at("uri").as_string());
      if (!m.at("source").is_null()) member.source = std::string(m.at("source").as_string());
      member.time_ms = optional_ms(m.at("time_ms"));
      if (!m.at("duplicate_of").is_null()) {
        member.duplicate_of = std::string(m.at("duplicate_of").as_string());
        member.duplicate_similarity = m.at("similarity").to_number<double>();
      }
      s.members.push_back(std::move(member));
    }
    for (const auto& [k, n] : o.at("source_counts").as_object()) s.sources[std::string(k)] = n.to_number<std::uint32_t>();
    s.unknown_sources = o.at("unknown_sources").to_number<std::uint32_t>();
    for (const auto& [k, n] : o.at("languages").as_object()) s.languages[std::string(k)] = n.to_number<std::uint32_t>();
    for (const auto& e : o.at("entity_counts").as_array()) {
      const auto& a = e.as_array();
      s.entities[{a.at(0).to_number<int>(), std::string(a.at(1).as_string())}] = a.at(2).to_number<std::uint32_t>();
    }
    s.terms = vector_from(o.at("terms"));
    for (const auto& jg : o.at("figures").as_array()) {
      const auto& g = jg.as_object();
      figure_group group{std::string(g.at("counted").as_string()), std::string(g.at("unit").as_string()), {}};
      for (const auto& jr : g.at("reports").as_array()) {
        const auto& r = jr.as_object();
        figure_report report;
        if (!r.at("source").is_null()) report.source = std::string(r.at("source").as_string());
        report.uri = std::string(r.at("uri").as_string());
        report.text = std::string(r.at("text").as_string());
        report.value = r.at("value").to_number<double>();
        if (!r.at("high").is_null()) report.high = r.at("high").to_number<double>();
        report.qualifier = std::string(r.at("qualifier").as_string());
        group.reports.push_back(std::move(report));
      }
      s.figures.push_back(std::move(group));
    }
    for (const auto& jq : o.at("quotes").as_array()) {
      const auto& q = jq.as_object();
      quote_group group;
      if (!q.at("speaker").is_null()) group.speaker = std::string(q.at("speaker").as_string());
      for (const auto& jv : q.at("variants").as_array()) {
        const auto& v = jv.as_object();
        quote_variant variant;
        variant.text = std::string(v.at("text").as_string());
        if (!v.at("source").is_null()) variant.source = std::string(v.at("source").as_string());
        variant.uri = std::string(v.at("uri").as_string());
        variant.words = u32_vector(v.at("words"));
        group.variants.push_back(std::move(variant));
      }
      if (!group.variants.empty()) s.quotes.push_back(std::move(group));
    }
    return s;
  } catch (const std::exception& e) {
    return stage_error{"cluster", "bad_changelog_record", std::string("story state does not parse: ") + e.what()};
  }
}

}  // namespace wirefeed
