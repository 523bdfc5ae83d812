#include "pipeline/encode.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <random>
#include <string>

#include "pipeline/content_hash.h"
#include "pipeline/iso_time.h"

namespace wirefeed {
namespace {

// An independent rendering: the C library's gmtime_r and strftime, and the milliseconds.
std::string utc_reference(std::int64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char date[32];
  const std::size_t n = std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  const std::string ms = std::to_string(1000 + unix_ms % 1000);  // "1ddd": three digits after the 1
  return std::string(date, n) + "." + ms.substr(1) + "Z";
}

TEST(EncodeTest, FormatsUtcTimesAsTheCLibraryDoes) {
  EXPECT_EQ(format_utc(1644228900000), "2022-02-07T10:15:00.000Z");
  std::vector<std::int64_t> times{0, 999, 951782400000 /* 2000-02-29 */, 4107542400000 /* 2100-03-01 */,
                                  946684799999, 253402300799999};
  std::mt19937_64 random(5);
  for (int i = 0; i < 100000; ++i) times.push_back(static_cast<std::int64_t>(random() % 253402300800000));
  for (const auto t : times) ASSERT_EQ(format_utc(t), utc_reference(t)) << t;
}

TEST(EncodeTest, FormatsTimesBefore1970WithTheSecondBelow) {
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_utc(-1500), "1969-12-31T23:59:58.500Z");
  EXPECT_EQ(format_utc(-1000), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(format_utc(-14182940001), "1969-07-20T20:17:39.999Z");
  // What the story state writes, its restore reads back (parse_iso8601_ms).
  for (const std::int64_t t : {-1LL, -1500LL, -999LL, -1000LL, -14182940001LL, -62135596800000LL}) {
    EXPECT_EQ(parse_iso8601_ms(format_utc(t)), t) << format_utc(t);
  }
}

// Kafka times are whole milliseconds: a replay's bound finer than that is the next one.
TEST(EncodeTest, AnIsoTimeFinerThanAMillisecondIsCutOrTakenUp) {
  EXPECT_EQ(parse_iso8601_ms("2026-12-07T11:02:21.1795Z"), 1796641341179);
  EXPECT_EQ(parse_iso8601_ms_up("2026-12-07T11:02:21.1795Z"), 1796641341180);
  EXPECT_EQ(parse_iso8601_ms_up("2026-12-07T11:02:21.1790000Z"), 1796641341179);  // zeros are no finer
  EXPECT_EQ(parse_iso8601_ms_up("2026-12-07T11:02:21.179Z"), 1796641341179);
  EXPECT_EQ(parse_iso8601_ms_up("2026-12-07T11:02:21Z"), 1796641341000);
  EXPECT_EQ(parse_iso8601_ms_up("1969-12-31T23:59:59.9991Z"), 0);
  EXPECT_EQ(parse_iso8601_ms_up("2026-12-07T11:02:21.17Zx"), std::nullopt);
}

TEST(EncodeTest, EnrichedArticleUsesNinjsNamesAndTheWirefeedObject) {
  article a;
  a.uri = "urn:x:1";
  a.headline = "Head";
  a.body = "Body";
  a.published = "2022-02-07T10:00:00Z";
  a.published_ms = 1644228000000;  // what normalize parses from it
  a.published_ms = 1644228000000;
  a.published_from = published_source::feed;
  a.language = "en";
  a.source = {"wire.raw", 3, 77, 1000};
  const auto out = encode_enriched(a);
  EXPECT_EQ(out.kind, output_kind::enriched);
  EXPECT_EQ(out.key, "urn:x:1");
  const auto v = boost::json::parse(out.value).as_object();
  EXPECT_EQ(v.at("uri").as_string(), "urn:x:1");
  EXPECT_EQ(v.at("versioncreated").as_string(), "2022-02-07T10:00:00.000Z");
  EXPECT_EQ(v.at("headlines").as_array()[0].at("value").as_string(), "Head");
  EXPECT_EQ(v.at("bodies").as_array()[0].at("value").as_string(), "Body");
  const auto& wf = v.at("wirefeed").as_object();
  EXPECT_EQ(wf.at("source").at("partition").as_int64(), 3);
  EXPECT_EQ(wf.at("source").at("offset").as_int64(), 77);
  EXPECT_TRUE(wf.at("story").at("id").is_null());
  EXPECT_TRUE(wf.at("duplicate_of").is_null());
}

TEST(EncodeTest, WritesTheNormalizedFields) {
  article a;
  a.uri = "u";
  a.body = "MOSCOW (AP) \xE2\x80\x94 Talks.";
  a.byline = "Jane Doe";
  a.located = "Moscow";
  a.altids = {{"guid", "g-1"}, {"etag", "e-7"}};
  a.first_created_ms = 1644192000000;
  a.dateline.emplace();
  a.dateline->place = "Moscow";
  a.dateline->agency = "AP";
  a.dateline->text = {0, 15};
  a.language = "en";
  a.language_from = language_source::detected;
  a.language_detected = {"en", true, "function_words"};
  a.removed = {{removal_kind::copyright, "Copyright 2022 AP"}};
  const auto v = boost::json::parse(encode_enriched(a).value).as_object();
  EXPECT_EQ(v.at("by").as_string(), "Jane Doe");
  EXPECT_EQ(v.at("located").as_string(), "Moscow");
  // ninjs 2.0's shape, whichever shape the input had (decode reads 1.x's object and 2.x's array).
  EXPECT_EQ(v.at("altids"), boost::json::parse(R"([{"role":"guid","value":"g-1"},{"role":"etag","value":"e-7"}])"));
  EXPECT_EQ(v.at("firstcreated").as_string(), "2022-02-07T00:00:00.000Z");
  EXPECT_FALSE(v.contains("versioncreated"));
  const auto& wf = v.at("wirefeed").as_object();
  EXPECT_EQ(wf.at("published_source").as_string(), "none");
  EXPECT_EQ(wf.at("dateline").at("place").as_string(), "Moscow");
  EXPECT_EQ(wf.at("dateline").at("agency").as_string(), "AP");
  EXPECT_EQ(wf.at("dateline").at("text").as_string(), "MOSCOW (AP) \xE2\x80\x94");
  EXPECT_EQ(wf.at("language_source").as_string(), "detected");
  EXPECT_EQ(wf.at("language_detected").at("method").as_string(), "function_words");
  EXPECT_EQ(wf.at("removed").as_array()[0].at("kind").as_string(), "copyright");
  EXPECT_EQ(wf.at("removed").as_array()[0].at("text").as_string(), "Copyright 2022 AP");
}

TEST(EncodeTest, KeepsAnUnparsedFeedTimeAsPublishedRaw) {
  article a;
  a.uri = "u";
  a.published = "last Tuesday";
  a.published_ms = 1000;
  a.published_from = published_source::record_timestamp;
  const auto v = boost::json::parse(encode_enriched(a).value).as_object();
  EXPECT_EQ(v.at("versioncreated").as_string(), "1970-01-01T00:00:01.000Z");
  EXPECT_EQ(v.at("wirefeed").at("published_raw").as_string(), "last Tuesday");
}

TEST(EncodeTest, WritesSentenceSpansAsCodePointOffsets) {
  article a;
  a.uri = "u";
  a.body = "\xC3\x89t\xC3\xA9 fini. Oui.";  // "Été fini. Oui." (É and é are two bytes each)
  a.sentences = {{0, 11}, {12, 16}};
  const auto v = boost::json::parse(encode_enriched(a).value).as_object();
  const auto& spans = v.at("wirefeed").at("sentences").as_array();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].as_array()[0].as_int64(), 0);
  EXPECT_EQ(spans[0].as_array()[1].as_int64(), 9);
  EXPECT_EQ(spans[1].as_array()[0].as_int64(), 10);
  EXPECT_EQ(spans[1].as_array()[1].as_int64(), 14);
}

