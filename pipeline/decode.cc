#include "pipeline/decode.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/charset.h"
#include "pipeline/content_hash.h"
#include "pipeline/text_cleanup.h"
#include "pipeline/text_fold.h"
#include "pipeline/text_header.h"
#include "pipeline/utf8.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {
namespace {

constexpr std::string_view stage_name = "decode";

stage_error reject(std::string reason, std::string message) {
  return stage_error{std::string(stage_name), std::move(reason), std::move(message)};
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n\f\v");
  return s.substr(first, last - first + 1);
}

// The element name of a tag at the start of `s` ("<strong>", "</p>", "<br/>", "<a\thref"),
// lower-cased; empty if `s` does not start with one.
std::string tag_name(std::string_view s) {
  std::size_t i = 1;
  if (s.size() > i && s[i] == '/') ++i;
  const std::size_t from = i;
  while (i < s.size() && i - from < 12 && std::isalnum(static_cast<unsigned char>(s[i]))) ++i;
  if (i == from || (i < s.size() && s[i] != '>' && s[i] != '/' && !std::isspace(static_cast<unsigned char>(s[i])))) {
    return {};
  }
  return ascii_lower(s.substr(from, i - from));
}

bool is_html_element(std::string_view name) {
  static constexpr std::string_view elements[] = {
      "a",       "abbr",   "article", "aside", "b",      "blockquote", "body",   "br",   "caption", "center",
      "cite",    "code",   "dd",      "del",   "div",    "dl",         "dt",     "em",   "figcaption", "figure",
      "font",    "footer", "h1",      "h2",    "h3",     "h4",         "h5",     "h6",   "head",   "header",
      "hr",      "html",   "i",       "iframe", "img",   "ins",        "li",     "link", "main",   "mark",
      "meta",    "nav",    "ol",      "p",     "picture", "pre",       "q",      "s",    "script", "section",
      "small",   "span",   "strong",  "style", "sub",    "sup",        "svg",    "table", "tbody", "td",
      "th",      "thead",  "time",    "title", "tr",     "u",          "ul",     "video"};
  return std::find(std::begin(elements), std::end(elements), name) != std::end(elements);
}

// An HTML body: one that opens with a comment, a doctype or an HTML element's tag, or that holds
// a paragraph or line break anywhere ("MOSCOW (AP) — Talks began.<p>The Kremlin said ...").
bool looks_like_html(std::string_view s) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '<') {
    const std::string head = ascii_lower(s.substr(0, 9));
    if (head.starts_with("<!--") || head.starts_with("<!doctype")) return true;
    if (is_html_element(tag_name(s))) return true;
  }
  for (std::size_t at = s.find('<'); at != std::string_view::npos; at = s.find('<', at + 1)) {
    const std::string name = tag_name(s.substr(at));
    if (name == "p" || name == "br" || name == "div") return true;
  }
  return false;
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view t) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    return i > from;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// A bare JSON null, boolean or number (an NDJSON line of one, say): nothing an article could be.
bool is_json_scalar(std::string_view t) { return t == "null" || t == "true" || t == "false" || is_json_number(t); }

// The JSON text with every number written as a string: "n": 1e400 -> "n": "1e400". JSON puts no
// limit on numbers; simdjson refuses those beyond 64-bit integers and doubles, and an article
// must not become a dead letter for a field nobody reads. Every field wirefeed reads takes a
// string as well as a number (scalar_text), and a string keeps a huge id's digits exactly.
std::string numbers_as_strings(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 8);
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < json.size()) out += json[++i];
      else if (c == '"') in_string = false;
    } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      const std::size_t end = json.find_first_not_of("0123456789+-.eE", i);
      const std::string_view number = json.substr(i, end == std::string_view::npos ? end : end - i);
      if (is_json_number(number)) out.append("\"").append(number).append("\"");
      else out.append(number);  // malformed, and still so for the parser
      i += number.size() - 1;
    } else {
      in_string = c == '"';
      out += c;
    }
  }
  return out;
}

