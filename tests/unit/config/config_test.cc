#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace wirefeed::cfg {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

using env_list = std::vector<std::pair<std::string, std::string>>;

const std::string k_source_dir = WIREFEED_SOURCE_DIR;

load_result from_yaml(const std::string& text, const env_list& env = {}, const std::vector<std::string>& set = {}) {
  return load_from_string(text, env, set);
}

// ---- defaults and the shipped files ----------------------------------------------------------

TEST(ConfigDefaults, EmptyTextGivesTheDefaultConfig) {
  const auto r = from_yaml("");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg, config{});
}

TEST(ConfigDefaults, NoFileGivesTheDefaultConfig) {
  const auto r = load("", {}, {});
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg, config{});
}

TEST(ConfigDefaults, KeyDefaultsAreReadFromTheDefaultConfig) {
  std::map<std::string, std::string> defaults;
  for (const auto& k : keys()) defaults[k.name] = k.default_value;
  EXPECT_EQ(defaults["pipeline.threads"], "0");
  EXPECT_EQ(defaults["pipeline.max_in_flight_bytes"], "256MiB");
  EXPECT_EQ(defaults["topics.input"], "wire.raw");
  EXPECT_EQ(defaults["pipeline.fields.id"], "uri,id,guid");
  EXPECT_EQ(defaults["pipeline.input_format"], "auto");
  EXPECT_EQ(defaults["shutdown.drain_timeout_ms"], "30000");
  EXPECT_EQ(defaults["kafka.producer"], "{}");
}

TEST(ConfigDefaults, EveryKeyHasATypeAndADescription) {
  for (const auto& k : keys()) {
    EXPECT_FALSE(k.type.empty()) << k.name;
    EXPECT_FALSE(k.description.empty()) << k.name;
  }
}

TEST(ConfigDefaults, KeyDefaultsLoadBackAsTheDefaultConfig) {
  std::vector<std::string> set;
  for (const auto& k : keys()) {
    if (k.type != "map") set.push_back(k.name + "=" + k.default_value);
  }
  const auto r = from_yaml("", {}, set);
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg, config{});
}

TEST(ReferenceConfig, LoadsWithoutErrorsAndEqualsTheDefaults) {
  const auto r = load(k_source_dir + "/config/wirefeed.yaml", {}, {});
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg, config{});
}

// Whether `node` has the nested key `dotted` ("pipeline.fields.id").
bool has_key(const YAML::Node& node, const std::string& dotted) {
  const auto dot = dotted.find('.');
  const YAML::Node child = node[dotted.substr(0, dot)];
  if (!child.IsDefined()) return false;
  return dot == std::string::npos || has_key(child, dotted.substr(dot + 1));
}

TEST(ReferenceConfig, NamesEveryKey) {
  const YAML::Node root = YAML::LoadFile(k_source_dir + "/config/wirefeed.yaml");
  for (const auto& k : keys()) {
    EXPECT_TRUE(has_key(root, k.name)) << k.name << " is missing from config/wirefeed.yaml";
  }
}

TEST(QuickstartConfig, LoadsWithoutErrors) {
  const auto r = load(k_source_dir + "/config/quickstart.yaml", {}, {});
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.kafka.bootstrap_servers, "127.0.0.1:9092");
  EXPECT_EQ(r.cfg.metrics.port, 9464);
  EXPECT_EQ(r.cfg.log.level, "info");
}

// ---- reading YAML ------------------------------------------------------------------------------

TEST(ConfigYaml, ReadsNestedKeysIntoTheStruct) {
  const auto r = from_yaml(R"(
kafka:
  bootstrap_servers: b1:9092,b2:9092
topics:
  input: [a, b]
pipeline:
  threads: 4
  processing_guarantee: exactly_once
  input_format: ninjs
  invalid_utf8: repair
  fields:
    headline: title
shutdown:
  drain_timeout_ms: 5000
  revoke_drain_timeout_ms: 2000
metrics:
  enabled: false
log:
  level: debug
)");
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.kafka.bootstrap_servers, "b1:9092,b2:9092");
  EXPECT_THAT(r.cfg.topics.input, ElementsAre("a", "b"));
  EXPECT_EQ(r.cfg.pipeline.threads, 4);
  EXPECT_EQ(r.cfg.pipeline.guarantee, processing_guarantee::exactly_once);
  EXPECT_EQ(r.cfg.pipeline.format, input_format::ninjs);
  EXPECT_EQ(r.cfg.pipeline.invalid_utf8, invalid_utf8_policy::repair);
  EXPECT_THAT(r.cfg.pipeline.fields.headline, ElementsAre("title"));
  EXPECT_EQ(r.cfg.shutdown.drain_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(r.cfg.shutdown.revoke_drain_timeout, std::chrono::milliseconds(2000));
  EXPECT_FALSE(r.cfg.metrics.enabled);
  EXPECT_EQ(r.cfg.log.level, "debug");
}

TEST(ConfigYaml, SingleStringIsAListOfOne) {
  const auto r = from_yaml("topics:\n  input: wire.ap\n");
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(r.cfg.topics.input, ElementsAre("wire.ap"));
}

