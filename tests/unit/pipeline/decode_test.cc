#include "pipeline/decode.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

// `text` as the inside of a JSON string.
std::string json_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  return out;
}

input_record record_of(std::string value, headers hdrs = {}) {
  input_record r;
  r.tp = {"wire.raw", partition_id{2}};
  r.off = offset{41};
  r.timestamp_ms = 1644220800000;
  r.value = std::move(value);
  r.hdrs = std::move(hdrs);
  return r;
}

class DecodeTest : public ::testing::Test {
 protected:
  decoder decode_{decode_options{}};
};

TEST_F(DecodeTest, ReadsNinjs2HeadlinesAndBodiesArrays) {
  auto a = decode_.process(record_of(R"({"uri":"urn:x:1","versioncreated":"2022-02-07T10:00:00Z","language":"en",
    "headlines":[{"role":"sub","value":"Sub"},{"role":"main","value":"Main headline"}],
    "bodies":[{"role":"main","contenttype":"text/plain","value":"Body text."}]})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->format, feed_format::ninjs);
  EXPECT_EQ(a->uri, "urn:x:1");
  EXPECT_EQ(a->headline, "Main headline");
  EXPECT_EQ(a->body, "Body text.");
  EXPECT_EQ(a->published, "2022-02-07T10:00:00Z");
  EXPECT_EQ(a->language, "en");
  EXPECT_EQ(a->source.partition, 2);
  EXPECT_EQ(a->source.offset, 41);
}