// A \uXXXX escape at `i` (the backslash), its code unit; -1 if there is none.
int escaped_unit(std::string_view json, std::size_t i) {
  if (i + 6 > json.size() || json[i] != '\\' || json[i + 1] != 'u') return -1;
  int unit = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    const char c = json[k];
    const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                      : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                      : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                                  : -1;
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

// The JSON text with each escaped surrogate that is not half of a pair ("\ud800" alone, as
// JavaScript writes a string cut between the halves) written as U+FFFD. The JSON equivalent of
// invalid UTF-8, repaired under the same policy; simdjson refuses the string otherwise.
std::string lone_surrogates_replaced(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (!in_string || c != '\\') {
      if (c == '"') in_string = !in_string;
      out += c;
      continue;
    }
    const int unit = escaped_unit(json, i);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const int low = escaped_unit(json, i + 6);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        out.append(json.substr(i, 12));
        i += 11;
      } else {
        out.append("\\uFFFD");
        i += 5;
      }
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      out.append("\\uFFFD");
      i += 5;
    } else {
      out += c;
      if (i + 1 < json.size()) out += json[++i];
    }
  }
  return out;
}

// The content-type header, either spelling.
std::string_view content_type_of(const headers& hdrs) {
  std::string_view ct = find_header(hdrs, "content-type");
  return ct.empty() ? find_header(hdrs, "Content-Type") : ct;
}

// The shape the content-type header asks for, if it names one we know.
std::optional<cfg::input_format> format_from_header(const headers& hdrs) {
  const std::string_view ct = content_type_of(hdrs);
  if (ct.empty()) return std::nullopt;
  const std::string v = ascii_lower(ct);
  if (v.find("ninjs") != std::string::npos) return cfg::input_format::ninjs;
  if (v.find("json") != std::string::npos) return cfg::input_format::json;
  if (v.find("text/") != std::string::npos) return cfg::input_format::text;
  return std::nullopt;
}

// A scalar JSON value as text: strings as they are, numbers printed; anything else is absent.
std::optional<std::string> scalar_text(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: return std::string(std::string_view(e));
    case simdjson::dom::element_type::INT64: return std::to_string(int64_t(e));
    case simdjson::dom::element_type::UINT64: return std::to_string(uint64_t(e));
    case simdjson::dom::element_type::DOUBLE: {
      // The shortest text that reads back as the same number ("1.5", "1e-07"): distinct numbers
      // stay distinct ids, where std::to_string printed 1e-7 and 2e-7 both as "0.000000".
      char buf[32];
      const auto end = std::to_chars(buf, buf + sizeof buf, double(e)).ptr;
      return std::string(buf, end);
    }
    default: return std::nullopt;
  }
}

std::optional<std::string> first_field(simdjson::dom::object obj, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    simdjson::dom::element e;
    if (obj.at_key(name).get(e) != simdjson::SUCCESS) continue;
    if (auto text = scalar_text(e); text && !blank_text(*text)) return text;
  }
  return std::nullopt;
}

// ninjs 2.x `headlines: [{value, role}]` / `bodies: [{value, role, contenttype}]`: of the entries
// with text, the one with role "main" (or no role), else the first (an empty main headline beside
// an alternative one is no article without a headline).
std::optional<std::pair<std::string, std::string>> ninjs_array_value(simdjson::dom::object obj, std::string_view key) {
  simdjson::dom::array arr;
  if (obj.at_key(key).get(arr) != simdjson::SUCCESS) return std::nullopt;
  std::optional<std::pair<std::string, std::string>> first, main;
  for (simdjson::dom::element item : arr) {
    simdjson::dom::object entry;
    std::string_view value;
    if (item.get(entry) != simdjson::SUCCESS || entry.at_key("value").get(value) != simdjson::SUCCESS) continue;
    if (blank_text(value)) continue;
    std::string_view role, contenttype;
    if (entry.at_key("role").get(role) != simdjson::SUCCESS) role = {};
    if (entry.at_key("contenttype").get(contenttype) != simdjson::SUCCESS) contenttype = {};
    std::pair<std::string, std::string> v{std::string(value), std::string(contenttype)};
    if (!first) first = v;
    if (!main && (role.empty() || role == "main")) main = v;
  }
  return main ? main : first;
}

