#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "pipeline/ner/evaluation.h"
#include "pipeline/ner/tagger.h"
#include "pipeline/ner/trainer.h"

namespace wirefeed::ner {
namespace {

// A tiny made-up corpus: names, places and companies in fixed frames.
std::vector<conll_document> tiny_corpus() {
  const char* people[] = {"Anna Berg", "Tom Reyes", "Li Wei", "Omar Haddad", "Eva Novak"};
  const char* places[] = {"Lisbon", "Nairobi", "Quito", "Oslo", "Hanoi"};
  const char* firms[] = {"Orbex", "Tessaro Group", "Nordvik", "Kalmar Steel", "Vantis"};
  std::ostringstream text;
  for (int d = 0; d < 6; ++d) {
    text << "-DOCSTART- O\n\n";
    for (int s = 0; s < 5; ++s) {
      const std::string person = people[(d + s) % 5];
      const std::string place = places[(d * 2 + s) % 5];
      const std::string firm = firms[(d + 2 * s) % 5];
      const auto emit = [&](const std::string& phrase, const char* type) {
        std::istringstream words(phrase);
        std::string w;
        while (words >> w) text << w << ' ' << (type ? std::string("I-") + type : std::string("O")) << '\n';
      };
      emit(person, "PER");
      emit("said on Monday that", nullptr);
      emit(firm, "ORG");
      emit("would open an office in", nullptr);
      emit(place, "LOC");
      emit(".", nullptr);
      text << '\n';
    }
  }
  std::istringstream in(text.str());
  auto file = read_conll(in, true);
  EXPECT_TRUE(file.ok());
  return file->documents;
}

trainer_options options(std::uint64_t seed) {
  trainer_options o;
  o.epochs = 4;
  o.seed = seed;
  return o;
}

TEST(TrainerTest, SameDataAndSeedGiveIdenticalModelBytes) {
  const auto corpus = tiny_corpus();
  gazetteer g;
  g.add_list("city", {"Oslo", "Lisbon"});
  const auto a = trainer(g, options(1)).train(corpus, nullptr, nullptr);
  const auto b = trainer(g, options(1)).train(corpus, nullptr, nullptr);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_GT(a->row_count(), 0u);
  EXPECT_EQ(a->serialise(), b->serialise());
}

TEST(TrainerTest, LearnsTheTrainingData) {
  const auto corpus = tiny_corpus();
  const auto m = trainer(gazetteer{}, options(3)).train(corpus, &corpus, nullptr);
  ASSERT_TRUE(m.ok());
  const tagger t(std::move(m.value()));
  evaluation eval;
  for (const auto& doc : corpus)
    for (const auto& s : doc.sentences) eval.add(s.gold, t.tag(s.token_views()));
  EXPECT_GT(eval.overall().f1(), 0.95);
}

TEST(TrainerTest, TwoStageTrainingIsDeterministicAndTagsDocuments) {
  const auto corpus = tiny_corpus();
  trainer_options o = options(1);
  o.two_stage = true;
  o.folds = 2;
  const auto a = trainer(gazetteer{}, o).train(corpus, nullptr, nullptr);
  const auto b = trainer(gazetteer{}, o).train(corpus, nullptr, nullptr);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->stage_count(), 2u);
  EXPECT_EQ(a->serialise(), b->serialise());
  const auto reloaded = model::parse(a->serialise());
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  const tagger t(std::move(reloaded.value()));
  evaluation eval;
  for (const auto& doc : corpus) {
    std::vector<std::vector<std::string_view>> sentences;
    for (const auto& s : doc.sentences) sentences.push_back(s.token_views());
    const auto labels = t.tag_document(sentences);
    for (std::size_t i = 0; i < sentences.size(); ++i) eval.add(doc.sentences[i].gold, labels[i]);
    // Stage 1's features kept for stage 2 (all, the first sentence's, none) or computed again.
    EXPECT_EQ(t.tag_document(sentences, sentences.front().size()), labels);
    EXPECT_EQ(t.tag_document(sentences, 0), labels);
  }
  EXPECT_GT(eval.overall().f1(), 0.95);
}

TEST(TrainerTest, RefusesDataWithoutGoldLabels) {
  std::istringstream in("Hello\nworld\n");
  const auto file = read_conll(in, false);
  ASSERT_TRUE(file.ok());
  const auto m = trainer(gazetteer{}, options(1)).train(file->documents, nullptr, nullptr);
  EXPECT_FALSE(m.ok());
}

}  // namespace
}  // namespace wirefeed::ner
