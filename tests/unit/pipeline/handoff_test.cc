// The split deployment (pipeline.role): an extract-role chain and a cluster-role chain joined by
// hand-off records write, byte for byte, what the whole chain writes; bad hand-offs are dead letters.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "golden_support.h"
#include "pipeline/chain.h"
#include "pipeline/handoff.h"

namespace wirefeed {
namespace {

using testing::k_record_time;

cfg::config config_for(cfg::pipeline_role role) {
  cfg::config config;
  config.extract.ner_model = WIREFEED_NER_MODEL;
  config.pipeline.role = role;
  return config;
}

// The sample feed over two partitions, a minute apart, in the order the engine would release it.
std::vector<input_record> sample_inputs() {
  std::vector<input_record> inputs;
  const auto feed = testing::sample_feed();
  for (std::size_t i = 0; i < feed.size(); ++i) {
    input_record r;
    r.tp = {"wire.raw", partition_id{static_cast<std::int32_t>(i % 2)}};
    r.off = offset{static_cast<std::int64_t>(i / 2)};
    r.timestamp_ms = k_record_time + static_cast<std::int64_t>(i) * 60'000;
    r.key = "k" + std::to_string(i);
    r.value = testing::read_file(feed[i]);
    inputs.push_back(std::move(r));
  }
  return inputs;
}

// Where two texts first differ, with some context: "" when they are equal.
std::string first_difference(const std::string& a, const std::string& b) {
  if (a == b) return {};
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const std::size_t from = i < 60 ? 0 : i - 60;
  return "at byte " + std::to_string(i) + ":\n  " + a.substr(from, 160) + "\n  " + b.substr(from, 160);
}

std::vector<output_record> run(chain& stages, const input_record& r) {
  return stages.run_ordered(r, stages.run_parallel(r), k_record_time);
}

// What the cluster role consumes for a hand-off the extract role produced.
input_record consumed(const output_record& handoff, std::int64_t offset_in_partition) {
  input_record r;
  r.tp = {"wire.extracted", partition_id{handoff.partition.value_or(-1)}};
  r.off = offset{offset_in_partition};
  r.timestamp_ms = handoff.timestamp_ms;
  r.key = handoff.key;
  r.value = handoff.value;
  return r;
}

TEST(HandoffTest, ExtractThenClusterWritesWhatTheWholeChainWrites) {
  probe p;
  chain whole(config_for(cfg::pipeline_role::all), p);
  chain extract(config_for(cfg::pipeline_role::extract), p);
  chain cluster(config_for(cfg::pipeline_role::cluster), p);

  // The sample feed, then two translations of its articles (tests/data/cluster), which the cluster
  // role finds by the paragraphs' anchors the hand-off carries, as the whole chain does.
  auto inputs = sample_inputs();
  for (const char* name : {"ap-moscou.fr.txt", "putin-keine-sieger.de.txt"}) {
    const std::size_t i = inputs.size();
    input_record r;
    r.tp = {"wire.raw", partition_id{static_cast<std::int32_t>(i % 2)}};
    r.off = offset{static_cast<std::int64_t>(i / 2)};
    r.timestamp_ms = k_record_time + static_cast<std::int64_t>(i) * 60'000;
    r.key = "k" + std::to_string(i);
    r.value = testing::read_file(testing::k_source / "tests/data/cluster" / name);
    inputs.push_back(std::move(r));
  }
  std::size_t compared = 0, translations = 0;
  for (const auto& input : inputs) {
    const auto expected = run(whole, input);
    for (const auto& e : expected) {
      if (e.kind == output_kind::enriched && !boost::json::parse(e.value).at("wirefeed").at("duplicate_of").is_null()) ++translations;
    }

    const auto handoffs = run(extract, input);
    ASSERT_EQ(handoffs.size(), 1u);
    const output_record& h = handoffs[0];
    ASSERT_EQ(h.kind, output_kind::extracted) << h.value;
    EXPECT_EQ(h.partition, input.tp.partition.value);
    EXPECT_EQ(h.timestamp_ms, input.timestamp_ms);

    const auto actual = run(cluster, consumed(h, input.off.value));
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(to_string(actual[i].kind), std::string(to_string(expected[i].kind)));
      EXPECT_EQ(actual[i].key, expected[i].key);
      EXPECT_EQ(first_difference(actual[i].value, expected[i].value), "") << to_string(expected[i].kind);
      EXPECT_EQ(actual[i].tombstone, expected[i].tombstone);
      ++compared;
    }
    EXPECT_EQ(h.key, expected[0].key);  // the uri
  }
  // 7 enriched, 7 story updates, and changelog records: the story and the fingerprints.
  EXPECT_GE(compared, 21u);
  EXPECT_EQ(translations, 3u);  // the sample feed's reordered agency copy, and the two translations
}

TEST(HandoffTest, WholeChainEnrichedIsTheUnclusteredDocumentClosed) {
  probe p;
  chain whole(config_for(cfg::pipeline_role::all), p);
  const auto out = run(whole, sample_inputs()[0]);
  ASSERT_FALSE(out.empty());
  const std::string& doc = out[0].value;
  EXPECT_NE(doc.find(R"("story":{"id":"story-)"), std::string::npos) << doc.substr(doc.size() - 200);
  EXPECT_TRUE(doc.ends_with(R"("duplicate_of":null}})")) << doc.substr(doc.size() - 200);
}

TEST(HandoffTest, RecordsThatAreNotHandoffsAreDeadLetters) {
  probe p;
  chain cluster(config_for(cfg::pipeline_role::cluster), p);
  chain extract(config_for(cfg::pipeline_role::extract), p);
  auto good = run(extract, sample_inputs()[0]).at(0);

  auto with_value = [](std::string value) {
    input_record r;
    r.tp = {"wire.extracted", partition_id{0}};
    r.value = std::move(value);
    return r;
  };
  std::string wrong_version = good.value;
  wrong_version.replace(wrong_version.find(R"("handoff":1)"), 11, R"("handoff":9)");
  std::string no_terms = good.value;
  no_terms.replace(no_terms.find(R"("terms":)"), 8, R"("tarms":)");
  // The enriched document the cluster role closes: damaged (chain_fuzz found one, which was published
  // as an enriched article that was not JSON), closed already, or not ending inside a non-empty
  // `wirefeed` object.
  const auto with_enriched = [&](const std::string& document) {
    auto o = boost::json::parse(good.value).as_object();
    o["enriched"] = document;
    return boost::json::serialize(o);
  };
  const std::string unclustered = boost::json::parse(good.value).at("enriched").as_string().c_str();
  std::string damaged = unclustered;
  damaged.insert(damaged.find(R"("uri")") + 5, "root");

  for (const std::string& value :
       {std::string("{\"uri\":"), std::string(R"({"uri":"x"})"), wrong_version, no_terms, std::string("[1,2]"),
        with_enriched(damaged), with_enriched(R"({"uri":"u","wirefeed":{"a":1}})"),
        with_enriched(R"({"uri":"u","wirefeed":{"a":1},"other":{"b":2)"), with_enriched(R"({"uri":"u","wirefeed":{)")}) {
    const auto decoded = cluster.run_parallel(with_value(value));
    ASSERT_FALSE(decoded) << value.substr(0, 80);
    EXPECT_EQ(decoded.error().reason, "invalid_handoff");
    EXPECT_EQ(decoded.error().stage, "decode");
    const auto out = cluster.run_ordered(with_value(value), decoded, k_record_time);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, output_kind::dead_letter);
    EXPECT_EQ(out[0].value, value);  // the record as consumed
  }
  EXPECT_TRUE(cluster.run_parallel(with_value(good.value)));
  const auto minimal = cluster.run_parallel(with_value(with_enriched(R"({"uri":"u","wirefeed":{"a":1)")));
  EXPECT_TRUE(minimal) << (minimal ? "" : minimal.error().reason + ": " + minimal.error().message);
}

// The dateline's place travels (the cluster stage counts it as a mention); a record written by a
// build before it, without the member, still decodes.
TEST(HandoffTest, TheDatelinePlaceTravelsAndMayBeAbsent) {
  article a;
  a.uri = "u1";
  a.dateline.emplace();
  a.dateline->place = "Kyiv, Ukraine";
  a.dateline->agency = "AP";
  input_record in;
  in.tp = {"wire.raw", partition_id{0}};
  const output_record record = encode_handoff(a, in);
  input_record r;
  r.tp = {"wire.extracted", partition_id{0}};
  r.value = record.value;
  const auto decoded = decode_handoff(r);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_TRUE(decoded.value().dateline);
  EXPECT_EQ(decoded.value().dateline->place, "Kyiv, Ukraine");

  const std::string member = R"("dateline_place":"Kyiv, Ukraine",)";
  ASSERT_NE(r.value.find(member), std::string::npos) << r.value;
  r.value.erase(r.value.find(member), member.size());
  const auto older = decode_handoff(r);
  ASSERT_TRUE(older) << older.error().message;
  EXPECT_FALSE(older.value().dateline);
}

// The cluster role tells a new version of a member from the same message again by the content key
// the extract role found: all 64 bits of it (as text), and 0 from records of builds before it.
TEST(HandoffTest, TheContentKeyTravelsAndMayBeAbsent) {
  article a;
  a.uri = "u1";
  a.content_key = 0xfedcba9876543211ull;  // above 2^53: a JSON double would round it
  input_record in;
  input_record r;
  r.tp = {"wire.extracted", partition_id{0}};
  r.value = encode_handoff(a, in).value;
  const auto decoded = decode_handoff(r);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->content_key, 0xfedcba9876543211ull);

