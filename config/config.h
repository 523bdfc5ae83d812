#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// wirefeed's whole configuration: one table of keys (config.cc), each with a name, a type, a
// default, a one-line description and a validator. This library depends on yaml-cpp only.
//
// Thread-safety: every function here may be called from any thread; none keeps mutable state.
// The table behind keys() is built once, on first use. process_environment() reads `environ`, so
// it must not race setenv().
namespace wirefeed::cfg {

enum class processing_guarantee { at_least_once, exactly_once };
enum class input_format { auto_detect, ninjs, json, text };
enum class invalid_utf8_policy { reject, repair };
// Which part of the chain `wirefeed run` runs (docs/clustering.md, "Scale-out").
enum class pipeline_role { all, extract, cluster };

// The spelling used in the config file ("exactly_once", "auto", "repair", ...).
std::string_view to_string(processing_guarantee g);
std::string_view to_string(input_format f);
std::string_view to_string(invalid_utf8_policy p);
std::string_view to_string(pipeline_role r);

// The input_format a config spelling names ("auto", "ninjs", "json", "text"), if any.
std::optional<input_format> parse_input_format(std::string_view name);

// Field names tried in order when decoding plain JSON input (first present wins).
struct field_map {
  std::vector<std::string> id{"uri", "id", "guid"};
  std::vector<std::string> headline{"headline", "title"};
  std::vector<std::string> body{"body", "body_text", "text", "content"};
  std::vector<std::string> time{"versioncreated", "published", "date"};
  std::vector<std::string> source{"source", "publisher"};
  std::vector<std::string> url{"url", "link"};
  std::vector<std::string> byline{"by", "byline", "author"};

  bool operator==(const field_map&) const = default;
};

struct config {
  struct kafka_t {
    std::string bootstrap_servers = "127.0.0.1:9092";
    std::string group_id = "wirefeed";
    std::string client_id = "wirefeed";
    // Passed verbatim to librdkafka (after wirefeed's own defaults, so they win).
    std::map<std::string, std::string> consumer;
    std::map<std::string, std::string> producer;

    bool operator==(const kafka_t&) const = default;
  } kafka;

  struct topics_t {
    std::vector<std::string> input{"wire.raw"};
    std::string enriched = "wire.enriched";
    std::string stories = "wire.stories";
    std::string dead_letter = "wire.dlq";
    std::string changelog = "wire.stories.changelog";
    // The extract role's output and the cluster role's input (pipeline.role); same partition
    // count as the input topics.
    std::string extracted = "wire.extracted";

    bool operator==(const topics_t&) const = default;
  } topics;

  struct pipeline_t {
    int threads = 0;  // 0 = number of cores
    std::int64_t max_in_flight_messages = 30000;
    std::int64_t max_in_flight_bytes = 256LL << 20;
    std::int64_t max_message_bytes = 1LL << 20;
    std::int64_t max_body_chars = 200000;
    bool pass_through = false;  // decode and encode only: for measuring the plumbing
    pipeline_role role = pipeline_role::all;
    // exactly_once: how often the strand commits its transaction.
    std::chrono::milliseconds transaction_interval{100};
    processing_guarantee guarantee = processing_guarantee::at_least_once;
    input_format format = input_format::auto_detect;
    // Per input topic, a format that wins over `format` and the content-type header:
    // topic name -> "auto" | "ninjs" | "json" | "text".
    std::map<std::string, std::string> topic_formats;
    invalid_utf8_policy invalid_utf8 = invalid_utf8_policy::reject;
    field_map fields;

    bool operator==(const pipeline_t&) const = default;
  } pipeline;

  struct normalize_t {
    // The boilerplate lexicon (YAML, see config/boilerplate.yaml); "" = the shipped one, compiled in.
    std::string lexicon_path;
    // Words after which '.' does not end a sentence (case-sensitive, as written in text).
    std::vector<std::string> abbreviations{
        "Mr.",    "Mrs.",  "Ms.",   "Dr.",   "Prof.", "Gen.",  "Lt.",   "Col.",  "Maj.",  "Capt.",  "Sgt.",
        "Cpl.",   "Adm.",  "Cmdr.", "Gov.",  "Sen.",  "Rep.",  "Rev.",  "Hon.",  "Pres.", "Sec.",   "Amb.",
        "Atty.",  "Supt.", "Det.",  "St.",   "Jr.",   "Sr.",   "Inc.",  "Corp.", "Co.",   "Ltd.",   "Bros.",
        "Dept.",  "Univ.", "Ave.",  "Blvd.", "Rd.",   "Mt.",   "Ft.",   "No.",   "Nos.",  "vs.",    "approx.",
        "Jan.",   "Feb.",  "Mar.",  "Apr.",  "Jun.",  "Jul.",  "Aug.",  "Sep.",  "Sept.", "Oct.",   "Nov.",
        "Dec.",   "U.S.",  "U.K.",  "U.N.",  "E.U.",  "D.C.",  "a.m.",  "p.m.",  "e.g.",  "i.e.",   "Calif.",
        "Fla.",   "Mass.", "Wash.", "Ariz.", "Conn.", "Ill.",  "Mich.", "Minn.", "Tenn.", "Va.",    "Ga.",
        "Md.",    "N.Y.",  "N.J.",  "M.",    "MM.",   "Mme.",  "Nr.",   "Sra.",  "Dña.",  "Hr.",    "Fr.",
        "bzw.",   "z.B.",  "ca.",   "Mrd.",  "Mio.",  "Tsd.",
        "Const.", "Msgr.", "Dist.", "Dep.", "Pvt.", "Asst.", "Insp."};
    // Language detection looks at this much of the body (CLD2's cost grows with it).
    std::int64_t language_detect_bytes = 1024;

