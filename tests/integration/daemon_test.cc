// The daemon against the real broker of the "kafka" fixture: 10,000 articles with 2% malformed,
// accounted for exactly once; order per partition; commits; metrics over HTTP; replay; SIGKILL;
// a second story owner in the group.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "daemon/kafka_sink.h"
#include "kafka_test_support.h"
#include "pipeline/encode.h"

namespace wirefeed::it {
namespace {

namespace json = boost::json;

constexpr int partitions = 4;
constexpr int total_messages = 10000;
constexpr std::size_t max_message_bytes = 16384;

// Input position of an output record: from the enriched JSON, or from the dead-letter headers.
struct position {
  std::int32_t partition;
  std::int64_t offset;
  auto operator<=>(const position&) const = default;
};

position enriched_position(const message& m) {
  const auto v = boost::json::parse(m.value);
  const auto& src = v.at("wirefeed").at("source");
  return {static_cast<std::int32_t>(src.at("partition").as_int64()), src.at("offset").as_int64()};
}

position dead_letter_position(const message& m) {
  return {std::stoi(std::string(find_header(m.hdrs, dlq_header::partition))),
          std::stoll(std::string(find_header(m.hdrs, dlq_header::offset)))};
}

// Message i: a valid article, or every 50th (offset 7) one of four malformed kinds, which carry
// their index in an `input` header. The empty kind is a Kafka record with a null key, a null value
// and a null-valued header: a dead letter must keep all three null (not empty).
// Articles come in stories of five (inputs 5k..5k+4 tell story k), each story with words of its
// own ("kamilo", ...), so the cluster stage has one right answer whatever the timing.
constexpr int story_size = 5;

std::string story_word(int story, int j) {
  static const char* syllables[] = {"ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "vu", "ze"};
  std::string w = syllables[j % 10];
  for (int x = story + 10000; x > 0; x /= 10) w += syllables[x % 10];
  return w;
}

outgoing make_input(const std::string& prefix, int i) {
  outgoing o;
  o.partition = i % partitions;
  o.key = "k" + std::to_string(i);
  if (i % 50 == 7) {
    o.hdrs = {{"input", std::to_string(i)}};
    switch ((i / 50) % 4) {
      case 0: o.value = R"({"uri": ")" + prefix + R"(", "body": )"; break;       // truncated JSON
      case 1: o.value = "Agence text with a broken byte \xC3 here"; break;          // invalid UTF-8
      case 2:                                                                        // empty (null)
        o.key.clear();
        o.null_key = o.null_value = true;
        o.hdrs.emplace_back("trace", std::nullopt);
        break;
      case 3: o.value = std::string(max_message_bytes + 100, 'x'); break;            // oversized
    }
    return o;
  }
  const int story = i / story_size;
  std::string w[10];
  for (int j = 0; j < 10; ++j) w[j] = story_word(story, j);
  o.value = R"({"uri":")" + prefix + "-" + std::to_string(i) + R"(","headline":")" + w[0] + " " + w[1] + " " + w[2] +
            R"(","body":"MOSCOW (AP) — The )" + w[0] + " " + w[1] + " " + w[2] + " and the " + w[3] + " " + w[4] +
            R"( met on Monday.\n\nThe )" + w[5] + " " + w[6] + " " + w[7] + " " + w[8] + " " + w[9] + " (item " +
            std::to_string(i) + R"()."})";
  o.hdrs = {{"source", "it-agency"}};
  return o;
}

const char* expected_reason(int i) {
  static const char* reasons[] = {"invalid_json", "invalid_utf8", "empty", "oversized"};
  return reasons[(i / 50) % 4];
}

struct topics {
  std::string raw, enriched, stories, dlq, changelog, group;
};

topics make_topics(const std::string& prefix) {
  topics t{prefix + ".raw",  prefix + ".enriched",  prefix + ".stories",
           prefix + ".dlq",  prefix + ".changelog", prefix + ".group"};
  create_topics({{t.raw, partitions}, {t.enriched, partitions}, {t.stories, 1}, {t.dlq, 1}, {t.changelog, 1}});
  return t;
}

// Where an enriched record's article went: its uri and wirefeed.story.id ("none" without one).
struct placement {
  std::string uri, story;
};
placement placement_of(const std::string& enriched) {
  const json::object o = json::parse(enriched).as_object();
  const json::value* id = o.at("wirefeed").as_object().if_contains("story");
  if (id && id->is_object()) id = id->as_object().if_contains("id");
  return {std::string(o.at("uri").as_string()), id && id->is_string() ? std::string(id->as_string()) : "none"};
}

// Every enriched output's story id must be that of the other articles of its generated story, and
// generated stories must not share one: returns the problems found.
std::vector<std::string> story_problems(const std::vector<message>& enriched) {
  std::map<int, std::set<std::string>> ids_by_story;
  std::map<int, std::string> seen_by_story;  // "input -> id @partition:offset" of each output, for the message
  for (const auto& m : enriched) {
    const auto [uri, id] = placement_of(m.value);
    const int i = std::stoi(uri.substr(uri.rfind('-') + 1));
    ids_by_story[i / story_size].insert(id);
    seen_by_story[i / story_size] += " " + std::to_string(i) + "->" + id + "@" + std::to_string(m.partition) + ":" +
                                     std::to_string(m.offset);
  }
  std::vector<std::string> problems;
  std::map<std::string, int> owner;
  for (const auto& [story, ids] : ids_by_story) {
    if (ids.size() != 1) {
      problems.push_back("story " + std::to_string(story) + " split over " + std::to_string(ids.size()) +
                         " ids:" + seen_by_story[story]);
    }
    for (const auto& id : ids) {
      if (auto [it, fresh] = owner.emplace(id, story); !fresh && it->second != story) {
        problems.push_back("stories " + std::to_string(it->second) + " and " + std::to_string(story) + " share " + id);
      }
    }
  }
  return problems;
}

// The uris a story update lists as its members.
std::set<std::string> member_uris(const std::string& update) {
  std::set<std::string> uris;
  const json::object o = json::parse(update).as_object();
  if (const json::value* members = o.if_contains("members")) {
    for (const auto& m : members->as_array()) uris.emplace(m.as_object().at("uri").as_string());
  }
  return uris;
}

// Reads the story updates back (all of them) and checks the
// latest of each story against the enriched output: it lists as members exactly the articles the
// enriched records place in that story. A restart that lost what a story held before a crash
// would list only the members after it. Returns the problems found.
std::vector<std::string> member_list_problems(const topics& t, const std::vector<message>& enriched) {
  const auto updates = consume_to_end(t.stories, std::chrono::seconds(60));
  std::map<std::string, std::string> latest;  // story id -> its latest update (per-partition order)
  for (const auto& m : updates) latest[m.key] = m.value;
  std::map<std::string, std::set<std::string>> placed;  // story id -> the uris enriched records place in it
  for (const auto& m : enriched) {
    if (auto [uri, id] = placement_of(m.value); id != "none") placed[id].insert(std::move(uri));
  }
  std::vector<std::string> problems;
  if (latest.size() < placed.size()) {
    problems.push_back(std::to_string(updates.size()) + " story updates read, for " + std::to_string(latest.size()) + " of " +
                       std::to_string(placed.size()) + " stories");
  }
  for (const auto& [id, uris] : placed) {
    const auto it = latest.find(id);
    if (it == latest.end()) {
      problems.push_back("no update of story " + id);
    } else if (const auto listed = member_uris(it->second); listed != uris) {
      problems.push_back("story " + id + " lists " + std::to_string(listed.size()) + " members, the enriched output places " +
                         std::to_string(uris.size()) + " articles in it: " + it->second.substr(0, 600));
    }
  }
  return problems;
}

std::string write_config(const topics& t, int metrics_port, std::size_t input_limit = max_message_bytes) {
  const std::string path = "/tmp/" + t.group + ".yaml";
  std::ofstream out(path);
  out << "kafka:\n  bootstrap_servers: \"" << bootstrap() << "\"\n  group_id: \"" << t.group << "\"\n"
      << "  consumer:\n    auto.commit.interval.ms: 500\n"
      << "topics:\n  input: [\"" << t.raw << "\"]\n  enriched: \"" << t.enriched << "\"\n  stories: \"" << t.stories
      << "\"\n  dead_letter: \"" << t.dlq << "\"\n  changelog: \"" << t.changelog << "\"\n"
      << "pipeline:\n  threads: 2\n  max_in_flight_messages: 500\n  max_message_bytes: " << input_limit << "\n"
      << "shutdown:\n  drain_timeout_ms: 20000\n"
      << "metrics:\n  port: " << metrics_port << "\n";
  return path;
}

// Every input position seen in the outputs, with how often.
std::map<position, int> positions_of(const std::vector<message>& enriched, const std::vector<message>& dlq) {
  std::map<position, int> seen;
  for (const auto& m : enriched) ++seen[enriched_position(m)];
  for (const auto& m : dlq) ++seen[dead_letter_position(m)];
  return seen;
}

// One live run shared by the tests of this suite: produce, run the daemon until every input is
// accounted for, scrape /metrics, SIGTERM.
class LiveRunTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_FALSE(bootstrap().empty()) << "WIREFEED_TEST_BOOTSTRAP_FILE not set: run through ctest";
    prefix_ = unique_name("live");
    t_ = make_topics(prefix_);
    std::vector<outgoing> inputs;
    for (int i = 0; i < total_messages; ++i) inputs.push_back(make_input(prefix_, i));
    produce(t_.raw, inputs);

    port_ = free_port();
    daemon_process d({"run", "--config", write_config(t_, port_)}, "/tmp/" + prefix_ + ".log");
    ready_ = eventually([&] { return http_get(port_, "/readyz").status == 200; }, std::chrono::seconds(60));
    eventually(
        [&] {
          const auto m = http_get(port_, "/metrics").body;
          return metric_value(m, "wirefeed_messages_produced_total", {"topic=\"" + t_.enriched + "\""}) +
                     metric_value(m, "wirefeed_messages_produced_total", {"topic=\"" + t_.dlq + "\""}) >=
                 total_messages;
        },
        std::chrono::seconds(180));
    metrics_ = http_get(port_, "/metrics").body;
    healthz_ = http_get(port_, "/healthz").status;
    d.signal(SIGTERM);
    exit_code_ = d.wait(std::chrono::seconds(60));
    log_ = d.log();
    enriched_ = consume_all(t_.enriched, total_messages - total_messages / 50, std::chrono::seconds(60));
    dlq_ = consume_all(t_.dlq, total_messages / 50, std::chrono::seconds(30));
  }

  static inline std::string prefix_, metrics_, log_;
  static inline topics t_;
  static inline int port_ = 0, healthz_ = 0;
  static inline bool ready_ = false;
  static inline std::optional<int> exit_code_;
  static inline std::vector<message> enriched_, dlq_;
};

TEST_F(LiveRunTest, BecomesReadyAndExitsZeroOnSigterm) {
  EXPECT_TRUE(ready_) << log_;
  EXPECT_EQ(healthz_, 200);
  ASSERT_TRUE(exit_code_.has_value()) << log_;
  EXPECT_EQ(*exit_code_, 0) << log_;
  // A compacted changelog of one partition, as created here: nothing to warn about.
  EXPECT_EQ(log_.find("topics.changelog '"), std::string::npos) << log_;
}