// "By Johnson Lai" as a field: the names.
std::string byline_names(std::string_view byline) {
  if (byline.size() > 3 && (byline.starts_with("By ") || byline.starts_with("BY ") || byline.starts_with("by "))) {
    return std::string(trim(byline.substr(3)));
  }
  return std::string(byline);
}

// ninjs 2.x `bylines: [{"name", "role", ...}]`: the names, "A and B", "A, B and C".
std::string ninjs_bylines(simdjson::dom::object obj) {
  simdjson::dom::array arr;
  if (obj.at_key("bylines").get(arr) != simdjson::SUCCESS) return {};
  std::vector<std::string> names;
  for (simdjson::dom::element item : arr) {
    simdjson::dom::object entry;
    std::string_view name;
    if (item.get(entry) == simdjson::SUCCESS && entry.at_key("name").get(name) == simdjson::SUCCESS && !blank_text(name)) {
      names.emplace_back(trim(name));
    }
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

// ninjs 1.x `altids: {"role": "value"}` or 2.x `altids: [{"role", "value"}]`.
std::vector<std::pair<std::string, std::string>> altids_of(simdjson::dom::object obj) {
  std::vector<std::pair<std::string, std::string>> out;
  simdjson::dom::element e;
  if (obj.at_key("altids").get(e) != simdjson::SUCCESS) return out;
  simdjson::dom::object map;
  simdjson::dom::array list;
  if (e.get(map) == simdjson::SUCCESS) {
    for (auto field : map) {
      if (auto v = scalar_text(field.value)) out.emplace_back(std::string(field.key), std::move(*v));
    }
  } else if (e.get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : list) {
      simdjson::dom::object entry;
      std::string_view role, value;
      if (item.get(entry) != simdjson::SUCCESS || entry.at_key("value").get(value) != simdjson::SUCCESS) continue;
      if (entry.at_key("role").get(role) != simdjson::SUCCESS) role = {};
      out.emplace_back(std::string(role), std::string(value));
    }
  }
  return out;
}

// ninjs `located` is a string; some feeds send {"name": ...}.
std::optional<std::string> located_of(simdjson::dom::object obj) {
  simdjson::dom::element e;
  if (obj.at_key("located").get(e) != simdjson::SUCCESS) return std::nullopt;
  if (auto text = scalar_text(e)) return text;
  simdjson::dom::object place;
  std::string_view name;
  if (e.get(place) == simdjson::SUCCESS && place.at_key("name").get(name) == simdjson::SUCCESS) return std::string(name);
  return std::nullopt;
}

bool is_ninjs(simdjson::dom::object obj) {
  simdjson::dom::element e;
  const bool has_uri = obj.at_key("uri").get(e) == simdjson::SUCCESS;
  for (std::string_view key : {"headlines", "bodies", "body_text", "body_html", "body_xhtml", "versioncreated", "firstcreated"}) {
    if (obj.at_key(key).get(e) == simdjson::SUCCESS) return has_uri || key == "headlines" || key == "bodies";
  }
  return false;
}

// Whether brackets open deeper than the parser's depth somewhere in `text` (outside strings), as
// "[[[[..." is, closed or not: the parser says DEPTH_ERROR only of a value it read to the end.
bool nested_past_depth(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > simdjson::DEFAULT_MAX_DEPTH) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// Fills `a` from a JSON object.
status decode_json(std::string_view text, const decode_options& options, article& a, bool declared_ninjs) {
  // One parser per thread: parsers are reusable but not thread-safe.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(text.data(), text.size()).get(doc); err != simdjson::SUCCESS) {
    // Numbers beyond simdjson's range and (under the repair policy) lone surrogates are written
    // anew and parsed again, in the order the parser meets them (two rounds at most).
    const simdjson::error_code first = err;
    const bool repair = options.invalid_utf8 == cfg::invalid_utf8_policy::repair;
    std::string rewritten;
    for (int round = 0; round < 2 && err != simdjson::SUCCESS; ++round) {
      const std::string_view current = rewritten.empty() ? text : std::string_view(rewritten);
      if (err == simdjson::NUMBER_ERROR) rewritten = numbers_as_strings(current);
      else if (err == simdjson::STRING_ERROR && repair) rewritten = lone_surrogates_replaced(current);
      else break;
      err = parser.parse(rewritten).get(doc);
    }
    if (err != simdjson::SUCCESS) {
      // Brackets nested past the parser's depth: no article, whether or not the rest parses (not
      // text either, as a value starting with '[' that is no JSON would be).
      if (trim(text).starts_with('[') && (first == simdjson::DEPTH_ERROR || nested_past_depth(text))) {
        return reject("not_an_object", "a JSON array nested deeper than " + std::to_string(simdjson::DEFAULT_MAX_DEPTH) +
                                           " levels, not an article");
      }
      return reject("invalid_json", std::string("malformed JSON: ") + simdjson::error_message(first));
    }
  }
  simdjson::dom::object obj;
  if (doc.get(obj) != simdjson::SUCCESS) return reject("not_an_object", "JSON value is not an object");

  const auto& f = options.fields;
  a.format = (declared_ninjs || is_ninjs(obj)) ? feed_format::ninjs : feed_format::json;

  if (auto id = first_field(obj, f.id)) a.uri = std::move(*id);
  if (auto h = ninjs_array_value(obj, "headlines")) {
    a.headline = std::move(h->first);
  } else if (auto head = first_field(obj, f.headline)) {
    a.headline = std::move(*head);
  }
  if (auto b = ninjs_array_value(obj, "bodies")) {
    a.body = std::move(b->first);
    a.body_is_html = b->second.find("html") != std::string::npos || looks_like_html(a.body);
  } else if (auto body = first_field(obj, f.body)) {
    a.body = std::move(*body);
    a.body_is_html = looks_like_html(a.body);
  } else if (auto html = first_field(obj, {"body_html", "body_xhtml", "html"})) {  // body_xhtml: ninjs 1.x
    a.body = std::move(*html);
    a.body_is_html = true;
  }
  if (auto t = first_field(obj, f.time)) {
    a.published = std::move(*t);
  } else if (auto fc = first_field(obj, {"firstcreated"})) {
    a.published = std::move(*fc);
  }
  if (auto fc = first_field(obj, {"firstcreated"})) a.first_created = std::move(*fc);
  if (auto s = first_field(obj, f.source)) a.publisher = std::move(*s);
  if (auto u = first_field(obj, f.url)) a.url = std::move(*u);
  if (auto l = first_field(obj, {"language", "lang"})) a.language = std::move(*l);
  if (auto b = first_field(obj, f.byline)) {
    a.byline = std::move(*b);
  } else {
    a.byline = ninjs_bylines(obj);
  }
  a.byline = byline_names(a.byline);
  if (auto l = located_of(obj)) a.located = std::move(*l);
  a.altids = altids_of(obj);
  return ok_status();
}

}  // namespace

