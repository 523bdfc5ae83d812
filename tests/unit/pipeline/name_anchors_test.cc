// name_anchors: the names and numbers two versions of a story in different languages share.
#include <gtest/gtest.h>

#include "pipeline/name_anchors.h"
#include "pipeline/ner/feature_hash.h"

namespace wirefeed {
namespace {

std::size_t shared(const std::vector<std::uint64_t>& x, const std::vector<std::uint64_t>& y) {
  std::size_t n = 0;
  for (const auto h : x) n += std::binary_search(y.begin(), y.end(), h) ? 1 : 0;
  return n;
}

bool holds(const std::vector<std::uint64_t>& anchors, std::string_view key) {
  return std::binary_search(anchors.begin(), anchors.end(), ner::hash_bytes(key));
}

TEST(NameAnchorsTest, CapitalisedWordsInsideASentenceAndNumbersOfTwoDigitsOrMore) {
  const auto a = name_anchors("", "Officials said Emmanuel Macron met 12 leaders and 3 envoys in Paris.");
  EXPECT_TRUE(holds(a, "emmanuel"));
  EXPECT_TRUE(holds(a, "macron"));
  EXPECT_TRUE(holds(a, "paris"));
  EXPECT_TRUE(holds(a, "#12"));
  EXPECT_FALSE(holds(a, "officials"));  // opens the sentence
  EXPECT_FALSE(holds(a, "leaders"));
  EXPECT_FALSE(holds(a, "#3"));
  EXPECT_EQ(a.size(), 4u);
}

TEST(NameAnchorsTest, ASentenceOpensAfterAFullStopALineBreakOrAColon) {
  const auto a = name_anchors("Talks End", "They met. Then Putin left.\nLater Scholz spoke: Nothing changed, “Biden” said.");
  EXPECT_TRUE(holds(a, "end"));
  EXPECT_FALSE(holds(a, "talks"));
  EXPECT_FALSE(holds(a, "then"));
  EXPECT_FALSE(holds(a, "later"));
  EXPECT_FALSE(holds(a, "nothing"));
  EXPECT_TRUE(holds(a, "putin"));
  EXPECT_TRUE(holds(a, "scholz"));
  EXPECT_TRUE(holds(a, "biden"));  // quotation marks do not open a sentence
}

TEST(NameAnchorsTest, ThousandsSeparatorsOfEveryConventionGiveOneNumber) {
  for (const char* text : {"some 100,000 troops", "quelque 100 000 soldats", "unos 100.000 soldados",
                           "etwa 100\u00a0000 Soldaten", "environ 100\u202f000 soldats"}) {
    EXPECT_TRUE(holds(name_anchors("", text), "#100000")) << text;
  }
  const auto decimal = name_anchors("", "a 2.5 percent rise, 1,5 million and 10,50 euros");
  EXPECT_FALSE(holds(decimal, "#25"));
  EXPECT_FALSE(holds(decimal, "#15"));
  EXPECT_TRUE(holds(decimal, "#10"));
  EXPECT_TRUE(holds(decimal, "#50"));
}

TEST(NameAnchorsTest, AccentsAndCaseAreFolded) {
  const auto a = name_anchors("", "le président Erdoğan et Élisabeth Borne à l'Élysée");
  EXPECT_TRUE(holds(a, "erdogan"));
  EXPECT_TRUE(holds(a, "elisabeth"));
  EXPECT_TRUE(holds(a, "borne"));
  EXPECT_TRUE(holds(a, "elysee"));  // after an apostrophe
  EXPECT_EQ(a, name_anchors("", "le président Erdogan et Elisabeth Borne à l'Elysee"));
}

TEST(NameAnchorsTest, AnEnglishAndAFrenchSentenceShareTheirNamesAndNumbers) {
  const auto en = name_anchors("", "On Monday French President Emmanuel Macron met Vladimir Putin at the Kremlin, "
                                   "as more than 100,000 Russian troops massed near Ukraine.");
  const auto fr = name_anchors("", "Lundi, le président français Emmanuel Macron a rencontré Vladimir Poutine au Kremlin, "
                                   "alors que plus de 100 000 soldats russes sont massés près de l'Ukraine.");
  EXPECT_EQ(shared(fr, en), 6u);  // emmanuel, macron, vladimir, kremlin, 100000, ukraine
  EXPECT_EQ(fr.size(), 7u);       // and poutine
}

TEST(NameAnchorsTest, SortedAndDistinct) {
  const auto a = name_anchors("Macron Meets Putin", "Then Macron and Putin met Macron's aides, 1,000 of them; 1000 in all.");
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::adjacent_find(a.begin(), a.end()), a.end());
  EXPECT_EQ(a.size(), 4u);  // meets, putin, macron (twice, and once more before "'s"), #1000 (twice)
}

TEST(NameAnchorsTest, NothingFromTextWithoutCapitalsOrNumbers) {
  EXPECT_TRUE(name_anchors("", "").empty());
  EXPECT_TRUE(name_anchors("", "lower case words only, and 7 things.").empty());
  EXPECT_TRUE(name_anchors("東京", "東京で会談が行われた。").empty());
}

// Per paragraph: each paragraph's anchors (the low halves of name_anchors' hashes) and its length;
// paragraphs without one are left out.
TEST(NameAnchorsTest, ParagraphAnchorsKeepEachParagraphsNamesAndLength) {
  const std::string body = "Officials said Macron met Putin.\n\nNothing was agreed.\n\nThey meet again in Geneva on 14 March.";
  std::vector<paragraph> paragraphs;
  for (std::size_t from = 0; from < body.size();) {
    const std::size_t end = std::min(body.find("\n\n", from), body.size());
    paragraphs.push_back({{static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(end)}, {}});
    from = end + 2;
  }
  const auto anchored = paragraph_anchors(body, paragraphs);
  ASSERT_EQ(anchored.size(), 2u);
  const auto low = [](std::string_view key) { return static_cast<std::uint32_t>(ner::hash_bytes(key)); };
  const auto word = [&](std::string_view key) { return low(key) & ~number_bit; };
  std::vector<std::uint32_t> first{word("macron"), word("putin")}, last{word("geneva"), low("#14") | number_bit, word("march")};
  std::sort(first.begin(), first.end());
  std::sort(last.begin(), last.end());
  EXPECT_EQ(anchored[0], (anchored_paragraph{paragraphs[0].text.size(), first}));
  EXPECT_EQ(anchored[1], (anchored_paragraph{paragraphs[2].text.size(), last}));
  EXPECT_EQ(unpacked(packed(anchored[1])), anchored[1]);
  // A list of hundreds of names: the 64 smallest hashes, as a record read back keeps them too.
  std::string names = "They named";
  for (int i = 0; i < 300; ++i) names += std::string(" Na") + static_cast<char>('a' + i % 26) + static_cast<char>('a' + i / 26);
  const std::vector<paragraph> one{{{0, static_cast<std::uint32_t>(names.size())}, {}}};
  const auto listed = paragraph_anchors(names, one);
  ASSERT_EQ(listed.size(), 1u);
  ASSERT_EQ(listed[0].anchors.size(), max_paragraph_anchors);
  std::vector<std::uint32_t> all;
  for (const auto h : name_anchors("", names)) all.push_back(static_cast<std::uint32_t>(h) & ~number_bit);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  EXPECT_EQ(listed[0].anchors, std::vector<std::uint32_t>(all.begin(), all.begin() + max_paragraph_anchors));
  std::vector<std::uint32_t> values{7};
  values.insert(values.end(), all.rbegin(), all.rend());
  EXPECT_EQ(unpacked(values).anchors, listed[0].anchors);
}

// Paragraphs of made-up anchors: paragraph i names 10 + i and 100 + i, and every paragraph 1 (the
// story's subject); `bytes` gives each its length.
std::vector<anchored_paragraph> text_of(const std::vector<std::uint32_t>& order, const std::vector<std::uint32_t>& bytes) {
  std::vector<anchored_paragraph> out;
  for (std::size_t k = 0; k < order.size(); ++k) out.push_back({bytes[k], {1, 10 + order[k], 100 + order[k]}});
  return out;
}

TEST(NameAnchorsTest, ATranslationPairsUpParagraphByParagraphInProportion) {
  const auto english = text_of({0, 1, 2, 3, 4, 5}, {200, 340, 120, 400, 260, 180});
  // The same paragraphs, each a fifth longer (French).
  const auto french = text_of({0, 1, 2, 3, 4, 5}, {240, 408, 144, 480, 312, 216});
  const auto m = anchor_alignment(english, french);
  EXPECT_DOUBLE_EQ(m.paired, 1.0);
  EXPECT_NEAR(m.length_sd, 0.0, 1e-9);
  // Another text naming the same: its paragraphs in another order, of lengths of their own.
  const auto other = anchor_alignment(english, text_of({3, 0, 5, 1, 4, 2}, {500, 90, 300, 310, 120, 260}));
  EXPECT_LT(other.paired, 0.8);
  const auto in_order = anchor_alignment(english, text_of({0, 1, 2, 3, 4, 5}, {500, 90, 300, 310, 120, 260}));
  EXPECT_DOUBLE_EQ(in_order.paired, 1.0);
  EXPECT_GT(in_order.length_sd, 0.5);
  // A short piece naming three of the paragraphs' names, against the whole text: half of it would
  // pair at most, not worked out.
  EXPECT_EQ(anchor_alignment(english, text_of({0, 1, 2}, {240, 408, 144})).paired, 0.0);
  // Five of the six translated (one left out): 5 / 6 pair.
  EXPECT_DOUBLE_EQ(anchor_alignment(english, text_of({0, 1, 2, 4, 5}, {240, 408, 144, 312, 216})).paired, 5.0 / 6);
  // Too little to tell: fewer than 6 shared anchors, or fewer than 5 paragraphs naming them.
  EXPECT_EQ(anchor_alignment(text_of({0, 1}, {200, 340}), text_of({0, 1}, {240, 408})).paired, 0.0);
  EXPECT_EQ(anchor_alignment(english, text_of({0, 1}, {240, 408}), 4).paired, 0.0);
  // The numbers: a translation keeps them; the same names in the same order with other numbers
  // (another day's market report) is none.
  const auto with_numbers = [](std::vector<anchored_paragraph> text, std::uint32_t base) {
    for (std::size_t k = 0; k < text.size(); ++k) {
      text[k].anchors.push_back(static_cast<std::uint32_t>(base + k) | number_bit);
      std::sort(text[k].anchors.begin(), text[k].anchors.end());
    }
    return text;
  };
  EXPECT_TRUE(anchor_alignment(with_numbers(english, 1000), with_numbers(french, 1000)).translation());
  EXPECT_EQ(anchor_alignment(with_numbers(english, 1000), with_numbers(french, 2000)).paired, 0.0);
  // The subject alone, in every paragraph, pairs no paragraph with another.
  std::vector<anchored_paragraph> subject_only(6, anchored_paragraph{200, {1}});
  EXPECT_EQ(anchor_alignment(english, subject_only, 1).paired, 0.0);
}

}  // namespace
}  // namespace wirefeed