TEST(ConfigYaml, PassthroughMapKeepsTheScalarTextOfIntsAndBools) {
  const auto r = from_yaml("kafka:\n  producer:\n    linger.ms: 5\n    enable.idempotence: true\n"
                           "    compression.type: zstd\n");
  ASSERT_THAT(r.errors, IsEmpty());
  const std::map<std::string, std::string> expected{
      {"linger.ms", "5"}, {"enable.idempotence", "true"}, {"compression.type", "zstd"}};
  EXPECT_EQ(r.cfg.kafka.producer, expected);
}

TEST(ConfigYaml, ByteSizesAcceptUnitSuffixes) {
  const auto r = from_yaml("pipeline:\n  max_in_flight_bytes: 1MB\n  max_message_bytes: 512KiB\n");
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.pipeline.max_in_flight_bytes, 1000 * 1000);
  EXPECT_EQ(r.cfg.pipeline.max_message_bytes, 512 * 1024);
  EXPECT_EQ(from_yaml("pipeline:\n  max_in_flight_bytes: 64MiB\n").cfg.pipeline.max_in_flight_bytes, 64LL << 20);
  EXPECT_EQ(from_yaml("pipeline:\n  max_in_flight_bytes: 2 GiB\n").cfg.pipeline.max_in_flight_bytes, 2LL << 30);
  EXPECT_EQ(from_yaml("pipeline:\n  max_in_flight_bytes: 3000000\n").cfg.pipeline.max_in_flight_bytes, 3000000);
}

TEST(ConfigYaml, ByteSizeWithUnknownUnitIsRejected) {
  const auto r = from_yaml("pipeline:\n  max_in_flight_bytes: 64 parsecs\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("pipeline.max_in_flight_bytes"), HasSubstr("byte size"),
                                          HasSubstr("\"64 parsecs\""))));
}

TEST(ConfigYaml, UnknownKeyIsReportedWithItsPathAndASuggestion) {
  const auto r = from_yaml("pipeline:\n  thread: 4\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("pipeline.thread: unknown key"),
                                          HasSubstr("did you mean pipeline.threads?"), HasSubstr("line 2"))));
}

TEST(ConfigYaml, UnknownSectionIsReportedWithASuggestion) {
  const auto r = from_yaml("pipline:\n  threads: 4\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("pipline: unknown key"), HasSubstr("did you mean pipeline?"))));
}

TEST(ConfigYaml, KeyInTheWrongSectionSuggestsWhereItBelongs) {
  const auto r = from_yaml("kafka:\n  port: 9464\n");
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("did you mean metrics.port?")));
}

TEST(ConfigYaml, WrongTypeNamesTheKeyTheExpectedTypeAndTheValue) {
  const auto r = from_yaml("pipeline:\n  threads: four\n");
  EXPECT_THAT(r.errors,
              ElementsAre(AllOf(HasSubstr("pipeline.threads"), HasSubstr("expected int"), HasSubstr("\"four\""))));
}

TEST(ConfigYaml, ListWhereAScalarIsExpectedIsATypeError) {
  const auto r = from_yaml("metrics:\n  enabled: [yes]\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("metrics.enabled"), HasSubstr("expected bool"),
                                          HasSubstr("got a list"))));
}

TEST(ConfigYaml, AllErrorsAreReportedAtOnce) {
  const auto r = from_yaml(R"(
kafka:
  bootstrap_server: x:9092
pipeline:
  threads: many
  input_format: xml
metrics:
  port: 70000
log:
  level: loud
)");
  EXPECT_THAT(r.errors, SizeIs(5));
  EXPECT_THAT(r.errors, Contains(HasSubstr("kafka.bootstrap_server: unknown key")));
  EXPECT_THAT(r.errors, Contains(HasSubstr("pipeline.threads")));
  EXPECT_THAT(r.errors, Contains(HasSubstr("pipeline.input_format")));
  EXPECT_THAT(r.errors, Contains(HasSubstr("metrics.port")));
  EXPECT_THAT(r.errors, Contains(HasSubstr("log.level")));
}

TEST(ConfigYaml, SyntaxErrorReportsLineAndColumn) {
  const auto r = from_yaml("pipeline:\n  threads: 4\n  fields: [a, b\n");
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0], AllOf(HasSubstr("YAML syntax error"), HasSubstr("line "), HasSubstr("column ")));
}

TEST(ConfigYaml, SyntaxErrorLineNumberPointsAtTheBadLine) {
  const auto r = from_yaml("log:\n  level: info\nmetrics:\n  port: 1\n   enabled: true\n");
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0], HasSubstr("line 5"));
}

// yaml-cpp takes a quoted string left open as running to the end of the file: every key after it
// would be silently lost (metrics.port below) instead of the file being refused.
TEST(ConfigYaml, AQuotedStringNeverClosedIsASyntaxError) {
  const auto r = from_yaml("kafka:\n  group_id: \"abc\nmetrics:\n  port: 1\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("line 2"), HasSubstr("a quoted string that is never closed"))));
  EXPECT_THAT(from_yaml("kafka:\n  group_id: 'abc\n").errors, ElementsAre(HasSubstr("never closed")));
  // Closed ones, with their escapes and over lines, are fine.
  const auto fine = from_yaml("kafka:\n  group_id: 'it''s'\n  client_id: \"a \\\" b\n   c\"\n");
  EXPECT_THAT(fine.errors, IsEmpty());
  EXPECT_EQ(fine.cfg.kafka.group_id, "it's");
  EXPECT_EQ(fine.cfg.kafka.client_id, "a \" b c");
}

// A second document (an override appended after `---`) would be silently ignored.
TEST(ConfigYaml, MoreThanOneDocumentIsAnError) {
  EXPECT_THAT(from_yaml("pipeline:\n  threads: 3\n---\npipeline:\n  threads: 5\n").errors,
              ElementsAre(HasSubstr("2 YAML documents")));
  const auto trailing = from_yaml("pipeline:\n  threads: 3\n---\n");  // an empty one is nothing
  EXPECT_THAT(trailing.errors, IsEmpty());
  EXPECT_EQ(trailing.cfg.pipeline.threads, 3);
}

TEST(ConfigYaml, KeyGivenTwiceIsAnError) {
  const auto r = from_yaml("log:\n  level: info\n  level: debug\n");
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("log.level: given twice")));
}

