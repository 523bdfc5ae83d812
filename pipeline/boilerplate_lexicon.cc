#include "pipeline/boilerplate_lexicon.h"

#include <unicode/regex.h>
#include <unicode/utext.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "pipeline/text_fold.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {
namespace {

enum class when_t { always, repeated };

struct rule {
  removal_kind kind = removal_kind::navigation;
  std::size_t max_chars = 300;
  when_t when = when_t::always;
  bool has_literals = false;
  std::unique_ptr<icu::RegexPattern> pattern;  // may be null
};

struct literal {
  std::string text;  // folded
  std::uint16_t rule = 0;
  bool boundary_before = false;  // the literal starts with a letter/digit: needs a boundary
  bool boundary_after = false;   // the literal ends with a letter/digit: needs a boundary
};

constexpr std::array<std::pair<std::string_view, removal_kind>, 7> k_kinds{{
    {"navigation", removal_kind::navigation},
    {"teaser", removal_kind::teaser},
    {"promo", removal_kind::promo},
    {"copyright", removal_kind::copyright},
    {"contributor", removal_kind::contributor},
    {"source_note", removal_kind::source_note},
    {"caption", removal_kind::caption},
}};

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

bool is_trailing_punct(char c) { return c == '.' || c == ':' || c == '!' || c == '|' || c == ' ' || c == ';'; }

// Folded, runs of spaces collapsed, trimmed.
std::string fold_literal(std::string_view s) {
  const std::string f = fold_text(s);
  std::string out;
  for (char c : f) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Without final punctuation and spaces (lines and suffixes compare this way).
std::string_view trim_trailing(std::string_view s) {
  while (!s.empty() && is_trailing_punct(s.back())) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

literal make_literal(std::string_view folded, std::uint16_t rule_index) {
  literal l{std::string(folded), rule_index, false, false};
  if (!l.text.empty()) {
    l.boundary_before = is_word_byte(static_cast<unsigned char>(l.text.front()));
    l.boundary_after = is_word_byte(static_cast<unsigned char>(l.text.back()));
  }
  return l;
}

// A 16-bit key of four bytes, for the `contains` prefilter.
std::uint16_t key4(const char* p) {
  std::uint32_t x;
  std::memcpy(&x, p, 4);
  x *= 0x9E3779B1u;
  return static_cast<std::uint16_t>(x >> 16);
}

// A 16-bit key of three bytes, for the prefix/suffix prefilters.
std::uint16_t key3(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])); };
  return static_cast<std::uint16_t>((b(0) * 0x9E37u) ^ (b(1) * 0x85EBu) ^ (b(2) * 0xC2B3u) ^ (b(2) << 8));
}

// Lets the line table be searched with a string_view.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct boilerplate_lexicon::impl {
  std::vector<rule> rules;
  std::unordered_map<std::string, std::vector<std::uint16_t>, string_hash, std::equal_to<>> lines;  // trimmed folded line -> rules
  std::size_t longest_line = 0;
  std::array<std::vector<literal>, 256> prefixes;  // by first byte
  std::array<std::vector<literal>, 256> suffixes;  // by last byte (of the trimmed literal)
  std::bitset<65536> prefix_keys;  // key3 of the first three bytes of every prefix of 3+ bytes
  std::bitset<65536> suffix_keys;  // key3 of the last three bytes of every suffix of 3+ bytes
  std::vector<literal> short_prefixes;  // under three bytes: always tried
  std::vector<literal> short_suffixes;
  std::vector<literal> contains;
  std::bitset<65536> contains_keys;  // key4 of the first four bytes of each `contains` literal
  std::size_t contains_max_chars = 0;   // the largest max_chars of a contains rule
  std::vector<std::uint16_t> pattern_only;

  bool pattern_matches(const rule& r, std::string_view text) const {
    if (!r.pattern) return true;
    UErrorCode status = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, text.data(), static_cast<std::int64_t>(text.size()), &status);
    std::unique_ptr<icu::RegexMatcher> m(r.pattern->matcher(status));
    bool found = false;
    if (U_SUCCESS(status) && m) {
      m->reset(&ut);
      found = m->find(status) && U_SUCCESS(status);
    }
    utext_close(&ut);
    return found;
  }
};

result<boilerplate_lexicon> boilerplate_lexicon::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return stage_error{"normalize", "bad_lexicon",
                       "boilerplate lexicon \"" + path + "\" cannot be read: " + std::strerror(errno)};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

result<boilerplate_lexicon> boilerplate_lexicon::parse(std::string_view yaml_text, const std::string& source) {
  try {
    return parse_yaml(yaml_text, source);
  } catch (const YAML::Exception& e) {
    return stage_error{"normalize", "bad_lexicon", "boilerplate lexicon " + source + ": " + e.what()};
  }
}

