// `wirefeed process`'s output: lines on the streams, and a failed write reported by flush().
#include "daemon/stream_sink.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/encode.h"

namespace wirefeed {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(StreamSinkTest, EachRecordIsALineOfItsStream) {
  const auto dir = std::filesystem::temp_directory_path() / ("stream_sink_test." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::FILE* enriched = std::fopen((dir / "enriched").c_str(), "wb");
  std::FILE* stories = std::fopen((dir / "stories").c_str(), "wb");
  std::FILE* dead = std::fopen((dir / "dead").c_str(), "wb");
  ASSERT_TRUE(enriched && stories && dead);
  stream_sink sink(enriched, stories, dead);
  int acknowledged = 0;
  const auto ack = [&](const std::optional<delivery_error>& e) { acknowledged += e ? 0 : 1; };
  sink.send({output_kind::enriched, "k", "{\"a\":1}", {}}, ack);
  sink.send({output_kind::stories, "s", "{\"id\":\"s\"}", {}}, ack);
  sink.send({output_kind::changelog, "s", "state", {}}, ack);
  output_record dead_letter{output_kind::dead_letter, "k", "\xff", {}};
  dead_letter.hdrs.emplace_back(dlq_header::reason, "invalid_utf8");
  sink.send(std::move(dead_letter), ack);
  EXPECT_TRUE(sink.flush(std::chrono::milliseconds(0)));
  EXPECT_EQ(acknowledged, 4);
  std::fclose(enriched);
  std::fclose(stories);
  std::fclose(dead);
  EXPECT_EQ(read(dir / "enriched"), "{\"a\":1}\n");
  EXPECT_EQ(read(dir / "stories"), "{\"id\":\"s\"}\n");
  const std::string dead_line = read(dir / "dead");
  EXPECT_NE(dead_line.find("\"reason\":\"invalid_utf8\""), std::string::npos) << dead_line;
  EXPECT_NE(dead_line.find("\"input_base64\":\"/w==\""), std::string::npos) << dead_line;
  std::filesystem::remove_all(dir);
}

TEST(StreamSinkTest, ADeadLetterCutToFitSaysSo) {
  output_record cut{output_kind::dead_letter, "k", "{\"body\":\"\xC3\xA9", {}};
  cut.hdrs.emplace_back(dlq_header::reason, "invalid_json");
  cut.hdrs.emplace_back(dlq_header::truncated, "2097196");
  const auto line = boost::json::parse(stream_sink::dead_letter_line(cut)).as_object();
  EXPECT_EQ(line.at("truncated").as_string(), "2097196");
  EXPECT_EQ(line.at("input").as_string(), "{\"body\":\"\xC3\xA9");

  output_record whole{output_kind::dead_letter, "k", "{", {}};
  whole.hdrs.emplace_back(dlq_header::reason, "invalid_json");
  EXPECT_FALSE(boost::json::parse(stream_sink::dead_letter_line(whole)).as_object().contains("truncated"));
}

TEST(StreamSinkTest, AFailedWriteFailsItsRecordAndTheFlush) {
  std::FILE* full = std::fopen("/dev/full", "wb");  // every write fails with ENOSPC
  if (full == nullptr) GTEST_SKIP() << "no /dev/full";
  std::FILE* sink_hole = std::fopen("/dev/null", "wb");
  ASSERT_NE(sink_hole, nullptr);
  {
    stream_sink ok(sink_hole, nullptr, sink_hole);
    ok.send({output_kind::enriched, "k", "{}", {}}, [](const auto&) {});
    EXPECT_TRUE(ok.flush(std::chrono::milliseconds(0)));
  }
  for (const bool on_stories : {false, true}) {
    std::clearerr(full);
    stream_sink sink(on_stories ? sink_hole : full, on_stories ? full : nullptr, sink_hole);
    // Larger than the stream's buffer, so the write itself fails before any flush.
    // The record fails, so the run stops instead of reading on into an output nobody takes.
    std::optional<delivery_error> failed;
    sink.send({on_stories ? output_kind::stories : output_kind::enriched, "k", std::string(1 << 17, 'x'), {}},
              [&](const auto& error) { failed = error; });
    ASSERT_TRUE(failed.has_value()) << (on_stories ? "stories" : "enriched");
    EXPECT_NE(failed->message.find("could not be written"), std::string::npos) << failed->message;
    EXPECT_FALSE(sink.flush(std::chrono::milliseconds(0))) << (on_stories ? "stories" : "enriched");
    EXPECT_FALSE(sink.flush(std::chrono::milliseconds(0))) << "stays failed";
  }
  std::fclose(full);
  std::fclose(sink_hole);
}

}  // namespace
}  // namespace wirefeed