    struct learner_t {
      bool enabled = true;
      std::int64_t min_articles = 10;
      std::int64_t max_line_chars = 300;
      std::int64_t capacity = 65536;

      bool operator==(const learner_t&) const = default;
    } learner;

    bool operator==(const normalize_t&) const = default;
  } normalize;

  struct extract_t {
    // The named-entity model (pipeline/ner); a relative path is looked up like the daemon's other
    // shipped files (working directory, <prefix>/share/wirefeed, the source tree).
    std::string ner_model = "models/ner-en.bin";

    struct keywords_t {
      std::int64_t max_keywords = 10;
      std::int64_t sketch_width = 65536;
      std::int64_t half_life_articles = 50000;

      bool operator==(const keywords_t&) const = default;
    } keywords;

    bool operator==(const extract_t&) const = default;
  } extract;

  struct cluster_t {
    std::int64_t story_ttl_hours = 72;
    std::int64_t max_live_stories = 100000;
    bool restore = true;  // read the changelog topic at start-up

    bool operator==(const cluster_t&) const = default;
  } cluster;

  struct shutdown_t {
    std::chrono::milliseconds drain_timeout{30000};
    std::chrono::milliseconds revoke_drain_timeout{10000};

    bool operator==(const shutdown_t&) const = default;
  } shutdown;

  struct metrics_t {
    bool enabled = true;
    std::string bind_address = "127.0.0.1";
    int port = 9464;  // 0 = pick a free port (logged at start)

    bool operator==(const metrics_t&) const = default;
  } metrics;

  struct log_t {
    std::string level = "info";  // trace, debug, info, warn, error

    bool operator==(const log_t&) const = default;
  } log;

  bool operator==(const config&) const = default;
};

// One key of the table, for documentation (and a test that config/wirefeed.yaml names every key).
struct key_info {
  std::string name;         // dotted path, e.g. "pipeline.threads"
  std::string type;         // "int", "bytes", "string", "bool", "duration_ms", "string_list", "map",
                            // "enum(a|b)"
  std::string default_value;  // as written after `--set key=`; lists comma-separated, maps "{}"
  std::string description;
};
// Every key, in the order of config/wirefeed.yaml. Passthrough maps (kafka.consumer,
// kafka.producer) are one row each; their entries are librdkafka's, not ours.
const std::vector<key_info>& keys();

struct load_result {
  config cfg;                       // meaningful only when ok()
  std::vector<std::string> errors;  // every problem found, each naming its key; empty = valid
  bool ok() const { return errors.empty(); }
};

// Loads `path` (YAML), then applies environment overrides, then `overrides` ("key=value", as
// given by `--set`). Precedence: defaults < file < environment < overrides. Unknown keys, wrong
// types, failed validators and cross-field conflicts are all reported, not just the first; a
// missing or unreadable file is one error and the other sources are still checked. path == ""
// means no file (defaults, environment and overrides only).
//
// Environment: WIREFEED_<KEY> where the dotted key is upper-cased and '.' becomes "__", e.g.
// WIREFEED_PIPELINE__THREADS=4. For kafka.consumer / kafka.producer everything after the map's
// key is one librdkafka property, lower-cased, "__" back to '.': WIREFEED_KAFKA__PRODUCER__LINGER__MS=5
// sets kafka.producer["linger.ms"] (and `--set kafka.producer.linger.ms=5` does the same). List
// values from the environment or `--set` are comma-separated. A WIREFEED_* variable naming no key
// is an error; variables without "__" (WIREFEED_CACHE, WIREFEED_BIN, WIREFEED_TEST_*: the scripts'
// and tests') are not configuration and are ignored.
// `env` is passed in (tests pass their own); main passes process_environment().
load_result load(const std::string& path, const std::vector<std::pair<std::string, std::string>>& env,
                 const std::vector<std::string>& overrides);

// Same, from YAML text instead of a file ("" is an empty document: defaults).
load_result load_from_string(const std::string& yaml_text,
                             const std::vector<std::pair<std::string, std::string>>& env,
                             const std::vector<std::string>& overrides);

// The environment of this process as name/value pairs, filtered to WIREFEED_*.
std::vector<std::pair<std::string, std::string>> process_environment();

// The effective configuration as YAML, every key in table order (for `check-config --print`).
// load_from_string(to_yaml(c), {}, {}) yields c again.
std::string to_yaml(const config& c);

// The variable that overrides `key`: "pipeline.threads" -> "WIREFEED_PIPELINE__THREADS".
std::string environment_variable_name(std::string_view key);

// The largest record the producer sends: kafka.producer's message.max.bytes, else librdkafka's
// default (1,000,000). An output that would be larger is refused before it is produced (a dead
// letter of its input, or a dead letter cut to fit): the broker and the producer would refuse it
// for good, and an output that cannot be delivered stops the daemon.
std::int64_t max_output_bytes(const config& c);
inline constexpr std::int64_t default_message_max_bytes = 1000000;

}  // namespace wirefeed::cfg