TEST(ConfigYaml, TopLevelThatIsNotAMapIsAnError) {
  const auto r = from_yaml("- a\n- b\n");
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("expected a map of keys at the top level")));
}

TEST(ConfigFile, MissingFileIsOneClearError) {
  const auto r = load("/nonexistent/wirefeed.yaml", {}, {});
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("/nonexistent/wirefeed.yaml"), HasSubstr("does not exist"))));
}

TEST(ConfigFile, ErrorsInAFileNameTheFileAndLine) {
  const std::string path = ::testing::TempDir() + "config_test_bad_threads.yaml";
  std::ofstream(path) << "log:\n  level: info\npipeline:\n  threads: x\n";
  const auto r = load(path, {}, {});
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("pipeline.threads"), HasSubstr(path + " line 4"))));
  std::remove(path.c_str());
}

// ---- environment and --set ------------------------------------------------------------------------

TEST(ConfigEnvironment, EnvironmentOverridesTheFile) {
  const auto r = from_yaml("pipeline:\n  threads: 2\n", {{"WIREFEED_PIPELINE__THREADS", "4"}});
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.pipeline.threads, 4);
}

TEST(ConfigEnvironment, PassthroughMapEntryComesFromTheVariableName) {
  const auto r = from_yaml("kafka:\n  producer:\n    acks: all\n", {{"WIREFEED_KAFKA__PRODUCER__LINGER__MS", "5"}});
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.kafka.producer,
            (std::map<std::string, std::string>{{"acks", "all"}, {"linger.ms", "5"}}));
}

TEST(ConfigEnvironment, ListValueIsCommaSeparated) {
  const auto r = from_yaml("", {{"WIREFEED_TOPICS__INPUT", "wire.ap, wire.reuters"}});
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(r.cfg.topics.input, ElementsAre("wire.ap", "wire.reuters"));
}

TEST(ConfigEnvironment, UnknownVariableIsAnErrorWithASuggestion) {
  const auto r = from_yaml("", {{"WIREFEED_PIPELINE__THREDS", "4"}});
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("WIREFEED_PIPELINE__THREDS"),
                                          HasSubstr("did you mean WIREFEED_PIPELINE__THREADS?"))));
}

TEST(ConfigEnvironment, VariablesWithoutASectionSeparatorAreNotConfig) {
  const auto r = from_yaml("", {{"WIREFEED_CACHE", "/tmp/c"},
                                {"WIREFEED_KAFKA_DIR", "/opt/kafka"},
                                {"WIREFEED_BUILD_DIR", "build"},
                                {"WIREFEED_TEST_BROKER", "127.0.0.1:9092"},
                                {"HOME", "/root"}});
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg, config{});
}

// A key written with single underscores is a slip, not another program's variable: `run` would
// have used the default broker with nothing said.
TEST(ConfigEnvironment, AKeyWrittenWithSingleUnderscoresIsAnErrorNamingTheVariableMeant) {
  const auto r = from_yaml("", {{"WIREFEED_KAFKA_BOOTSTRAP_SERVERS", "broker:9092"},
                                {"WIREFEED_KAFKA_CONSUMER_SASL_PASSWORD", "x"},
                                {"WIREFEED_KAFKA_DIR", "/opt/kafka"}});
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("WIREFEED_KAFKA_BOOTSTRAP_SERVERS: not read"),
                                          HasSubstr("(WIREFEED_KAFKA__BOOTSTRAP_SERVERS)")),
                                    HasSubstr("(WIREFEED_KAFKA__CONSUMER__...)")));
}

// What the delivery guarantee rests on, and the security both clients need, cannot be undone in
// one map.
TEST(ConfigValidation, PropertiesTheGuaranteeRestsOnAndOneSidedSecurityAreErrors) {
  const auto r = from_yaml("kafka: {consumer: {enable.auto.offset.store: 'true', enable.auto.commit: 'false', "
                           "isolation.level: read_uncommitted, security.protocol: sasl_ssl}}");
  EXPECT_THAT(r.errors, UnorderedElementsAre(HasSubstr("kafka.consumer.enable.auto.offset.store is true"),
                                             HasSubstr("kafka.consumer.enable.auto.commit is false"),
                                             HasSubstr("kafka.consumer.isolation.level is 'read_uncommitted'"),
                                             HasSubstr("kafka.consumer.security.protocol (\"sasl_ssl\") and "
                                                       "kafka.producer.security.protocol (not set) differ")));
  EXPECT_THAT(from_yaml("kafka: {consumer: {security.protocol: SSL}, producer: {security.protocol: ssl}}").errors,
              IsEmpty());
}