// A changelog topic created with the default cleanup.policy (delete): the daemon still starts,
// and says what is wrong and how to fix it before it restores. One of two partitions: it does not
// start, restore or not (the state would be written across both, and no restore could read it
// back in order).
TEST(ChangelogStartupTest, AChangelogThatIsNotCompactedIsReportedAndOneOfSeveralPartitionsRefused) {
  ASSERT_FALSE(bootstrap().empty());
  auto t = make_topics(unique_name("plainlog"));
  t.changelog = t.group + ".state";  // not *.changelog: created with the broker's default policy
  create_topics({{t.changelog, 1}});
  const int port = free_port();
  daemon_process d({"run", "--config", write_config(t, port)}, "/tmp/" + t.group + ".log");
  EXPECT_TRUE(eventually([&] { return http_get(port, "/readyz").status == 200; }, std::chrono::seconds(60))) << d.log();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(60)), 0) << d.log();
  EXPECT_NE(d.log().find("topics.changelog '" + t.changelog + "' has cleanup.policy=delete, not compact"),
            std::string::npos)
      << d.log();

  auto u = make_topics(unique_name("splitlog"));
  u.changelog = u.group + ".changelog";
  create_topics({{u.changelog, 2}});
  daemon_process e({"run", "--config", write_config(u, free_port())}, "/tmp/" + u.group + ".log");
  EXPECT_EQ(e.wait(std::chrono::seconds(60)), 1) << e.log();
  EXPECT_NE(e.log().find("topics.changelog '" + u.changelog + "' has 2 partitions: the restore needs one"),
            std::string::npos)
      << e.log();
  // Whether it restores or not: a start without the restore would still write the state there.
  daemon_process f({"run", "--config", write_config(u, free_port()), "--set", "cluster.restore=false"},
                   "/tmp/" + u.group + ".norestore.log");
  EXPECT_EQ(f.wait(std::chrono::seconds(60)), 1) << f.log();
  EXPECT_NE(f.log().find("has 2 partitions: the restore needs one"), std::string::npos) << f.log();
}

// A key whose latest changelog record does not restore stops the start-up, naming the key and a
// tombstone that drops it; a record a later one of its key replaces does not. Running the command
// the message gives lets the next start-up through.
TEST(ChangelogStartupTest, AnUnreadableStoryStateStopsTheStartUpUntilATombstoneReplacesIt) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("badstate"));
  outgoing unreadable, replaced, tombstone;
  unreadable.key = "story-00000000000000aa";
  unreadable.value = "{\"id\":\"story-00000000000000aa\",\"version\":";
  replaced.key = tombstone.key = "story-00000000000000bb";
  replaced.value = "not a state";
  tombstone.null_value = true;  // replaces it
  produce(t.changelog, {unreadable, replaced, tombstone});
  const int port = free_port();
  const auto config = write_config(t, port);
  std::string command;
  {
    daemon_process d({"run", "--config", config}, "/tmp/" + t.group + ".1.log");
    EXPECT_EQ(d.wait(std::chrono::seconds(60)), 1) << d.log();
    const auto log = d.log();
    EXPECT_NE(log.find("the latest record of key 'story-00000000000000aa' (partition 0, offset 0) does not restore"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("more key"), std::string::npos) << log;  // story-...bb's latest record is its tombstone
    const auto from = log.find("`printf "), to = log.find('`', from + 1);
    ASSERT_NE(to, std::string::npos) << log;
    command = log.substr(from + 1, to - from - 1);
  }
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  daemon_process d({"run", "--config", config}, "/tmp/" + t.group + ".2.log");
  EXPECT_TRUE(eventually([&] { return http_get(port, "/readyz").status == 200; }, std::chrono::seconds(60))) << d.log();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(60)), 0) << d.log();
  EXPECT_NE(d.log().find("restored 0 stories from " + t.changelog + " (4 changelog records)"), std::string::npos) << d.log();
}

// Wire services update their copy in place: the same uri again with other content. Through the
// real broker: the story takes the new version in (its headline and toll follow), the same
// message again changes nothing, and after a restart (stories restored from the changelog) the
// next version is still told from a re-delivery.
TEST(StoryVersionTest, ANewVersionUpdatesItsStoryAlsoAfterARestart) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("versions"));
  const auto ap = [](std::string_view toll) {
    return R"({"uri":"ap-1","source":"AP","headline":"Earthquake in western Iran kills at least )" + std::string(toll) +
           R"(","body":"TEHRAN, Iran (AP) \u2014 A magnitude 6.1 earthquake struck western Iran's Kermanshah province early Thursday, killing at least )" +
           std::string(toll) +
           R"( people and injuring 230, state media reported.\n\nThe quake hit near the town of Sarpol-e Zahab at a depth of 8 kilometers, the Iranian Seismological Center said. Rescue teams from the Red Crescent were searching collapsed homes.\n\n\"We are sending every available team,\" Red Crescent chief Pir-Hossein Kolivand told state television."})";
  };
  const std::string reuters =
      R"({"uri":"reu-2","source":"Reuters","headline":"Quake in Iran's Kermanshah kills 21, injures hundreds","body":"DUBAI, May 2 (Reuters) - A magnitude 6.1 earthquake in Iran's western Kermanshah province killed at least 21 people and injured 290 people on Thursday, Iranian state media said.\n\nThe quake struck near Sarpol-e Zahab, a town badly damaged in a 2017 earthquake. Red Crescent teams were searching collapsed homes.\n\n\"We are sending every available team,\" Red Crescent head Pir-Hossein Kolivand said."})";
  const auto input = [](std::string value) {
    outgoing o;
    o.value = std::move(value);
    return o;  // partition 0: one order
  };
  produce(t.raw, {input(ap("18")), input(reuters), input(ap("25")), input(ap("25"))});
  const int port = free_port();
  const auto config = write_config(t, port);
  const auto events = [&](const std::string& event) {
    return metric_value(http_get(port, "/metrics").body, "wirefeed_story_events_total", {"event=\"" + event + "\""});
  };
  const auto placed = [&] {
    double n = 0;
    for (const char* e : {"new_story", "joined", "copy", "redelivered", "updated"}) n += events(e);
    return n;
  };
  {
    daemon_process d({"run", "--config", config}, "/tmp/" + t.group + ".1.log");
    EXPECT_TRUE(eventually([&] { return placed() >= 4; }, std::chrono::seconds(120))) << d.log();
    EXPECT_EQ(events("updated"), 1) << d.log();
    EXPECT_EQ(events("redelivered"), 1);
    d.signal(SIGTERM);
    EXPECT_EQ(d.wait(std::chrono::seconds(60)), 0) << d.log();
  }
  produce(t.raw, {input(ap("31"))});
  {
    daemon_process d({"run", "--config", config}, "/tmp/" + t.group + ".2.log");
    EXPECT_TRUE(eventually([&] { return placed() >= 1; }, std::chrono::seconds(120))) << d.log();
    EXPECT_EQ(events("updated"), 1) << d.log();
    d.signal(SIGTERM);
    EXPECT_EQ(d.wait(std::chrono::seconds(60)), 0) << d.log();
  }

  const auto updates = consume_to_end(t.stories, std::chrono::seconds(60));
  ASSERT_EQ(updates.size(), 5u);
  std::vector<json::object> states;
  for (const auto& m : updates) {
    EXPECT_EQ(m.key, updates.front().key);  // one story
    states.push_back(json::parse(m.value).as_object());
  }
  const auto first_change = [](const json::object& state) {
    const auto& changes = state.at("changes").as_array();
    return changes.empty() ? std::string() : std::string(changes.front().at("kind").as_string());
  };
  EXPECT_EQ(first_change(states[2]), "updated_article") << updates[2].value;
  EXPECT_EQ(states[2].at("headline"), "Earthquake in western Iran kills at least 25");
  EXPECT_EQ(first_change(states[3]), "") << updates[3].value;  // the same message again
  EXPECT_EQ(states[3].at("version"), states[2].at("version"));
  EXPECT_EQ(first_change(states[4]), "updated_article") << updates[4].value;
  EXPECT_EQ(states[4].at("headline"), "Earthquake in western Iran kills at least 31");
  EXPECT_EQ(states[4].at("articles"), 2);
  EXPECT_NE(updates[4].value.find(R"("text":"at least 31")"), std::string::npos) << updates[4].value;
  EXPECT_EQ(updates[4].value.find(R"("text":"at least 25")"), std::string::npos) << updates[4].value;
}

// Topics missing at start-up: every one named in one message, exit 1, not one per restart.
TEST(StartupTest, EveryMissingTopicIsNamedAtOnce) {
  ASSERT_FALSE(bootstrap().empty());
  auto t = make_topics(unique_name("missing"));
  t.raw += ".absent";
  t.enriched += ".absent";
  t.dlq += ".absent";
  daemon_process d({"run", "--config", write_config(t, free_port())}, "/tmp/" + t.group + ".log");
  EXPECT_EQ(d.wait(std::chrono::seconds(60)), 1) << d.log();
  EXPECT_NE(d.log().find("topics '" + t.raw + "', '" + t.enriched + "', '" + t.dlq +
                         "' do not exist (wirefeed never creates topics)"),
            std::string::npos)
      << d.log();
}

// `wirefeed run` with kafka.bootstrap_servers `servers` (where no broker listens, say).
daemon_process run_against(const std::string& servers, const std::string& name, const std::string& command = "run") {
  const auto t = make_topics(unique_name(name));
  std::vector<std::string> args{command, "--config", write_config(t, free_port()), "--set",
                                "kafka.bootstrap_servers=" + servers};
  if (command == "replay") args.insert(args.end(), {"--from", "earliest"});
  return daemon_process(args, "/tmp/" + t.group + ".log");
}

// A stop while no broker answers at start-up (systemd stopping the unit during an outage) ends
// the wait at once, cleanly, instead of failing after 15 s.
TEST(StartupTest, ASigtermWhileNoBrokerAnswersEndsTheStartUpCleanly) {
  ASSERT_FALSE(bootstrap().empty());
  const std::string nowhere = "127.0.0.1:" + std::to_string(free_port());
  daemon_process d = run_against(nowhere, "nobrokerstop");
  ASSERT_TRUE(eventually([&] { return d.log().find("metrics: http://") != std::string::npos; }, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto sent = std::chrono::steady_clock::now();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(30)), 0) << d.log();
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(5)) << d.log();
  EXPECT_NE(d.log().find("stopped during start-up, while waiting for a broker to answer"), std::string::npos) << d.log();

  // A replay too (it waited the 15 s out and failed, exit 1).
  daemon_process r = run_against(nowhere, "nobrokerreplaystop", "replay");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const auto replay_sent = std::chrono::steady_clock::now();
  r.signal(SIGTERM);
  EXPECT_EQ(r.wait(std::chrono::seconds(30)), 0) << r.log();
  EXPECT_LT(std::chrono::steady_clock::now() - replay_sent, std::chrono::seconds(5)) << r.log();
  EXPECT_NE(r.log().find("replay: stopped during start-up, while waiting for a broker to answer"), std::string::npos)
      << r.log();
}

// No broker at kafka.bootstrap_servers: after 15 s, exit 1 with the address and why it failed
// (connection refused), not only "metadata request failed: Local: Broker transport failure".
TEST(StartupTest, AnUnreachableBrokerIsNamedWithWhyItFailed) {
  ASSERT_FALSE(bootstrap().empty());
  const std::string nowhere = "127.0.0.1:" + std::to_string(free_port());
  daemon_process d = run_against(nowhere, "nobroker");
  EXPECT_EQ(d.wait(std::chrono::seconds(60)), 1) << d.log();
  EXPECT_NE(d.log().find("metadata request to kafka.bootstrap_servers '" + nowhere + "' failed within 15 s"),
            std::string::npos)
      << d.log();
  EXPECT_NE(d.log().find("Connection refused"), std::string::npos) << d.log();
}

// `wirefeed run` with a changelog of one record whose restore takes `hold_ms`: the broker holds
// each of its fetches for fetch.wait.max.ms until fetch.min.bytes arrived.
daemon_process run_with_a_slow_restore(const topics& t, int port, int hold_ms = 8000) {
  outgoing tombstone;
  tombstone.key = "story-00000000000000cc";
  tombstone.null_value = true;
  produce(t.changelog, {tombstone});
  return daemon_process({"run", "--config", write_config(t, port), "--set", "kafka.consumer.fetch.min.bytes=100000000",
                         "--set", "kafka.consumer.fetch.wait.max.ms=" + std::to_string(hold_ms)},
                        "/tmp/" + t.group + ".log");
}