const char* to_string(feed_format f) {
  switch (f) {
    case feed_format::ninjs: return "ninjs";
    case feed_format::json: return "json";
    case feed_format::text: return "text";
  }
  return "unknown";
}

decoder::decoder(decode_options options) : options_(std::move(options)) {}

result<article> decoder::process(const input_record& record) const {
  if (const std::size_t bytes = std::max(record.value.size(), record.whole_bytes); bytes > options_.max_message_bytes) {
    return reject("oversized", "message of " + std::to_string(bytes) + " bytes exceeds max_message_bytes " +
                                   std::to_string(options_.max_message_bytes));
  }
  // Text in the charset it declares (a content-type header's, an HTML or XML declaration's) when
  // it is not UTF-8, or with a UTF-16 or UTF-32 byte order mark, is read in it. A declaration the
  // bytes contradict (valid UTF-8 under "iso-8859-1", a common mislabelling; "utf-16" without
  // NULs) is ignored, and so is a charset ICU does not know: the checks below decide. Valid UTF-8
  // without NULs (most messages) holds no such byte order mark and contradicts every other
  // declaration: none is looked for.
  std::string converted;
  std::string_view value = record.value;
  const bool has_nul = value.find('\0') != std::string_view::npos;
  if (const auto d = !has_nul && utf8::is_valid(value) ? std::nullopt : charset::declared(content_type_of(record.hdrs), value);
      d && !charset::is_utf8(d->name) &&
      (d->bom_bytes > 0 || !utf8::is_valid(value) || (charset::is_wide(d->name) && has_nul))) {
    if (auto c = charset::to_utf8(value.substr(d->bom_bytes), d->name)) {
      if (c->undecodable >= 4 && c->undecodable * 4 >= c->characters) {
        return reject("invalid_utf8", std::to_string(c->undecodable) + " of " + std::to_string(c->characters) +
                                          " characters do not decode in the declared charset " + d->name);
      }
      converted = std::move(c->text);
      value = converted;
    }
  }
  if (trim(value).empty()) return reject("empty", "message has no content");
  // The control bytes, in one pass: all but white space and Ctrl-Z, and, by place (odd or even),
  // all below 0x20 and the NULs.
  std::size_t controls = 0, at_parity[2] = {0, 0}, nuls_at_parity[2] = {0, 0};
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 || c == 0x1A) continue;
    ++at_parity[i % 2];
    if (c == 0) ++nuls_at_parity[i % 2];
    if (c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') ++controls;
  }
  // A quarter of the bytes control characters (NUL and the others but tab, line and page breaks,
  // and the Ctrl-Z old DOS files are padded with):
  // UTF-16 without a byte order mark (UTF-16LE of English is valid UTF-8 byte by byte with a NUL
  // after each letter, of Russian with a 0x04), or binary data. Text would come out as garbage.
  if (controls >= 4 && controls * 4 >= value.size()) {
    return reject("invalid_utf8", std::to_string(controls) + " of " + std::to_string(value.size()) +
                                      " bytes are NUL or other control characters: UTF-16 or binary data, not UTF-8 text");
  }
  // UTF-16 of the Indian scripts: each letter's second byte is 0x09 to 0x0D (Devanagari's is a
  // tab, Malayalam's a carriage return), white space to the count above, and each space's a NUL.
  // Three quarters of the bytes at odd (or at even) places below 0x20, at most a quarter at the
  // others, and NULs among them is no text's pattern (runs of tabs or line breaks have as many at
  // both places; a table of one-character cells, "1\t0\n2\t1\n", has no NUL).
  if (const std::size_t places = value.size() / 2; value.size() >= 16) {
    const std::size_t most = at_parity[0] >= at_parity[1] ? 0 : 1;
    if (at_parity[most] * 4 >= places * 3 && at_parity[1 - most] * 4 <= places && nuls_at_parity[most] >= 2 &&
        nuls_at_parity[most] * 16 >= places) {
      return reject("invalid_utf8", "every other byte is a control character: UTF-16 (without a byte order mark), not UTF-8 text");
    }
  }

  std::string repaired;
  std::string_view text = value;
  if (const auto bad = utf8::find_invalid(text); bad != std::string_view::npos) {
    if (options_.invalid_utf8 == cfg::invalid_utf8_policy::reject) {
      return reject("invalid_utf8", "invalid UTF-8 at byte " + std::to_string(bad));
    }
    std::size_t mended = 0;
    repaired = utf8::repair(text, &mended);
    // Repair is for stray bytes (Windows-1252 quotes and accents in a UTF-8 feed: at most about a
    // quarter of a short French line's characters). Text in a legacy code page of another script
    // (Windows-1251 Russian, GBK Chinese, Windows-1253 Greek: two thirds or more) would come out
    // as Latin letters or U+FFFD soup.
    if (const std::size_t chars = utf8::count_code_points(repaired); mended >= 4 && mended * 2 >= chars) {
      return reject("invalid_utf8", std::to_string(mended) + " of " + std::to_string(chars) +
                                        " characters are not UTF-8 (first at byte " + std::to_string(bad) +
                                        "): text in another encoding, which repair would garble");
    }
    text = repaired;
  }
  // A byte order mark says nothing in UTF-8; before JSON it would make the value look like text.
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
    if (trim(text).empty()) return reject("empty", "message has no content");
  }

  article a;
  a.source = {record.tp.topic, record.tp.partition.value, record.off.value, record.timestamp_ms};

  cfg::input_format format = options_.format;
  if (const auto it = options_.topic_formats.find(record.tp.topic); it != options_.topic_formats.end()) {
    format = it->second;
  }
  bool text_unless_json = false;  // "[UPDATED 10:32 GMT] MOSCOW (AP) — ...": text, unless it parses
  if (format == cfg::input_format::auto_detect) {
    if (auto from_header = format_from_header(record.hdrs)) {
      format = *from_header;
    } else {
      const std::string_view t = trim(text);
      if (is_json_scalar(t)) return reject("not_an_object", "a JSON " + std::string(t.substr(0, 32)) + ", not an article");
      format = (t.front() == '{' || t.front() == '[') ? cfg::input_format::json : cfg::input_format::text;
      text_unless_json = t.front() == '[';
    }
  }

  if (format == cfg::input_format::json || format == cfg::input_format::ninjs) {
    if (auto decoded = decode_json(text, options_, a, format == cfg::input_format::ninjs); !decoded) {
      if (!text_unless_json || decoded.error().reason != "invalid_json") return decoded.error();
      a = article{};
      a.source = {record.tp.topic, record.tp.partition.value, record.off.value, record.timestamp_ms};
      format = cfg::input_format::text;
    }
  }
  if (format != cfg::input_format::json && format != cfg::input_format::ninjs) {
    a.format = feed_format::text;
    const std::string content_type = ascii_lower(content_type_of(record.hdrs));
    if (looks_like_html(text) || content_type.find("html") != std::string::npos) {
      a.body = std::string(text);
      a.body_is_html = true;
    } else {
      text_header header = split_text_header(text);
      a.header_lines = std::move(header.lines);
      a.body = std::string(text.substr(header.body_offset));
      // Labelled lines say what a JSON input's fields would ("Source: Reuters", "Author: ...",
      // "Language: fr"), before the record's headers do.
      for (const auto& line : a.header_lines) {
        const header_field f = classify_header_line(line);
        if (f.kind == header_line_kind::source && a.publisher.empty()) a.publisher = f.value;
        if (f.kind == header_line_kind::language && a.language.empty()) a.language = f.value;
        if (f.kind == header_line_kind::byline && a.byline.empty()) a.byline = byline_names(f.value);
      }
    }
  }
  // Headers fill what the input itself does not say.
  if (a.publisher.empty()) a.publisher = std::string(find_header(record.hdrs, "source"));
  if (a.language.empty()) a.language = std::string(find_header(record.hdrs, "content-language"));

  if (trim(a.headline).empty() && trim(a.body).empty() && a.header_lines.empty()) {
    return reject("no_content", "no headline and no body");
  }
  // A body of no more bytes than the limit has no more characters either. An HTML body's markup
  // (an inline image of 250 KB) is not text: normalize counts what is left of it (normalize.h).
  if (const auto chars =
          !a.body_is_html && a.body.size() > options_.max_body_chars ? utf8::count_code_points(a.body) : 0;
      chars > options_.max_body_chars) {
    return reject("body_too_long", "body of " + std::to_string(chars) + " characters exceeds max_body_chars " +
                                       std::to_string(options_.max_body_chars));
  }
  if (a.uri.empty()) {
    a.uri = "urn:wirefeed:" + content_hash_hex(text);
    a.uri_from_content = true;
  } else if (a.uri.size() > max_uri_bytes) {
    return reject("uri_too_long", "uri (id) of " + std::to_string(a.uri.size()) + " bytes, more than " +
                                      std::to_string(max_uri_bytes));
  }
  return a;
}

}  // namespace wirefeed
