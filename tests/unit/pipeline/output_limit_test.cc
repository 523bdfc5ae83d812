// Outputs larger than the producer sends (kafka.producer.message.max.bytes, cfg::max_output_bytes):
// the producer would refuse them for good, and an output that cannot be delivered stops the
// daemon, which would then stop on the same record after every restart. An enriched article whose
// lists (figures, sentences, ...) make it too large has them cut short; one too large even so (its
// text alone), or a hand-off that is too large, becomes a dead letter `output_too_large` and
// changes no story; a dead letter that is too large is cut to fit.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "golden_support.h"
#include "pipeline/chain.h"
#include "pipeline/encode.h"

namespace wirefeed {
namespace {

using testing::k_record_time;

constexpr std::size_t limit = 5000;

cfg::config config_for(cfg::pipeline_role role, std::size_t max_bytes = limit) {
  cfg::config config;
  config.extract.ner_model = WIREFEED_NER_MODEL;
  config.pipeline.role = role;
  config.kafka.producer["message.max.bytes"] = std::to_string(max_bytes);
  return config;
}

input_record input_of(std::string value) {
  input_record r;
  r.tp = {"wire.raw", partition_id{1}};
  r.off = offset{42};
  r.timestamp_ms = k_record_time;
  r.key = "k";
  r.value = std::move(value);
  return r;
}

std::vector<output_record> run(chain& stages, const input_record& r) {
  return stages.run_ordered(r, stages.run_parallel(r), k_record_time);
}

TEST(OutputLimitTest, TheLimitIsTheProducersMessageMaxBytes) {
  EXPECT_EQ(cfg::max_output_bytes(cfg::config{}), 1000000);  // librdkafka's default
  EXPECT_EQ(cfg::max_output_bytes(config_for(cfg::pipeline_role::all, 2000000)), 2000000);
  const auto loaded = cfg::load_from_string("kafka:\n  producer: {message.max.bytes: lots}\n", {}, {});
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.errors.front().find("kafka.producer.message.max.bytes"), std::string::npos) << loaded.errors.front();
}

TEST(OutputLimitTest, ADeadLetterLargerThanTheProducerSendsIsCutToFit) {
  probe p;
  chain stages(config_for(cfg::pipeline_role::all), p);
  auto in = input_of("{" + std::string(20000, 'x'));  // not JSON
  in.hdrs.emplace_back("trace-id", "abc");
  const auto out = run(stages, in);
  ASSERT_EQ(out.size(), 1u);
  const output_record& d = out[0];
  ASSERT_EQ(d.kind, output_kind::dead_letter);
  EXPECT_EQ(find_header(d.hdrs, dlq_header::reason), "invalid_json");
  EXPECT_LE(record_bytes(d), limit);
  EXPECT_GT(d.value.size(), limit / 2);  // as much of the input as fits
  EXPECT_TRUE(in.value.starts_with(d.value));
  EXPECT_EQ(find_header(d.hdrs, dlq_header::truncated), "20001");
  EXPECT_EQ(find_header(d.hdrs, "trace-id"), "abc");
  EXPECT_EQ(find_header(d.hdrs, dlq_header::offset), "42");

  // A file's over-long line comes as its start with its whole length: the header gives that.
  auto prefix = input_of("{" + std::string(20000, 'x'));
  prefix.whole_bytes = 5000000;
  EXPECT_EQ(find_header(run(stages, prefix).at(0).hdrs, dlq_header::truncated), "5000000");

  // Input headers that alone leave no room go too, and the header says so.
  auto heavy = input_of("{");
  heavy.hdrs.emplace_back("blob", std::string(limit, 'h'));
  const auto cut = run(stages, heavy);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_LE(record_bytes(cut[0]), limit);
  EXPECT_EQ(find_header(cut[0].hdrs, dlq_header::truncated), "1 headers dropped");
  EXPECT_EQ(find_header(cut[0].hdrs, "blob"), "");
  EXPECT_EQ(find_header(cut[0].hdrs, dlq_header::reason), "invalid_json");

  // Text is cut between characters, so that it stays text (two-byte characters, the cut falling
  // on either byte of one depending on what else the record holds).
  for (const std::string key : {"k", "kk"}) {
    auto accented = input_of("{");
    accented.key = key;
    for (int i = 0; i < 5000; ++i) accented.value += "\xC3\xA9";
    const auto text = run(stages, accented);
    ASSERT_EQ(text.size(), 1u);
    EXPECT_LE(record_bytes(text[0]), limit);
    EXPECT_EQ(text[0].value.size() % 2, 1u) << key;  // "{" and whole characters
    EXPECT_TRUE(accented.value.starts_with(text[0].value));
  }

  // One that fits is left as it is.
  const auto small = run(stages, input_of("{"));
  ASSERT_EQ(small.size(), 1u);
  EXPECT_EQ(small[0].value, "{");
  EXPECT_EQ(find_header(small[0].hdrs, dlq_header::truncated), "");
}

TEST(OutputLimitTest, AnEnrichedArticleTooLargeWithEveryListCutIsADeadLetterAndJoinsNoStory) {
  const auto feed = testing::sample_feed();
  const auto article = input_of(testing::read_file(feed.at(0)));
  {
    probe p;
    chain roomy(config_for(cfg::pipeline_role::all, 1000000), p);
    const auto out = run(roomy, article);
    ASSERT_FALSE(out.empty());
    ASSERT_EQ(out[0].kind, output_kind::enriched);
    ASSERT_GT(record_bytes(out[0]), limit) << "the test needs an article larger than the limit";
  }
  probe p;
  chain stages(config_for(cfg::pipeline_role::all), p);
  const auto out = run(stages, article);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, output_kind::dead_letter);
  EXPECT_EQ(find_header(out[0].hdrs, dlq_header::reason), "output_too_large");
  EXPECT_EQ(find_header(out[0].hdrs, dlq_header::stage), "encode");
  EXPECT_NE(find_header(out[0].hdrs, dlq_header::exception_message).find("message.max.bytes"), std::string::npos);
  EXPECT_LE(record_bytes(out[0]), limit);
  EXPECT_EQ(stages.live_stories(), 0u);  // no story lists an article nobody can read
}