// An empty main headline beside an alternative one: the alternative, not "no headline" (with no
// body, the article was the dead letter no_content).
TEST_F(DecodeTest, AnEmptyMainHeadlineGivesWayToAnotherWithText) {
  auto a = decode_.process(record_of(R"({"uri":"u","headlines":[{"role":"main","value":" "},{"role":"alt","value":"Alt"}]})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "Alt");
  // Also when it is no-break spaces only, which cleaning would leave nothing of.
  a = decode_.process(record_of("{\"uri\":\"u\",\"headlines\":[{\"role\":\"main\",\"value\":\"\\u00a0\xC2\xA0\"},"
                                "{\"role\":\"alt\",\"value\":\"Alt\"}]}"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "Alt");
  // And a plain JSON headline field: the next field of the map.
  a = decode_.process(record_of("{\"guid\":\"g\",\"headline\":\"\xE3\x80\x80\",\"title\":\"T\",\"content\":\"C\"}"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "T");
}

TEST_F(DecodeTest, ReadsNinjs1BodyHtml) {
  auto a = decode_.process(record_of(R"({"uri":"u1","headline":"H","body_html":"<p>Hello</p>","versioncreated":"x"})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->format, feed_format::ninjs);
  EXPECT_TRUE(a->body_is_html);
  EXPECT_EQ(a->body, "<p>Hello</p>");
  // ninjs 1.x names it body_xhtml too (it was dropped: a headline-only article).
  a = decode_.process(record_of(R"({"uri":"u2","type":"text","headline":"H","body_xhtml":"<div><p>Hi</p></div>"})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->format, feed_format::ninjs);
  EXPECT_TRUE(a->body_is_html);
  EXPECT_EQ(a->body, "<div><p>Hi</p></div>");
}

TEST_F(DecodeTest, MapsPlainJsonFieldsThroughTheDefaultFieldMap) {
  auto a = decode_.process(record_of(R"({"guid":123,"title":"T","content":"C","published":"2022","publisher":"P","link":"https://e.x/1"})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->format, feed_format::json);
  EXPECT_EQ(a->uri, "123");
  EXPECT_EQ(a->headline, "T");
  EXPECT_EQ(a->body, "C");
  EXPECT_EQ(a->published, "2022");
  EXPECT_EQ(a->publisher, "P");
  EXPECT_EQ(a->url, "https://e.x/1");
}

TEST_F(DecodeTest, HonoursAConfiguredFieldMap) {
  decode_options o;
  o.fields.body = {"story"};
  decoder d(o);
  auto a = d.process(record_of(R"({"id":"1","story":"From the story field"})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "From the story field");
}

TEST_F(DecodeTest, TreatsPlainTextAsATextArticle) {
  auto a = decode_.process(record_of("MOSCOW (AP) — Talks began."));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->format, feed_format::text);
  EXPECT_EQ(a->body, "MOSCOW (AP) — Talks began.");
  EXPECT_TRUE(a->uri_from_content);
  EXPECT_EQ(a->uri.rfind("urn:wirefeed:", 0), 0u);
}

TEST_F(DecodeTest, ContentTypeHeaderOverridesDetection) {
  auto a = decode_.process(record_of("{not json, just text in braces}", {{"content-type", "text/plain"}}));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->format, feed_format::text);
}

TEST_F(DecodeTest, ContentUriIsStableForTheSameBytes) {
  auto a = decode_.process(record_of("Same text"));
  auto b = decode_.process(record_of("Same text"));
  auto c = decode_.process(record_of("Other text"));
  EXPECT_EQ(a->uri, b->uri);
  EXPECT_NE(a->uri, c->uri);
}

TEST_F(DecodeTest, RejectsMalformedJson) {
  auto a = decode_.process(record_of(R"({"uri": "x", "body": )"));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().stage, "decode");
  EXPECT_EQ(a.error().reason, "invalid_json");
}

TEST_F(DecodeTest, AByteOrderMarkBeforeJsonIsSkipped) {
  auto a = decode_.process(record_of("\xEF\xBB\xBF{\"uri\":\"u1\",\"headline\":\"H\",\"body\":\"B\"}"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->format, feed_format::json);
  EXPECT_EQ(a->uri, "u1");
  auto text = decode_.process(record_of("\xEF\xBB\xBFMOSCOW (AP) — Talks began."));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->body, "MOSCOW (AP) — Talks began.");
  EXPECT_EQ(decode_.process(record_of("\xEF\xBB\xBF \n")).error().reason, "empty");
}

TEST_F(DecodeTest, RejectsUtf16WithoutAByteOrderMark) {
  std::string utf16le;
  for (const char c : std::string("MOSCOW (AP) Talks began on Monday.")) utf16le += {c, '\0'};
  const auto a = decode_.process(record_of(utf16le));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().reason, "invalid_utf8");
  EXPECT_NE(a.error().message.find("UTF-16"), std::string::npos) << a.error().message;
  // A stray NUL or two in text is not that (the length given: a C string would end at the first).
  const std::string stray("MOSCOW (AP) Talks\0 began on Monday.\0", 36);
  ASSERT_EQ(std::count(stray.begin(), stray.end(), '\0'), 2);
  EXPECT_TRUE(decode_.process(record_of(stray)).ok());
  // Whatever the policy: repair would make UTF-16 text U+FFFD soup.
  decode_options repair;
  repair.invalid_utf8 = cfg::invalid_utf8_policy::repair;
  EXPECT_EQ(decoder(repair).process(record_of(utf16le)).error().reason, "invalid_utf8");
  // Russian in UTF-16LE has NULs only after spaces and punctuation, far fewer than a quarter of its
  // bytes: each letter's second byte is 0x04, a control character.
  std::string russian;
  for (const char16_t c : std::u16string(u"МОСКВА (АП) Переговоры начались в понедельник.")) {
    russian += {static_cast<char>(c & 0xFF), static_cast<char>(c >> 8)};
  }
  ASSERT_LT(std::count(russian.begin(), russian.end(), '\0') * 4, static_cast<std::ptrdiff_t>(russian.size()));
  EXPECT_EQ(decode_.process(record_of(russian)).error().reason, "invalid_utf8");
  // Hindi and Malayalam in UTF-16LE: each letter's second byte is a tab (0x09) or a carriage
  // return (0x0D), white space, not counted above.
  for (const std::u16string& text : {std::u16string(u"नई दिल्ली (एपी) सोमवार को वार्ता शुरू हुई।"),
                                    std::u16string(u"തിരുവനന്തപുരം: ചർച്ചകൾ തിങ്കളാഴ്ച ആരംഭിച്ചു.")}) {
    std::string indic;
    for (const char16_t c : text) indic += {static_cast<char>(c & 0xFF), static_cast<char>(c >> 8)};
    const auto rejected = decoder(repair).process(record_of(indic));
    ASSERT_FALSE(rejected.ok());
    EXPECT_EQ(rejected.error().reason, "invalid_utf8");
    EXPECT_NE(rejected.error().message.find("UTF-16"), std::string::npos) << rejected.error().message;
  }
  // Tabs and line breaks are text, runs of them too (a scraped page's indentation, blank lines),
  // and so is an old DOS file's Ctrl-Z padding.
  // A table of one-character cells, one-letter lines: every other byte white space, but no NUL.
  EXPECT_TRUE(decode_.process(record_of("Goals\n1\t0\n2\t1\n0\t0\n3\t2\n1\t1\n2\t0\n")).ok());
  EXPECT_TRUE(decode_.process(record_of("A\nB\nC\nD\nE\nF\nG\nH\nI\n")).ok());
  std::string indented;
  for (int i = 0; i < 20; ++i) indented += std::string(30, '\t') + "<p>Talks.</p>\r\n\r\n\r\n";
  EXPECT_TRUE(decode_.process(record_of(indented)).ok());
  EXPECT_TRUE(decode_.process(record_of("MOSCOW\t(AP)\r\n\r\nTalks\fbegan\n\non\vMonday.")).ok());
  EXPECT_TRUE(decode_.process(record_of("MOSCOW (AP) Talks began.\r\n" + std::string(64, '\x1A'))).ok());
}

// Repair mends stray bytes, however short the text; text in a legacy code page of another script
// is a dead letter, not U+FFFD soup.
TEST_F(DecodeTest, RepairMendsStrayBytesButNotTextInAnotherEncoding) {
  decode_options options;
  options.invalid_utf8 = cfg::invalid_utf8_policy::repair;
  const decoder repair(options);
  // Windows-1252 quotes and an e acute in a UTF-8 feed.
  const auto mended = repair.process(record_of("PARIS (AFP) \x93Nous n'accepterons pas\x94, a d\xE9" "clar\xE9 le ministre lundi."));
  ASSERT_TRUE(mended.ok()) << mended.error().message;
  EXPECT_EQ(mended->body, "PARIS (AFP) \xE2\x80\x9CNous n'accepterons pas\xE2\x80\x9D, a d\xC3\xA9" "clar\xC3\xA9 le ministre lundi.");
  // A short Windows-1252 line: "Grève générale: élèves déçus", 7 of 28 characters mended.
  EXPECT_TRUE(repair.process(record_of("Gr\xE8ve g\xE9n\xE9rale: \xE9l\xE8ves d\xE9\xE7us")).ok());
  // Russian in Windows-1251: "Переговоры начались в понедельник в Москве."
  const std::string cp1251 = "\xCF\xE5\xF0\xE5\xE3\xEE\xE2\xEE\xF0\xFB \xED\xE0\xF7\xE0\xEB\xE8\xF1\xFC \xE2 "
                             "\xEF\xEE\xED\xE5\xE4\xE5\xEB\xFC\xED\xE8\xEA \xE2 \xCC\xEE\xF1\xEA\xE2\xE5.";
  // Greek in Windows-1253: "Οι συνομιλίες ξεκίνησαν."
  const std::string cp1253 = "\xCF\xE9 \xF3\xF5\xED\xEF\xEC\xE9\xEB\xDF\xE5\xF2 \xEE\xE5\xEA\xDF\xED\xE7\xF3\xE1\xED.";
  for (const std::string& text : {cp1251, cp1253}) {
    const auto rejected = repair.process(record_of(text));
    ASSERT_FALSE(rejected.ok());
    EXPECT_EQ(rejected.error().reason, "invalid_utf8");
    EXPECT_NE(rejected.error().message.find("another encoding"), std::string::npos) << rejected.error().message;
  }
  // U+FFFD already in valid text is not counted as mended.
  const std::string marks = "Talks \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD began \xE9";
  EXPECT_TRUE(repair.process(record_of(marks)).ok());
}

// Text in the charset it declares is read in it, whatever the invalid_utf8 policy (it is not
// invalid UTF-8 but another encoding): by the content-type header, an HTML or XML declaration, or
// a UTF-16 or UTF-32 byte order mark. A declaration the bytes contradict is ignored.
TEST_F(DecodeTest, ReadsTextInTheCharsetItDeclares) {
  // "Переговоры начались в Москве." in Windows-1251.
  const std::string cp1251 = "\xCF\xE5\xF0\xE5\xE3\xEE\xE2\xEE\xF0\xFB \xED\xE0\xF7\xE0\xEB\xE8\xF1\xFC \xE2 "
                             "\xCC\xEE\xF1\xEA\xE2\xE5.";
  const std::string russian = "Переговоры начались в Москве.";
  auto a = decode_.process(record_of(cp1251, {{"content-type", "text/plain; charset=windows-1251"}}));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, russian);
  a = decode_.process(record_of("<html><head><meta charset=\"windows-1251\"></head><body><p>" + cp1251 + "</p></body></html>"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(a->body_is_html);
  EXPECT_NE(a->body.find(russian), std::string::npos);
  a = decode_.process(record_of("<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=KOI8-R\">"
                                "</head><body><p>\xF0\xC5\xD2\xC5\xC7\xCF\xD7\xCF\xD2\xD9</p></body></html>"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_NE(a->body.find("Переговоры"), std::string::npos);
  // ISO-8859-1 as browsers read it, Windows-1252: its 0x93 and 0x94 are quotes.
  a = decode_.process(record_of("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<p>\x93Non\x94, a d\xE9" "clar\xE9 l'\xC9lys\xE9" "e.</p>"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_NE(a->body.find("“Non”, a déclaré l'Élysée."), std::string::npos) << a->body;
  // UTF-16 and UTF-32 with a byte order mark, and UTF-16 declared without one.
  const std::u16string english = u"MOSCOW (AP) — Talks began on Monday.";
  std::string le, be, le32;
  for (const char16_t c : english) {
    le += {static_cast<char>(c & 0xFF), static_cast<char>(c >> 8)};
    be += {static_cast<char>(c >> 8), static_cast<char>(c & 0xFF)};
    le32 += {static_cast<char>(c & 0xFF), static_cast<char>(c >> 8), '\0', '\0'};
  }
  for (const auto& [value, hdrs] : std::vector<std::pair<std::string, headers>>{
           {"\xFF\xFE" + le, {}},
           {"\xFE\xFF" + be, {}},
           {std::string("\xFF\xFE\0\0", 4) + le32, {}},
           {le, {{"content-type", "text/plain; charset=\"UTF-16\""}}}}) {
    a = decode_.process(record_of(value, hdrs));
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->body, "MOSCOW (AP) — Talks began on Monday.");
  }
  // Valid UTF-8 under an ISO-8859-1 label (a common mislabelling) stays UTF-8, and so does text
  // without NULs labelled UTF-16.
  a = decode_.process(record_of("Gr\xC3\xA8ve g\xC3\xA9n\xC3\xA9rale.", {{"content-type", "text/plain; charset=iso-8859-1"}}));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "Grève générale.");
  a = decode_.process(record_of("Talks began.", {{"content-type", "text/plain; charset=utf-16"}}));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "Talks began.");
  // A charset ICU does not know is no declaration: invalid UTF-8 as before.
  EXPECT_EQ(decode_.process(record_of(cp1251, {{"content-type", "text/plain; charset=x-no-such"}})).error().reason,
            "invalid_utf8");
  // Bytes the declared charset has no character for, a quarter or more: a dead letter that says so.
  // (ISO-2022-JP is 7-bit: "é" in Latin-1 is no character of it.)
  const auto wrong = decode_.process(record_of("\xE9l\xE8ves d\xE9\xE7us", {{"content-type", "text/plain; charset=ISO-2022-JP"}}));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().reason, "invalid_utf8");
  EXPECT_NE(wrong.error().message.find("declared charset ISO-2022-JP"), std::string::npos) << wrong.error().message;
}

TEST_F(DecodeTest, RejectsAnIdLongerThanAnyIdentifier) {
  const auto with_id = [&](std::size_t bytes) {
    return decode_.process(record_of(R"({"uri":")" + std::string(bytes, 'u') + R"(","body":"B"})"));
  };
  EXPECT_TRUE(with_id(max_uri_bytes).ok());
  const auto a = with_id(max_uri_bytes + 1);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().reason, "uri_too_long");
}

TEST_F(DecodeTest, NumericIdsKeepTheirValue) {
  const auto uri = [&](const std::string& id) {
    auto a = decode_.process(record_of(R"({"id":)" + id + R"(,"body":"B"})"));
    return a.ok() ? a->uri : "error: " + a.error().message;
  };
  EXPECT_EQ(uri("1e-7"), "1e-07");
  EXPECT_NE(uri("1e-7"), uri("2e-7"));  // both were "0.000000"
  EXPECT_EQ(uri("1.5"), "1.5");
  EXPECT_EQ(uri("42"), "42");
  EXPECT_EQ(uri("18446744073709551615"), "18446744073709551615");
}

TEST_F(DecodeTest, NumbersBeyondDoublesAndSixtyFourBitsAreValidJson) {
  const auto decoded = [&](const std::string& json) {
    auto a = decode_.process(record_of(json));
    return a.ok() ? a->uri + "|" + a->body : "error: " + a.error().reason;
  };
  // simdjson refuses these; JSON does not, and no field that holds one is needed.
  EXPECT_EQ(decoded(R"({"uri":"u1","body":"B","n":1e400,"m":[-1E-400,{"k":123456789012345678901234567890}]})"), "u1|B");
  // An id that is one keeps its digits, and strings with digits and quotes inside stay as they are.
  EXPECT_EQ(decoded(R"({"id":123456789012345678901234567890,"body":"1e400 \"2\" -3","x":1e999})"),
            R"(123456789012345678901234567890|1e400 "2" -3)");
  // Malformed numbers are still malformed.
  for (const char* bad : {R"({"uri":"u","body":"B","n":01})", R"({"uri":"u","body":"B","n":1.})",
                          R"({"uri":"u","body":"B","n":-})", R"({"uri":"u","body":"B","n":1e400x})"}) {
    EXPECT_EQ(decoded(bad), "error: invalid_json") << bad;
  }
}

TEST_F(DecodeTest, TextOpeningWithABracketIsTextUnlessItParsesAsJson) {
  auto a = decode_.process(record_of("[UPDATED 10:32 GMT] MOSCOW (AP) — Talks began."));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->format, feed_format::text);
  EXPECT_EQ(a->body, "[UPDATED 10:32 GMT] MOSCOW (AP) — Talks began.");
  EXPECT_EQ(a->source.offset, 41);
  // A content-type that says JSON is taken at its word.
  EXPECT_EQ(decode_.process(record_of("[UPDATED] text", {{"content-type", "application/json"}})).error().reason,
            "invalid_json");
}

TEST_F(DecodeTest, RejectsJsonThatIsNotAnObject) {
  EXPECT_EQ(decode_.process(record_of("[1,2,3]")).error().reason, "not_an_object");
  for (const char* scalar : {"null", "true", "false", "1", "-2.5e3", " 42 \n"}) {
    const auto a = decode_.process(record_of(scalar));
    EXPECT_EQ(a.ok() ? "ok" : a.error().reason, "not_an_object") << scalar;
  }
  EXPECT_TRUE(decode_.process(record_of("1,000 troops massed at the border")).ok());
  for (const char* word : {"nan", "inf", "-inf", "Infinity"}) EXPECT_TRUE(decode_.process(record_of(word)).ok()) << word;
  EXPECT_EQ(decode_.process(record_of("1e400")).error().reason, "not_an_object");
}

TEST_F(DecodeTest, RejectsAnArrayNestedPastTheParsersDepthAsNoArticle) {
  const auto nested = [](std::size_t depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
  };
  EXPECT_EQ(decode_.process(record_of(nested(1024, '[', ']'))).error().reason, "not_an_object");
  const auto deeper = decode_.process(record_of(nested(1025, '[', ']')));
  ASSERT_FALSE(deeper.ok());
  EXPECT_EQ(deeper.error().reason, "not_an_object");
  EXPECT_NE(deeper.error().message.find("deeper than 1024"), std::string::npos) << deeper.error().message;
  EXPECT_EQ(decode_.process(record_of(nested(100000, '[', ']'))).error().reason, "not_an_object");
  // Not closed, or after other values: no article either (the parser reads no depth there).
  EXPECT_EQ(decode_.process(record_of(std::string(100000, '['))).error().reason, "not_an_object");
  EXPECT_EQ(decode_.process(record_of("[1," + std::string(5000, '['))).error().reason, "not_an_object");
  // Brackets inside a string do not count: text that is no JSON.
  EXPECT_TRUE(decode_.process(record_of("[\"" + std::string(5000, '[') + "\"")).ok());
  // An object that deep is malformed JSON, as before.
  EXPECT_EQ(decode_.process(record_of(std::string(100000, '{'))).error().reason, "invalid_json");
}

TEST_F(DecodeTest, RejectsEmptyAndWhitespaceOnlyMessages) {
  EXPECT_EQ(decode_.process(record_of("")).error().reason, "empty");
  EXPECT_EQ(decode_.process(record_of(" \n\t ")).error().reason, "empty");
}

TEST_F(DecodeTest, RejectsInvalidUtf8ByDefault) {
  auto a = decode_.process(record_of("caf\xC3 au lait"));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().reason, "invalid_utf8");
  EXPECT_NE(a.error().message.find("byte 3"), std::string::npos);
}

TEST_F(DecodeTest, RepairsInvalidUtf8WhenConfigured) {
  decode_options o;
  o.invalid_utf8 = cfg::invalid_utf8_policy::repair;
  auto a = decoder(o).process(record_of("caf\xE2\x80 au lait"));  // a sequence cut short
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "caf\xEF\xBF\xBD au lait");
  a = decoder(o).process(record_of("caf\xE9 au lait"));  // Windows-1252
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "caf\xC3\xA9 au lait");
}

TEST_F(DecodeTest, RepairsEscapedLoneSurrogatesWhenConfigured) {
  // JavaScript writes a string cut between a surrogate pair's halves as "\ud83d": valid JSON
  // text, no valid string. A pair stays a pair.
  const std::string json = R"({"uri":"u","headline":"Caf\ud800 x","body":"a\udc00b \ud83d\ude00 \\ud800"})";
  EXPECT_EQ(decode_.process(record_of(json)).error().reason, "invalid_json");
  decode_options o;
  o.invalid_utf8 = cfg::invalid_utf8_policy::repair;
  auto a = decoder(o).process(record_of(json));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "Caf\xEF\xBF\xBD x");
  EXPECT_EQ(a->body, "a\xEF\xBF\xBD" "b \xF0\x9F\x98\x80 \\ud800");
  // A number beyond simdjson's range beside it, in either order.
  for (const std::string both : {R"({"id":1e400,"headline":"x\udbff"})", R"({"headline":"x\udbff","id":1e400})"}) {
    auto b = decoder(o).process(record_of(both));
    ASSERT_TRUE(b.ok()) << both;
    EXPECT_EQ(b->uri, "1e400");
    EXPECT_EQ(b->headline, "x\xEF\xBF\xBD");
  }
}

TEST_F(DecodeTest, RejectsOversizedMessages) {
  decode_options o;
  o.max_message_bytes = 10;
  auto a = decoder(o).process(record_of(std::string(11, 'x')));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().reason, "oversized");
  // Cut by its source (file_source keeps the start of an over-long line): the whole length named.
  input_record cut = record_of(std::string(11, 'x'));
  cut.whole_bytes = 300000;
  EXPECT_EQ(decoder(o).process(cut).error().message, "message of 300000 bytes exceeds max_message_bytes 10");
}

TEST_F(DecodeTest, RejectsJsonWithNeitherHeadlineNorBody) {
  EXPECT_EQ(decode_.process(record_of(R"({"uri":"x","date":"2022"})")).error().reason, "no_content");
}

TEST_F(DecodeTest, RejectsBodiesOverTheCharacterLimit) {
  decode_options o;
  o.max_body_chars = 5;
  EXPECT_EQ(decoder(o).process(record_of("ééééééé")).error().reason, "body_too_long");
  EXPECT_TRUE(decoder(o).process(record_of("ééééé")).ok());
}

TEST_F(DecodeTest, ReadsBylineLocatedFirstcreatedAndNinjs1Altids) {
  auto a = decode_.process(record_of(R"({"uri":"u","headline":"H","by":"Jane Doe","located":"Moscow",
    "firstcreated":"2022-02-07T09:00:00Z","altids":{"guid":"g-1","etag":"e"}})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->byline, "Jane Doe");
  EXPECT_EQ(a->located, "Moscow");
  EXPECT_EQ(a->first_created, "2022-02-07T09:00:00Z");
  EXPECT_EQ(a->altids, (std::vector<std::pair<std::string, std::string>>{{"guid", "g-1"}, {"etag", "e"}}));
}