result<boilerplate_lexicon> boilerplate_lexicon::parse_yaml(std::string_view yaml_text, const std::string& source) {
  const auto fail = [&](const std::string& message) {
    return stage_error{"normalize", "bad_lexicon", "boilerplate lexicon " + source + ": " + message};
  };
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::ParserException& e) {
    return fail("line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1) +
                ": YAML syntax error: " + e.msg);
  }
  if (!root.IsMap()) return fail("expected a map with `version` and `rules`");
  for (const auto& kv : root) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    if (key != "version" && key != "rules") return fail("unknown top-level key \"" + key + "\"");
  }
  if (!root["version"] || !root["version"].IsScalar() || root["version"].Scalar() != "1") {
    return fail("`version: 1` is required (this wirefeed reads version 1)");
  }
  const YAML::Node rules = root["rules"];
  if (!rules || !rules.IsSequence() || rules.size() == 0) return fail("`rules` must be a non-empty list");
  if (rules.size() > 60000) return fail("too many rules");

  auto lex = std::make_shared<impl>();
  std::vector<std::string> problems;
  for (std::size_t n = 0; n < rules.size(); ++n) {
    const YAML::Node r = rules[n];
    const std::string where = "rule " + std::to_string(n + 1) +
                              (r.Mark().is_null() ? std::string() : " (line " + std::to_string(r.Mark().line + 1) + ")");
    const auto problem = [&](const std::string& what) { problems.push_back(where + ": " + what); };
    if (!r.IsMap()) {
      problem("expected a map");
      continue;
    }
    rule out;
    const auto index = static_cast<std::uint16_t>(n);
    std::string pattern_text;
    bool case_sensitive = false;
    bool kind_seen = false;
    std::vector<std::pair<std::string, std::vector<std::string>>> literal_lists;
    for (const auto& kv : r) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      const YAML::Node& v = kv.second;
      if (key == "kind") {
        kind_seen = true;
        const auto it = std::find_if(k_kinds.begin(), k_kinds.end(),
                                     [&](const auto& k) { return v.IsScalar() && k.first == v.Scalar(); });
        if (it == k_kinds.end()) {
          problem("kind must be one of navigation, teaser, promo, copyright, contributor, source_note, caption; got " +
                  (v.IsScalar() ? "\"" + v.Scalar() + "\"" : std::string("a non-scalar")));
        } else {
          out.kind = it->second;
        }
      } else if (key == "lines" || key == "prefixes" || key == "suffixes" || key == "contains") {
        std::vector<std::string> items;
        if (v.IsScalar()) {
          items.push_back(v.Scalar());
        } else if (v.IsSequence()) {
          for (const auto& item : v) {
            if (item.IsScalar()) items.push_back(item.Scalar());
            else problem(key + ": every item must be a string");
          }
        } else {
          problem(key + ": expected a list of strings");
        }
        literal_lists.emplace_back(key, std::move(items));
      } else if (key == "pattern") {
        if (!v.IsScalar() || v.Scalar().empty()) problem("pattern must be a non-empty string");
        else pattern_text = v.Scalar();
      } else if (key == "case_sensitive") {
        if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false")) problem("case_sensitive must be true or false");
        else case_sensitive = v.Scalar() == "true";
      } else if (key == "max_chars") {
        long long value = -1;
        if (v.IsScalar()) {
          try {
            value = std::stoll(v.Scalar());
          } catch (const std::exception&) {
            value = -1;
          }
        }
        if (value < 1 || value > 1'000'000) problem("max_chars must be an integer between 1 and 1000000");
        else out.max_chars = static_cast<std::size_t>(value);
      } else if (key == "when") {
        if (v.IsScalar() && v.Scalar() == "always") out.when = when_t::always;
        else if (v.IsScalar() && v.Scalar() == "repeated") out.when = when_t::repeated;
        else problem("when must be always or repeated");
      } else if (key == "languages" || key == "note") {
        // Informational.
      } else {
        problem("unknown key \"" + key + "\" (known: kind, languages, lines, prefixes, suffixes, contains, pattern, "
                "case_sensitive, max_chars, when, note)");
      }
    }
    if (!kind_seen) problem("kind is required");
    if (!pattern_text.empty()) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error{};
      out.pattern.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern_text),
                                                   case_sensitive ? 0 : UREGEX_CASE_INSENSITIVE, parse_error, status));
      if (U_FAILURE(status)) {
        problem("pattern does not compile (ICU " + std::string(u_errorName(status)) + " at offset " +
                std::to_string(parse_error.offset) + "): " + pattern_text);
        out.pattern.reset();
      }
    }
    for (const auto& [key, items] : literal_lists) {
      for (const auto& item : items) {
        std::string folded = fold_literal(item);
        if (key == "lines" || key == "suffixes") folded = std::string(trim_trailing(folded));
        if (folded.empty()) {
          problem(key + ": \"" + item + "\" is empty once folded");
          continue;
        }
        out.has_literals = true;
        if (key == "lines") {
          lex->longest_line = std::max(lex->longest_line, folded.size());
          lex->lines[folded].push_back(index);
        } else if (key == "prefixes") {
          if (folded.size() >= 3) {
            lex->prefixes[static_cast<unsigned char>(folded.front())].push_back(make_literal(folded, index));
            lex->prefix_keys.set(key3(folded));
          } else {
            lex->short_prefixes.push_back(make_literal(folded, index));
          }
        } else if (key == "suffixes") {
          if (folded.size() >= 3) {
            lex->suffixes[static_cast<unsigned char>(folded.back())].push_back(make_literal(folded, index));
            lex->suffix_keys.set(key3(std::string_view(folded).substr(folded.size() - 3)));
          } else {
            lex->short_suffixes.push_back(make_literal(folded, index));
          }
        } else {
          if (folded.size() < 4) {
            problem("contains: \"" + item + "\" is too short (four bytes at least)");
            continue;
          }
          lex->contains_keys.set(key4(folded.data()));
          lex->contains.push_back(make_literal(folded, index));
          lex->contains_max_chars = std::max(lex->contains_max_chars, out.max_chars);
        }
      }
    }
    if (!out.has_literals && !out.pattern && pattern_text.empty()) {
      problem("a rule needs at least one of lines, prefixes, suffixes, contains or pattern");
    }
    if (!out.has_literals && out.pattern) lex->pattern_only.push_back(index);
    lex->rules.push_back(std::move(out));
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += "\n  " + p;
    return fail(std::to_string(problems.size()) + " problem(s):" + all);
  }
  return boilerplate_lexicon(std::move(lex));
}