// While the story state is restored the daemon is alive and says so: /healthz answers 200, /readyz
// 503, /metrics is served; once the stories are back, /readyz turns 200.
TEST(ChangelogStartupTest, HealthIsServedAndReadinessIsNotWhileTheStoriesAreRestored) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("slowrestore"));
  const int port = free_port();
  daemon_process d = run_with_a_slow_restore(t, port);
  EXPECT_TRUE(eventually([&] { return http_get(port, "/healthz").status == 200; }, std::chrono::seconds(30))) << d.log();
  EXPECT_EQ(http_get(port, "/readyz").status, 503);
  EXPECT_EQ(http_get(port, "/metrics").status, 200);
  EXPECT_EQ(d.log().find("restored "), std::string::npos) << d.log();  // all of it during the restore
  EXPECT_TRUE(eventually([&] { return http_get(port, "/readyz").status == 200; }, std::chrono::seconds(60))) << d.log();
  EXPECT_NE(d.log().find("restored 0 stories from " + t.changelog + " (1 changelog records)"), std::string::npos)
      << d.log();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(60)), 0) << d.log();
}

// A SIGTERM during the restore ends it and the daemon at once (exit 0), instead of after the whole
// restore, which a large changelog makes longer than an orchestrator's kill timeout. The restore is
// held for 60 s, so an exit within 30 s (room for a loaded machine) is one during it.
TEST(ChangelogStartupTest, ASigtermDuringTheRestoreStopsTheDaemonAtOnce) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("stoprestore"));
  const int port = free_port();
  daemon_process d = run_with_a_slow_restore(t, port, 60000);
  // Into the restore: health is served from its start (a fixed sleep could land before it on a
  // slow machine).
  ASSERT_TRUE(eventually([&] { return http_get(port, "/healthz").status == 200; }, std::chrono::seconds(30))) << d.log();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(30)), 0) << d.log();
  EXPECT_NE(d.log().find("stopped during the restore of story state"), std::string::npos) << d.log();
  EXPECT_EQ(d.log().find("restored "), std::string::npos) << d.log();
}

// `wirefeed replay` of t's input over `range` (--from, --to), its log /tmp/<group><log>.log.
daemon_process replay_of(const topics& t, const std::vector<std::string>& range, const std::string& log = "") {
  std::vector<std::string> args{"replay", "--config", write_config(t, free_port())};
  args.insert(args.end(), range.begin(), range.end());
  return daemon_process(args, "/tmp/" + t.group + log + ".log");
}

// A replay whose --from is after its --to is a mistake on the command line (exit 2, saying so), not
// an empty range that exits 0 as if the backfill had been done.
TEST(ReplayTest, AFromAfterToIsACommandLineErrorAndProducesNothing) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("replayrange"));
  produce(t.raw, {make_input(t.raw, 0), make_input(t.raw, 1)});
  daemon_process r = replay_of(t, {"--from", "2022-02-08", "--to", "2022-02-07"});
  EXPECT_EQ(r.wait(std::chrono::seconds(60)), 2) << r.log();
  EXPECT_NE(r.log().find("--from 2022-02-08 is after --to 2022-02-07"), std::string::npos) << r.log();
  // Before 1970 too (both times were taken as the epoch before they were compared).
  daemon_process early = replay_of(t, {"--from", "1965-01-01", "--to", "1960-01-01"}, ".early");
  EXPECT_EQ(early.wait(std::chrono::seconds(60)), 2) << early.log();
  EXPECT_NE(early.log().find("--from 1965-01-01 is after --to 1960-01-01"), std::string::npos) << early.log();
  for (const auto& topic : {t.enriched, t.stories, t.dlq}) {
    for (const auto& [partition, end] : end_offsets(topic)) EXPECT_EQ(end, 0) << topic << " [" << partition << "]";
  }
}

// A day the month does not have is a bad time (exit 2), not the first days of the next month.
TEST(ReplayTest, ADayTheMonthDoesNotHaveIsABadTime) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("replaydate"));
  // An empty time too: `--from "$START"` with the variable unset is not "replay everything".
  for (const char* from : {"2022-02-30", "20220431T10:00Z", "2023-02-29T00:00:00Z", ""}) {
    daemon_process r = replay_of(t, {"--from", from});
    EXPECT_EQ(r.wait(std::chrono::seconds(60)), 2) << from << "\n" << r.log();
    EXPECT_NE(r.log().find("--from: expected 'earliest' or an ISO 8601 time, got '" + std::string(from) + "'"),
              std::string::npos)
        << r.log();
  }
  daemon_process leap = replay_of(t, {"--from", "2024-02-29"}, ".leap");
  EXPECT_EQ(leap.wait(std::chrono::seconds(60)), 0) << leap.log();
}

// A time before 1970 is before every record, not a request Kafka reads as "latest" (-1),
// "earliest" (-2) or refuses (any other negative time: the replay stopped with "API version not
// supported").
TEST(ReplayTest, ATimeBefore1970IsBeforeEveryRecord) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("replayepoch"));
  produce(t.raw, {make_input(t.raw, 0), make_input(t.raw, 1)});
  int run = 0;
  for (const char* from : {"1960-01-01", "1969-12-31T23:59:59.999Z"}) {
    daemon_process r = replay_of(t, {"--from", from}, "." + std::to_string(++run));
    EXPECT_EQ(r.wait(std::chrono::seconds(60)), 0) << from << "\n" << r.log();
    EXPECT_NE(r.log().find("replay summary: 2 consumed, 2 finished"), std::string::npos) << from << "\n" << r.log();
  }
}

// Input written in Kafka transactions: each commit marker takes an offset the replay counts in its
// range but never consumes. A replay that read all of it is complete, not "(stopped early)", and
// its progress ends at 100% of the range's offsets.
TEST(ReplayTest, AReplayOfTransactionalInputThatReadEverythingWasNotStoppedEarly) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("replaytx"));
  produce(t.raw, {make_input(t.raw, 0), make_input(t.raw, 1)}, /*in_transaction=*/true);
  produce(t.raw, {make_input(t.raw, 2)}, /*in_transaction=*/true);
  daemon_process r = replay_of(t, {"--from", "earliest"});
  EXPECT_EQ(r.wait(std::chrono::seconds(60)), 0) << r.log();
  EXPECT_NE(r.log().find("replay summary: 3 consumed, 3 finished"), std::string::npos) << r.log();
  EXPECT_EQ(r.log().find("(stopped early)"), std::string::npos) << r.log();
  EXPECT_NE(r.log().find("replay: 3 finished, 100.0% of "), std::string::npos) << r.log();
}

// An input of about a megabyte that is not JSON, at the default input limit (1 MiB): its dead letter
// would be larger than the producer sends (message.max.bytes, 1,000,000), which stopped the daemon
// and, the record being consumed again, every restart after it. It is cut to fit and the
// daemon goes on to the next article.
TEST(LargeInputTest, ADeadLetterOfAMegabyteIsCutToFitAndTheDaemonGoesOn) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("large"));
  outgoing large, next;
  large.partition = next.partition = 1;
  large.key = "large";
  large.value = "{" + std::string(1020000, 'x');
  large.hdrs = {{"input", "large"}};
  next = make_input(t.group, 0);
  next.partition = 1;
  produce(t.raw, {large, next});
  const int port = free_port();
  daemon_process d({"run", "--config", write_config(t, port, 1048576)}, "/tmp/" + t.group + ".log");
  const auto enriched = consume_all(t.enriched, 1, std::chrono::seconds(90));
  const auto dead = consume_all(t.dlq, 1, std::chrono::seconds(30));
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(60)), 0) << d.log();
  ASSERT_EQ(dead.size(), 1u) << d.log();
  EXPECT_EQ(find_header(dead[0].hdrs, dlq_header::reason), "invalid_json");
  EXPECT_EQ(find_header(dead[0].hdrs, dlq_header::truncated), "1020001");
  EXPECT_EQ(find_header(dead[0].hdrs, "input"), "large");
  EXPECT_GT(dead[0].value.size(), 990000u);
  EXPECT_LT(dead[0].value.size(), 1000000u);
  EXPECT_TRUE(large.value.starts_with(dead[0].value));
  ASSERT_EQ(enriched.size(), 1u) << d.log();
  EXPECT_EQ(enriched_position(enriched[0]).offset, 1);
}

// An article of 200,000 characters (the default pipeline.max_body_chars) that is one figure after
// another: its enriched article with every figure (~1.6 MB) would be larger than the producer
// sends, and was a dead letter `output_too_large`. Its figures are cut to the first 1,000, the
// record (just under a megabyte) goes through the broker, and the article joins a story.
TEST(LargeInputTest, AnArticleWithMoreFiguresThanOneRecordHoldsIsEnrichedWithItsListsCut) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("figures"));
  std::string body;
  while (body.size() < 199900) body += "100,000 troops and $500 million. ";
  outgoing crowded;
  crowded.partition = 0;
  crowded.key = "crowded";
  crowded.value = json::serialize(json::object{{"uri", "urn:x:crowded"}, {"headline", "Troops"}, {"body", body}});
  produce(t.raw, {crowded});
  daemon_process d({"run", "--config", write_config(t, free_port(), 1048576)}, "/tmp/" + t.group + ".log");
  const auto enriched = consume_all(t.enriched, 1, std::chrono::seconds(90));
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(60)), 0) << d.log();
  ASSERT_EQ(enriched.size(), 1u) << d.log();
  EXPECT_LE(enriched[0].value.size(), 1000000u);
  const json::object wf = json::parse(enriched[0].value).at("wirefeed").as_object();
  EXPECT_EQ(wf.at("figures").as_array().size(), 1000u);
  EXPECT_GT(wf.at("truncated").at("figures").as_int64(), 6000);
  EXPECT_TRUE(wf.at("story").at("id").is_string());
}

// `wirefeed process` (no broker). 80,000 short articles: a few seconds of work.
std::string many_articles(const std::string& path, int count = 80000) {
  std::ofstream out(path);
  for (int i = 0; i < count; ++i) {
    out << json::serialize(json::object{{"uri", "m" + std::to_string(i)}, {"headline", "Flood " + std::to_string(i)},
                                        {"body", "Floods hit town " + std::to_string(i) + " on Monday, officials said."}})
        << "\n";
  }
  return path;
}

// Lines of a file, each parsed as JSON (a cut line fails the test).
std::size_t json_lines(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line); ++n) {
    json::error_code ec;
    json::parse(line, ec);
    EXPECT_FALSE(ec) << path << " line " << n + 1 << ": " << line.substr(0, 200);
  }
  return n;
}

// The first SIGINT stops the reading; what was read is written whole and the run ends with 1 (not
// every article of the input is in the outputs). It used to kill the process (130) mid-line.
TEST(ProcessCommandTest, ASignalStopsTheReadingAndLeavesWholeLines) {
  const std::string base = "/tmp/process-signal." + std::to_string(::getpid());
  const std::string input = many_articles(base + ".ndjson");
  daemon_process p({"process", input, "--stories", base + ".stories"}, base + ".log", base + ".out");
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(base + ".out") && std::filesystem::file_size(base + ".out") > 0; },
                         std::chrono::seconds(30)));
  p.signal(SIGINT);
  EXPECT_EQ(p.wait(std::chrono::seconds(60)), 1) << p.log();
  EXPECT_NE(p.log().find("process: stopped by a signal"), std::string::npos) << p.log();
  const std::size_t enriched = json_lines(base + ".out");
  EXPECT_GT(enriched, 0u);
  EXPECT_LT(enriched, 80000u);
  EXPECT_EQ(json_lines(base + ".stories"), enriched);  // one story update per article here
  for (const char* suffix : {".ndjson", ".out", ".stories", ".log"}) std::filesystem::remove(base + suffix);
}