// The same, as librdkafka reads the properties: its other spellings of a boolean ("t", "F"), of a
// number ("+20000") and its other names for a property (metadata.broker.list, request.required.acks,
// sasl.mechanisms) cannot slip past the checks; an auto-commit interval of 0 (auto commit off) and
// acks other than all (an acknowledged output a broker failure can lose) and more than one produce
// request in flight are refused too, and wirefeed's statistics interval is its own.
TEST(ConfigValidation, LibrdkafkasOtherSpellingsAndNamesCannotUndoTheGuarantee) {
  EXPECT_THAT(from_yaml("kafka: {consumer: {enable.auto.offset.store: t, enable.auto.commit: F}}").errors,
              UnorderedElementsAre(HasSubstr("kafka.consumer.enable.auto.offset.store is true"),
                                   HasSubstr("kafka.consumer.enable.auto.commit is false")));
  EXPECT_THAT(from_yaml("kafka: {consumer: {auto.commit.interval.ms: 0}}").errors,
              ElementsAre(HasSubstr("kafka.consumer.auto.commit.interval.ms is 0")));
  EXPECT_THAT(from_yaml("kafka: {consumer: {auto.commit.interval.ms: 1000}}").errors, IsEmpty());
  EXPECT_THAT(from_yaml("kafka: {consumer: {metadata.broker.list: 'other:9092'}}").errors,
              ElementsAre(HasSubstr("kafka.consumer.metadata.broker.list: set kafka.bootstrap_servers instead")));
  for (const std::string acks : {"acks: 0", "acks: 1", "request.required.acks: 1", "acks: all, request.required.acks: 1"}) {
    EXPECT_THAT(from_yaml("kafka: {producer: {enable.idempotence: 'false', " + acks + "}}").errors,
                ElementsAre(HasSubstr(acks.starts_with("acks: 1") || acks.starts_with("acks: 0")
                                          ? "kafka.producer.acks is"
                                          : "kafka.producer.request.required.acks is \"1\"")))
        << acks;
  }
  // Of the two names in one map, librdkafka takes the later in name order (the map's).
  EXPECT_THAT(from_yaml("kafka: {producer: {acks: 1, request.required.acks: all}}").errors, IsEmpty());
  EXPECT_THAT(from_yaml("kafka: {producer: {acks: all}}").errors, IsEmpty());
  EXPECT_THAT(from_yaml("kafka: {producer: {acks: -1}}").errors, IsEmpty());
  // More than one produce request in flight loses a refused batch (KafkaSinkTest), under either name.
  EXPECT_THAT(from_yaml("kafka: {producer: {max.in.flight.requests.per.connection: 5}}").errors,
              ElementsAre(HasSubstr("kafka.producer.max.in.flight.requests.per.connection is \"5\"")));
  EXPECT_THAT(from_yaml("kafka: {producer: {max.in.flight: '+2'}}").errors,
              ElementsAre(HasSubstr("kafka.producer.max.in.flight is \"+2\"")));
  EXPECT_THAT(from_yaml("kafka: {producer: {max.in.flight: 1}}").errors, IsEmpty());
  EXPECT_THAT(from_yaml("kafka: {producer: {max.in.flight: 1, max.in.flight.requests.per.connection: 5}}").errors,
              ElementsAre(HasSubstr("kafka.producer.max.in.flight.requests.per.connection is \"5\"")));
  // librdkafka keeps an int's low 32 bits: 4294967296 is 0, auto commit off.
  EXPECT_THAT(from_yaml("kafka: {consumer: {auto.commit.interval.ms: 4294967296}}").errors,
              ElementsAre(HasSubstr("kafka.consumer.auto.commit.interval.ms is 0")));
  EXPECT_THAT(from_yaml("kafka: {producer: {statistics.interval.ms: 0}}").errors,
              ElementsAre(HasSubstr("kafka.producer.statistics.interval.ms: wirefeed sets it")));
  EXPECT_THAT(from_yaml("pipeline: {processing_guarantee: exactly_once, transaction_interval_ms: 25000}\n"
                        "kafka: {producer: {transaction.timeout.ms: '+20000'}}")
                  .errors,
              ElementsAre(HasSubstr("must be at most half of kafka.producer.transaction.timeout.ms (20000)")));
  // One mechanism under either name, and librdkafka's default protocol written out, are no difference.
  EXPECT_THAT(from_yaml("kafka: {consumer: {sasl.mechanism: PLAIN, security.protocol: sasl_ssl}, "
                        "producer: {sasl.mechanisms: PLAIN, security.protocol: SASL_SSL}}")
                  .errors,
              IsEmpty());
  EXPECT_THAT(from_yaml("kafka: {consumer: {sasl.mechanism: PLAIN, sasl.mechanisms: SCRAM-SHA-256, security.protocol: "
                        "sasl_ssl}, producer: {sasl.mechanism: PLAIN, security.protocol: sasl_ssl}}")
                  .errors,
              ElementsAre(HasSubstr("(\"SCRAM-SHA-256\") and kafka.producer.sasl.mechanism (\"PLAIN\") differ")));
  EXPECT_THAT(from_yaml("kafka: {consumer: {security.protocol: plaintext}}").errors, IsEmpty());
  EXPECT_THAT(from_yaml("kafka: {consumer: {isolation.level: READ_COMMITTED}}").errors, IsEmpty());
}