TEST_F(DecodeTest, ReadsNinjs2AltidsAndALocatedObject) {
  auto a = decode_.process(record_of(R"({"uri":"u","headlines":[{"value":"H"}],"located":{"name":"Paris"},
    "altids":[{"role":"guid","value":"g-2"}]})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->located, "Paris");
  EXPECT_EQ(a->altids, (std::vector<std::pair<std::string, std::string>>{{"guid", "g-2"}}));
}

TEST_F(DecodeTest, TakesTheBylineThroughTheFieldMap) {
  auto a = decode_.process(record_of(R"({"id":"1","title":"T","content":"C","author":"John Roe"})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->byline, "John Roe");
  a = decode_.process(record_of(R"({"uri":"u","headline":"H","byline":"By  Johnson Lai"})"));  // ninjs 1.x
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->byline, "Johnson Lai");
}

// ninjs 2.x lists its bylines as objects.
TEST_F(DecodeTest, ReadsNinjs2Bylines) {
  auto a = decode_.process(record_of(R"({"uri":"u","headlines":[{"value":"H"}],"bylines":[
    {"name":"Mary Clare Jalonick","role":"author"},{"name":" "},{"name":"Lisa Mascaro"},{"name":"Kevin Freking"}]})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->byline, "Mary Clare Jalonick, Lisa Mascaro and Kevin Freking");
}