// A live input (`tail -f feed | wirefeed process`, here a FIFO whose writer stays): each article is
// answered as it arrives, not once 256 lines have come, and a signal while the input is quiet stops
// the run like any other (it used to be a read error, "Interrupted system call", losing what was read).
TEST(ProcessCommandTest, ALiveInputIsAnsweredArticleByArticle) {
  const std::string base = "/tmp/process-live." + std::to_string(::getpid());
  const std::string fifo = base + ".fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  daemon_process p({"process", fifo, "--stories", base + ".stories"}, base + ".log", base + ".out");
  std::ofstream feed(fifo);  // waits for the reader
  const auto lines_out = [&] {
    std::ifstream in(base + ".out");
    return std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n');
  };
  const auto article = [](int i) {
    return json::serialize(json::object{{"uri", "live" + std::to_string(i)}, {"headline", "Storm " + std::to_string(i)},
                                        {"body", "A storm hit the coast on Monday, officials said."}}) + "\n";
  };
  feed << article(1) << article(2) << article(3) << std::flush;
  EXPECT_TRUE(eventually([&] { return lines_out() == 3; }, std::chrono::seconds(30))) << p.log();
  feed << article(4) << std::flush;
  EXPECT_TRUE(eventually([&] { return lines_out() == 4; }, std::chrono::seconds(30))) << p.log();
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(std::chrono::seconds(60)), 1) << p.log();
  EXPECT_NE(p.log().find("process: stopped by a signal: 4 article(s) read, 4 written in full"), std::string::npos)
      << p.log();
  EXPECT_EQ(json_lines(base + ".out"), 4u);
  EXPECT_EQ(json_lines(base + ".stories"), 4u);
  for (const char* suffix : {".fifo", ".out", ".stories", ".log"}) std::filesystem::remove(base + suffix);
}

// Started with stdin or stdout closed, the process would read or write whatever file took the
// number next (it read the signal watcher's eventfd as stdin, and hung at exit): a usage error.
TEST(ProcessCommandTest, AClosedStdinOrStdoutIsAUsageError) {
  const std::string log = "/tmp/process-closed." + std::to_string(::getpid()) + ".log";
  const auto exit_code = [&](const std::string& redirections) {
    const int status = std::system(("timeout 60 " + daemon_binary() + " process " + redirections + " 2>" + log).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  const auto logged = [&] {
    std::ifstream in(log);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(exit_code("<&- >/dev/null"), 2) << logged();
  EXPECT_NE(logged().find("stdin is closed"), std::string::npos) << logged();
  EXPECT_EQ(exit_code("</dev/null >&-"), 2) << logged();
  EXPECT_NE(logged().find("stdout is closed"), std::string::npos) << logged();
  // stderr takes the dead letters unless --dlq names a file: closed, they would be thrown away.
  const auto closed_stderr = [&](const std::string& options) {
    const int status = std::system(("timeout 60 " + daemon_binary() + " process " + options + " </dev/null >/dev/null 2>&-").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(closed_stderr(""), 2);
  EXPECT_EQ(closed_stderr("--dlq /dev/null"), 0);
  std::filesystem::remove(log);
}

// `process > out 2>&1`: stdout and stderr on one file. Enriched lines, dead letters and log lines
// are each written whole (stdout in 64 KiB blocks cut them: 78 of 2,000 lines were spliced).
TEST(ProcessCommandTest, StdoutAndStderrOnOneFileKeepTheirLinesWhole) {
  const std::string base = "/tmp/process-shared." + std::to_string(::getpid());
  {
    std::ofstream out(base + ".ndjson");
    for (int i = 0; i < 2000; ++i) {
      if (i % 50 == 7) {
        out << "{bad json " << i << "\n";
      } else {
        out << json::serialize(json::object{{"uri", "m" + std::to_string(i)}, {"headline", "Flood " + std::to_string(i)},
                                            {"body", "Floods hit town " + std::to_string(i) + " on Monday, officials said."}})
            << "\n";
      }
    }
  }
  const int status = std::system(("timeout 120 " + daemon_binary() + " process " + base + ".ndjson >" + base +
                                  ".out 2>&1").c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::ifstream in(base + ".out");
  std::size_t enriched = 0, dead = 0, logged = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("[20")) {  // a log line: "[2026-12-06 18:12:51.110] [wirefeed] [info] ..."
      ++logged;
      continue;
    }
    json::error_code ec;
    const auto v = json::parse(line, ec);
    ASSERT_FALSE(ec) << line.substr(0, 300);
    ++(v.as_object().contains("reason") ? dead : enriched);
  }
  EXPECT_EQ(enriched, 1960u);
  EXPECT_EQ(dead, 40u);
  EXPECT_GE(logged, 1u);
  // A path of stderr's file opened again has an offset of its own: it wrote over the log.
  daemon_process again({"process", base + ".ndjson", "--dlq", "/dev/stderr"}, base + ".log", "/dev/null");
  EXPECT_EQ(again.wait(std::chrono::seconds(30)), 2) << again.log();
  EXPECT_NE(again.log().find("are the same file or pipe"), std::string::npos) << again.log();
  for (const char* suffix : {".ndjson", ".out", ".log"}) std::filesystem::remove(base + suffix);
}

// A write error (a full disk) is exit 1, naming the output that failed.
TEST(ProcessCommandTest, AnOutputThatCannotBeWrittenIsNamed) {
  const std::string base = "/tmp/process-full." + std::to_string(::getpid());
  const std::string input = many_articles(base + ".ndjson", 100);
  daemon_process p({"process", input, "--stories", base + ".stories"}, base + ".log", "/dev/full");
  EXPECT_EQ(p.wait(std::chrono::seconds(60)), 1) << p.log();
  EXPECT_NE(p.log().find("process: stdout could not be written"), std::string::npos) << p.log();
  for (const char* suffix : {".ndjson", ".stories", ".log"}) std::filesystem::remove(base + suffix);
}

// An output that is an input would be emptied before it is read; two outputs on one file would
// cut each other's lines. Both are command-line errors, found before anything is written.
TEST(ProcessCommandTest, AnOutputThatIsAnInputOrAnotherOutputIsRefused) {
  const std::string base = "/tmp/process-clash." + std::to_string(::getpid());
  const std::string input = many_articles(base + ".ndjson", 10);
  const auto size = std::filesystem::file_size(input);
  daemon_process emptied({"process", input, "--dlq", input}, base + ".log", "/dev/null");
  EXPECT_EQ(emptied.wait(std::chrono::seconds(30)), 2) << emptied.log();
  EXPECT_NE(emptied.log().find("is also the input"), std::string::npos) << emptied.log();
  EXPECT_EQ(std::filesystem::file_size(input), size);
  daemon_process mixed({"process", input, "--stories", base + ".both", "--dlq", base + ".both"}, base + ".log",
                       "/dev/null");
  EXPECT_EQ(mixed.wait(std::chrono::seconds(30)), 2) << mixed.log();
  EXPECT_NE(mixed.log().find("are the same file or pipe"), std::string::npos) << mixed.log();
  for (const char* suffix : {".ndjson", ".both", ".log"}) std::filesystem::remove(base + suffix);
}

// A misspelt command was "A subcommand is required"; `--config "$CONF"` with CONF unset ran on
// every default (127.0.0.1:9092, group wirefeed) instead of the file meant. Both exit 2, named.
TEST(CommandLineTest, AnUnknownCommandAndAnEmptyConfigOrOutputPathAreNamed) {
  const std::string log = "/tmp/command-line." + std::to_string(::getpid()) + ".log";
  daemon_process misspelt({"chek-config", "wirefeed.yaml"}, log, "/dev/null");
  EXPECT_EQ(misspelt.wait(std::chrono::seconds(30)), 2) << misspelt.log();
  EXPECT_NE(misspelt.log().find("unknown command 'chek-config'"), std::string::npos) << misspelt.log();
  for (const std::vector<std::string>& args : {std::vector<std::string>{"run", "--config", ""},
                                               std::vector<std::string>{"check-config", ""}}) {
    daemon_process empty(args, log, "/dev/null");
    EXPECT_EQ(empty.wait(std::chrono::seconds(30)), 2) << empty.log();
    EXPECT_NE(empty.log().find("the config file path is empty"), std::string::npos) << empty.log();
  }
  // An empty output path would drop the story updates (send the dead letters to stderr); written
  // `--stories=`, CLI11 would take the next argument, an input, for the output.
  for (const std::string option : {"--stories", "--dlq"}) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"process", option, "", "/dev/null"},
                                                 std::vector<std::string>{"process", option + "=", "/dev/null"}}) {
      daemon_process empty(args, log, "/dev/null");
      EXPECT_EQ(empty.wait(std::chrono::seconds(30)), 2) << empty.log();
      EXPECT_NE(empty.log().find(option + ": the path is empty"), std::string::npos) << empty.log();
    }
  }
  // A replay's times: `--from= -c FILE` said "--config is required".
  for (const std::string option : {"--from", "--to"}) {
    daemon_process empty({"replay", option + "=", "-c", "wirefeed.yaml", "--from", "earliest"}, log, "/dev/null");
    EXPECT_EQ(empty.wait(std::chrono::seconds(30)), 2) << empty.log();
    EXPECT_NE(empty.log().find(option + ": the time is empty"), std::string::npos) << empty.log();
  }
  std::filesystem::remove(log);
}

TEST_F(LiveRunTest, EveryInputOffsetAppearsExactlyOnceInEnrichedOrDeadLetters) {
  const auto seen = positions_of(enriched_, dlq_);
  EXPECT_EQ(enriched_.size() + dlq_.size(), static_cast<std::size_t>(total_messages));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(total_messages));
  for (const auto& [pos, count] : seen) EXPECT_EQ(count, 1) << pos.partition << "@" << pos.offset;
}

TEST_F(LiveRunTest, MalformedMessagesAreDeadLetteredWithTheirReasonAndOriginalBytes) {
  ASSERT_EQ(dlq_.size(), static_cast<std::size_t>(total_messages / 50));
  for (const auto& m : dlq_) {
    const int i = std::stoi(std::string(find_header(m.hdrs, "input")));
    const outgoing in = make_input(prefix_, i);
    EXPECT_EQ(find_header(m.hdrs, dlq_header::reason), expected_reason(i)) << i;
    EXPECT_EQ(m.key, in.key) << i;
    EXPECT_EQ(m.value, in.value) << i;
    EXPECT_EQ(m.null_key, in.null_key) << i;
    EXPECT_EQ(m.null_value, in.null_value) << i;
    for (const header& sent : in.hdrs) {  // not a structured binding: clang 14 cannot capture one
      const auto kept = std::find_if(m.hdrs.begin(), m.hdrs.end(), [&](const header& h) { return h.first == sent.first; });
      ASSERT_NE(kept, m.hdrs.end()) << i << ": header " << sent.first;
      EXPECT_EQ(kept->second, sent.second) << i << ": header " << sent.first;
    }
    EXPECT_EQ(find_header(m.hdrs, dlq_header::topic), t_.raw);
    EXPECT_FALSE(find_header(m.hdrs, dlq_header::time).empty());
    EXPECT_FALSE(find_header(m.hdrs, dlq_header::exception_message).empty());
  }
}

TEST_F(LiveRunTest, OutputKeepsTheOrderOfEachInputPartition) {
  // Within every output partition, the records that came from one input partition are in offset order.
  std::map<std::pair<std::int32_t, std::int32_t>, std::int64_t> last;  // (output, input partition) -> offset
  for (const auto& m : enriched_) {
    const auto pos = enriched_position(m);
    auto [it, fresh] = last.try_emplace({m.partition, pos.partition}, pos.offset);
    if (!fresh) {
      EXPECT_GT(pos.offset, it->second);
      it->second = pos.offset;
    }
  }
  std::map<std::int32_t, std::int64_t> last_dlq;
  for (const auto& m : dlq_) {
    const auto pos = dead_letter_position(m);
    auto [it, fresh] = last_dlq.try_emplace(pos.partition, pos.offset);
    if (!fresh) {
      EXPECT_GT(pos.offset, it->second);
      it->second = pos.offset;
    }
  }
}