  const std::string member = R"(,"content_key":"18364758544493064721")";
  ASSERT_NE(r.value.find(member), std::string::npos) << r.value;
  r.value.erase(r.value.find(member), member.size());
  const auto older = decode_handoff(r);
  ASSERT_TRUE(older) << older.error().message;
  EXPECT_EQ(older->content_key, 0u);
}

// The paragraphs' names and numbers travel (the cluster role holds a translation against a member
// with them); a record written by a build before them decodes without.
TEST(HandoffTest, TheParagraphAnchorsTravelAndMayBeAbsent) {
  article a;
  a.uri = "u1";
  a.paragraph_anchors = {{120, {3, 4294967295u}}, {40, {6}}};
  input_record in;
  input_record r;
  r.tp = {"wire.extracted", partition_id{0}};
  r.value = encode_handoff(a, in).value;
  const auto decoded = decode_handoff(r);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->paragraph_anchors, a.paragraph_anchors);

  const std::string member = R"(,"paragraph_anchors":[[120,3,4294967295],[40,6]])";
  ASSERT_NE(r.value.find(member), std::string::npos) << r.value;
  r.value.erase(r.value.find(member), member.size());
  const auto older = decode_handoff(r);
  ASSERT_TRUE(older) << older.error().message;
  EXPECT_TRUE(older->paragraph_anchors.empty());
}