// A dotted key in a file would be a second spelling of a nested one, silently winning or losing.
TEST(ConfigFile, ADottedKeyIsAnErrorShowingTheNestedForm) {
  EXPECT_THAT(from_yaml("pipeline: {threads: 2}\npipeline.threads: 4\n").errors,
              ElementsAre(HasSubstr("pipeline.threads: a dotted key; in a file, keys are nested (pipeline: {threads: "
                                    "...})")));
  EXPECT_THAT(from_yaml("kafka.consumer: {fetch.min.bytes: 1}\n").errors,
              ElementsAre(HasSubstr("kafka.consumer: a dotted key")));
  EXPECT_THAT(from_yaml("kafka.consumer.fetch.min.bytes: 1\n").errors,
              ElementsAre(HasSubstr("(kafka: {consumer: {fetch.min.bytes: ...}})")));
  EXPECT_THAT(from_yaml("pipeline.thredas: 1\n").errors, ElementsAre(HasSubstr("did you mean pipeline.threads?")));
  // Property names inside the passthrough maps are dotted, as librdkafka names them.
  EXPECT_THAT(from_yaml("kafka: {consumer: {fetch.min.bytes: 1}}\n").errors, IsEmpty());
}

// yaml-cpp skips a byte order mark but counts positions without it: the check for an unclosed
// quote read the text 3 bytes off, refusing a valid file and passing a broken one.
TEST(ConfigFile, AByteOrderMarkChangesNothing) {
  EXPECT_THAT(from_yaml("\xEF\xBB\xBF{\"pipeline\": {\"threads\": 4}}\n").errors, IsEmpty());
  EXPECT_EQ(from_yaml("\xEF\xBB\xBF{\"pipeline\": {\"threads\": 4}}\n").cfg.pipeline.threads, 4);
  EXPECT_THAT(from_yaml("\xEF\xBB\xBFkafka:\n  group_id: \"abc\n").errors,
              ElementsAre(HasSubstr("a quoted string that is never closed")));
}

TEST(ConfigEnvironment, WrongTypeNamesTheVariable) {
  const auto r = from_yaml("", {{"WIREFEED_METRICS__PORT", "http"}});
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("metrics.port"), HasSubstr("expected int"),
                                          HasSubstr("\"http\""), HasSubstr("WIREFEED_METRICS__PORT"))));
}

TEST(ConfigEnvironment, VariableNameFollowsTheDottedKey) {
  EXPECT_EQ(environment_variable_name("pipeline.threads"), "WIREFEED_PIPELINE__THREADS");
  EXPECT_EQ(environment_variable_name("kafka.bootstrap_servers"), "WIREFEED_KAFKA__BOOTSTRAP_SERVERS");
}

TEST(ConfigOverrides, SetOverridesTheEnvironment) {
  const auto r = from_yaml("pipeline:\n  threads: 2\n", {{"WIREFEED_PIPELINE__THREADS", "4"}}, {"pipeline.threads=8"});
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.pipeline.threads, 8);
}

TEST(ConfigOverrides, SetReachesPassthroughMapEntries) {
  const auto r = from_yaml("", {}, {"kafka.consumer.auto.offset.reset=earliest"});
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.kafka.consumer, (std::map<std::string, std::string>{{"auto.offset.reset", "earliest"}}));
}

TEST(ConfigOverrides, SetWithoutEqualsSignIsAnError) {
  const auto r = from_yaml("", {}, {"pipeline.threads"});
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("pipeline.threads"), HasSubstr("expected key=value"))));
}

TEST(ConfigOverrides, SetOfUnknownKeyIsAnErrorWithASuggestion) {
  const auto r = from_yaml("", {}, {"log.levl=debug"});
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("did you mean log.level?")));
}

TEST(ConfigOverrides, SettingAWholePassthroughMapIsAnError) {
  const auto r = from_yaml("", {}, {"kafka.producer=linger.ms"});
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("kafka.producer.<property>=value")));
}

// ---- validators and cross-field rules ------------------------------------------------------------

TEST(ConfigValidation, InvalidTopicNamesAreRejected) {
  const std::string too_long(250, 'a');
  for (const std::string bad : {"has space", ".", "..", "wire/raw", "", too_long.c_str()}) {
    const auto r = from_yaml("", {}, {"topics.enriched=" + bad});
    EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("topics.enriched"), HasSubstr("not a valid Kafka topic name"))))
        << "topic \"" << bad << "\"";
  }
}

TEST(ConfigValidation, ValidTopicNamesAreAccepted) {
  const auto r = from_yaml("", {}, {"topics.enriched=Wire_enriched-v2.x", "topics.input=" + std::string(249, 'a')});
  EXPECT_THAT(r.errors, IsEmpty());
}

TEST(ConfigValidation, EmptyInputTopicListIsRejected) {
  const auto r = from_yaml("topics:\n  input: []\n");
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("topics.input: must name at least one topic")));
}

TEST(ConfigValidation, DuplicateOutputTopicsAreRejected) {
  const auto r = from_yaml("topics:\n  stories: wire.out\n  dead_letter: wire.out\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("topics.stories"), HasSubstr("topics.dead_letter"),
                                          HasSubstr("must differ"))));
}