// Mention spans go through a per-256-byte-block count (code_points): a span ending where the body
// ends, at a block boundary or not, ends at the body's length in characters.
TEST(EncodeTest, AMentionEndingWithTheBodyEndsAtItsLengthWhateverTheBlockBoundary) {
  const auto characters = [](std::string_view text) {
    return std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  };
  for (const std::size_t bytes : {255u, 256u, 257u, 511u, 512u, 513u, 768u}) {
    article a;
    a.uri = "u";
    while (a.body.size() + 2 <= bytes - 15) a.body += "\xC3\xA9";  // é, two bytes
    a.body.append(bytes - 15 - a.body.size(), 'x');
    a.body += " Emmanuel Macro";
    ASSERT_EQ(a.body.size(), bytes);
    const std::uint32_t begin = static_cast<std::uint32_t>(bytes - 14);
    a.entities.push_back({entity_kind::person, "Emmanuel Macro", "", {{begin, static_cast<std::uint32_t>(bytes)}}});
    const auto v = boost::json::parse(encode_enriched(a).value).as_object();
    const auto& span = v.at("wirefeed").at("entities").at(0).at("mentions").at(0).as_array();
    EXPECT_EQ(span.at(0).as_int64(), characters(std::string_view(a.body).substr(0, begin))) << bytes << " bytes";
    EXPECT_EQ(span.at(1).as_int64(), characters(a.body)) << bytes << " bytes";
  }
}

