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
  EXPECT_EQ(utf8::repair("a\xE2\x80z"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(utf8::repair("ok"), "ok");
}

}  // namespace
}  // namespace wirefeed