TEST(ConfigValidation, OutputTopicThatIsAlsoAnInputIsRejected) {
  const auto r = from_yaml("topics:\n  input: [wire.raw, wire.enriched]\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("topics.enriched"), HasSubstr("topics.input"))));
}

// A rule between keys says where each key's value was set, and is checked beside the errors of
// other keys (all problems at once), but not for a key that is itself in an error.
TEST(ConfigValidation, ARuleBetweenKeysSaysWhereTheyWereSetAndComesWithOtherErrors) {
  auto r = from_yaml("topics:\n  input: [wire.raw]\n", {}, {"topics.enriched=wire.raw", "pipeline.threads=-3"});
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("pipeline.threads"),
                                    AllOf(HasSubstr("is also in topics.input"),
                                          HasSubstr("(topics.enriched: --set topics.enriched=wire.raw; topics.input: <yaml> line 2)"))));
  // topics.stories refused: the rule on it is not checked against its default.
  r = from_yaml("topics:\n  input: [wire.raw, wire.stories]\n  stories: [a]\n");
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("topics.stories")));
  // A misspelt key's suggestion counts as in error.
  r = from_yaml("topics:\n  input: [wire.raw, wire.stories]\n  storie: x\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("topics.storie: unknown key"), HasSubstr("topics.stories"))));
}

TEST(ConfigValidation, InFlightBytesBelowMessageBytesIsRejected) {
  const auto r = from_yaml("pipeline:\n  max_in_flight_bytes: 1MiB\n  max_message_bytes: 2MiB\n");
  EXPECT_THAT(r.errors,
              ElementsAre(AllOf(HasSubstr("pipeline.max_in_flight_bytes"), HasSubstr("pipeline.max_message_bytes"))));
}

TEST(ConfigValidation, ThreadsAbove1024AreRejected) {
  const auto r = from_yaml("pipeline:\n  threads: 1025\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("pipeline.threads: must be between 0 and 1024, got 1025"),
                                          HasSubstr("<yaml> line 2"))));
}

TEST(ConfigValidation, ZeroInFlightMessagesIsRejected) {
  const auto r = from_yaml("", {}, {"pipeline.max_in_flight_messages=0"});
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("pipeline.max_in_flight_messages: must be at least 1")));
}

TEST(ConfigValidation, MetricsPortOutOfRangeIsRejected) {
  EXPECT_THAT(from_yaml("metrics:\n  port: 65536\n").errors, ElementsAre(HasSubstr("metrics.port")));
  EXPECT_THAT(from_yaml("metrics:\n  port: -1\n").errors, ElementsAre(HasSubstr("metrics.port")));
  EXPECT_THAT(from_yaml("metrics:\n  port: 0\n").errors, IsEmpty());
}

TEST(ConfigValidation, UnknownLogLevelIsRejectedWithTheChoices) {
  const auto r = from_yaml("log:\n  level: verbose\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("log.level"), HasSubstr("trace|debug|info|warn|error"))));
}

TEST(ConfigValidation, EmptyBootstrapServersAreRejected) {
  const auto r = from_yaml("", {{"WIREFEED_KAFKA__BOOTSTRAP_SERVERS", ""}});
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("kafka.bootstrap_servers"),
                                          HasSubstr("WIREFEED_KAFKA__BOOTSTRAP_SERVERS"))));
}

// A broker list librdkafka cannot read looked like a broker outage: 15 s of waiting, exit 1.
TEST(ConfigValidation, BrokersMustBeHostAndPort) {
  for (const std::string bad : {"127.0.0.1:abc", "127.0.0.1:99999", "http://host:9092", "::1:9092", ":9092"}) {
    EXPECT_THAT(from_yaml("", {}, {"kafka.bootstrap_servers=" + bad}).errors,
                ElementsAre(AllOf(HasSubstr("kafka.bootstrap_servers"), HasSubstr("is not host:port"))))
        << bad;
  }
  for (const std::string good : {"b1:9092,b2:9093", "broker", "[::1]:9092", "SASL_SSL://b1:9094", "10.0.0.1:9092 , b2:1"}) {
    EXPECT_THAT(from_yaml("", {}, {"kafka.bootstrap_servers=" + good}).errors, IsEmpty()) << good;
  }
}

TEST(ConfigValidation, ExactlyOnceIsAccepted) {
  const auto r = from_yaml("pipeline:\n  processing_guarantee: exactly_once\n");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.pipeline.guarantee, processing_guarantee::exactly_once);
}

TEST(ConfigValidation, ExactlyOnceWithoutIdempotenceIsRejected) {
  const auto r = from_yaml("", {}, {"pipeline.processing_guarantee=exactly_once",
                                    "kafka.producer.enable.idempotence=false"});
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("enable.idempotence")));
}

// A transaction open longer than transaction.timeout.ms is aborted by the broker, and the daemon
// stopped saying another producer had taken its place: the interval must stay within half of it.
TEST(ConfigValidation, ExactlyOnceTransactionsCommitWellWithinTheirTimeout) {
  EXPECT_THAT(from_yaml("", {}, {"pipeline.processing_guarantee=exactly_once", "pipeline.transaction_interval_ms=20000",
                                 "kafka.producer.transaction.timeout.ms=5000"})
                  .errors,
              ElementsAre(HasSubstr("must be at most half of kafka.producer.transaction.timeout.ms (5000)")));
  EXPECT_THAT(from_yaml("", {}, {"pipeline.processing_guarantee=exactly_once", "pipeline.transaction_interval_ms=60000"})
                  .errors,
              ElementsAre(HasSubstr("(60000)")));  // librdkafka's default timeout, 60 s
  EXPECT_THAT(from_yaml("", {}, {"pipeline.processing_guarantee=exactly_once", "pipeline.transaction_interval_ms=30000"})
                  .errors,
              IsEmpty());
  EXPECT_THAT(from_yaml("", {}, {"pipeline.transaction_interval_ms=60000"}).errors, IsEmpty());  // at least once
}

