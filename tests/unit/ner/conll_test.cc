#include <gtest/gtest.h>

#include <sstream>

#include "pipeline/ner/conll.h"
#include "pipeline/ner/tagger.h"

namespace wirefeed::ner {
namespace {

// Made-up text in the CoNLL-2003 layout (token POS chunk NER), CRLF line ends.
const char* const sample =
    "-DOCSTART- -X- -X- O\r\n"
    "\r\n"
    "Lena NNP I-NP I-PER\r\n"
    "Ortiz NNP I-NP I-PER\r\n"
    "Karl NNP I-NP B-PER\r\n"
    "flew VBD I-VP O\r\n"
    "to TO I-PP O\r\n"
    "Oslo NNP I-NP I-LOC\r\n"
    ". . O O\r\n"
    "\r\n"
    "-DOCSTART- -X- -X- O\r\n"
    "\r\n"
    "Rain NN I-NP O\r\n"
    "\r\n"
    "Snow NN I-NP O\r\n";

TEST(ConllTest, ReadsCrlfDocstartAndIob1) {
  std::istringstream in(sample);
  const auto file = read_conll(in, true);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_TRUE(file->crlf);
  EXPECT_TRUE(file->has_gold);
  ASSERT_EQ(file->documents.size(), 2u);
  EXPECT_EQ(file->documents[0].docstart_line, "-DOCSTART- -X- -X- O");
  ASSERT_EQ(file->documents[0].sentences.size(), 1u);
  const conll_sentence& s = file->documents[0].sentences[0];
  ASSERT_EQ(s.tokens.size(), 7u);
  EXPECT_EQ(s.tokens[1], "Ortiz");  // no trailing '\r'
  EXPECT_EQ(s.lines[5], "Oslo NNP I-NP I-LOC");
  const std::vector<entity_span> expected = {
      {0, 2, entity_type::per}, {2, 3, entity_type::per}, {5, 6, entity_type::loc}};
  EXPECT_EQ(to_spans(s.gold), expected);
  EXPECT_EQ(file->documents[1].sentences.size(), 2u);  // the last sentence has no blank line after it
}

TEST(ConllTest, ReportsUnknownTagWithLineNumber) {
  std::istringstream in("a DT O\nb NN I-XYZ\n");
  const auto file = read_conll(in, true);
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().message.find("line 2"), std::string::npos);
}

TEST(ConllTest, AcceptsTokensWithoutTagsWhenGoldIsOptional) {
  std::istringstream in("Hello\nworld\n");
  const auto file = read_conll(in, false);
  ASSERT_TRUE(file.ok());
  EXPECT_FALSE(file->has_gold);
  EXPECT_EQ(file->documents.at(0).sentences.at(0).tokens.size(), 2u);
}

TEST(ConllTest, WriterAppendsOnePredictedColumnInIob1) {
  std::istringstream in(sample);
  const auto file = read_conll(in, true);
  ASSERT_TRUE(file.ok());
  std::vector<std::vector<std::vector<label>>> predicted;
  for (const auto& d : file->documents) {
    predicted.emplace_back();
    for (const auto& s : d.sentences) predicted.back().push_back(s.gold);
  }
  std::ostringstream out;
  write_conll(file.value(), predicted, out);
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("-DOCSTART- -X- -X- O O\r\n\r\nLena NNP I-NP I-PER I-PER\r\n", 0), 0u);
  EXPECT_NE(text.find("Karl NNP I-NP B-PER B-PER\r\n"), std::string::npos);
  EXPECT_NE(text.find("Oslo NNP I-NP I-LOC I-LOC\r\n"), std::string::npos);
}

TEST(ConllTest, TagConllFileWritesEveryTokenLineWithAPrediction) {
  gazetteer g;
  const tagger t(model(std::move(g), feature_options{}, model::transitions{}, {}));  // predicts O
  std::istringstream in(sample);
  std::ostringstream out;
  ASSERT_EQ(tag_conll_file(t, in, out), 0);
  std::istringstream lines(out.str());
  std::string line;
  int token_lines = 0;
  while (std::getline(lines, line)) {
    if (line == "\r") continue;
    ++token_lines;
    EXPECT_EQ(line.substr(line.size() - 3), " O\r") << line;
  }
  EXPECT_EQ(token_lines, 11);  // 9 tokens + 2 DOCSTART lines
}

}  // namespace
}  // namespace wirefeed::ner