TEST_F(LiveRunTest, CommittedOffsetsReachTheEndOffsets) {
  EXPECT_EQ(committed_offsets(t_.group, t_.raw), end_offsets(t_.raw));
}

TEST_F(LiveRunTest, MetricsScrapedOverHttpMatchWhatWasProduced) {
  EXPECT_EQ(metric_value(metrics_, "wirefeed_messages_consumed_total", {"topic=\"" + t_.raw + "\""}), total_messages);
  EXPECT_EQ(metric_value(metrics_, "wirefeed_messages_produced_total", {"topic=\"" + t_.enriched + "\""}),
            static_cast<double>(enriched_.size()));
  EXPECT_EQ(metric_value(metrics_, "wirefeed_messages_produced_total", {"topic=\"" + t_.dlq + "\""}),
            static_cast<double>(dlq_.size()));
  EXPECT_EQ(metric_value(metrics_, "wirefeed_dead_letters_total"), static_cast<double>(dlq_.size()));
  EXPECT_EQ(metric_value(metrics_, "wirefeed_dead_letters_total", {"reason=\"oversized\""}), total_messages / 200);
  EXPECT_GT(metric_value(metrics_, "wirefeed_stage_duration_seconds_count", {"stage=\"decode\""}), 0);
  EXPECT_GT(metric_value(metrics_, "wirefeed_end_to_end_latency_seconds_count"), 0);
  EXPECT_GE(metric_value(metrics_, "wirefeed_rebalances_total", {"kind=\"assigned\""}), 1);
  EXPECT_EQ(metric_value(metrics_, "wirefeed_build_info"), 1);
  // The consumer's automatic commits (every 500 ms here) count while it runs, not only the last.
  EXPECT_GT(metric_value(metrics_, "wirefeed_commits_total", {"result=\"ok\""}), 0);
  EXPECT_EQ(metric_value(metrics_, "wirefeed_commits_total", {"result=\"failed\""}), 0);
  // The cluster stage placed every enriched article once (it started, joined or copied into a
  // story; nothing came twice), and the live stories are those started less those gone.
  const auto events = [&](const std::string& event) {
    return metric_value(metrics_, "wirefeed_story_events_total", {"event=\"" + event + "\""});
  };
  EXPECT_GT(events("new_story"), 0);
  EXPECT_GT(events("copy"), 0);
  EXPECT_EQ(events("new_story") + events("joined") + events("copy"), static_cast<double>(enriched_.size()));
  EXPECT_EQ(events("redelivered"), 0);
  EXPECT_EQ(metric_value(metrics_, "wirefeed_live_stories"),
            events("new_story") - events("merged") - events("expired") - events("evicted"));
}