// librdkafka's booleans include 1 and 0.
TEST(ConfigValidation, ExactlyOnceWithIdempotenceZeroIsRejected) {
  EXPECT_THAT(from_yaml("", {}, {"pipeline.processing_guarantee=exactly_once", "kafka.producer.enable.idempotence=0"})
                  .errors,
              ElementsAre(HasSubstr("enable.idempotence")));
}

// The restore of story state and replays read to the end of each partition by its end event.
TEST(ConfigValidation, PartitionEndEventsAreWirefeedsToSet) {
  EXPECT_THAT(from_yaml("", {}, {"kafka.consumer.enable.partition.eof=false"}).errors,
              ElementsAre(HasSubstr("kafka.consumer.enable.partition.eof: wirefeed sets it")));
}

TEST(ConfigValidation, TheMetricsBindAddressIsAnIpAddress) {
  EXPECT_THAT(from_yaml("", {}, {"metrics.bind_address=not-an-ip"}).errors,
              ElementsAre(HasSubstr("metrics.bind_address: must be an IPv4 or IPv6 address")));
  for (const char* fine : {"0.0.0.0", "127.0.0.1", "::", "::1"}) {
    EXPECT_THAT(from_yaml("", {}, {std::string("metrics.bind_address=") + fine}).errors, IsEmpty()) << fine;
  }
}

// Either would commit input positions outside the transactions, or open transactions nothing
// commits.
TEST(ConfigValidation, TransactionSettingsThatContradictTheGuaranteeAreRejected) {
  EXPECT_THAT(from_yaml("", {}, {"pipeline.processing_guarantee=exactly_once", "kafka.consumer.enable.auto.commit=true"})
                  .errors,
              ElementsAre(HasSubstr("enable.auto.commit")));
  EXPECT_THAT(from_yaml("", {}, {"kafka.producer.transactional.id=desk"}).errors,
              ElementsAre(HasSubstr("transactional.id is set but pipeline.processing_guarantee is at_least_once")));
  EXPECT_THAT(from_yaml("", {}, {"pipeline.processing_guarantee=exactly_once", "kafka.producer.transactional.id=desk"})
                  .errors,
              IsEmpty());
}

TEST(ConfigValidation, PassthroughPropertyWithItsOwnKeyIsRejected) {
  const auto r = from_yaml("kafka:\n  consumer:\n    group.id: other\n");
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("kafka.consumer.group.id: set kafka.group_id instead")));
}

TEST(ConfigValidation, RolesAreParsedAndTheHandoffTopicIsAnOutput) {
  EXPECT_EQ(from_yaml("pipeline:\n  role: extract\n").cfg.pipeline.role, pipeline_role::extract);
  EXPECT_EQ(from_yaml("", {}, {"pipeline.role=cluster"}).cfg.pipeline.role, pipeline_role::cluster);
  EXPECT_THAT(from_yaml("pipeline:\n  role: shard\n").errors, ElementsAre(HasSubstr("pipeline.role")));
  EXPECT_THAT(from_yaml("topics:\n  extracted: wire.enriched\n").errors,
              ElementsAre(AllOf(HasSubstr("topics.enriched"), HasSubstr("topics.extracted"), HasSubstr("must differ"))));
  EXPECT_THAT(from_yaml("", {}, {"pipeline.role=extract", "pipeline.pass_through=true"}).errors,
              ElementsAre(HasSubstr("pipeline.pass_through needs pipeline.role all")));
}

TEST(ConfigValidation, RevokeDrainLongerThanDrainIsRejected) {
  const auto r = from_yaml("shutdown:\n  drain_timeout_ms: 1000\n  revoke_drain_timeout_ms: 2000\n");
  EXPECT_THAT(r.errors, ElementsAre(AllOf(HasSubstr("shutdown.revoke_drain_timeout_ms"),
                                          HasSubstr("shutdown.drain_timeout_ms"))));
}

TEST(ConfigValidation, EmptyFieldListIsRejected) {
  const auto r = from_yaml("", {}, {"pipeline.fields.body="});
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("pipeline.fields.body: must name at least one JSON field")));
}

// ---- printing -----------------------------------------------------------------------------------

TEST(ConfigValidation, TopicFormatsMapTopicsToKnownFormats) {
  const auto r =
      from_yaml("topics: {input: [wire.ap, wire.scraped]}\npipeline:\n  topic_formats: {wire.ap: ninjs, wire.scraped: text}\n");
  EXPECT_THAT(r.errors, IsEmpty());
  // A topic not consumed: the format would never apply.
  EXPECT_THAT(from_yaml("pipeline:\n  topic_formats: {wire.apx: text}\n").errors,
              ElementsAre(HasSubstr("pipeline.topic_formats.wire.apx: \"wire.apx\" is not in topics.input")));
  EXPECT_EQ(r.cfg.pipeline.topic_formats,
            (std::map<std::string, std::string>{{"wire.ap", "ninjs"}, {"wire.scraped", "text"}}));
  EXPECT_EQ(parse_input_format("ninjs"), input_format::ninjs);
  EXPECT_FALSE(parse_input_format("xml"));
}