// The cluster stage keeps a quote named at the quote ("..., Arteta said") out of another speaker's
// group; lost on the way, the cluster role grouped what the whole chain keeps apart (found by the
// chain fuzzer, which compares the two).
TEST(HandoffTest, AQuotesAttributionAtTheQuoteTravels) {
  article a;
  a.uri = "u1";
  a.body = "\"It was never a penalty,\" Arteta said. \"Clear,\" he said.";
  a.entities.push_back({entity_kind::person, "Mikel Arteta", "", {}});
  quote named;
  named.text = {1, 23};
  named.speaker = 0;
  named.how = attribution::direct;
  quote pronoun = named;
  pronoun.text = {40, 45};
  pronoun.how = attribution::pronoun;
  a.quotes = {named, pronoun};
  input_record in;
  const auto decoded = decode_handoff(input_record{{"t", {0}}, {0}, 0, "", encode_handoff(a, in).value, {}});
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->quotes.size(), 2u);
  EXPECT_EQ(decoded->quotes[0].how, attribution::direct);
  EXPECT_EQ(decoded->quotes[1].how, attribution::none);  // only "named at the quote" matters there
}

TEST(HandoffTest, FigureValuesSurviveBitForBit) {
  article a;
  a.uri = "u1";
  a.body = "about 0.1 percent and 123456.789 km";
  a.figures.push_back(figure{{6, 9}, 0.1, 0.30000000000000004, "percent", "", "about"});
  a.figures.push_back(figure{{22, 32}, 123456.789, std::nullopt, "km", "", ""});
  input_record in;
  const auto decoded = decode_handoff(input_record{{"t", {0}}, {0}, 0, "", encode_handoff(a, in).value, {}});
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->figures.size(), 2u);
  EXPECT_EQ(decoded->figures[0].value, 0.1);
  EXPECT_EQ(decoded->figures[0].high, 0.30000000000000004);
  EXPECT_EQ(decoded->figures[1].value, 123456.789);
  EXPECT_EQ(decoded->body.substr(decoded->figures[1].text.begin, decoded->figures[1].text.size()), "123456.789");
}

}  // namespace
}  // namespace wirefeed
