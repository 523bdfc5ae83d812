#include "pipeline/utf8.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

TEST(Utf8Test, AcceptsAsciiAndMultibyteText) {
  EXPECT_TRUE(utf8::is_valid("plain ascii that is longer than eight bytes"));
  EXPECT_TRUE(utf8::is_valid("Kyiv — “quoted” 日本 😀"));
}

TEST(Utf8Test, RejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_EQ(utf8::find_invalid("ab\xC0\xAF"), 2u);          // overlong '/'
  EXPECT_EQ(utf8::find_invalid("\xED\xA0\x80"), 0u);        // surrogate U+D800
  EXPECT_EQ(utf8::find_invalid("x\xF4\x90\x80\x80"), 1u);   // above U+10FFFF
  EXPECT_EQ(utf8::find_invalid("abcdefghij\xE2\x80"), 10u);  // truncated at end
}

TEST(Utf8Test, RepairReplacesEachBrokenSequenceOnce) {
  std::size_t mended = 9;
  EXPECT_EQ(utf8::repair("a\xE2\x80z", &mended), "a\xEF\xBF\xBDz");
  EXPECT_EQ(mended, 1u);
  EXPECT_EQ(utf8::repair("ok", &mended), "ok");
  EXPECT_EQ(mended, 0u);
  EXPECT_EQ(utf8::repair("\xED\xA0\x80!"), "\xEF\xBF\xBD!");  // a surrogate, one subpart
}

// A byte on its own is Windows-1252 in a UTF-8 feed: its accents and quotes, not U+FFFD.
TEST(Utf8Test, RepairReadsAByteOnItsOwnAsWindows1252) {
  std::size_t mended = 0;
  EXPECT_EQ(utf8::repair("\x93" "C\x92" "est\x94 caf\xE9 \x80", &mended),
            "\xE2\x80\x9C" "C\xE2\x80\x99" "est\xE2\x80\x9D caf\xC3\xA9 \xE2\x82\xAC");
  EXPECT_EQ(mended, 5u);
  EXPECT_EQ(utf8::repair("\x81x"), "\xEF\xBF\xBDx");  // undefined in Windows-1252
  EXPECT_EQ(utf8::repair("caf\xE9"), "caf\xC3\xA9");     // a lead at the end
  // A letter before its quote, ellipsis or apostrophe: "café”", "là…", "José’s".
  EXPECT_EQ(utf8::repair("\x93" "caf\xE9\x94 l\xE0\x85 Jos\xE9\x92s", &mended),
            "\xE2\x80\x9C" "caf\xC3\xA9\xE2\x80\x9D l\xC3\xA0\xE2\x80\xA6 Jos\xC3\xA9\xE2\x80\x99s");
  EXPECT_EQ(mended, 7u);
}

}  // namespace
}  // namespace wirefeed
