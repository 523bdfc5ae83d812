#include <gtest/gtest.h>

#include "pipeline/ner/feature_hash.h"
#include "pipeline/ner/word_shape.h"

namespace wirefeed::ner {
namespace {

TEST(WordShapeTest, MapsCharactersToShapeClasses) {
  EXPECT_EQ(describe_word("London").long_form(), "Xxxxxx");
  EXPECT_EQ(describe_word("London").short_form(), "Xx");
  EXPECT_EQ(describe_word("1996").short_form(), "d");
  EXPECT_EQ(describe_word("U.S.").long_form(), "X.X.");
  EXPECT_EQ(describe_word("3-1").long_form(), "d-d");
  EXPECT_EQ(describe_word("McDonald").short_form(), "XxXx");
}

TEST(WordShapeTest, CutsLongShapesAndMarksTheCut) {
  const word_shape w = describe_word("Constantinopolitan");
  EXPECT_EQ(w.long_form().size(), word_shape::max_shape);
  EXPECT_EQ(w.long_form().back(), '~');
  EXPECT_EQ(w.length, 18);
}

TEST(WordShapeTest, ClassifiesCasing) {
  EXPECT_EQ(describe_word("Paris").casing, word_shape::title);
  EXPECT_EQ(describe_word("NATO").casing, word_shape::upper);
  EXPECT_EQ(describe_word("A").casing, word_shape::title);
  EXPECT_EQ(describe_word("the").casing, word_shape::lower);
  EXPECT_EQ(describe_word("1-0").casing, word_shape::no_letters);
  EXPECT_TRUE(describe_word("1996").has(word_shape::all_digit));
  EXPECT_TRUE(describe_word(",").has(word_shape::no_letter_or_digit));
}

TEST(WordShapeTest, KnowsLatin1CapitalsInUtf8) {
  const word_shape w = describe_word("\xc3\x96zil");  // Özil
  EXPECT_EQ(w.casing, word_shape::title);
  EXPECT_EQ(w.long_form(), "Xxxx");
  EXPECT_EQ(to_lower("\xc3\x96ZIL"), "\xc3\xb6zil");
}

TEST(WordShapeTest, HashLowerEqualsHashOfLowerCasedString) {
  for (const char* s : {"Berlin", "BERLIN", "berlin", "\xc3\x89lys\xc3\xa9""e", "x-Y.Z"})
    EXPECT_EQ(hash_lower(s), hash_bytes(to_lower(s))) << s;
}

}  // namespace
}  // namespace wirefeed::ner
