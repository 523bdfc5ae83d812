#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "pipeline/ner/model.h"

namespace wirefeed::ner {
namespace {

model small_model() {
  gazetteer g;
  g.add_list("city", {"Paris", "New York"});
  model::transitions tr;
  tr.between[0][1] = 0.5f;
  tr.start[4] = -1.25f;
  tr.end[3] = 2.0f;
  std::vector<std::pair<std::uint64_t, model::row>> rows;
  model::row a{};
  a[0] = 1.0f;
  a[16] = -3.5f;
  model::row tiny{};
  tiny[2] = 0.0001f;  // pruned
  model::row zero{};
  rows.emplace_back(42, a);
  rows.emplace_back(7, tiny);
  rows.emplace_back(9, zero);
  return model(std::move(g), feature_options{}, tr, rows, 0.001f);
}

class ModelTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }
  // One file per test and process: ctest runs the tests of this fixture in parallel.
  std::string path_ = (std::filesystem::temp_directory_path() /
                       ("wirefeed_ner_model_test." + std::to_string(::getpid()) + "." +
                        ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".bin"))
                          .string();
};

TEST_F(ModelTest, PrunesAllZeroRowsAndQuantisesWeights) {
  const model m = small_model();
  EXPECT_EQ(m.row_count(), 1u);
  EXPECT_FALSE(m.find(42).empty());
  EXPECT_TRUE(m.find(7).empty());
  EXPECT_TRUE(m.find(9).empty());
  EXPECT_EQ(m.find(42).end() - m.find(42).begin(), 2);
  EXPECT_NEAR(m.stage(0).weight(42, 16), -3.5f, 1e-3f);
  EXPECT_NEAR(m.stage(0).weight(42, 0), 1.0f, 1e-3f);
  EXPECT_EQ(m.stage(0).weight(42, 5), 0.0f);
}

TEST_F(ModelTest, SaveLoadRoundTripKeepsEverything) {
  const model m = small_model();
  ASSERT_TRUE(m.save(path_).ok());
  const auto back = model::load(path_);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->serialise(), m.serialise());
  EXPECT_EQ(back->scale(), m.scale());
  for (std::size_t t = 0; t < model::tags; ++t) EXPECT_EQ(back->stage(0).weight(42, t), m.stage(0).weight(42, t));
  EXPECT_EQ(back->transition_scores().between[0][1], 0.5f);
  EXPECT_EQ(back->transition_scores().start[4], -1.25f);
  EXPECT_EQ(back->transition_scores().end[3], 2.0f);
  EXPECT_EQ(back->gazetteer_lists().list_name(0), "city");
  EXPECT_EQ(back->gazetteer_lists().phrase_count(0), 2u);
  EXPECT_EQ(back->options(), feature_options{});
}

TEST_F(ModelTest, MissingFileIsAnErrorNamingThePath) {
  const auto m = model::load("/nonexistent/ner-en.bin");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().reason, "model_missing");
  EXPECT_NE(m.error().message.find("/nonexistent/ner-en.bin"), std::string::npos);
}

TEST_F(ModelTest, RejectsWrongMagic) {
  const auto m = model::parse("NOTAMODEL-and-some-bytes");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().reason, "model_format");
}

TEST_F(ModelTest, RejectsFlippedByteByChecksum) {
  std::string bytes = small_model().serialise();
  bytes[bytes.size() / 2] ^= 0x01;
  const auto m = model::parse(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().reason, "model_corrupt");
}

TEST_F(ModelTest, RejectsTruncatedFile) {
  const std::string bytes = small_model().serialise();
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, std::size_t{20}, bytes.size() - 1}) {
    const auto m = model::parse(std::string_view(bytes).substr(0, cut));
    EXPECT_FALSE(m.ok()) << "cut at " << cut;
  }
}

TEST_F(ModelTest, RejectsOtherFormatVersion) {
  std::string bytes = small_model().serialise();
  bytes[8] = static_cast<char>(model::format_version + 1);
  const auto m = model::parse(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().reason, "model_version");
}

}  // namespace
}  // namespace wirefeed::ner