// An article of 20 people and 100 figures of 500 bytes each: the figures alone need ~55 KB.
article crowded_article() {
  article a;
  a.uri = "urn:x:crowded";
  a.body = std::string(500, 'f') + " said";
  for (int i = 0; i < 20; ++i) {
    a.entities.push_back({entity_kind::person, "Person " + std::to_string(i), "", {{500, 505}}});
  }
  a.quotes.push_back({{0, 10}, 15, "", std::nullopt, "said", attribution::direct, false});
  a.quotes.push_back({{0, 10}, 3, "", std::nullopt, "said", attribution::direct, false});
  for (int i = 0; i < 100; ++i) a.figures.push_back({{0, 500}, 1.0 * i, std::nullopt, "", "troops", ""});
  a.sentences.push_back({0, 505});
  return a;
}

boost::json::object closed(std::string unclustered, const article& a) {
  return boost::json::parse(close_enriched(std::move(unclustered), a).value).as_object();
}

TEST(EncodeTest, ADocumentOverItsBudgetHasItsListsCutAndSaysWhatWasCut) {
  const article a = crowded_article();
  const std::string whole = encode_unclustered(a);
  ASSERT_GT(whole.size(), 50000u);
  EXPECT_EQ(encode_unclustered(a, whole.size()), whole);  // what fits is left as it is
  EXPECT_FALSE(closed(whole, a).at("wirefeed").as_object().contains("truncated"));

  // Under 20,000 bytes: 100 figures do not fit, 10 do; 10 of the 20 people.
  const std::string cut = encode_unclustered(a, 20000);
  EXPECT_LE(cut.size(), 20000u);
  const auto v = closed(cut, a);
  const auto& wf = v.at("wirefeed").as_object();
  EXPECT_EQ(wf.at("figures").as_array().size(), 10u);
  EXPECT_EQ(wf.at("entities").as_array().size(), 10u);
  EXPECT_EQ(v.at("people").as_array().size(), 10u);
  EXPECT_EQ(wf.at("truncated").at("figures").as_int64(), 100);
  EXPECT_EQ(wf.at("truncated").at("entities").as_int64(), 20);
  EXPECT_FALSE(wf.at("truncated").as_object().contains("quotes"));  // 2: not cut
  // A quote keeps its speaker's name; its entity id only when that entity is listed.
  const auto& quotes = wf.at("quotes").as_array();
  ASSERT_EQ(quotes.size(), 2u);
  EXPECT_EQ(quotes[0].at("speaker").as_string(), "Person 15");
  EXPECT_FALSE(quotes[0].as_object().contains("speaker_entity"));
  EXPECT_EQ(quotes[1].at("speaker_entity").as_int64(), 3);
  EXPECT_EQ(v.at("bodies").as_array()[0].at("value").as_string(), a.body);  // the text is never cut

  // A budget nothing meets: every list empty, and still one JSON document.
  const auto bare = closed(encode_unclustered(a, 1), a);
  EXPECT_TRUE(bare.at("wirefeed").at("figures").as_array().empty());
  EXPECT_TRUE(bare.at("wirefeed").at("sentences").as_array().empty());
  EXPECT_EQ(bare.at("wirefeed").at("truncated").at("sentences").as_int64(), 1);
}