std::size_t boilerplate_lexicon::rule_count() const { return impl_->rules.size(); }

std::optional<removal_kind> boilerplate_lexicon::classify(const paragraph_view& p) const {
  const impl& lex = *impl_;
  const std::string_view f = p.folded;
  if (f.empty()) return std::nullopt;
  // Candidate rules from literal hits, smallest index first.
  std::array<std::uint16_t, 16> found{};
  std::size_t n = 0;
  const auto add = [&](std::uint16_t rule_index) {
    if (n < found.size()) found[n++] = rule_index;
  };

  const std::string_view trimmed = trim_trailing(f);
  if (!trimmed.empty() && trimmed.size() <= lex.longest_line) {
    if (const auto it = lex.lines.find(trimmed); it != lex.lines.end()) {
      for (auto r : it->second) add(r);
    }
  }
  const auto try_prefix = [&](const literal& l) {
    if (f.size() >= l.text.size() && f.compare(0, l.text.size(), l.text) == 0 &&
        (!l.boundary_after || f.size() == l.text.size() || !is_word_byte(static_cast<unsigned char>(f[l.text.size()])))) {
      add(l.rule);
    }
  };
  for (const literal& l : lex.short_prefixes) try_prefix(l);
  if (f.size() >= 3 && lex.prefix_keys.test(key3(f))) {
    for (const literal& l : lex.prefixes[static_cast<unsigned char>(f.front())]) try_prefix(l);
  }
  const auto try_suffix = [&](const literal& l) {
    if (trimmed.size() < l.text.size()) return;
    const std::size_t at = trimmed.size() - l.text.size();
    if (trimmed.compare(at, l.text.size(), l.text) == 0 &&
        (!l.boundary_before || at == 0 || !is_word_byte(static_cast<unsigned char>(trimmed[at - 1])))) {
      add(l.rule);
    }
  };
  for (const literal& l : lex.short_suffixes) try_suffix(l);
  if (trimmed.size() >= 3 && lex.suffix_keys.test(key3(trimmed.substr(trimmed.size() - 3)))) {
    for (const literal& l : lex.suffixes[static_cast<unsigned char>(trimmed.back())]) try_suffix(l);
  }
  if (!lex.contains.empty() && p.chars <= lex.contains_max_chars) {
    const auto try_at = [&](std::size_t i) {
      if (i + 4 > f.size() || !lex.contains_keys.test(key4(f.data() + i))) return;
      for (const literal& l : lex.contains) {
        if (f.compare(i, l.text.size(), l.text) != 0) continue;
        const std::size_t end = i + l.text.size();
        if (l.boundary_after && end < f.size() && is_word_byte(static_cast<unsigned char>(f[end]))) continue;
        add(l.rule);
      }
    };
    // Word starts only: token starts, or the paragraph's start and every position after a space.
    if (!p.tokens.empty()) {
      for (const token& t : p.tokens) try_at(t.folded.begin - p.folded_base);
    } else {
      for (std::size_t i = 0; i < f.size();) {
        try_at(i);
        const std::size_t space = f.find(' ', i);
        if (space == std::string_view::npos) break;
        i = space + 1;
      }
    }
  }
  for (auto r : lex.pattern_only) {
    if (p.chars <= lex.rules[r].max_chars && (lex.rules[r].when == when_t::always || p.repeated)) add(r);
  }
  std::sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n));
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && found[k] == found[k - 1]) continue;
    const rule& r = lex.rules[found[k]];
    if (p.chars > r.max_chars) continue;
    if (r.when == when_t::repeated && !p.repeated) continue;
    if (!lex.pattern_matches(r, p.text)) continue;
    return r.kind;
  }
  return std::nullopt;
}

}  // namespace wirefeed
