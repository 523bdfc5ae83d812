#include "config/config.h"

#include <arpa/inet.h>  // inet_pton
#include <unistd.h>     // environ
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <type_traits>

namespace wirefeed::cfg {
namespace {

using env_list = std::vector<std::pair<std::string, std::string>>;
using string_map = std::map<std::string, std::string>;
using string_list = std::vector<std::string>;

constexpr std::string_view k_env_prefix = "WIREFEED_";

// WIREFEED_* variables that belong to scripts and tests, not to the daemon. load() skips them
// instead of reporting them as unknown keys. This is the only place that knows about them.
// Every key has a section, so its variable has a "__": WIREFEED_<SECTION>__<KEY>. Variables
// without one (WIREFEED_CACHE, WIREFEED_BUILD_DIR, WIREFEED_TEST_*: the scripts' and tests' own)
// are not config and are left alone; a misspelt key still has its "__" and is reported, and so
// is a key written with single underscores (single_underscore_key).
bool is_config_env(std::string_view name) {
  return name.starts_with(k_env_prefix) && name.find("__") != std::string_view::npos;
}

// Enum spellings; the parser, keys() and to_string() all read these.
template <class E>
using enum_names = std::span<const std::pair<std::string_view, E>>;

constexpr std::array<std::pair<std::string_view, processing_guarantee>, 2> k_guarantee_names{{
    {"at_least_once", processing_guarantee::at_least_once},
    {"exactly_once", processing_guarantee::exactly_once},
}};
constexpr std::array<std::pair<std::string_view, input_format>, 4> k_format_names{{
    {"auto", input_format::auto_detect},
    {"ninjs", input_format::ninjs},
    {"json", input_format::json},
    {"text", input_format::text},
}};
constexpr std::array<std::pair<std::string_view, invalid_utf8_policy>, 2> k_utf8_names{{
    {"reject", invalid_utf8_policy::reject},
    {"repair", invalid_utf8_policy::repair},
}};
constexpr std::array<std::pair<std::string_view, pipeline_role>, 3> k_role_names{{
    {"all", pipeline_role::all},
    {"extract", pipeline_role::extract},
    {"cluster", pipeline_role::cluster},
}};
// Log levels are kept as strings (the daemon hands them to its logger); the set is closed.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> k_log_level_names{{
    {"trace", "trace"},
    {"debug", "debug"},
    {"info", "info"},
    {"warn", "warn"},
    {"error", "error"},
}};

template <class E>
std::string_view name_of(enum_names<E> names, const E& value) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return "?";
}

// ---- text helpers ----------------------------------------------------------------------------

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// An integer property as librdkafka reads it: strtol, base 0 ("+20000", " 20000" and "0x4e20" are
// numbers, trailing text is ignored), kept as an int (its low 32 bits: 4294967296 is 0); nothing
// when it reads no number ("all", a word it maps).
std::optional<std::int64_t> librdkafka_int(const std::string& v) {
  char* end = nullptr;
  const long long n = std::strtoll(v.c_str(), &end, 0);
  if (end == v.c_str()) return std::nullopt;
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(n));
}

std::vector<std::string> split(std::string_view s, std::string_view sep) {
  std::vector<std::string> parts;
  for (;;) {
    const auto at = s.find(sep);
    parts.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + sep.size());
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += sep;
    out += parts[i];
  }
  return out;
}