TEST(EncodeTest, DeadLetterKeepsOriginalBytesAndNamesTheError) {
  input_record in;
  in.tp = {"wire.raw", partition_id{1}};
  in.off = offset{9};
  in.key = "k";
  in.value = "\xff raw";
  in.hdrs = {{"source", "agency"}};
  const auto out = encode_dead_letter(in, {"decode", "invalid_utf8", "invalid UTF-8 at byte 0"}, 1644220800000);
  EXPECT_EQ(out.kind, output_kind::dead_letter);
  EXPECT_EQ(out.key, "k");
  EXPECT_EQ(out.value, "\xff raw");
  EXPECT_EQ(find_header(out.hdrs, "source"), "agency");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::topic), "wire.raw");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::partition), "1");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::offset), "9");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::stage), "decode");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::connector), "wirefeed");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::class_name), "wirefeed.decode");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::exception_class), "wirefeed.decode.invalid_utf8");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::exception_message), "invalid UTF-8 at byte 0");
  EXPECT_EQ(find_header(out.hdrs, dlq_header::time), "2022-02-07T08:00:00.000Z");
  EXPECT_FALSE(out.null_key);
  EXPECT_FALSE(out.tombstone);
}

TEST(EncodeTest, DeadLetterOfANullRecordStaysNull) {
  // A Kafka record with a null key, a null value and a null-valued header: not the same record
  // as one with empty ones (a null key is partitioned differently), so the dead letter keeps them.
  input_record in;
  in.tp = {"wire.raw", partition_id{0}};
  in.null_key = in.null_value = true;
  in.hdrs = {{"trace", std::nullopt}, {"source", ""}};
  const auto out = encode_dead_letter(in, {"decode", "empty", "message has no content"}, 0);
  EXPECT_TRUE(out.null_key);
  EXPECT_TRUE(out.tombstone);
  ASSERT_GE(out.hdrs.size(), 2u);
  EXPECT_EQ(out.hdrs[0], header("trace", std::nullopt));
  EXPECT_EQ(out.hdrs[1], header("source", ""));
  EXPECT_EQ(find_header(out.hdrs, "trace"), "");
}

TEST(EncodeTest, ContentHashIsTheStableMurmur3Value) {
  // Pinned: uris of id-less articles depend on it.
  EXPECT_EQ(content_hash_hex(""), "00000000000000000000000000000000");
  // MurmurHash3_x64_128, seed 0, as Python's mmh3.hash128(b, 0, True): h1 then h2, 16 hex digits each.
  EXPECT_EQ(content_hash_hex("hello"), "cbd8a7b341bd9b025b1e906a48ae1d19");
  EXPECT_EQ(content_hash_hex("The quick brown fox jumps over the lazy dog"), "e34bbc7bbc071b6c7a433ca9c49a9347");
}

}  // namespace
}  // namespace wirefeed