// 300 sentences of two figures and a day each: a 23 KB body, an enriched article of ~120 KB.
TEST(OutputLimitTest, AnEnrichedArticleWhoseListsAreTooLargeHasThemCutAndJoinsItsStory) {
  std::string body;
  for (int i = 0; i < 300; ++i) body += "On Monday the army sent 1,500 troops and $20 million in aid to the region. ";
  boost::json::object o{{"uri", "urn:x:figures"}, {"headline", "Troops and aid sent"}, {"body", body}};
  const auto article = input_of(boost::json::serialize(o));
  constexpr std::size_t max_bytes = 50000;
  std::size_t figures = 0;
  {
    probe p;
    chain roomy(config_for(cfg::pipeline_role::all, 1000000), p);
    const auto out = run(roomy, article);
    ASSERT_FALSE(out.empty());
    ASSERT_EQ(out[0].kind, output_kind::enriched);
    ASSERT_GT(record_bytes(out[0]), 2 * max_bytes) << "the test needs lists larger than the limit";
    const auto wf = boost::json::parse(out[0].value).at("wirefeed").as_object();
    EXPECT_FALSE(wf.contains("truncated"));
    figures = wf.at("figures").as_array().size();
    ASSERT_GT(figures, 100u);
  }
  probe p;
  chain stages(config_for(cfg::pipeline_role::all, max_bytes), p);
  const auto out = run(stages, article);
  ASSERT_FALSE(out.empty());
  ASSERT_EQ(out[0].kind, output_kind::enriched) << find_header(out[0].hdrs, dlq_header::exception_message);
  EXPECT_LE(record_bytes(out[0]), max_bytes);
  const auto v = boost::json::parse(out[0].value).as_object();
  const auto& wf = v.at("wirefeed").as_object();
  EXPECT_EQ(wf.at("truncated").at("figures").as_int64(), static_cast<std::int64_t>(figures));
  EXPECT_EQ(wf.at("figures").as_array().size(), 100u);
  EXPECT_FALSE(wf.at("story").at("id").is_null());
  EXPECT_EQ(stages.live_stories(), 1u);
}

TEST(OutputLimitTest, AHandoffLargerThanTheProducerSendsIsADeadLetter) {
  probe p;
  chain extract(config_for(cfg::pipeline_role::extract), p);
  const auto out = run(extract, input_of(testing::read_file(testing::sample_feed().at(0))));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, output_kind::dead_letter);
  EXPECT_EQ(find_header(out[0].hdrs, dlq_header::reason), "output_too_large");
  EXPECT_LE(record_bytes(out[0]), limit);
}

}  // namespace
}  // namespace wirefeed