// A list given as text (environment, --set): comma-separated, items trimmed; "" is the empty list.
string_list split_list(std::string_view text) {
  if (trim(text).empty()) return {};
  string_list items;
  for (const auto& item : split(text, ",")) items.push_back(trim(item));
  return items;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// How a YAML value looks in an error message.
std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar: return quote(n.Scalar());
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Null: return "nothing (null)";
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

// ---- codecs: one per value type ----------------------------------------------------------------

// The outcome of reading one value: the value, or the problem ("expected int, got \"x\"").
template <class T>
struct parsed {
  std::optional<T> value;
  std::string problem;
};

template <class T>
parsed<T> fail(std::string problem) {
  return {std::nullopt, std::move(problem)};
}

template <class T>
struct codec {
  std::string type;  // key_info::type
  std::function<parsed<T>(const YAML::Node&)> parse;
  std::function<std::string(const T&)> text;  // as written after `--set key=`
  std::function<YAML::Node(const T&)> node;   // as written in YAML by to_yaml()
};

// The scalar text of `n`, or the problem when `n` is not a non-null scalar.
parsed<std::string> scalar_text(const YAML::Node& n, std::string_view expected) {
  if (!n.IsScalar()) return fail<std::string>("expected " + std::string(expected) + ", got " + describe(n));
  return {n.Scalar(), {}};
}

std::optional<std::int64_t> parse_int64(std::string_view text) {
  if (text.starts_with('+')) text.remove_prefix(1);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

template <class Int>
codec<Int> int_codec() {
  return {
      "int",
      [](const YAML::Node& n) -> parsed<Int> {
        auto s = scalar_text(n, "int");
        if (!s.value) return fail<Int>(s.problem);
        const auto v = parse_int64(trim(*s.value));
        if (!v || *v < std::numeric_limits<Int>::min() || *v > std::numeric_limits<Int>::max()) {
          return fail<Int>("expected int, got " + quote(*s.value));
        }
        return {static_cast<Int>(*v), {}};
      },
      [](const Int& v) { return std::to_string(v); },
      [](const Int& v) { return YAML::Node(v); },
  };
}

struct byte_unit {
  std::string_view name;  // lower-case
  std::int64_t factor;
};
constexpr std::array<byte_unit, 9> k_byte_units{{
    {"b", 1},
    {"kb", 1000},
    {"mb", 1000 * 1000},
    {"gb", 1000 * 1000 * 1000},
    {"tb", 1000LL * 1000 * 1000 * 1000},
    {"kib", 1LL << 10},
    {"mib", 1LL << 20},
    {"gib", 1LL << 30},
    {"tib", 1LL << 40},
}};

// "1048576", "64MiB", "1 MB", "512kib": decimal units are powers of 1000, binary ones of 1024.
std::optional<std::int64_t> parse_byte_size(std::string_view text) {
  std::size_t digits = text.starts_with('+') ? 1 : 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const auto number = parse_int64(text.substr(0, digits));
  if (!number || *number < 0) return std::nullopt;
  const std::string unit = lower(trim(text.substr(digits)));
  if (unit.empty()) return number;
  for (const auto& u : k_byte_units) {
    if (u.name != unit) continue;
    if (*number > std::numeric_limits<std::int64_t>::max() / u.factor) return std::nullopt;
    return *number * u.factor;
  }
  return std::nullopt;
}

// The shortest exact spelling: 67108864 -> "64MiB", 1000 -> "1000".
std::string format_byte_size(std::int64_t v) {
  constexpr std::array<std::pair<std::string_view, std::int64_t>, 4> binary{{
      {"TiB", 1LL << 40},
      {"GiB", 1LL << 30},
      {"MiB", 1LL << 20},
      {"KiB", 1LL << 10},
  }};
  for (const auto& [suffix, factor] : binary) {
    if (v != 0 && v % factor == 0) return std::to_string(v / factor) + std::string(suffix);
  }
  return std::to_string(v);
}

codec<std::int64_t> bytes_codec() {
  return {
      "bytes",
      [](const YAML::Node& n) -> parsed<std::int64_t> {
        auto s = scalar_text(n, "byte size");
        if (!s.value) return fail<std::int64_t>(s.problem);
        const auto v = parse_byte_size(trim(*s.value));
        if (!v) {
          return fail<std::int64_t>("expected byte size (an int, optionally with a unit: B, KB, MB, GB, TB, "
                                    "KiB, MiB, GiB, TiB), got " + quote(*s.value));
        }
        return {*v, {}};
      },
      [](const std::int64_t& v) { return format_byte_size(v); },
      [](const std::int64_t& v) {
        const std::string text = format_byte_size(v);
        return text == std::to_string(v) ? YAML::Node(v) : YAML::Node(text);
      },
  };
}

codec<std::chrono::milliseconds> duration_codec() {
  return {
      "duration_ms",
      [](const YAML::Node& n) -> parsed<std::chrono::milliseconds> {
        auto s = scalar_text(n, "duration in milliseconds");
        if (!s.value) return fail<std::chrono::milliseconds>(s.problem);
        const auto v = parse_int64(trim(*s.value));
        if (!v) {
          return fail<std::chrono::milliseconds>("expected duration in milliseconds (int), got " + quote(*s.value));
        }
        return {std::chrono::milliseconds(*v), {}};
      },
      [](const std::chrono::milliseconds& v) { return std::to_string(v.count()); },
      [](const std::chrono::milliseconds& v) { return YAML::Node(static_cast<std::int64_t>(v.count())); },
  };
}

codec<std::string> string_codec() {
  return {
      "string",
      [](const YAML::Node& n) { return scalar_text(n, "string"); },
      [](const std::string& v) { return v; },
      [](const std::string& v) { return YAML::Node(v); },
  };
}

codec<bool> bool_codec() {
  return {
      "bool",
      [](const YAML::Node& n) -> parsed<bool> {
        auto s = scalar_text(n, "bool");
        if (!s.value) return fail<bool>(s.problem);
        const std::string v = lower(trim(*s.value));
        if (v == "true" || v == "yes" || v == "on" || v == "1") return {true, {}};
        if (v == "false" || v == "no" || v == "off" || v == "0") return {false, {}};
        return fail<bool>("expected bool (true or false), got " + quote(*s.value));
      },
      [](const bool& v) { return std::string(v ? "true" : "false"); },
      [](const bool& v) { return YAML::Node(v); },
  };
}

// A list of strings; a single string is a list of one.
codec<string_list> list_codec() {
  return {
      "string_list",
      [](const YAML::Node& n) -> parsed<string_list> {
        if (n.IsScalar()) return {string_list{n.Scalar()}, {}};
        if (!n.IsSequence()) return fail<string_list>("expected list of strings, got " + describe(n));
        string_list items;
        std::vector<std::string> problems;
        for (std::size_t i = 0; i < n.size(); ++i) {
          if (n[i].IsScalar()) {
            items.push_back(n[i].Scalar());
          } else {
            problems.push_back("item " + std::to_string(i + 1) + ": expected string, got " + describe(n[i]));
          }
        }
        if (!problems.empty()) return fail<string_list>(join(problems, "; "));
        return {std::move(items), {}};
      },
      [](const string_list& v) { return join(v, ","); },
      [](const string_list& v) {
        YAML::Node seq(YAML::NodeType::Sequence);
        for (const auto& item : v) seq.push_back(item);
        if (v.empty()) seq.SetStyle(YAML::EmitterStyle::Flow);  // "[]" on the key's line
        return seq;
      },
  };
}

// A map of names to scalar texts (YAML ints and bools kept as written): librdkafka properties by
// default; `what` says what the map holds in messages.
codec<string_map> map_codec(std::string what = "librdkafka properties (name: value)") {
  return {
      "map",
      [what](const YAML::Node& n) -> parsed<string_map> {
        if (n.IsNull()) return {string_map{}, {}};
        if (!n.IsMap()) {
          return fail<string_map>("expected map of " + what + ", got " + describe(n));
        }
        string_map entries;
        std::vector<std::string> problems;
        for (const auto& kv : n) {
          if (!kv.first.IsScalar() || kv.first.Scalar().empty()) {
            problems.push_back("property names must be non-empty strings, got " + describe(kv.first));
          } else if (!kv.second.IsScalar()) {
            problems.push_back("property " + quote(kv.first.Scalar()) + ": expected a scalar value, got " +
                               describe(kv.second));
          } else if (!entries.emplace(kv.first.Scalar(), kv.second.Scalar()).second) {
            problems.push_back("property " + quote(kv.first.Scalar()) + " is given twice");
          }
        }
        if (!problems.empty()) return fail<string_map>(join(problems, "; "));
        return {std::move(entries), {}};
      },
      [](const string_map& v) {
        if (v.empty()) return std::string("{}");
        std::vector<std::string> parts;
        for (const auto& [k, val] : v) parts.push_back(k + "=" + val);
        return join(parts, ",");
      },
      [](const string_map& v) {
        YAML::Node m(YAML::NodeType::Map);
        for (const auto& [k, val] : v) m[k] = val;
        if (v.empty()) m.SetStyle(YAML::EmitterStyle::Flow);  // "{}" on the key's line
        return m;
      },
  };
}

template <class E>
codec<E> enum_codec(enum_names<E> names) {
  std::vector<std::string> spellings;
  for (const auto& [name, value] : names) spellings.emplace_back(name);
  const std::string choices = join(spellings, "|");
  return {
      "enum(" + choices + ")",
      [names, choices](const YAML::Node& n) -> parsed<E> {
        auto s = scalar_text(n, "one of " + choices);
        if (!s.value) return fail<E>(s.problem);
        for (const auto& [name, value] : names) {
          if (name == *s.value) return {E(value), {}};
        }
        return fail<E>("expected one of " + choices + ", got " + quote(*s.value));
      },
      [names](const E& v) { return std::string(name_of(names, v)); },
      [names](const E& v) { return YAML::Node(std::string(name_of(names, v))); },
  };
}

// ---- validators: the problem with a value, "" when it is fine -----------------------------------

template <class T>
using validator = std::function<std::string(const T&)>;

template <class Int>
validator<Int> in_range(Int lo, Int hi) {
  return [lo, hi](const Int& v) {
    if (v >= lo && v <= hi) return std::string();
    return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " + std::to_string(v);
  };
}

template <class Int>
validator<Int> at_least(Int lo) {
  return [lo](const Int& v) {
    if (v >= lo) return std::string();
    return "must be at least " + std::to_string(lo) + ", got " + std::to_string(v);
  };
}

validator<std::chrono::milliseconds> duration_in_range(std::int64_t lo_ms, std::int64_t hi_ms) {
  return [check = in_range(lo_ms, hi_ms)](const std::chrono::milliseconds& v) {
    return check(static_cast<std::int64_t>(v.count()));
  };
}

validator<std::string> non_empty() {
  return [](const std::string& v) { return trim(v).empty() ? std::string("must not be empty") : std::string(); };
}

// An IPv4 or IPv6 address literal, as the metrics server binds it (no host names).
validator<std::string> ip_address() {
  return [](const std::string& v) {
    unsigned char buf[16];
    if (::inet_pton(AF_INET, v.c_str(), buf) == 1 || ::inet_pton(AF_INET6, v.c_str(), buf) == 1) return std::string();
    return "must be an IPv4 or IPv6 address (127.0.0.1, 0.0.0.0, ::), not " + quote(v);
  };
}

// "host:port,host:port": librdkafka's bootstrap.servers syntax, every entry present.
validator<std::string> broker_list() {
  return [](const std::string& v) {
    if (trim(v).empty()) return std::string("must name at least one broker (host:port)");
    for (const auto& entry : split(v, ",")) {
      const std::string trimmed = trim(entry);
      std::string_view e = trimmed;
      if (e.empty()) return "has an empty entry in " + quote(v);
      // librdkafka's form: [protocol://]host[:port], host an IPv6 literal in brackets.
      if (const auto scheme = e.find("://"); scheme != std::string_view::npos) {
        const std::string protocol = lower(e.substr(0, scheme));
        if (protocol != "plaintext" && protocol != "ssl" && protocol != "sasl_plaintext" && protocol != "sasl_ssl") {
          return quote(e) + " is not host:port (a protocol prefix may be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL)";
        }
        e.remove_prefix(scheme + 3);
      }
      const auto bracket = e.starts_with('[') ? e.find(']') : std::string_view::npos;
      const auto colon = e.find(':', bracket == std::string_view::npos ? 0 : bracket);
      if (bracket == std::string_view::npos && colon != std::string_view::npos && e.find(':', colon + 1) != e.npos) {
        return quote(e) + " is not host:port (an IPv6 address goes in brackets: [::1]:9092)";
      }
      if (colon == std::string_view::npos) continue;  // the default port, 9092
      const std::string_view port = e.substr(colon + 1);
      int n = 0;
      const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
      if (colon == 0 || ec != std::errc() || end != port.data() + port.size() || n < 1 || n > 65535) {
        return quote(e) + " is not host:port (a port is 1 to 65535)";
      }
    }
    return std::string();
  };
}

// Kafka's own rule (kafka.common.internals.Topic): 1..249 of [a-zA-Z0-9._-], not "." or "..".
std::string topic_problem(const std::string& t) {
  const bool legal_chars = std::ranges::all_of(t, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
  if (!t.empty() && t.size() <= 249 && legal_chars && t != "." && t != "..") return {};
  return quote(t) + " is not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -, not \".\" or \"..\")";
}

validator<std::string> kafka_topic() { return topic_problem; }

validator<string_list> kafka_topic_list() {
  return [](const string_list& topics) {
    if (topics.empty()) return std::string("must name at least one topic");
    std::vector<std::string> problems;
    std::set<std::string> seen;
    for (const auto& t : topics) {
      if (auto p = topic_problem(t); !p.empty()) problems.push_back(std::move(p));
      else if (!seen.insert(t).second) problems.push_back(quote(t) + " is listed twice");
    }
    return join(problems, "; ");
  };
}

validator<string_list> field_names() {
  return [](const string_list& names) {
    if (names.empty()) return std::string("must name at least one JSON field");
    for (const auto& n : names) {
      if (trim(n).empty()) return std::string("has an empty field name");
    }
    return std::string();
  };
}

// topic -> input format: valid topic names, known formats.
validator<string_map> topic_format_map() {
  return [](const string_map& m) {
    std::vector<std::string> problems;
    for (const auto& [topic, format] : m) {
      if (auto p = topic_problem(topic); !p.empty()) problems.push_back(std::move(p));
      if (!parse_input_format(format)) {
        problems.push_back("topic " + quote(topic) + ": format must be one of auto|ninjs|json|text, got " +
                           quote(format));
      }
    }
    return join(problems, "; ");
  };
}

// "" (the built-in default) or a readable regular file.
validator<std::string> optional_readable_file() {
  return [](const std::string& path) {
    if (path.empty()) return std::string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return quote(path) + " is not a readable file";
    std::ifstream in(path, std::ios::binary);
    if (!in) return quote(path) + " cannot be read: " + std::strerror(errno);
    return std::string();
  };
}

validator<string_list> abbreviation_list() {
  return [](const string_list& items) {
    for (const auto& a : items) {
      if (trim(a).empty() || a.size() > 40 || a.find(' ') != std::string::npos || !a.ends_with('.')) {
        return "every abbreviation must be one word of 1 to 40 bytes ending with '.', got " + quote(a);
      }
    }
    return std::string();
  };
}

// ---- the table --------------------------------------------------------------------------------

struct key_def {
  key_info info;
  bool is_list = false;  // text from the environment / --set is comma-separated
  bool is_map = false;   // a passthrough map: entries are set one by one from text
  // Reads `value` into `c`; returns the problem ("" = stored). Leaves `c` untouched on a problem.
  std::function<std::string(config& c, const YAML::Node& value)> assign;
  // Sets one entry of a passthrough map (is_map only).
  std::function<void(config& c, const std::string& entry, const std::string& value)> assign_entry;
  // The key's validator on the final value ("" = valid).
  std::function<std::string(const config& c)> check;
  std::function<YAML::Node(const config& c)> to_node;
};

// `access` is a generic lambda returning a reference to the field, for config& and const config&.
template <class T, class Access>
key_def make_key(std::string name, std::string description, Access access, codec<T> c,
                 validator<T> validate = {}) {
  static const config defaults{};
  key_def d;
  d.info = key_info{std::move(name), c.type, c.text(access(defaults)), std::move(description)};
  d.is_list = std::is_same_v<T, string_list>;
  d.is_map = std::is_same_v<T, string_map>;
  d.assign = [access, parse = c.parse](config& cfg, const YAML::Node& value) {
    auto p = parse(value);
    if (!p.value) return p.problem;
    access(cfg) = std::move(*p.value);
    return std::string();
  };
  if constexpr (std::is_same_v<T, string_map>) {
    d.assign_entry = [access](config& cfg, const std::string& entry, const std::string& value) {
      access(cfg)[entry] = value;
    };
  }
  d.check = [access, validate](const config& cfg) { return validate ? validate(access(cfg)) : std::string(); };
  d.to_node = [access, node = c.node](const config& cfg) { return node(access(cfg)); };
  return d;
}

// Every key wirefeed reads. To add one: a row here, a test, and a commented line in
// config/wirefeed.yaml (a test checks the file names every key).
std::vector<key_def> build_table() {
  std::vector<key_def> t;
  // kafka
  t.push_back(make_key("kafka.bootstrap_servers", "Kafka brokers to bootstrap from, host:port[,host:port...].",
                       [](auto& c) -> auto& { return c.kafka.bootstrap_servers; }, string_codec(), broker_list()));
  t.push_back(make_key("kafka.group_id", "Consumer group id; instances sharing it split the input partitions.",
                       [](auto& c) -> auto& { return c.kafka.group_id; }, string_codec(), non_empty()));
  t.push_back(make_key("kafka.client_id", "Client id sent to the brokers (shows up in broker logs and quotas).",
                       [](auto& c) -> auto& { return c.kafka.client_id; }, string_codec(), non_empty()));
  t.push_back(make_key("kafka.consumer", "librdkafka consumer properties, passed verbatim after wirefeed's own.",
                       [](auto& c) -> auto& { return c.kafka.consumer; }, map_codec()));
  t.push_back(make_key("kafka.producer", "librdkafka producer properties, passed verbatim after wirefeed's own.",
                       [](auto& c) -> auto& { return c.kafka.producer; }, map_codec()));
  // topics
  t.push_back(make_key("topics.input", "Topics to consume raw wire articles from.",
                       [](auto& c) -> auto& { return c.topics.input; }, list_codec(), kafka_topic_list()));
  t.push_back(make_key("topics.enriched", "Topic for enriched articles (one record per input article).",
                       [](auto& c) -> auto& { return c.topics.enriched; }, string_codec(), kafka_topic()));
  t.push_back(make_key("topics.stories", "Topic for story (cluster) updates.",
                       [](auto& c) -> auto& { return c.topics.stories; }, string_codec(), kafka_topic()));
  t.push_back(make_key("topics.dead_letter", "Topic for input that could not be processed, with the reason.",
                       [](auto& c) -> auto& { return c.topics.dead_letter; }, string_codec(), kafka_topic()));
  t.push_back(make_key("topics.changelog", "Compacted topic holding story state, replayed at start-up.",
                       [](auto& c) -> auto& { return c.topics.changelog; }, string_codec(), kafka_topic()));
  t.push_back(make_key("topics.extracted",
                       "Hand-off topic from the extract role to the cluster role (as many partitions as the input).",
                       [](auto& c) -> auto& { return c.topics.extracted; }, string_codec(), kafka_topic()));
  // pipeline
  t.push_back(make_key("pipeline.threads", "Worker threads running the stages; 0 = one per usable CPU.",
                       [](auto& c) -> auto& { return c.pipeline.threads; }, int_codec<int>(), in_range(0, 1024)));
  t.push_back(make_key("pipeline.max_in_flight_messages", "Messages consumed but not yet committed, at most.",
                       [](auto& c) -> auto& { return c.pipeline.max_in_flight_messages; }, int_codec<std::int64_t>(),
                       at_least<std::int64_t>(1)));
  t.push_back(make_key("pipeline.max_in_flight_bytes",
                       "Memory the messages in flight hold, estimated from what earlier ones held, at most.",
                       [](auto& c) -> auto& { return c.pipeline.max_in_flight_bytes; }, bytes_codec(),
                       at_least<std::int64_t>(1)));
  t.push_back(make_key("pipeline.max_message_bytes", "Larger input messages go to the dead-letter topic.",
                       [](auto& c) -> auto& { return c.pipeline.max_message_bytes; }, bytes_codec(),
                       // The consumer fetches 4 KiB more (kafka_properties.cc), up to librdkafka's 1e9.
                       in_range<std::int64_t>(1, 1'000'000'000 - 4096)));
  t.push_back(make_key("pipeline.max_body_chars", "Articles with longer bodies (characters) are dead-lettered.",
                       [](auto& c) -> auto& { return c.pipeline.max_body_chars; }, int_codec<std::int64_t>(),
                       at_least<std::int64_t>(1)));
  t.push_back(make_key("pipeline.pass_through",
                       "Run only decode and encode (no normalize, extract, cluster): measures the plumbing.",
                       [](auto& c) -> auto& { return c.pipeline.pass_through; }, bool_codec()));
  t.push_back(make_key("pipeline.role",
                       "What `run` runs: all (the whole chain), extract (to topics.extracted) or cluster (from it).",
                       [](auto& c) -> auto& { return c.pipeline.role; }, enum_codec<pipeline_role>(k_role_names)));
  t.push_back(make_key("pipeline.processing_guarantee", "at_least_once, or exactly_once via Kafka transactions.",
                       [](auto& c) -> auto& { return c.pipeline.guarantee; },
                       enum_codec<processing_guarantee>(k_guarantee_names)));
  t.push_back(make_key("pipeline.transaction_interval_ms",
                       "exactly_once: commit the transaction (output and input offsets) this often.",
                       [](auto& c) -> auto& { return c.pipeline.transaction_interval; }, duration_codec(),
                       duration_in_range(10, 60'000)));
  t.push_back(make_key("pipeline.input_format", "How input is decoded; auto uses the content-type header, then sniffs.",
                       [](auto& c) -> auto& { return c.pipeline.format; }, enum_codec<input_format>(k_format_names)));
  t.push_back(make_key("pipeline.topic_formats",
                       "Per input topic, the input format (auto|ninjs|json|text); wins over input_format.",
                       [](auto& c) -> auto& { return c.pipeline.topic_formats; },
                       map_codec("topic names to input formats (topic: format)"), topic_format_map()));
  t.push_back(make_key("pipeline.invalid_utf8", "Input that is not UTF-8: reject (dead letter) or repair (a byte on its own read as Windows-1252, a broken sequence U+FFFD).",
                       [](auto& c) -> auto& { return c.pipeline.invalid_utf8; },
                       enum_codec<invalid_utf8_policy>(k_utf8_names)));
  t.push_back(make_key("pipeline.fields.id", "JSON fields tried in order for the article id.",
                       [](auto& c) -> auto& { return c.pipeline.fields.id; }, list_codec(), field_names()));
  t.push_back(make_key("pipeline.fields.headline", "JSON fields tried in order for the headline.",
                       [](auto& c) -> auto& { return c.pipeline.fields.headline; }, list_codec(), field_names()));
  t.push_back(make_key("pipeline.fields.body", "JSON fields tried in order for the body text.",
                       [](auto& c) -> auto& { return c.pipeline.fields.body; }, list_codec(), field_names()));
  t.push_back(make_key("pipeline.fields.time", "JSON fields tried in order for the publication time.",
                       [](auto& c) -> auto& { return c.pipeline.fields.time; }, list_codec(), field_names()));
  t.push_back(make_key("pipeline.fields.source", "JSON fields tried in order for the source (agency).",
                       [](auto& c) -> auto& { return c.pipeline.fields.source; }, list_codec(), field_names()));
  t.push_back(make_key("pipeline.fields.url", "JSON fields tried in order for the canonical URL.",
                       [](auto& c) -> auto& { return c.pipeline.fields.url; }, list_codec(), field_names()));
  t.push_back(make_key("pipeline.fields.byline", "JSON fields tried in order for the byline (author).",
                       [](auto& c) -> auto& { return c.pipeline.fields.byline; }, list_codec(), field_names()));
  // normalize
  t.push_back(make_key("normalize.lexicon_path",
                       "Boilerplate lexicon (YAML, see config/boilerplate.yaml); empty = the shipped one.",
                       [](auto& c) -> auto& { return c.normalize.lexicon_path; }, string_codec(),
                       optional_readable_file()));
  t.push_back(make_key("normalize.abbreviations", "Words after which '.' does not end a sentence (case-sensitive).",
                       [](auto& c) -> auto& { return c.normalize.abbreviations; }, list_codec(), abbreviation_list()));
  t.push_back(make_key("normalize.language_detect_bytes", "Bytes of text language detection looks at: the headline (a quarter at most), then the body.",
                       [](auto& c) -> auto& { return c.normalize.language_detect_bytes; }, int_codec<std::int64_t>(),
                       in_range<std::int64_t>(64, 1 << 20)));
  t.push_back(make_key("normalize.learner.enabled", "Learn per-source boilerplate lines online and remove them.",
                       [](auto& c) -> auto& { return c.normalize.learner.enabled; }, bool_codec()));
  t.push_back(make_key("normalize.learner.min_articles",
                       "A line a source repeats in this many different articles is boilerplate.",
                       [](auto& c) -> auto& { return c.normalize.learner.min_articles; }, int_codec<std::int64_t>(),
                       in_range<std::int64_t>(2, 100)));
  t.push_back(make_key("normalize.learner.max_line_chars", "The learner never counts longer paragraphs.",
                       [](auto& c) -> auto& { return c.normalize.learner.max_line_chars; }, int_codec<std::int64_t>(),
                       in_range<std::int64_t>(10, 10000)));
  t.push_back(make_key("normalize.learner.capacity", "Lines the learner remembers, all sources together.",
                       [](auto& c) -> auto& { return c.normalize.learner.capacity; }, int_codec<std::int64_t>(),
                       in_range<std::int64_t>(1024, 1 << 24)));
  // extract
  t.push_back(make_key("extract.ner_model", "The named-entity model file (relative: looked up like shipped files).",
                       [](auto& c) -> auto& { return c.extract.ner_model; }, string_codec(), non_empty()));
  t.push_back(make_key("extract.keywords.max_keywords", "Keywords per article (0 = none).",
                       [](auto& c) -> auto& { return c.extract.keywords.max_keywords; }, int_codec<std::int64_t>(),
                       in_range<std::int64_t>(0, 100)));
  t.push_back(make_key("extract.keywords.sketch_width",
                       "Counters per row of the keyword document-frequency sketch (4 rows of 4 bytes each).",
                       [](auto& c) -> auto& { return c.extract.keywords.sketch_width; }, int_codec<std::int64_t>(),
                       in_range<std::int64_t>(1024, 1 << 24)));
  t.push_back(make_key("extract.keywords.half_life_articles",
                       "Every this many articles the keyword document frequencies are halved.",
                       [](auto& c) -> auto& { return c.extract.keywords.half_life_articles; },
                       int_codec<std::int64_t>(), in_range<std::int64_t>(100, 1'000'000'000)));
  // cluster
  t.push_back(make_key("cluster.story_ttl_hours",
                       "A story with no new article for this long (article time) expires and leaves memory.",
                       [](auto& c) -> auto& { return c.cluster.story_ttl_hours; }, int_codec<std::int64_t>(),
                       in_range<std::int64_t>(1, 24 * 365)));
  t.push_back(make_key("cluster.max_live_stories",
                       "Live stories kept at most; beyond it the least recently updated expires first.",
                       [](auto& c) -> auto& { return c.cluster.max_live_stories; }, int_codec<std::int64_t>(),
                       in_range<std::int64_t>(100, 100'000'000)));
  t.push_back(make_key("cluster.restore", "At start-up, restore story state and the learned state from topics.changelog.",
                       [](auto& c) -> auto& { return c.cluster.restore; }, bool_codec()));
  // shutdown
  t.push_back(make_key("shutdown.drain_timeout_ms", "On stop, wait this long for in-flight messages to finish.",
                       [](auto& c) -> auto& { return c.shutdown.drain_timeout; }, duration_codec(),
                       duration_in_range(0, 3'600'000)));
  t.push_back(make_key("shutdown.revoke_drain_timeout_ms", "On partition revoke, wait this long for its messages.",
                       [](auto& c) -> auto& { return c.shutdown.revoke_drain_timeout; }, duration_codec(),
                       duration_in_range(0, 3'600'000)));
  // metrics
  t.push_back(make_key("metrics.enabled", "Serve Prometheus metrics over HTTP.",
                       [](auto& c) -> auto& { return c.metrics.enabled; }, bool_codec()));
  t.push_back(make_key("metrics.bind_address", "Address the metrics endpoint listens on.",
                       [](auto& c) -> auto& { return c.metrics.bind_address; }, string_codec(), ip_address()));
  t.push_back(make_key("metrics.port", "Port of the metrics endpoint; 0 = any free port (logged at start).",
                       [](auto& c) -> auto& { return c.metrics.port; }, int_codec<int>(), in_range(0, 65535)));
  // log
  t.push_back(make_key("log.level", "Least severe log level written.",
                       [](auto& c) -> auto& { return c.log.level; },
                       enum_codec<std::string_view>(k_log_level_names)));
  return t;
}

// Cross-field rules, all in one place. Each message names every key involved.
void check_cross_field(const config& c, std::vector<std::string>& errors) {
  if (c.pipeline.max_in_flight_bytes < c.pipeline.max_message_bytes) {
    errors.push_back("pipeline.max_in_flight_bytes (" + std::to_string(c.pipeline.max_in_flight_bytes) +
                     ") must be at least pipeline.max_message_bytes (" +
                     std::to_string(c.pipeline.max_message_bytes) + "), or the largest message could never fit");
  }
  if (c.shutdown.revoke_drain_timeout > c.shutdown.drain_timeout) {
    errors.push_back("shutdown.revoke_drain_timeout_ms (" + std::to_string(c.shutdown.revoke_drain_timeout.count()) +
                     ") must not exceed shutdown.drain_timeout_ms (" +
                     std::to_string(c.shutdown.drain_timeout.count()) + ")");
  }
  const std::array<std::pair<std::string_view, const std::string*>, 5> outputs{{
      {"topics.enriched", &c.topics.enriched},
      {"topics.stories", &c.topics.stories},
      {"topics.dead_letter", &c.topics.dead_letter},
      {"topics.changelog", &c.topics.changelog},
      {"topics.extracted", &c.topics.extracted},
  }};
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& [name, topic] = outputs[i];
    for (std::size_t j = 0; j < i; ++j) {
      if (*outputs[j].second == *topic) {
        errors.push_back(std::string(outputs[j].first) + " and " + std::string(name) + " are both " + quote(*topic) +
                         ": output topics must differ");
      }
    }
    if (std::ranges::find(c.topics.input, *topic) != c.topics.input.end()) {
      errors.push_back(std::string(name) + " " + quote(*topic) +
                       " is also in topics.input: wirefeed would consume its own output");
    }
  }
  for (const auto& [topic, format] : c.pipeline.topic_formats) {
    if (std::ranges::find(c.topics.input, topic) == c.topics.input.end()) {
      errors.push_back("pipeline.topic_formats." + topic + ": " + quote(topic) +
                       " is not in topics.input, so the format would never apply");
    }
  }
  if (c.pipeline.pass_through && c.pipeline.role != pipeline_role::all) {
    errors.push_back("pipeline.pass_through needs pipeline.role all (it is " + std::string(to_string(c.pipeline.role)) +
                     ")");
  }
  // librdkafka properties that have a key of their own: one place to set them, not two (nor
  // under librdkafka's other name for one).
  const std::array<std::pair<std::string_view, std::string_view>, 4> owned{{
      {"bootstrap.servers", "kafka.bootstrap_servers"},
      {"metadata.broker.list", "kafka.bootstrap_servers"},
      {"group.id", "kafka.group_id"},
      {"client.id", "kafka.client_id"},
  }};
  for (const auto& [map_name, map] : {std::pair{"kafka.consumer", &c.kafka.consumer},
                                      std::pair{"kafka.producer", &c.kafka.producer}}) {
    for (const auto& [property, key] : owned) {
      if (map->contains(std::string(property))) {
        errors.push_back(std::string(map_name) + "." + std::string(property) + ": set " + std::string(key) +
                         " instead");
      }
    }
  }
  // The restore of story state and replays read each partition to its end, which they learn from
  // librdkafka's end-of-partition events.
  if (c.kafka.consumer.contains("enable.partition.eof")) {
    errors.push_back("kafka.consumer.enable.partition.eof: wirefeed sets it (the restore of story state and replays "
                     "read each partition to its end); leave it out");
  }
  // /readyz's broker-hang check and the consumer-lag metric read librdkafka's statistics.
  for (const auto& [map_name, map] : {std::pair{"kafka.consumer", &c.kafka.consumer},
                                      std::pair{"kafka.producer", &c.kafka.producer}}) {
    if (map->contains("statistics.interval.ms")) {
      errors.push_back(std::string(map_name) + ".statistics.interval.ms: wirefeed sets it (/readyz notices a hung "
                       "broker and wirefeed_consumer_lag_messages is measured from the statistics); leave it out");
    }
  }
  // librdkafka's booleans: true/t/1 and false/f/0 (any case).
  const auto is = [](const std::string& v, bool b) {
    const std::string l = lower(v);
    return b ? l == "true" || l == "t" || l == "1" : l == "false" || l == "f" || l == "0";
  };
  // A property under either of librdkafka's names for it, as the client gets it: the map's
  // properties are set in name order, so of two names the later in that order wins. The name
  // written and its value.
  const auto property = [](const string_map& map, std::initializer_list<const char*> names)
      -> std::optional<std::pair<std::string, std::string>> {
    std::optional<std::pair<std::string, std::string>> found;
    for (const char* name : names) {
      if (const auto it = map.find(name); it != map.end() && (!found || it->first > found->first)) found = *it;
    }
    return found;
  };
  if (c.pipeline.guarantee == processing_guarantee::exactly_once) {
    const auto it = c.kafka.producer.find("enable.idempotence");
    if (it != c.kafka.producer.end() && is(it->second, false)) {
      errors.push_back("kafka.producer.enable.idempotence is false but pipeline.processing_guarantee is "
                       "exactly_once, which needs an idempotent (transactional) producer");
    }
    const auto auto_commit = c.kafka.consumer.find("enable.auto.commit");
    if (auto_commit != c.kafka.consumer.end() && is(auto_commit->second, true)) {
      errors.push_back("kafka.consumer.enable.auto.commit is true but pipeline.processing_guarantee is exactly_once, "
                       "which commits input positions in its transactions");
    }
    // A transaction open longer than the broker allows is aborted by it, and the producer then
    // reads as fenced ("another producer initialised transactions"): the interval must leave the
    // commit time to finish well within the timeout (librdkafka's default 60 s).
    std::int64_t txn_timeout_ms = 60000;
    if (const auto t = c.kafka.producer.find("transaction.timeout.ms"); t != c.kafka.producer.end()) {
      txn_timeout_ms = librdkafka_int(t->second).value_or(txn_timeout_ms);  // else librdkafka refuses it
    }
    const auto interval_ms = std::chrono::duration_cast<std::chrono::milliseconds>(c.pipeline.transaction_interval).count();
    if (interval_ms > txn_timeout_ms / 2) {
      errors.push_back("pipeline.transaction_interval_ms (" + std::to_string(interval_ms) +
                       ") must be at most half of kafka.producer.transaction.timeout.ms (" +
                       std::to_string(txn_timeout_ms) + "): the broker aborts a transaction open longer than that");
    }
  } else if (c.kafka.producer.contains("transactional.id")) {
    errors.push_back("kafka.producer.transactional.id is set but pipeline.processing_guarantee is at_least_once: "
                     "transactions are for exactly_once");
  }
  // What the delivery guarantee rests on (kafka_properties.cc sets them; a map may not undo them).
  if (const auto it = c.kafka.consumer.find("enable.auto.offset.store"); it != c.kafka.consumer.end() && is(it->second, true)) {
    errors.push_back("kafka.consumer.enable.auto.offset.store is true: librdkafka would store each offset as it is "
                     "polled, before its outputs are acknowledged, and a crash would lose those articles; wirefeed "
                     "stores offsets itself: leave it out");
  }
  if (const auto it = c.kafka.consumer.find("enable.auto.commit");
      it != c.kafka.consumer.end() && is(it->second, false) && c.pipeline.guarantee == processing_guarantee::at_least_once) {
    errors.push_back("kafka.consumer.enable.auto.commit is false but pipeline.processing_guarantee is at_least_once, "
                     "which commits the offsets it stores by librdkafka's auto commit: nothing would be committed "
                     "until a rebalance or a stop; leave it out");
  }
  if (const auto it = c.kafka.consumer.find("auto.commit.interval.ms");
      it != c.kafka.consumer.end() && librdkafka_int(it->second) == 0 &&
      c.pipeline.guarantee == processing_guarantee::at_least_once) {
    errors.push_back("kafka.consumer.auto.commit.interval.ms is 0, which turns librdkafka's auto commit off, but "
                     "pipeline.processing_guarantee at_least_once commits the offsets it stores by it: nothing would "
                     "be committed until a rebalance or a stop; leave it out (5000) or give a positive interval");
  }
  // An output counts as delivered when Kafka acknowledges it; only then is its input's offset
  // stored. Acknowledged by the leader alone (1) or not at all (0), a delivered output can be lost.
  if (const auto acks = property(c.kafka.producer, {"acks", "request.required.acks"});
      acks && lower(acks->second) != "all" && librdkafka_int(acks->second) != -1) {
    errors.push_back("kafka.producer." + acks->first + " is " + quote(acks->second) +
                     ": an input's offset is committed once its outputs are acknowledged, and only acks=all makes an "
                     "acknowledged output one no broker failure loses; leave it out (all)");
  }
  if (const auto in_flight = property(c.kafka.producer, {"max.in.flight.requests.per.connection", "max.in.flight"});
      in_flight && librdkafka_int(in_flight->second).value_or(1) > 1) {
    errors.push_back("kafka.producer." + in_flight->first + " is " + quote(in_flight->second) +
                     ": with more than one produce request in flight, librdkafka 2.x reports a batch the broker refused "
                     "(a leader moving) delivered when the next one is accepted, and that output is lost; leave it "
                     "out (1)");
  }
  if (const auto it = c.kafka.consumer.find("isolation.level");
      it != c.kafka.consumer.end() && lower(it->second) != "read_committed") {
    errors.push_back("kafka.consumer.isolation.level is '" + it->second +
                     "': the restore of story state and exactly-once input must not read aborted transactions; "
                     "leave it out (read_committed)");
  }
  // Both clients talk to the same brokers: a security protocol (or SASL mechanism) in one map only
  // leaves the other connecting without it, failing after its start-up wait as if in an outage.
  // Compared as librdkafka reads them: either name of the SASL mechanism, librdkafka's default
  // when not set.
  struct shared_property {
    std::string name;
    std::initializer_list<const char*> names;
    std::string librdkafka_default;
  };
  for (const shared_property& shared : {shared_property{"security.protocol", {"security.protocol"}, "plaintext"},
                                        shared_property{"sasl.mechanism", {"sasl.mechanism", "sasl.mechanisms"},
                                                        "gssapi"}}) {
    const auto consumer = property(c.kafka.consumer, shared.names), producer = property(c.kafka.producer, shared.names);
    const auto value = [&](const auto& p) { return p ? p->second : shared.librdkafka_default; };
    if (lower(value(consumer)) != lower(value(producer))) {
      const std::string& name = shared.name;
      errors.push_back("kafka.consumer." + name + " (" + (consumer ? quote(consumer->second) : "not set") +
                       ") and kafka.producer." + name + " (" + (producer ? quote(producer->second) : "not set") +
                       ") differ: both clients connect to the same brokers; set it (and the credentials) in both");
    }
  }
  if (const auto it = c.kafka.producer.find("message.max.bytes"); it != c.kafka.producer.end()) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);
    if (ec != std::errc() || end != it->second.data() + it->second.size() || n < 1000 || n > 1000000000) {
      errors.push_back("kafka.producer.message.max.bytes: '" + it->second +
                       "' is not a number of bytes from 1000 to 1000000000 (librdkafka's range)");
    }
  }
}

struct table {
  std::vector<key_def> defs;
  std::vector<key_info> infos;
  std::map<std::string, std::size_t, std::less<>> index;  // name -> defs[i]
  std::set<std::string, std::less<>> sections;            // "kafka", "pipeline.fields", ...
  std::vector<std::string> candidates;                    // keys and sections, for suggestions

  const key_def* find(std::string_view name) const {
    const auto it = index.find(name);
    return it == index.end() ? nullptr : &defs[it->second];
  }
};

const table& the_table() {
  static const table t = [] {
    table built;
    built.defs = build_table();
    for (std::size_t i = 0; i < built.defs.size(); ++i) {
      const std::string& name = built.defs[i].info.name;
      built.infos.push_back(built.defs[i].info);
      built.index.emplace(name, i);
      built.candidates.push_back(name);
      for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
        if (built.sections.insert(name.substr(0, dot)).second) built.candidates.push_back(name.substr(0, dot));
      }
    }
    return built;
  }();
  return t;
}

// The closest known key or section to `unknown`, if it is close enough to be a typo; otherwise a
// key with the same last segment (a key put in the wrong section).
std::optional<std::string> suggest(std::string_view unknown) {
  const table& t = the_table();
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, unknown.size() / 4) + 1;
  for (const auto& candidate : t.candidates) {
    if (candidate == unknown) continue;  // a section given a value: suggesting itself says nothing
    const std::size_t d = edit_distance(unknown, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (best) return best;
  const auto last = unknown.substr(unknown.rfind('.') + 1);
  for (const auto& candidate : t.candidates) {
    if (candidate.ends_with("." + std::string(last))) return candidate;
  }
  return std::nullopt;
}

// yaml-cpp 0.7 takes a quoted scalar left open at the end of the text as running to the end, so
// `group_id: "abc` swallows every key after it. Where a quoted scalar of the tree opens, its
// closing quote must follow in the text.
std::optional<YAML::Mark> unterminated_quote(const YAML::Node& node, const std::string& text) {
  if (node.IsMap() || node.IsSequence()) {
    for (const auto& child : node) {
      const YAML::Node& inner = node.IsMap() ? child.second : child;
      if (node.IsMap()) {
        if (auto m = unterminated_quote(child.first, text)) return m;
      }
      if (auto m = unterminated_quote(inner, text)) return m;
    }
    return std::nullopt;
  }
  if (!node.IsScalar()) return std::nullopt;
  const YAML::Mark mark = node.Mark();
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text.size()) return std::nullopt;
  const char open = text[static_cast<std::size_t>(mark.pos)];
  if (open != '"' && open != '\'') return std::nullopt;
  for (std::size_t i = static_cast<std::size_t>(mark.pos) + 1; i < text.size(); ++i) {
    if (open == '"' && text[i] == '\\') {
      ++i;  // an escaped character
    } else if (text[i] == open) {
      if (open == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside a single-quoted scalar
      } else {
        return std::nullopt;
      }
    }
  }
  return mark;
}

// WIREFEED_KAFKA_BOOTSTRAP_SERVERS (single underscores, a natural slip): the variable meant,
// WIREFEED_KAFKA__BOOTSTRAP_SERVERS, when the name is a key's (or a map key's entry) so written.
// The scripts' own variables (WIREFEED_CACHE, WIREFEED_KAFKA_DIR, ...) are no key's.
std::optional<std::string> single_underscore_key(std::string_view name) {
  if (!name.starts_with(k_env_prefix) || name.find("__") != std::string_view::npos) return std::nullopt;
  const std::string rest = lower(name.substr(k_env_prefix.size()));
  const auto underscored = [](std::string key) {
    std::ranges::replace(key, '.', '_');
    return key;
  };
  const auto variable = [](const std::string& key) {
    std::string v(k_env_prefix);
    for (const char c : key) {
      if (c == '.') v += "__";
      else v += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return v;
  };
  for (const auto& d : the_table().defs) {
    const std::string flat = underscored(d.info.name);
    if (rest == flat) return variable(d.info.name);
    if (d.info.type == "map" && rest.starts_with(flat + "_")) return variable(d.info.name) + "__...";
  }
  return std::nullopt;
}

// Applies the sources in precedence order to one config, collecting every problem.
class loader {
 public:
  // Reads YAML text; `source` names it in messages (a path, or "<yaml>").
  void apply_yaml(std::string text, const std::string& source) {
    // yaml-cpp skips a byte order mark but counts positions without it: unterminated_quote below
    // indexes the text by those positions.
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    YAML::Node root;
    try {
      // Every document, so that one after a `---` (an override appended to a ConfigMap) is not
      // silently ignored.
      std::vector<YAML::Node> documents = YAML::LoadAll(text);
      std::erase_if(documents, [](const YAML::Node& d) { return d.IsNull(); });
      if (documents.size() > 1) {
        errors_.push_back(source + ": " + std::to_string(documents.size()) + " YAML documents (separated by ---): " +
                          "wirefeed reads one; merge them");
        return;
      }
      if (!documents.empty()) root = documents.front();
    } catch (const YAML::ParserException& e) {
      errors_.push_back(source + " line " + std::to_string(e.mark.line + 1) + ", column " +
                        std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
      return;
    }
    if (const auto unclosed = unterminated_quote(root, text)) {
      errors_.push_back(source + " line " + std::to_string(unclosed->line + 1) + ", column " +
                        std::to_string(unclosed->column + 1) + ": YAML syntax error: a quoted string that is " +
                        "never closed (it takes in the rest of the file)");
      return;
    }
    if (root.IsNull()) return;
    if (!root.IsMap()) {
      errors_.push_back(source + ": expected a map of keys at the top level, got " + describe(root));
      return;
    }
    try {
      walk(root, "", source);
    } catch (const YAML::Exception& e) {  // not expected: walk() checks node types before use
      errors_.push_back(source + ": cannot read the YAML document: " + e.what());
    }
  }

  void apply_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      errors_.push_back("config file " + quote(path) + " does not exist");
      return;
    }
    if (std::filesystem::is_directory(path, ec)) {
      errors_.push_back("config file " + quote(path) + " is a directory");
      return;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      errors_.push_back("config file " + quote(path) + " cannot be read: " + std::strerror(errno));
      return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    apply_yaml(text.str(), path);
  }

  void apply_environment(const env_list& env) {
    for (const auto& [name, value] : env) {
      if (const auto meant = single_underscore_key(name)) {
        errors_.push_back(name + ": not read: a key's variable has a double underscore after its section (" + *meant +
                          ")");
        continue;
      }
      if (!is_config_env(name)) continue;
      const auto segments = split(std::string_view(name).substr(k_env_prefix.size()), "__");
      apply_text(lower(join(segments, ".")), value, name, true);
    }
  }

  void apply_overrides(const std::vector<std::string>& overrides) {
    for (const auto& o : overrides) {
      const auto eq = o.find('=');
      if (eq == std::string::npos || trim(o.substr(0, eq)).empty()) {
        errors_.push_back("--set " + quote(o) + ": expected key=value, e.g. --set pipeline.threads=4");
        continue;
      }
      apply_text(trim(o.substr(0, eq)), o.substr(eq + 1), "--set " + o, false);
    }
  }

  load_result finish() {
    for (const auto& d : the_table().defs) {
      if (auto problem = d.check(cfg_); !problem.empty()) {
        const auto origin = origin_.find(d.info.name);
        errors_.push_back(d.info.name + ": " + problem +
                          (origin == origin_.end() ? std::string() : " (" + origin->second + ")"));
      }
    }
    // Between valid values only: a rule naming a key already in an error (a refused value, a
    // misspelt key's suggestion) would be checked against a value never written. Each message
    // says where the values it names were set.
    std::vector<std::string> cross;
    check_cross_field(cfg_, cross);
    std::set<std::string_view> in_error;
    for (const auto& d : the_table().defs) {
      if (std::ranges::any_of(errors_, [&](const std::string& e) { return mentions(e, d.info.name); })) {
        in_error.insert(d.info.name);
      }
    }
    for (auto& e : cross) {
      if (std::ranges::any_of(in_error, [&](std::string_view key) { return mentions(e, key); })) continue;
      std::string where;
      for (const auto& [key, at] : origin_) {
        if (mentions(e, key)) where += (where.empty() ? "" : "; ") + key + ": " + at;
      }
      errors_.push_back(where.empty() ? std::move(e) : e + " (" + where + ")");
    }
    return {std::move(cfg_), std::move(errors_)};
  }

 private:
  void walk(const YAML::Node& map, const std::string& prefix, const std::string& source) {
    std::set<std::string> seen;
    for (const auto& kv : map) {
      const std::string at = position(source, kv.first);
      if (!kv.first.IsScalar()) {
        errors_.push_back((prefix.empty() ? std::string("top level") : prefix) + ": keys must be names, got " +
                          describe(kv.first) + " (" + at + ")");
        continue;
      }
      const std::string path = prefix.empty() ? kv.first.Scalar() : prefix + "." + kv.first.Scalar();
      if (kv.first.Scalar().find('.') != std::string::npos) {
        // One spelling per key: a dotted one beside the nested one would silently win or lose.
        // Shown nested: a section at each dot, then a map key's entry whole (kafka: {consumer:
        // {fetch.min.bytes: ...}}); a path that names no key is an unknown key.
        std::string nested, closing;
        bool known = the_table().find(path) != nullptr || the_table().sections.contains(path);
        std::size_t from = 0;
        for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1)) {
          const std::string head = path.substr(0, dot);
          const bool section = the_table().sections.contains(head);
          const bool map_key = !section && the_table().find(head) != nullptr;
          if (!section && !map_key) break;
          nested += path.substr(from, dot - from) + ": {";
          closing += "}";
          from = dot + 1;
          if (map_key) {
            known = true;
            break;
          }
        }
        if (known) {
          errors_.push_back(path + ": a dotted key; in a file, keys are nested (" + nested + path.substr(from) +
                            ": ..." + closing + ") (" + at + ")");
        } else {
          errors_.push_back(path + ": unknown key" + suggestion_for(path, false) + " (" + at + ")");
        }
        continue;
      }
      if (!seen.insert(kv.first.Scalar()).second) {
        errors_.push_back(path + ": given twice (" + at + ")");
      } else if (const key_def* d = the_table().find(path)) {
        assign(*d, kv.second, at);
      } else if (the_table().sections.contains(path)) {
        if (kv.second.IsMap()) {
          walk(kv.second, path, source);
        } else if (!kv.second.IsNull()) {
          errors_.push_back(path + ": expected a map of keys, got " + describe(kv.second) + " (" + at + ")");
        }
      } else {
        errors_.push_back(path + ": unknown key" + suggestion_for(path, false) + " (" + at + ")");
      }
    }
  }

  // "file line N", or just the source when yaml-cpp has no position for the node.
  static std::string position(const std::string& source, const YAML::Node& n) {
    if (n.Mark().is_null()) return source;
    return source + " line " + std::to_string(n.Mark().line + 1);
  }

  // Stores `value` into its key, or records the type problem. `at` says where the value came from;
  // it is kept so a later validator failure can say which source to fix.
  void assign(const key_def& d, const YAML::Node& value, const std::string& at) {
    if (auto problem = d.assign(cfg_, value); !problem.empty()) {
      errors_.push_back(d.info.name + ": " + problem + " (" + at + ")");
      return;
    }
    origin_[d.info.name] = at;
  }

  // One value given as text by the environment (`from_env`, `source` = the variable's name) or by
  // --set (`source` = "--set key=value").
  void apply_text(const std::string& path, const std::string& value, const std::string& source, bool from_env) {
    const table& t = the_table();
    if (const key_def* d = t.find(path)) {
      if (d->is_map) {
        // The librdkafka passthrough maps hold properties; other maps (topic_formats) entries.
        const bool properties = path.starts_with("kafka.");
        const std::string entry = properties ? "property" : "entry";
        errors_.push_back(path + (properties ? " is a map of librdkafka properties" : " is a map") + "; set one " +
                          entry + " as " +
                          (from_env ? environment_variable_name(path) + "__<" + upper(entry) + ">"
                                    : path + ".<" + entry + ">=value") +
                          " (" + source + ")");
      } else if (d->is_list) {
        YAML::Node seq(YAML::NodeType::Sequence);
        for (const auto& item : split_list(value)) seq.push_back(item);
        assign(*d, seq, source);
      } else {
        assign(*d, YAML::Node(value), source);
      }
      return;
    }
    for (const auto& d : t.defs) {
      if (!d.is_map || !path.starts_with(d.info.name + ".")) continue;
      const std::string property = path.substr(d.info.name.size() + 1);
      if (property.starts_with('.') || property.ends_with('.') || property.find("..") != std::string::npos) {
        errors_.push_back(path + ": malformed librdkafka property name " + quote(property) + " (" + source + ")");
        return;
      }
      d.assign_entry(cfg_, property, value);
      return;
    }
    if (from_env) {
      errors_.push_back(source + ": names no configuration key (read as " + path + ")" + suggestion_for(path, true));
    } else {
      errors_.push_back(source + ": unknown key " + path + suggestion_for(path, false));
    }
  }

  // Whether `text` names the key `key` ("topics.input", not inside "topics.input_x"; a map's
  // entry, "pipeline.topic_formats.wire.raw", names the map).
  static bool mentions(std::string_view text, std::string_view key) {
    const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (std::size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
      const std::size_t end = at + key.size();
      if ((at == 0 || (!word(text[at - 1]) && text[at - 1] != '.')) && (end == text.size() || !word(text[end]))) return true;
    }
    return false;
  }

  static std::string suggestion_for(const std::string& path, bool as_env) {
    const auto s = suggest(path);
    if (!s) return {};
    return ", did you mean " + (as_env ? environment_variable_name(*s) : *s) + "?";
  }

  config cfg_;
  std::vector<std::string> errors_;
  std::map<std::string, std::string> origin_;  // key -> where its final value came from
};

}  // namespace

std::string_view to_string(processing_guarantee g) { return name_of<processing_guarantee>(k_guarantee_names, g); }
std::string_view to_string(input_format f) { return name_of<input_format>(k_format_names, f); }
std::string_view to_string(invalid_utf8_policy p) { return name_of<invalid_utf8_policy>(k_utf8_names, p); }
std::string_view to_string(pipeline_role r) { return name_of<pipeline_role>(k_role_names, r); }

std::optional<input_format> parse_input_format(std::string_view name) {
  for (const auto& [spelling, value] : k_format_names) {
    if (spelling == name) return value;
  }
  return std::nullopt;
}

const std::vector<key_info>& keys() { return the_table().infos; }

load_result load(const std::string& path, const env_list& env, const std::vector<std::string>& overrides) {
  loader l;
  if (!path.empty()) l.apply_file(path);
  l.apply_environment(env);
  l.apply_overrides(overrides);
  return l.finish();
}

load_result load_from_string(const std::string& yaml_text, const env_list& env,
                             const std::vector<std::string>& overrides) {
  loader l;
  l.apply_yaml(yaml_text, "<yaml>");
  l.apply_environment(env);
  l.apply_overrides(overrides);
  return l.finish();
}

env_list process_environment() {
  env_list out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (!entry.starts_with(k_env_prefix)) continue;
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace_back(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

std::string to_yaml(const config& c) {
  YAML::Node root(YAML::NodeType::Map);
  // Recursion rather than a loop: assigning yaml-cpp Nodes re-points shared data, not the handle.
  const std::function<void(YAML::Node, std::span<const std::string>, const YAML::Node&)> put =
      [&put](YAML::Node parent, std::span<const std::string> path, const YAML::Node& value) {
        if (path.size() == 1) {
          parent[path.front()] = value;
          return;
        }
        put(parent[path.front()], path.subspan(1), value);
      };
  for (const auto& d : the_table().defs) {
    const auto path = split(d.info.name, ".");
    put(root, path, d.to_node(c));
  }
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

std::int64_t max_output_bytes(const config& c) {
  const auto it = c.kafka.producer.find("message.max.bytes");
  std::int64_t n = 0;
  if (it == c.kafka.producer.end() ||
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), n).ec != std::errc() || n <= 0) {
    return default_message_max_bytes;
  }
  return n;
}

std::string environment_variable_name(std::string_view key) {
  return std::string(k_env_prefix) + upper(join(split(key, "."), "__"));
}

}  // namespace wirefeed::cfg