// deploy/grafana-dashboard.json reads series the daemon exports, by those names (a histogram by
// its _bucket series) and labels: a renamed series or label fails here rather than as an empty or
// flattened panel.
// deploy/check-dashboard.py checks the queries themselves (ctest grafana_dashboard).
TEST_F(LiveRunTest, TheGrafanaDashboardReadsSeriesAndLabelsTheDaemonExports) {
  std::ifstream file(source_dir() + "/deploy/grafana-dashboard.json");
  const std::string dashboard((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(dashboard.empty());
  const std::regex series_name(R"(wirefeed_[a-z_]+)");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(dashboard.begin(), dashboard.end(), series_name); it != std::sregex_iterator(); ++it) {
    names.insert(it->str());
  }
  EXPECT_GE(names.size(), 15u);
  for (const auto& name : names) {
    EXPECT_TRUE(metrics_.find("\n" + name + "{") != std::string::npos || metrics_.find("\n" + name + " ") != std::string::npos)
        << name << " is not in the daemon's /metrics";
  }
  // And the labels it groups them by ("sum by (topic) (rate(wirefeed_..."): a label the series
  // lacks would sum everything into one line.
  const std::regex grouped(R"(by \(([a-z_, ]+)\) \((?:[a-z_]+\()?(wirefeed_[a-z_]+))");
  std::size_t groupings = 0;
  for (auto it = std::sregex_iterator(dashboard.begin(), dashboard.end(), grouped); it != std::sregex_iterator(); ++it) {
    const std::string labels = (*it)[1], name = (*it)[2];
    const auto line = metrics_.find("\n" + name + "{");
    ASSERT_NE(line, std::string::npos) << name;
    const std::string series = metrics_.substr(line + 1, metrics_.find('\n', line + 1) - line - 1);
    std::istringstream words(labels);  // "stage, le"
    for (std::string label; std::getline(words, label, ',');) {
      label.erase(0, label.find_first_not_of(' '));
      EXPECT_TRUE(series.find("{" + label + "=\"") != std::string::npos ||
                  series.find("," + label + "=\"") != std::string::npos)
          << name << " has no label " << label << ": " << series;
    }
    ++groupings;
  }
  EXPECT_GE(groupings, 10u);
}

TEST_F(LiveRunTest, EachGeneratedStoryIsOneStoryWithItsUpdatesPublished) {
  const auto problems = story_problems(enriched_);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problem(s), first: " << problems.front();
  // One story update per article; the last one of each story lists its members (five, or four
  // where an input was dead-lettered).
  std::size_t updates = 0;
  for (const auto& [partition, end] : end_offsets(t_.stories)) updates += static_cast<std::size_t>(end);
  EXPECT_EQ(updates, enriched_.size());
  const auto member_problems = member_list_problems(t_, enriched_);
  EXPECT_TRUE(member_problems.empty()) << member_problems.size() << " problem(s), first: " << member_problems.front();
}

// The enriched JSON without what the ordered strand's state decides (keywords: document
// frequencies learned in arrival order; story id and duplicate_of: which article came first).
std::string without_order_dependent_fields(const std::string& value) {
  std::string out = value.substr(0, value.find("\"story\":{"));
  if (const auto k = out.find("\"keywords\":["); k != std::string::npos) out.erase(k, out.find(']', k) + 1 - k);
  return out;
}

// Runs `wirefeed replay --from earliest` of the live run's input into topics of its own; returns
// its enriched output.
std::vector<message> replay_all(const std::string& prefix, const topics& live, std::size_t expected) {
  const std::string enriched = prefix + ".enriched", dlq = prefix + ".dlq", stories = prefix + ".stories";
  create_topics({{enriched, partitions}, {dlq, 1}, {stories, 1}});
  daemon_process r({"replay", "--config", write_config(live, free_port()), "--from", "earliest", "--set",
                    "topics.enriched=" + enriched, "--set", "topics.dead_letter=" + dlq, "--set",
                    "topics.stories=" + stories},
                   "/tmp/" + prefix + ".log");
  const auto code = r.wait(std::chrono::seconds(180));
  EXPECT_TRUE(code.has_value()) << r.log();
  EXPECT_EQ(code.value_or(-1), 0) << r.log();
  EXPECT_NE(r.log().find("replay summary: 10000 consumed, 10000 finished, 200 dead letters"), std::string::npos)
      << r.log();
  // And what the cluster stage did: each article that is no dead letter placed once.
  const std::string log = r.log();
  std::smatch events;
  const std::regex placed(R"(story events: new_story=(\d+) joined=(\d+) copy=(\d+) redelivered=0 )");
  EXPECT_TRUE(std::regex_search(log, events, placed)) << log;
  if (events.size() == 4) {
    EXPECT_EQ(std::stoul(events[1]) + std::stoul(events[2]) + std::stoul(events[3]), expected);
  }
  EXPECT_EQ(consume_all(dlq, total_messages / 50, std::chrono::seconds(30)).size(),
            static_cast<std::size_t>(total_messages / 50));
  return consume_all(enriched, expected, std::chrono::seconds(60));
}

TEST_F(LiveRunTest, ReplaysAreReproducibleAndMatchTheLiveRun) {
  const auto first = replay_all(prefix_ + ".replay1", t_, enriched_.size());
  const auto second = replay_all(prefix_ + ".replay2", t_, enriched_.size());
  ASSERT_EQ(first.size(), enriched_.size());
  ASSERT_EQ(second.size(), enriched_.size());

  // Two replays of the same range: byte-identical, story ids and copies included.
  std::multiset<std::string> a, b;
  for (const auto& m : first) a.insert(m.value);
  for (const auto& m : second) b.insert(m.value);
  EXPECT_TRUE(a == b);

  // The live run merges partitions in the same order unless a partition lags or is paused by
  // backpressure (live merging waits at most a second for one; a replay waits for all), so only
  // what arrival order decides may differ; the stories are the same groups.
  std::multiset<std::string> live_values, replay_values;
  for (const auto& m : enriched_) live_values.insert(without_order_dependent_fields(m.value));
  for (const auto& m : first) replay_values.insert(without_order_dependent_fields(m.value));
  EXPECT_TRUE(live_values == replay_values);
  const auto problems = story_problems(first);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problem(s), first: " << problems.front();
  std::set<std::string> live_full, replay_full;
  for (const auto& m : enriched_) live_full.insert(m.value);
  std::size_t differ = 0;
  for (const auto& m : first) differ += !live_full.contains(m.value);
  std::cout << "replay vs live: " << differ << " of " << first.size() << " articles with another story id or copy flag\n";
  // Replay commits nothing for the live group.
  EXPECT_EQ(committed_offsets(t_.group + ".replay", t_.raw).begin()->second, RD_KAFKA_OFFSET_INVALID);
}

// The groups of uris that share a story id: the stories, whatever their ids.
std::set<std::set<std::string>> story_groups(const std::vector<message>& enriched) {
  std::map<std::string, std::set<std::string>> by_id;
  for (const auto& m : enriched) {
    auto [uri, id] = placement_of(m.value);
    by_id[id].insert(std::move(uri));
  }
  std::set<std::set<std::string>> groups;
  for (auto& [id, uris] : by_id) groups.insert(std::move(uris));
  return groups;
}

// Scale-out (pipeline.role): two extract instances in one group split the live run's input, one
// cluster instance reads their hand-off topic; the stories are those of the all-in-one live run.
// Two extract instances (the second joining mid-stream: a rebalance) and one cluster instance on
// the live run's input: every article, the same stories, the same documents as the single
// instance's (`live_enriched`). With a disruption, something happens to the first extract instance
// once it has handed 4,000 articles off:
// - kill: SIGKILL. Its partitions move to the second (a 6 s session time-out here), which takes
//   them from the last committed positions; exactly once, the killed instance's open transaction
//   is aborted (a 10 s transaction time-out here) before the cluster instance can read past it.
// - freeze: SIGSTOP until the group has given all its partitions to the second (it missed its
//   session), then SIGCONT: it wakes holding work of partitions it has lost (librdkafka's "lost"
//   revoke); at least once it drops that work without committing, rejoins and goes on; exactly
//   once it stops (its transaction, still open, aborted) and is started again.
// Returns how many enriched records came out more than once.
enum class disruption { none, kill, freeze };

// Partitions a daemon holds by its log: those assigned less those revoked or lost.
int partitions_held(const std::string& log) {
  int held = 0;
  for (const auto& [word, sign] : {std::pair{"assigned ", 1}, std::pair{"revoked ", -1}, std::pair{"lost ", -1}}) {
    const std::string key = std::string("kafka: ") + word;
    for (auto at = log.find(key); at != std::string::npos; at = log.find(key, at + 1)) {
      held += sign * std::atoi(log.c_str() + at + key.size());
    }
  }
  return held;
}

std::size_t split_run(const std::string& live_raw, const std::vector<message>& live_enriched,
                      const std::string& guarantee, disruption disrupt = disruption::none) {
  const bool kill_first = disrupt == disruption::kill;
  const auto prefix = unique_name("split");
  topics split = make_topics(prefix);
  split.raw = live_raw;
  const std::string extracted = prefix + ".extracted";
  create_topics({{extracted, partitions}});
  const int cluster_port = free_port(), extract_ports[2] = {free_port(), free_port()};
  const auto cluster_config = write_config(split, cluster_port);
  split.group = prefix + ".extract";
  const auto extract_config = write_config(split, extract_ports[0]);

  auto extract_instance = [&](int i, const std::string& run = "") {
    std::vector<std::string> args{"run", "--config", extract_config, "--role", "extract", "--set",
                                  "topics.extracted=" + extracted, "--set",
                                  "metrics.port=" + std::to_string(extract_ports[i]), "--set",
                                  "pipeline.processing_guarantee=" + guarantee};
    if (disrupt != disruption::none) args.insert(args.end(), {"--set", "kafka.consumer.session.timeout.ms=6000"});
    // The killed instance's open transaction is aborted by the broker sooner; the frozen one's is
    // left open (librdkafka's 60 s) so that it wakes to find its membership, not its producer, gone.
    if (kill_first) args.insert(args.end(), {"--set", "kafka.producer.transaction.timeout.ms=10000"});
    return std::make_unique<daemon_process>(args, "/tmp/" + prefix + ".extract" + std::to_string(i) + run + ".log");
  };
  const auto handed_off_by = [&](int i) {
    return metric_value(http_get(extract_ports[i], "/metrics").body, "wirefeed_messages_produced_total",
                        {"topic=\"" + extracted + "\""});
  };
  daemon_process cluster({"run", "--config", cluster_config, "--role", "cluster", "--set", "topics.extracted=" + extracted,
                          "--set", "pipeline.processing_guarantee=" + guarantee},
                         "/tmp/" + prefix + ".cluster.log");
  auto first = extract_instance(0);
  // The second joins while the first is working: a rebalance mid-stream.
  const bool ready = eventually([&] { return http_get(extract_ports[0], "/readyz").status == 200; }, std::chrono::seconds(60));
  EXPECT_TRUE(ready) << first->log();
  if (!ready) return 0;
  auto second = extract_instance(1);
  double handed_off[2] = {0, 0};
  if (disrupt != disruption::none) {
    const bool midway = eventually([&] { return handed_off_by(0) >= 4000; }, std::chrono::seconds(120));
    handed_off[0] = handed_off_by(0);
    EXPECT_TRUE(midway) << first->log();
    if (kill_first) {
      first->signal(SIGKILL);
      EXPECT_EQ(first->wait(std::chrono::seconds(10)), 128 + SIGKILL);
    } else {
      first->signal(SIGSTOP);
      const bool taken_over =
          eventually([&] { return partitions_held(second->log()) == partitions; }, std::chrono::seconds(60));
      EXPECT_TRUE(taken_over) << second->log();
      first->signal(SIGCONT);
      if (guarantee == "exactly_once") {
        // Lost partitions are fatal exactly once (docs/operations.md, "Rebalances"): their released
        // output is in the open transaction. It stops with exit 1 saying so, and is started again
        // as its supervisor would (deploy/wirefeed.service: Restart=on-failure).
        EXPECT_EQ(first->wait(std::chrono::seconds(60)), 1) << first->log();
        const std::string log = first->log();
        EXPECT_TRUE(log.find("stopped on a fatal error") != std::string::npos &&
                    (log.find("partitions lost (the group moved on") != std::string::npos ||
                     log.find("partitions were lost to the group") != std::string::npos ||
                     log.find("fenced") != std::string::npos))
            << log;
        first = extract_instance(0, ".restarted");
      } else {
        const bool lost = eventually([&] { return first->log().find("kafka: lost ") != std::string::npos; },
                                     std::chrono::seconds(60));
        EXPECT_TRUE(lost) << first->log();
      }
    }
  }

  // Done when the cluster instance has put out as many articles as the single instance (after a
  // disruption, as many distinct ones: the disrupted instance's tail comes again).
  const auto expected = live_enriched.size();
  const auto distinct_uris = [&] {
    std::set<std::string> uris;
    for (const auto& m : consume_to_end(split.enriched, std::chrono::seconds(60))) {
      uris.insert(placement_of(m.value).uri);
    }
    return uris.size();
  };
  const bool done = eventually(
      [&] {
        const auto produced = metric_value(http_get(cluster_port, "/metrics").body, "wirefeed_messages_produced_total",
                                           {"topic=\"" + split.enriched + "\""});
        return produced >= static_cast<double>(expected) && (disrupt == disruption::none || distinct_uris() >= expected);
      },
      std::chrono::seconds(240));
  // The first's count as of the disruption (a restarted instance counts from 0).
  for (int i = disrupt != disruption::none ? 1 : 0; i < 2; ++i) handed_off[i] = handed_off_by(i);
  std::vector<daemon_process*> running{second.get(), &cluster};
  if (!kill_first) running.push_back(first.get());
  for (auto* d : running) d->signal(SIGTERM);
  for (auto* d : running) EXPECT_EQ(d->wait(std::chrono::seconds(60)), 0) << d->log();
  EXPECT_TRUE(done) << cluster.log();
  EXPECT_GT(handed_off[0], 0) << "the first extract instance handed nothing off";
  EXPECT_GT(handed_off[1], 0) << "the second extract instance got no partition";
  std::cout << "split run (" << guarantee
            << (kill_first                        ? ", the first extract instance killed"
                : disrupt == disruption::freeze ? ", the first extract instance frozen past its session"
                                                  : "")
            << "): extract instances handed off " << handed_off[0] << " + " << handed_off[1] << " articles\n";

  // Every article (at least once; exactly once: the caller checks for duplicates), and the same stories.
  auto enriched = consume_to_end(split.enriched, std::chrono::seconds(60));
  std::set<std::string> uris, live_uris;
  for (const auto& m : enriched) uris.insert(placement_of(m.value).uri);
  for (const auto& m : live_enriched) live_uris.insert(placement_of(m.value).uri);
  EXPECT_EQ(uris, live_uris);
  // Every dead letter once (at least once after a disruption: the disrupted instance's tail comes again).
  const auto dead_letters = consume_to_end(split.dlq, std::chrono::seconds(60));
  EXPECT_EQ(positions_of({}, dead_letters).size(), static_cast<std::size_t>(total_messages / 50));
  const auto problems = story_problems(enriched);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problem(s), first: " << problems.front();
  EXPECT_TRUE(story_groups(enriched) == story_groups(live_enriched));
  const auto member_problems = member_list_problems(split, enriched);
  EXPECT_TRUE(member_problems.empty()) << member_problems.size() << " problem(s), first: " << member_problems.front();
  // Apart from what arrival order decides, each article is the document the single instance wrote.
  std::set<std::string> live_docs;
  for (const auto& m : live_enriched) live_docs.insert(without_order_dependent_fields(m.value));
  std::size_t differ = 0;
  for (const auto& m : enriched) differ += !live_docs.contains(without_order_dependent_fields(m.value));
  EXPECT_EQ(differ, 0u);
  return enriched.size() - uris.size();
}

TEST_F(LiveRunTest, TwoExtractInstancesAndOneClusterInstanceFindTheSameStories) {
  split_run(t_.raw, enriched_, "at_least_once");  // at least once: the rebalance may duplicate
}

// Exactly once in both roles: the extract instances' hand-off records and the cluster instance's
// output are transactional, the cluster instance reads committed hand-offs only, and the
// rebalance commits what the first extract instance released of the partitions it gives up.
TEST_F(LiveRunTest, ExactlyOnceTwoExtractInstancesAndOneClusterInstanceOutputEachArticleOnce) {
  EXPECT_EQ(split_run(t_.raw, enriched_, "exactly_once"), 0u);
}

// An extract instance killed mid-stream: its partitions' uncommitted work is done again by the
// other, nothing is lost, and the stories are still the single instance's.
TEST_F(LiveRunTest, AnExtractInstanceKilledMidStreamLosesNothingAndSplitsNoStory) {
  split_run(t_.raw, enriched_, "at_least_once", disruption::kill);
}

// Exactly once, the killed instance's open transaction never commits: still each article once.
TEST_F(LiveRunTest, ExactlyOnceAnExtractInstanceKilledMidStreamOutputsEachArticleOnce) {
  EXPECT_EQ(split_run(t_.raw, enriched_, "exactly_once", disruption::kill), 0u);
}

// An extract instance frozen past its session (a long GC-like pause, a stopped container): the
// group gives its partitions to the other; woken, it finds them lost, drops what it held of them
// uncommitted and goes on. Nothing is lost, and the stories are still the single instance's.
TEST_F(LiveRunTest, AnExtractInstanceFrozenPastItsSessionLosesNothingAndSplitsNoStory) {
  split_run(t_.raw, enriched_, "at_least_once", disruption::freeze);
}

// Exactly once, the frozen instance's open transaction was aborted by the broker: each article once.
TEST_F(LiveRunTest, ExactlyOnceAnExtractInstanceFrozenPastItsSessionOutputsEachArticleOnce) {
  EXPECT_EQ(split_run(t_.raw, enriched_, "exactly_once", disruption::freeze), 0u);
}

// Whether the daemon serving metrics on `port` reports at least `n` enriched articles produced
// within two minutes: "mid-stream" for the tests that do something to it.
bool enriched_out(int port, const topics& t, int n) {
  return eventually(
      [&] {
        return metric_value(http_get(port, "/metrics").body, "wirefeed_messages_produced_total",
                            {"topic=\"" + t.enriched + "\""}) >= n;
      },
      std::chrono::seconds(120));
}

// Produces the 10,000 inputs in the background, slowly enough (about 3 s) that what a test does
// to the daemon lands mid-stream.
std::jthread produce_slowly(const std::string& prefix, const std::string& topic) {
  return std::jthread([prefix, topic] {
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<outgoing> inputs;
      for (int i = batch * 500; i < (batch + 1) * 500; ++i) inputs.push_back(make_input(prefix, i));
      produce(topic, inputs);
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
  });
}

// Seconds from now until the daemon logs its first assignment, or nothing within `limit`.
std::optional<double> seconds_to_assignment(const daemon_process& d, std::chrono::seconds limit) {
  const auto start = std::chrono::steady_clock::now();
  if (!eventually([&] { return d.log().find("kafka: assigned") != std::string::npos; }, limit)) return std::nullopt;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Reads the enriched topic and the dead letters until every input is in one of them (at least
// once), for up to 4 minutes: whether they all came.
bool every_input_out(const topics& t, std::vector<message>& enriched, std::vector<message>& dlq) {
  return eventually(
      [&] {
        enriched = consume_to_end(t.enriched, std::chrono::seconds(60));
        dlq = consume_to_end(t.dlq, std::chrono::seconds(60));
        return positions_of(enriched, dlq).size() >= static_cast<std::size_t>(total_messages);
      },
      std::chrono::seconds(240));
}

// Every input, in the enriched output or the dead letters, at least once.
std::vector<std::string> lost_inputs(const std::map<position, int>& seen) {
  std::vector<std::string> lost;
  for (int p = 0; p < partitions; ++p) {
    for (int o = 0; o < total_messages / partitions; ++o) {
      if (!seen.contains({p, o})) lost.push_back(std::to_string(p) + "@" + std::to_string(o));
    }
  }
  return lost;
}

// Kills the daemon (SIGKILL) once 3,000 articles are out, restarts it, and checks what came out:
// nothing lost, the stories continue, the learned state restored. Returns the number of inputs
// that came out more than once.
std::size_t crash_and_restart(const std::string& guarantee) {
  const auto prefix = unique_name("crash");
  const auto t = make_topics(prefix);
  const int port = free_port();
  const auto config = write_config(t, port);

  // A dynamic member's partitions would wait out the killed member's session (90 s here) before
  // they move; the story owner is a static member and takes them back at once.
  const std::vector<std::string> run{"run", "--config", config, "--set", "kafka.consumer.session.timeout.ms=90000",
                                     "--set", "pipeline.processing_guarantee=" + guarantee};
  std::jthread producer = produce_slowly(prefix, t.raw);
  {
    daemon_process first(run, "/tmp/" + prefix + ".1.log");
    const bool midway = enriched_out(port, t, 3000);
    EXPECT_TRUE(midway) << first.log();
    if (!midway) return 0;
    first.signal(SIGKILL);
    EXPECT_EQ(first.wait(std::chrono::seconds(10)), 128 + SIGKILL);
  }
  producer.join();  // (a jthread: also joined if an assertion returns early)

  daemon_process second(run, "/tmp/" + prefix + ".2.log");
  const auto rejoined = seconds_to_assignment(second, std::chrono::seconds(45));
  EXPECT_TRUE(rejoined.has_value()) << "no assignment within half the session timeout\n" << second.log();
  std::vector<message> enriched, dlq;
  const bool complete = every_input_out(t, enriched, dlq);
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(std::chrono::seconds(60)), 0) << second.log();

  // At-least-once: every input is there (duplicates of the uncommitted tail are allowed).
  const auto seen = positions_of(enriched, dlq);
  EXPECT_TRUE(complete) << "only " << seen.size() << " of " << total_messages << " inputs in the output";
  const auto lost = lost_inputs(seen);
  EXPECT_TRUE(lost.empty()) << lost.size() << " lost, first " << lost.front();
  EXPECT_EQ(committed_offsets(t.group, t.raw), end_offsets(t.raw));
  // The restarted daemon restored the stories (checked below: they continue).
  EXPECT_NE(second.log().find("restored "), std::string::npos) << second.log();
  // And what the strand had learned besides, as of a checkpoint (every 1,000 articles; 3,000
  // were out before the kill).
  const auto learned_as_of = [](const std::string& log, std::string_view line) -> long long {
    const auto at = log.find(line);
    return at == std::string::npos ? -1 : std::stoll(log.substr(at + line.size()));
  };
  constexpr std::string_view restored_line = "learned boilerplate and keyword frequencies as of article ";
  EXPECT_GE(learned_as_of(second.log(), restored_line), 1000) << second.log();
  // A stop writes it as of the last article: the next start takes it back from there.
  const auto stopped_at = learned_as_of(second.log(), "learned boilerplate and keyword frequencies checkpointed as of article ");
  EXPECT_GT(stopped_at, learned_as_of(second.log(), restored_line)) << second.log();
  {
    daemon_process third(run, "/tmp/" + prefix + ".3.log");
    EXPECT_TRUE(eventually([&] { return third.log().find(restored_line) != std::string::npos; }, std::chrono::seconds(60)))
        << third.log();
    third.signal(SIGTERM);
    EXPECT_EQ(third.wait(std::chrono::seconds(60)), 0) << third.log();
    EXPECT_EQ(learned_as_of(third.log(), restored_line), stopped_at) << third.log();
  }
  // No story split at the crash, not even in the records the restart superseded. An article's enriched record goes out only
  // once its story state is acknowledged on the changelog, so every id that reached the topic is
  // in the state the restart restores (sent the other way round, a story whose state was lost in
  // the kill could open again under the id of another first article). Without the restore every
  // story spanning the kill would split here.
  const auto problems = story_problems(enriched);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problem(s), first: " << problems.front();
  // And each story's latest update lists every member, those before the kill included.
  const auto member_problems = member_list_problems(t, enriched);
  EXPECT_TRUE(member_problems.empty()) << member_problems.size() << " problem(s), first: " << member_problems.front();
  const auto duplicates = enriched.size() + dlq.size() - seen.size();
  std::cout << "crash test (" << guarantee << "): " << duplicates << " duplicate output(s) after SIGKILL; the restart "
            << "had its partitions " << rejoined.value_or(-1) << " s after it started\n";
  return duplicates;
}

TEST(CrashTest, DaemonKilledMidStreamAndRestartedLosesNothing) {
  ASSERT_FALSE(bootstrap().empty());
  crash_and_restart("at_least_once");  // duplicates of the uncommitted tail are allowed
}

// Exactly once: a reader of committed records sees every input once. What the killed daemon had
// sent since its last commit is in a transaction the restart aborts (its producer initialises
// transactions under the same id), and its input is consumed again from the committed positions.
TEST(CrashTest, ExactlyOnceDaemonKilledMidStreamAndRestartedOutputsEveryInputOnce) {
  ASSERT_FALSE(bootstrap().empty());
  EXPECT_EQ(crash_and_restart("exactly_once"), 0u);
}

// The daemon is disrupted mid-stream (`outage`, given the daemon's metrics port, the daemon and
// its topics: a broker outage, the group's rebalances). It rides it out: after an outage the
// consumer reconnects and rejoins as the same static member, the producer keeps what it could not
// deliver and retries (message.timeout.ms), exactly once the transaction commit waits for the
// coordinator. Every input comes out, and SIGTERM still exits 0. `extra`: more arguments of the
// daemon. Returns the number of inputs that came out more than once.
std::size_t disrupted_mid_stream(const std::string& guarantee,
                                 const std::function<void(int, daemon_process&, const topics&)>& outage,
                                 const std::vector<std::string>& extra = {}) {
  const auto prefix = unique_name("outage");
  const auto t = make_topics(prefix);
  const int port = free_port();
  std::vector<outgoing> inputs;
  for (int i = 0; i < total_messages; ++i) inputs.push_back(make_input(prefix, i));
  produce(t.raw, inputs);
  std::vector<std::string> args{"run", "--config", write_config(t, port), "--set", "pipeline.processing_guarantee=" + guarantee};
  args.insert(args.end(), extra.begin(), extra.end());
  daemon_process d(args, "/tmp/" + prefix + ".log");
  const bool midway = enriched_out(port, t, 2000);
  EXPECT_TRUE(midway) << d.log();
  if (!midway) return 0;
  outage(port, d, t);
  std::vector<message> enriched, dlq;
  const bool complete = every_input_out(t, enriched, dlq);
  EXPECT_TRUE(d.running()) << d.log();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(60)), 0) << d.log();
  const auto seen = positions_of(enriched, dlq);
  EXPECT_TRUE(complete) << "only " << seen.size() << " of " << total_messages << " inputs in the output\n" << d.log();
  const auto lost = lost_inputs(seen);
  EXPECT_TRUE(lost.empty()) << lost.size() << " lost, first " << lost.front();
  EXPECT_EQ(committed_offsets(t.group, t.raw), end_offsets(t.raw));
  const auto problems = story_problems(enriched);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problem(s), first: " << problems.front();
  const auto member_problems = member_list_problems(t, enriched);
  EXPECT_TRUE(member_problems.empty()) << member_problems.size() << " problem(s), first: " << member_problems.front();
  const auto duplicates = enriched.size() + dlq.size() - seen.size();
  std::cout << "disrupted run (" << guarantee << "): " << duplicates << " duplicate output(s)\n";
  return duplicates;
}