TEST(ConfigValidation, TopicFormatsRejectUnknownFormatsAndBadTopicNames) {
  const auto r = from_yaml("pipeline:\n  topic_formats: {wire.ap: xml, \"bad topic\": text}\n");
  EXPECT_THAT(r.errors, Contains(AllOf(HasSubstr("pipeline.topic_formats"), HasSubstr("auto|ninjs|json|text"),
                                          HasSubstr("not a valid Kafka topic name"))));
}

TEST(ConfigEnvironment, TopicFormatEntryComesFromTheVariableName) {
  const auto r = from_yaml("", {{"WIREFEED_PIPELINE__TOPIC_FORMATS__WIRE__AP", "ninjs"}, {"WIREFEED_TOPICS__INPUT", "wire.ap"}});
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.pipeline.topic_formats.at("wire.ap"), "ninjs");
}

TEST(ConfigValidation, LexiconPathMustNameAReadableFile) {
  EXPECT_THAT(from_yaml("").errors, IsEmpty());  // "" = the shipped lexicon
  EXPECT_THAT(from_yaml("normalize:\n  lexicon_path: " + k_source_dir + "/config/boilerplate.yaml\n").errors, IsEmpty());
  EXPECT_THAT(from_yaml("normalize:\n  lexicon_path: /nonexistent/lexicon.yaml\n").errors,
              ElementsAre(AllOf(HasSubstr("normalize.lexicon_path"), HasSubstr("not a readable file"))));
  EXPECT_THAT(from_yaml("normalize:\n  lexicon_path: " + k_source_dir + "/config\n").errors,
              ElementsAre(HasSubstr("not a readable file")));
}

TEST(ConfigValidation, AbbreviationsMustBeSingleWordsEndingWithAFullStop) {
  EXPECT_THAT(from_yaml("", {}, {"normalize.abbreviations=Gen.,Lt. Col."}).errors,
              ElementsAre(AllOf(HasSubstr("normalize.abbreviations"), HasSubstr("\"Lt. Col.\""))));
  // The sentence splitter refuses one without '.' too, but only once the chain is built: a key's
  // error belongs to the key, where check-config shows it with the others.
  EXPECT_THAT(from_yaml("", {}, {"normalize.abbreviations=Gen.,Mr"}).errors,
              ElementsAre(AllOf(HasSubstr("normalize.abbreviations"), HasSubstr("ending with '.'"), HasSubstr("\"Mr\""))));
}

TEST(ConfigValidation, LearnerSettingsAreBounded) {
  EXPECT_THAT(from_yaml("", {}, {"normalize.learner.min_articles=1"}).errors,
              ElementsAre(HasSubstr("normalize.learner.min_articles: must be between 2 and 100")));
  EXPECT_THAT(from_yaml("", {}, {"normalize.learner.capacity=10"}).errors,
              ElementsAre(HasSubstr("normalize.learner.capacity")));
  EXPECT_THAT(from_yaml("", {}, {"normalize.language_detect_bytes=8"}).errors,
              ElementsAre(HasSubstr("normalize.language_detect_bytes")));
}

TEST(ConfigYaml, ReadsTheNormalizeSection) {
  const auto r = from_yaml(
      "normalize:\n  abbreviations: [Gen., U.S.]\n  learner:\n    enabled: false\n    min_articles: 20\n");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.cfg.normalize.abbreviations, (std::vector<std::string>{"Gen.", "U.S."}));
  EXPECT_FALSE(r.cfg.normalize.learner.enabled);
  EXPECT_EQ(r.cfg.normalize.learner.min_articles, 20);
  EXPECT_EQ(r.cfg.pipeline.fields.byline, (std::vector<std::string>{"by", "byline", "author"}));
}

TEST(ConfigPrint, EffectiveConfigLoadsBackUnchanged) {
  const auto r = from_yaml(R"(
kafka:
  client_id: "true"
  producer: {linger.ms: 5, enable.idempotence: true, sasl.password: "p: #w"}
topics:
  input: [a, b]
pipeline:
  max_in_flight_bytes: 3000000
  processing_guarantee: exactly_once
metrics:
  enabled: no
)");
  ASSERT_THAT(r.errors, IsEmpty());
  const auto again = from_yaml(to_yaml(r.cfg));
  EXPECT_THAT(again.errors, IsEmpty());
  EXPECT_EQ(again.cfg, r.cfg);
}

TEST(ConfigPrint, EffectiveConfigNamesEveryKey) {
  const std::string text = to_yaml(config{});
  EXPECT_THAT(text, HasSubstr("bootstrap_servers: 127.0.0.1:9092"));
  EXPECT_THAT(text, HasSubstr("max_in_flight_bytes: 256MiB"));
  EXPECT_THAT(text, HasSubstr("revoke_drain_timeout_ms: 10000"));
}

TEST(ConfigPrint, EnumsPrintAsTheirConfigSpelling) {
  EXPECT_EQ(to_string(processing_guarantee::exactly_once), "exactly_once");
  EXPECT_EQ(to_string(input_format::auto_detect), "auto");
  EXPECT_EQ(to_string(invalid_utf8_policy::repair), "repair");
}

}  // namespace
}  // namespace wirefeed::cfg