TEST_F(DecodeTest, HeadersFillOnlyWhatTheInputDoesNotSay) {
  auto a = decode_.process(record_of(R"({"uri":"u","body":"B","publisher":"AFP"})", {{"source", "Reuters"}, {"content-language", "fr"}}));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->publisher, "AFP");
  EXPECT_EQ(a->language, "fr");
  auto b = decode_.process(record_of("Plain text.", {{"source", "Reuters"}}));
  EXPECT_EQ(b->publisher, "Reuters");
}

TEST_F(DecodeTest, APerTopicFormatWinsOverDetectionAndTheHeader) {
  decode_options o;
  o.topic_formats["wire.raw"] = cfg::input_format::text;
  auto a = decoder(o).process(record_of(R"({"uri":"u","body":"B"})", {{"content-type", "application/json"}}));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->format, feed_format::text);
  o.topic_formats.clear();
  o.topic_formats["other.topic"] = cfg::input_format::text;
  EXPECT_EQ(decoder(o).process(record_of(R"({"uri":"u","body":"B"})"))->format, feed_format::json);
}

TEST_F(DecodeTest, SplitsRawTextHeaderLinesOffTheBody) {
  auto a = decode_.process(record_of("Macron heads to Moscow\n20220207\nhttps://ewn.co.za/x\nMoscow has accused the West.\n"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->header_lines, (std::vector<std::string>{"Macron heads to Moscow", "20220207", "https://ewn.co.za/x"}));
  EXPECT_EQ(a->body, "Moscow has accused the West.\n");
}

TEST_F(DecodeTest, TakesABodyOpeningWithAnSvgOrFigureAsHtml) {
  for (const char* body : {"<svg viewBox=\"0 0 1 1\"/><p>Text.</p>", "<figure><img src=x></figure><p>Text.</p>"}) {
    auto a = decode_.process(record_of(body));
    ASSERT_TRUE(a.ok()) << body;
    EXPECT_TRUE(a->body_is_html) << body;
  }
}

TEST_F(DecodeTest, TakesABodyOpeningWithAnyHtmlElementOrHoldingAParagraphTagAsHtml) {
  for (const char* body : {"<strong>MOSCOW (AP)</strong> Talks began.", "<B>Talks</B> began.", "<h4>Talks</h4>",
                           "<!-- wire --><p>Talks began.</p>", "<a\thref=\"x\">Talks</a> began.",
                           "MOSCOW (AP) Talks began.<p>The Kremlin said so.</p>", "Talks began.<br/>More."}) {
    auto a = decode_.process(record_of(R"({"uri":"u","body":")" + json_escaped(body) + R"("})"));
    ASSERT_TRUE(a.ok()) << body;
    EXPECT_TRUE(a->body_is_html) << body;
  }
  for (const char* body : {"<UPDATED> Talks began.", "Profits rose <5% as x<y.", "<pretty> is not a tag we know",
                           "Hello <b>world</b>"}) {
    auto a = decode_.process(record_of(R"({"uri":"u","body":")" + json_escaped(body) + R"("})"));
    ASSERT_TRUE(a.ok()) << body;
    EXPECT_FALSE(a->body_is_html) << body;
  }
}

TEST_F(DecodeTest, TakesAnHtmlContentTypeAsHtml) {
  auto a = decode_.process(record_of("Hello <b>world</b>", {{"content-type", "text/html; charset=utf-8"}}));
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->body_is_html);
}

TEST_F(DecodeTest, KeepsRawHtmlWholeAndFlagsIt) {
  auto a = decode_.process(record_of("<p>Hello</p>"));
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->body_is_html);
  EXPECT_TRUE(a->header_lines.empty());
}

}  // namespace
}  // namespace wirefeed