// The broker stops (a clean shutdown) and starts again on the same port and data 3 s later.
std::size_t broker_restarted_mid_stream(const std::string& guarantee) {
  return disrupted_mid_stream(guarantee, [](int, daemon_process&, const topics&) { restart_broker(std::chrono::seconds(3)); });
}

TEST(BrokerRestartTest, TheDaemonRidesOutABrokerRestartAndLosesNothing) {
  ASSERT_FALSE(bootstrap().empty());
  broker_restarted_mid_stream("at_least_once");
}

TEST(BrokerRestartTest, ExactlyOnceTheDaemonRidesOutABrokerRestartWithoutADuplicate) {
  ASSERT_FALSE(bootstrap().empty());
  EXPECT_EQ(broker_restarted_mid_stream("exactly_once"), 0u);
}

// The broker hangs mid-stream (its process stopped: connections stay open and nothing answers, as
// in a frozen VM) for half a minute. A hung broker's connections stay "UP" in librdkafka's state
// for a minute or more, so /readyz said 200 all along (found by a review, 2026-12-05); it must
// say 503 while nothing answers, /healthz 200 (no restart for an outage), and 200 again after.
// Nothing is lost and the daemon keeps running.
TEST(BrokerHangTest, ReadinessDropsWhileTheBrokerHangsAndTheDaemonRidesItOut) {
  ASSERT_FALSE(bootstrap().empty());
  disrupted_mid_stream("at_least_once", [](int port, daemon_process& d, const topics&) {
    bool unready = false, alive = true;
    freeze_broker(std::chrono::seconds(3), [&] {
      unready = eventually([&] { return http_get(port, "/readyz").status == 503; }, std::chrono::seconds(30));
      alive = http_get(port, "/healthz").status == 200;
    });
    EXPECT_TRUE(unready) << "/readyz stayed 200 while the broker hung\n" << d.log();
    EXPECT_TRUE(alive) << d.log();
    EXPECT_TRUE(eventually([&] { return http_get(port, "/readyz").status == 200; }, std::chrono::seconds(90)))
        << d.log();
  });
}

// Another member joins the daemon's group and leaves it again `hold` later (cooperative-sticky,
// as the daemon; auto-commit off: it commits nothing of what it may be given): the group's
// generation moves on, once or twice. Leaving before its assignment, it leaves the daemon its
// partitions.
// A member's rebalances, taken as librdkafka would; `opaque` is set once its first assignment came.
void take_assignment(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  rd_kafka_error_t* error = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ? rd_kafka_incremental_assign(rk, partitions)
                                                                       : rd_kafka_incremental_unassign(rk, partitions);
  if (error != nullptr) rd_kafka_error_destroy(error);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) static_cast<std::atomic<bool>*>(opaque)->store(true);
}

