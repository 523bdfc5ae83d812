#include "pipeline/text_cleanup.h"

#include <gtest/gtest.h>

#include "pipeline/text_fold.h"

namespace wirefeed {
namespace {

TEST(TextCleanupTest, ComposesToNfc) {
  EXPECT_EQ(clean_text("Cafe\xCC\x81 Zu\xCC\x88rich", false), "Caf\xC3\xA9 Z\xC3\xBCrich");
}

TEST(TextCleanupTest, RemovesControlAndInvisibleCharacters) {
  // C0, DEL, NEL (a line end), ZERO WIDTH SPACE, BOM, SOFT HYPHEN.
  EXPECT_EQ(clean_text("a\x01" "b\x7F" "c\xC2\x85" "d\xE2\x80\x8B" "e\xEF\xBB\xBF" "f\xC2\xAD" "g", false), "abc\ndefg");
}

TEST(TextCleanupTest, RemovesBidiControlsAndJoinersInsideLatinWords) {
  // RIGHT-TO-LEFT OVERRIDE .. POP DIRECTIONAL FORMATTING, FIRST STRONG ISOLATE .. POP DIRECTIONAL
  // ISOLATE, LEFT-TO-RIGHT MARK; a ZERO WIDTH JOINER inside "Macron".
  EXPECT_EQ(clean_text("\xE2\x80\xAEUkraine\xE2\x80\xAC \xE2\x81\xA8Kyiv\xE2\x81\xA9\xE2\x80\x8E Mac\xE2\x80\x8Dron", true),
            "Ukraine Kyiv Macron");
  // Between emoji (a family) and in a Persian word (ZERO WIDTH NON-JOINER) the joiners stay.
  const std::string family = "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
  EXPECT_EQ(clean_text(family, true), family);
  const std::string persian = "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB4\xD9\x88\xD8\xAF";  // می‌شود
  EXPECT_EQ(clean_text(persian, true), persian);
}

TEST(TextCleanupTest, CollapsesSpacesAndTrimsLines) {
  EXPECT_EQ(clean_text("  one   two\t three  \n   four  ", false), "one two three\nfour");
}

TEST(TextCleanupTest, UnifiesLineEnds) {
  EXPECT_EQ(clean_text("a\r\nb\rc\nd\xE2\x80\xA8" "e\xE2\x80\xA9" "f", false), "a\nb\nc\nd\ne\n\nf");
}

TEST(TextCleanupTest, TurnsLineEndsIntoSpacesForASingleLine) {
  EXPECT_EQ(clean_text("Macron,\n  Putin\r\nmeet ", true), "Macron, Putin meet");
}

TEST(TextCleanupTest, KeepsTypographicPunctuationAndNonBreakingSpaces) {
  const std::string text = "\xE2\x80\x9C" "Dialogue\xE2\x80\x9D \xE2\x80\x94 10\xC2\xA0km";
  EXPECT_EQ(clean_text(text, false), text);
}

TEST(TextCleanupTest, TreatsUnicodeSpacesAsWhiteSpace) {
  // NO-BREAK SPACE, IDEOGRAPHIC SPACE, EM SPACE, NARROW NO-BREAK SPACE, OGHAM SPACE MARK only: nothing.
  const std::string only_spaces = "\xC2\xA0\xE3\x80\x80\xE2\x80\x83 \xE2\x80\xAF\xE1\x9A\x80";
  EXPECT_EQ(clean_text(only_spaces, false), "");
  EXPECT_EQ(clean_text(only_spaces, true), "");
  EXPECT_EQ(clean_text("\xC2\xA0", true), "");
  // Trimmed at the start and end of each line; a line of them becomes empty.
  EXPECT_EQ(clean_text("\xC2\xA0 one\xE2\x80\x83\n\xC2\xA0\xC2\xA0\n\xE3\x80\x80two\xE2\x80\x8A", false), "one\n\ntwo");
  // A run inside a line becomes one ASCII space; a single one stays as written.
  EXPECT_EQ(clean_text("a \xC2\xA0 b\xC2\xA0\xC2\xA0" "c\xE2\x80\x89\t" "d", false), "a b c d");
  EXPECT_EQ(clean_text("10\xC2\xA0km in 7\xE2\x80\x89\xC2\xBD min", false), "10\xC2\xA0km in 7\xE2\x80\x89\xC2\xBD min");
  EXPECT_EQ(clean_text("Talks\xC2\xA0\n end", true), "Talks end");
}

// blank_text says what clean_text would leave nothing of, without cleaning.
TEST(TextCleanupTest, BlankTextIsWhatCleaningLeavesNothingOf) {
  for (const std::string text : {"", " \t\r\n", "\xC2\xA0", "\xC2\xA0\xE3\x80\x80\xE2\x80\x83\xE2\x80\xAF\xE1\x9A\x80",
                                 "\xE2\x80\x8B\xEF\xBB\xBF\xC2\xAD\xE2\x80\xAE\x01\x7F\xC2\x85\xE2\x80\xA8\xE2\x80\xA9",
                                 "x", "\xC2\xA0x", "\xC2\xA0\xC3\xA9", "\xE2\x80\x8D", "\xCC\x81", "\xC2\xA0\xF0\x9F\x91\xA9"}) {
    EXPECT_EQ(blank_text(text), clean_text(text, true).empty()) << text;
  }
  EXPECT_TRUE(blank_text("\xC2\xA0\xC2\xA0"));
  EXPECT_FALSE(blank_text(" \xC2\xA0-"));
}

// UTF-8 read as Windows-1252 and written back (a feed's double encoding) is mended; text that
// merely holds those letters is not touched.
TEST(TextCleanupTest, MendsMojibake) {
  // KYIV, Ukraine (AP) â€” Ukraineâ€™s ... â€œWe will not stop,â€ he said.
  EXPECT_EQ(clean_text("KYIV, Ukraine (AP) \xC3\xA2\xE2\x82\xAC\xE2\x80\x9D Ukraine\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s "
                       "\xC3\xA2\xE2\x82\xAC\xC5\x93We will not stop,\xC3\xA2\xE2\x82\xAC\xC2\x9D he said.",
                       true),
            "KYIV, Ukraine (AP) \xE2\x80\x94 Ukraine\xE2\x80\x99s \xE2\x80\x9CWe will not stop,\xE2\x80\x9D he said.");
  // cafÃ©, JosÃ© MartÃ­nez (Ã and a soft hyphen: í), SÃ£o Paulo, 5Â % (a no-break space).
  EXPECT_EQ(clean_text("caf\xC3\x83\xC2\xA9 Jos\xC3\x83\xC2\xA9 Mart\xC3\x83\xC2\xADnez S\xC3\x83\xC2\xA3o Paulo 5\xC3\x82\xC2\xA0%",
                       true),
            "caf\xC3\xA9 Jos\xC3\xA9 Mart\xC3\xADnez S\xC3\xA3o Paulo 5\xC2\xA0%");
  // Polish and Russian: Å‚ is ł, ÐŸ is П.
  EXPECT_EQ(clean_text("\xC3\x85\xE2\x80\x9A \xC3\x90\xC5\xB8", true), "\xC5\x82 \xD0\x9F");
  // Whole Russian and Greek words, a capital first: the letter after it is judged as mended
  // ("ПÑ€..." stayed: "Ÿ", the mojibake of П's second byte, read as a capital before it).
  EXPECT_EQ(clean_text("\xC3\x90\xC5\xB8\xC3\x91\xE2\x82\xAC\xC3\x90\xC2\xB5\xC3\x90\xC2\xB7\xC3\x90\xC2\xB8\xC3\x90\xC2\xB4"
                       "\xC3\x90\xC2\xB5\xC3\x90\xC2\xBD\xC3\x91\xE2\x80\x9A \xC3\x90\xC2\x9D\xC3\x91\xC5\x92\xC3\x91\xC5\xBD-"
                       "\xC3\x90\xE2\x84\xA2\xC3\x90\xC2\xBE\xC3\x91\xE2\x82\xAC\xC3\x90\xC2\xBA",
                       true),
            "\xD0\x9F\xD1\x80\xD0\xB5\xD0\xB7\xD0\xB8\xD0\xB4\xD0\xB5\xD0\xBD\xD1\x82 \xD0\x9D\xD1\x8C\xD1\x8E-\xD0\x99\xD0\xBE\xD1\x80\xD0\xBA");
  EXPECT_EQ(clean_text("\xC3\x8E\xC2\xA0\xC3\x8F\xC2\x81\xC3\x8F\xE2\x80\xB0\xC3\x8E\xC2\xB8\xC3\x8F\xE2\x80\xA6\xC3\x8F\xE2\x82\xAC"
                       "\xC3\x8E\xC2\xBF\xC3\x8F\xE2\x80\xA6\xC3\x8F\xC2\x81\xC3\x8E\xC2\xB3\xC3\x8F\xC5\x92\xC3\x8F\xE2\x80\x9A",
                       true),
            "\xCE\xA0\xCF\x81\xCF\x89\xCE\xB8\xCF\x85\xCF\x80\xCE\xBF\xCF\x85\xCF\x81\xCE\xB3\xCF\x8C\xCF\x82");
  // Text: château, CAFÉ” (É is no lead), âge, SÃO PAULO, Â alone, and capitals in words in
  // capitals before punctuation (Turkish “HÂLÂ”, Portuguese IRMÃ…, Swedish PÅ…, Finnish HYVÄ”,
  // French HAWAÏ with a no-break space), Vietnamese ĐÃ….
  for (const std::string text : {"ch\xC3\xA2teau", "\xE2\x80\x9C" "CAF\xC3\x89\xE2\x80\x9D", "\xC3\xA2ge",
                                 "S\xC3\x83O PAULO", "\xC3\x82 la", "\xC3\xA2\xE2\x82\xAC",
                                 "\xE2\x80\x9CH\xC3\x82L\xC3\x82\xE2\x80\x9D d\xC3\xBC\xC5\x9F\xC3\xBCk", "IRM\xC3\x83\xE2\x80\xA6",
                                 "P\xC3\x85\xE2\x80\xA6", "\xE2\x80\x9DHYV\xC3\x84\xE2\x80\x9D", "HAWA\xC3\x8F\xC2\xA0\xC2\xBB x",
                                 "\xC4\x90\xC3\x83\xE2\x80\xA6"}) {
    EXPECT_EQ(clean_text(text, true), text) << text;
  }
}

TEST(TextCleanupTest, DropsMalformedBytesInsteadOfGrowing) {
  EXPECT_EQ(clean_text("a\xFF" "b", false), "ab");
}

TEST(TextFoldTest, FoldsCaseQuotesDashesAndSpaces) {
  EXPECT_EQ(fold_text("\xE2\x80\x9CMacron\xE2\x80\x99s\xE2\x80\x9D \xE2\x80\x94 10\xC2\xA0KM \xC3\x89T\xC3\x89"),
            "\"macron's\" - 10 km \xC3\xA9t\xC3\xA9");
}

TEST(TextFoldTest, DropsZeroWidthCharactersAndSpellsOutTheEllipsis) {
  EXPECT_EQ(fold_text("a\xE2\x80\x8B" "b\xE2\x80\xA6"), "ab...");
}

// Names match whatever their accents, written precomposed or apart from their letter; marks
// that make other letters (kana's voicing, Hangul's parts) stay.
TEST(TextFoldTest, NamesMatchWhateverTheirAccents) {
  EXPECT_EQ(fold_name("Recep Tayyip Erdo\u011fan"), "recep tayyip erdogan");
  EXPECT_EQ(fold_name("\u0141\u00f3d\u017a"), "lodz");
  EXPECT_EQ(fold_name("Zu\u0308rich"), "zurich");
  EXPECT_EQ(fold_name("S\u00d8REN \u00c5BERG"), "soren aberg");
  EXPECT_EQ(fold_name("Nguy\u1ec5n T\u1ea5n D\u0169ng"), "nguyen tan dung");
  EXPECT_EQ(fold_name("\u0391\u03b8\u03ae\u03bd\u03b1"), "\u03b1\u03b8\u03b7\u03bd\u03b1");  // Αθήνα
  EXPECT_EQ(fold_name("\u201cO\u2019Neill\u201d"), "\"o'neill\"");  // fold_text's quotes too
  EXPECT_NE(fold_name("\u304c"), fold_name("\u304b"));  // が, か
  EXPECT_EQ(fold_name("\uae40\uc815\uc740"), "\uae40\uc815\uc740");  // 김정은
  EXPECT_EQ(fold_name("\u0419"), "\u0439");  // Й: й, not и
  EXPECT_TRUE(same_name("\u0413\u043e\u0440\u0431\u0430\u0447\u0451\u0432", "\u0413\u043e\u0440\u0431\u0430\u0447\u0435\u0432"));  // Горбачёв, Горбачев
  EXPECT_TRUE(same_name("Fran\u00e7ois Hollande", "Francois Hollande"));
  EXPECT_FALSE(same_name("Francois Hollande", "Francois Holland"));
  // ASCII names are compared without folding whole strings: the same answers.
  EXPECT_TRUE(same_name("ERDOGAN", "Erdogan"));
  EXPECT_TRUE(same_name("O`Neill", "o'neill"));
  EXPECT_FALSE(same_name("Dmitry Peskov 17", "Dmitry Peskov 42"));
  EXPECT_TRUE(same_name("Zu\u0308rich", "Zurich"));
  EXPECT_TRUE(same_name("Zurich", "Zurich\u0301"));
  EXPECT_FALSE(same_name("Zurich", "Zurich2"));
}

}  // namespace
}  // namespace wirefeed
