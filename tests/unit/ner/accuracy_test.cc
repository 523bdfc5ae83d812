// Runs the committed model (models/ner-en.bin) over the committed, hand-written fixture
// (tests/data/ner/news_sample.conll: original news-like sentences, not CoNLL-2003 text) and
// checks entity-level F1, so a broken model, feature extractor or decoder fails the build.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>

#include "pipeline/ner/conll.h"
#include "pipeline/ner/evaluation.h"
#include "pipeline/ner/tagger.h"

namespace wirefeed::ner {
namespace {

class AccuracyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = tagger::load(WIREFEED_NER_MODEL);
    ASSERT_TRUE(t.ok()) << t.error().message;
    tagger_.emplace(std::move(t.value()));
    std::ifstream in(WIREFEED_NER_FIXTURE);
    ASSERT_TRUE(in) << WIREFEED_NER_FIXTURE;
    auto file = read_conll(in, true);
    ASSERT_TRUE(file.ok()) << file.error().message;
    docs_ = std::move(file->documents);
  }

  evaluation score(bool whole_documents) const {
    evaluation eval;
    for (const conll_document& doc : docs_) {
      std::vector<std::vector<std::string_view>> sentences;
      for (const conll_sentence& s : doc.sentences) sentences.push_back(s.token_views());
      std::vector<std::vector<label>> predicted;
      if (whole_documents) {
        predicted = tagger_->tag_document(sentences);
      } else {
        for (const auto& s : sentences) predicted.push_back(tagger_->tag(s));
      }
      for (std::size_t i = 0; i < sentences.size(); ++i) eval.add(doc.sentences[i].gold, predicted[i]);
    }
    return eval;
  }

  std::optional<tagger> tagger_;
  std::vector<conll_document> docs_;
};

TEST_F(AccuracyTest, CommittedModelTagsFixtureDocumentsWithF1AboveEighty) {
  const evaluation eval = score(true);
  EXPECT_GE(eval.overall().gold, 90u);
  EXPECT_GE(eval.overall().f1(), 0.80) << "P " << eval.overall().precision() << " R " << eval.overall().recall();
  EXPECT_GE(eval.of(entity_type::per).f1(), 0.80);
  EXPECT_GE(eval.of(entity_type::loc).f1(), 0.80);
}

TEST_F(AccuracyTest, SentencesTaggedAloneStillScoreAboveSeventyFive) {
  EXPECT_GE(score(false).overall().f1(), 0.75);
}

TEST_F(AccuracyTest, TagsASimpleSentence) {
  const std::vector<std::string_view> s = {"Angela", "Merkel", "flew", "to", "Paris", "on", "Monday", "."};
  const auto spans = to_spans(tagger_->tag(s));
  const std::vector<entity_span> expected = {{0, 2, entity_type::per}, {4, 5, entity_type::loc}};
  EXPECT_EQ(spans, expected);
}

TEST_F(AccuracyTest, EmptySentenceGivesNoLabels) { EXPECT_TRUE(tagger_->tag({}).empty()); }

// The whole fixture as one sentence of three windows, as a body without sentence ends
// makes it: tagged in windows (what it holds stays bounded), and still tagged well, so the
// windows' labels and stage 1's tags line up with the tokens.
TEST_F(AccuracyTest, ASentenceOfManyWindowsIsTaggedWindowByWindow) {
  std::vector<std::string_view> tokens;
  std::vector<label> gold;
  for (const conll_document& doc : docs_) {
    for (const conll_sentence& s : doc.sentences) {
      const auto views = s.token_views();
      tokens.insert(tokens.end(), views.begin(), views.end());
      gold.insert(gold.end(), s.gold.begin(), s.gold.end());
    }
  }
  ASSERT_GT(tokens.size(), 2 * tagger::max_window_tokens);
  const auto labels = tagger_->tag_document({tokens});
  ASSERT_EQ(labels.size(), 1u);
  ASSERT_EQ(labels[0].size(), tokens.size());
  evaluation eval;
  eval.add(gold, labels[0]);
  EXPECT_GE(eval.overall().f1(), 0.75) << "P " << eval.overall().precision() << " R " << eval.overall().recall();
}

}  // namespace
}  // namespace wirefeed::ner