void join_and_leave(const topics& t, std::chrono::milliseconds hold) {
  auto made = kafka::make_conf({{{"bootstrap.servers", bootstrap()},
                                 {"group.id", t.group},
                                 {"enable.auto.commit", "false"},
                                 {"partition.assignment.strategy", "cooperative-sticky"},
                                 {"session.timeout.ms", "6000"},
                                 {"log_level", "0"}}});
  ASSERT_TRUE(made.errors.empty()) << made.errors.front();
  // The member leaves only once the group has given it its first assignment: librdkafka 2.0
  // (Debian 12's) aborts the process that destroys a cooperative-sticky member between its join
  // and that assignment (librdkafka issue #4312, fixed in 2.3; it took this test down in CI once).
  std::atomic<bool> assigned{false};
  rd_kafka_conf_set_opaque(made.conf.get(), &assigned);
  rd_kafka_conf_set_rebalance_cb(made.conf.get(), take_assignment);
  char errstr[512];
  kafka::handle_ptr rk(rd_kafka_new(RD_KAFKA_CONSUMER, made.conf.release(), errstr, sizeof errstr));
  ASSERT_TRUE(rk) << errstr;
  rd_kafka_poll_set_consumer(rk.get());
  auto subscription = kafka::make_partition_list({{t.raw, partition_id{RD_KAFKA_PARTITION_UA}}});
  ASSERT_EQ(rd_kafka_subscribe(rk.get(), subscription.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
  const auto until = std::chrono::steady_clock::now() + hold;
  const auto give_up = until + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < until || (!assigned && std::chrono::steady_clock::now() < give_up)) {
    if (rd_kafka_message_t* m = rd_kafka_consumer_poll(rk.get(), 50)) rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk.get());  // its session (6 s) ends it should the leave be missed
}

// Exactly once, a member joining or leaving the group can move the group's generation on between
// the daemon reading it and the broker taking a transaction's input positions (ILLEGAL_GENERATION:
// 2 of some 20 rebalances under load in a review's test, 2026-12-06): the transaction is aborted.
// The daemon used to stop there (exit 1, for its supervisor to restart it); it now starts the run
// afresh in the same process, its state restored, and goes on: it runs through every rebalance,
// exits 0 on SIGTERM, and outputs every input once. Members come and go while it commits (every
// 10 ms here); whether one raced a commit this time, wirefeed_run_restarts_total says (printed:
// one in each of four runs on 2026-12-06; the test holds either way).
TEST(RebalanceTest, ExactlyOnceTheDaemonRunsThroughRebalancesThatRaceItsCommits) {
  ASSERT_FALSE(bootstrap().empty());
  double restarts = 0;
  int rebalances = 0;  // members that joined and left
  const auto duplicates = disrupted_mid_stream(
      "exactly_once",
      [&](int port, daemon_process& d, const topics& t) {
        const auto out = [&] {
          return metric_value(http_get(port, "/metrics").body, "wirefeed_messages_produced_total",
                              {"topic=\"" + t.enriched + "\""});
        };
        // While it works, members come and go: some leave as soon as the group has given them
        // their first assignment, some seconds later.
        for (int i = 0; i < 40 && out() < 0.9 * total_messages && d.running(); ++i) {
          join_and_leave(t, std::chrono::milliseconds(i % 4 == 3 ? 3000 : 300));
          ++rebalances;
        }
        EXPECT_TRUE(d.running()) << d.log();
        restarts = metric_value(http_get(port, "/metrics").body, "wirefeed_run_restarts_total");
      },
      {"--set", "pipeline.transaction_interval_ms=10"});
  EXPECT_EQ(duplicates, 0u);
  std::cout << "rebalance test: " << rebalances << " members came and went mid-stream, " << restarts
            << " run(s) started afresh after a rebalance raced a commit\n";
}

// The broker goes away mid-stream and the daemon is stopped before it comes back. With the
// producer's queue full (a small one here: 50 records) the ordered strand waits for room, and
// until 2026-12-05 so did the stop, until the outage ended or message.timeout.ms (15 minutes)
// passed; then the final synchronous commit waited for the coordinator to come back. SIGTERM must
// end the daemon in bounded time, exit 0, and commit nothing that did not come out; a restart once
// the broker is back outputs every input.
TEST(BrokerRestartTest, ASigtermWhileTheBrokerIsDownEndsTheDaemonWithinItsDrainTimeout) {
  ASSERT_FALSE(bootstrap().empty());
  const auto prefix = unique_name("outage-stop");
  const auto t = make_topics(prefix);
  const int port = free_port();
  std::vector<outgoing> inputs;
  for (int i = 0; i < total_messages; ++i) inputs.push_back(make_input(prefix, i));
  produce(t.raw, inputs);
  const std::vector<std::string> run = {"run", "--config", write_config(t, port),
                                        "--set", "kafka.producer.queue.buffering.max.messages=50",
                                        "--set", "shutdown.drain_timeout_ms=3000",
                                        "--set", "shutdown.revoke_drain_timeout_ms=1000"};
  std::optional<int> exit_code;
  std::chrono::steady_clock::duration took{};
  std::string log;
  {
    daemon_process d(run, "/tmp/" + prefix + ".1.log");
    ASSERT_TRUE(enriched_out(port, t, 500)) << d.log();
    restart_broker(std::chrono::seconds(1), [&] {
      std::this_thread::sleep_for(std::chrono::seconds(3));  // what was consumed fills the producer's queue
      d.signal(SIGTERM);
      const auto start = std::chrono::steady_clock::now();
      exit_code = d.wait(std::chrono::seconds(90));
      took = std::chrono::steady_clock::now() - start;
      log = d.log();
    });
  }
  EXPECT_EQ(exit_code, 0) << log;
  // Drain 3 s, flush 1 s, the final commit 5 s (unanswered), then the consumer's close, at most
  // the revocation's drain and commit (1 s + 5 s) and 10 s more: 25 s, against 15 minutes
  // (message.timeout.ms) or the outage's end before; and against librdkafka's close waiting for
  // the coordinator, which took 54 s here one day and over 90 s another (session 24's CI).
  EXPECT_LT(took, std::chrono::seconds(40)) << log;
  EXPECT_NE(log.find("drain timed out"), std::string::npos) << log;
  EXPECT_NE(log.find("kafka consumer: close not done within 16000 ms"), std::string::npos) << log;

  daemon_process again(run, "/tmp/" + prefix + ".2.log");
  std::vector<message> enriched, dlq;
  const bool complete = every_input_out(t, enriched, dlq);
  again.signal(SIGTERM);
  EXPECT_EQ(again.wait(std::chrono::seconds(60)), 0) << again.log();
  const auto seen = positions_of(enriched, dlq);
  EXPECT_TRUE(complete) << "only " << seen.size() << " of " << total_messages << " inputs in the output";
  const auto lost = lost_inputs(seen);
  EXPECT_TRUE(lost.empty()) << lost.size() << " lost, first " << lost.front();
  std::cout << "SIGTERM with the broker down: exit " << exit_code.value_or(-1) << " after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
}

// Two story owners in one group (a second `wirefeed run` of role all started by mistake, or a
// replacement started before the old one stopped): the newcomer fences the first, which stops with
// an error that says so, and takes every partition over; no input is lost. Returns the number of
// inputs that came out more than once, and the stories split at the takeover.
struct takeover_result {
  std::size_t duplicates = 0;
  std::vector<std::string> story_problems;  // split or shared story ids, and member lists that differ (member_list_problems)
};

takeover_result second_owner_takes_over(const std::string& guarantee, const std::vector<std::string>& first_says) {
  const auto prefix = unique_name("fence");
  const auto t = make_topics(prefix);
  const int ports[2] = {free_port(), free_port()};
  const auto config = write_config(t, ports[0]);
  const std::vector<std::string> run{"run", "--config", config, "--set", "pipeline.processing_guarantee=" + guarantee};
  std::jthread producer = produce_slowly(prefix, t.raw);
  daemon_process first(run, "/tmp/" + prefix + ".1.log");
  const bool midway = enriched_out(ports[0], t, 2000);
  EXPECT_TRUE(midway) << first.log();
  if (!midway) return {};
  auto second_run = run;
  second_run.insert(second_run.end(), {"--set", "metrics.port=" + std::to_string(ports[1])});
  daemon_process second(second_run, "/tmp/" + prefix + ".2.log");
  const auto first_exit = first.wait(std::chrono::seconds(60));
  EXPECT_TRUE(first_exit.has_value()) << "the first story owner kept running\n" << first.log();
  EXPECT_NE(first_exit.value_or(0), 0);
  EXPECT_TRUE(std::any_of(first_says.begin(), first_says.end(),
                          [&](const std::string& line) { return first.log().find(line) != std::string::npos; }))
      << first.log();
  producer.join();

  std::vector<message> enriched, dlq;
  const bool complete = every_input_out(t, enriched, dlq);
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(std::chrono::seconds(60)), 0) << second.log();
  EXPECT_TRUE(complete) << second.log();
  const auto seen = positions_of(enriched, dlq);
  const auto lost = lost_inputs(seen);
  EXPECT_TRUE(lost.empty()) << lost.size() << " lost, first " << lost.front();
  EXPECT_EQ(committed_offsets(t.group, t.raw), end_offsets(t.raw));
  auto problems = story_problems(enriched);
  for (auto& p : member_list_problems(t, enriched)) problems.push_back(std::move(p));
  return {enriched.size() + dlq.size() - seen.size(), std::move(problems)};
}

// Exactly once, a second instance started by mistake on the same host, whose metrics port is
// taken: it fails its start-up checks before its transactional producer starts, so it does not
// fence the instance running (which used to stop on its next input, leaving none).
TEST(StoryOwnerTest, ExactlyOnceASecondInstanceThatCannotStartLeavesTheFirstRunning) {
  ASSERT_FALSE(bootstrap().empty());
  const auto t = make_topics(unique_name("nofence"));
  const int port = free_port();
  const std::vector<std::string> run{"run", "--config", write_config(t, port), "--set",
                                     "pipeline.processing_guarantee=exactly_once"};
  std::vector<outgoing> first_inputs, later_inputs;
  for (int i = 0; i < 10; ++i) first_inputs.push_back(make_input(t.group, i == 7 ? 10 : i));  // no dead letter
  for (int i = 11; i < 21; ++i) later_inputs.push_back(make_input(t.group, i));
  produce(t.raw, first_inputs);
  daemon_process first(run, "/tmp/" + t.group + ".1.log");
  ASSERT_TRUE(enriched_out(port, t, 10)) << first.log();
  daemon_process second(run, "/tmp/" + t.group + ".2.log");
  EXPECT_EQ(second.wait(std::chrono::seconds(60)), 1) << second.log();
  EXPECT_NE(second.log().find("Address already in use"), std::string::npos) << second.log();
  produce(t.raw, later_inputs);
  EXPECT_TRUE(enriched_out(port, t, 20)) << first.log();
  EXPECT_TRUE(first.running()) << first.log();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(std::chrono::seconds(60)), 0) << first.log();
}

TEST(StoryOwnerTest, ASecondStoryOwnerFencesTheFirstWhichStops) {
  ASSERT_FALSE(bootstrap().empty());
  // At least once, what the first sent after the newcomer restored the changelog is missing from
  // the newcomer's state: the stories it touched may split (docs/operations.md, "One cluster owner").
  second_owner_takes_over("at_least_once", {".group.story-owner', the story owner, and took this one's partitions over"});
}

// Exactly once, the takeover loses nothing and doubles nothing either: the newcomer's producer
// fences the first's (or its consumer does, whichever comes first) and aborts the first's open
// transaction before it restores, and it starts from the positions of the first's last commit.
TEST(StoryOwnerTest, ExactlyOnceASecondStoryOwnerTakesOverWithoutADuplicate) {
  ASSERT_FALSE(bootstrap().empty());
  const auto r = second_owner_takes_over("exactly_once",
                                         {".group.story-owner', the story owner, and took this one's partitions over",
                                          ".group.story-owner' and took this one's place"});
  EXPECT_EQ(r.duplicates, 0u);
  // And no story splits, nor loses a member: the first's output after the newcomer's restore never commits.
  EXPECT_TRUE(r.story_problems.empty()) << r.story_problems.size() << " problem(s), first: " << r.story_problems.front();
}

// Exactly once, a sink that goes away with its transaction open (a stop whose drain timed out, a
// fatal error) aborts it at once. Left open, it would hold every read_committed reader of its
// partitions at the transaction's start for transaction.timeout.ms (here a minute): the cluster
// instance reading an extract instance's hand-offs, whose next start has another transactional id.
TEST(ExactlyOnceSinkTest, ASinkThatGoesAwayAbortsItsOpenTransaction) {
  ASSERT_FALSE(bootstrap().empty());
  const std::string topic = unique_name("abort");
  create_topics({{topic, 1}});
  probe quiet;
  {
    kafka::sink_options o;
    o.properties = {{"bootstrap.servers", bootstrap()},
                    {"transactional.id", unique_name("abort-txn")},
                    {"transaction.timeout.ms", "60000"}};
    o.topics = {{output_kind::enriched, topic}};
    kafka::kafka_sink s(std::move(o), quiet);
    std::optional<delivery_error> result{delivery_error{"no report"}};
    s.send(output_record{output_kind::enriched, "k", "in the open transaction", {}}, [&](const auto& e) { result = e; });
    ASSERT_TRUE(s.flush(std::chrono::seconds(30)));
    ASSERT_FALSE(result) << result->message;  // written to the partition, not committed
  }
  outgoing after;
  after.key = "k";
  after.value = "after it";
  produce(topic, {after});
  const auto start = std::chrono::steady_clock::now();
  const auto read = consume_all(topic, 1, std::chrono::seconds(40));  // read_committed
  ASSERT_EQ(read.size(), 1u) << "the open transaction still holds its readers";
  EXPECT_EQ(read[0].value, "after it");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

}  // namespace
}  // namespace wirefeed::it
