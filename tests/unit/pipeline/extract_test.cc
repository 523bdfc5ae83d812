#include "pipeline/extract.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "extract_support.h"
#include "pipeline/article_edit.h"
#include "pipeline/encode.h"
#include "pipeline/minhash.h"

namespace wirefeed {
namespace {

using testing::extracted;
using testing::find_entity;
using testing::normalized;
using testing::text_of;

const std::string k_two_paragraphs =
    "German Chancellor Olaf Scholz told reporters in Berlin about the pipeline.\n\n"
    "\u201CThe situation is too complex,\u201D Kremlin spokesman Dmitry Peskov told reporters on Monday, as "
    "more than 100,000 troops waited.";

TEST(ExtractTest, RefusesAMissingModelWithTheFileInTheMessage) {
  const auto built = extractor::create("/nonexistent/ner-en.bin");
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.error().stage, "extract");
  EXPECT_NE(built.error().message.find("extract.ner_model"), std::string::npos);
  EXPECT_NE(built.error().message.find("/nonexistent/ner-en.bin"), std::string::npos);
}

TEST(ExtractTest, GivesAnArticleInAnotherLanguageOnlyTermsAndFingerprints) {
  article a = normalized("Le président Emmanuel Macron a rencontré Vladimir Poutine à Moscou lundi.");
  a.language = "fr";
  ASSERT_TRUE(testing::test_extractor().process(a).ok());
  EXPECT_TRUE(a.entities.empty());
  EXPECT_TRUE(a.dates.empty());
  EXPECT_FALSE(a.terms.empty());
  EXPECT_EQ(a.minhash.size(), minhash::signature_size);
}

TEST(ExtractTest, RunsWithoutAModelAndFindsNoEntities) {
  article a = normalized(k_two_paragraphs);
  ASSERT_TRUE(extractor().process(a).ok());
  EXPECT_TRUE(a.entities.empty());
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(a.quotes[0].speaker_text, "Kremlin spokesman Dmitry Peskov");
  EXPECT_EQ(a.figures.size(), 1u);
}

// The agency that filed the story is no organisation in it (it was one of every AP story's);
// named in the text, it still is. The dateline's place in capitals made "KYIV" a place of its own
// in a story's places, beside "Kyiv".
TEST(ExtractTest, TheDatelineAgencyIsNoEntityAndItsPlaceIsNotInCapitals) {
  const article a = extracted("KYIV, Ukraine (AP) \u2014 President Volodymyr Zelenskyy met NATO leaders on Monday.");
  ASSERT_TRUE(a.dateline);
  EXPECT_EQ(find_entity(a, "AP"), nullptr);
  EXPECT_NE(find_entity(a, "NATO"), nullptr);  // capitals outside the dateline stay as written
  // Its place by the name the dateline reads, not in capitals.
  EXPECT_NE(find_entity(a, "Kyiv"), nullptr);
  EXPECT_EQ(find_entity(a, "KYIV"), nullptr);
  const article b = extracted("KYIV, Ukraine (AP) \u2014 Officials told AP that NATO leaders met on Monday.");
  ASSERT_NE(find_entity(b, "AP"), nullptr);
  EXPECT_EQ(find_entity(b, "AP")->mentions.size(), 1u);
}

// The dateline is read, not tagged: "Washington (AFP) -" made a person, "ST. PETERSBURG" an
// organisation "ST" and a place "PETERSBURG", "N'DJAMENA" a place "DJAMENA", "Feb 6" an organisation.
TEST(ExtractTest, TheDatelinesPlaceAndRegionArePlacesAndNothingElseInItIsAnEntity) {
  struct want {
    const char* text;
    const char* place;
    const char* region;
  };
  for (const auto& w : {want{"Washington (AFP) - Officials from several countries gathered on Thursday.", "Washington", ""},
                        want{"Lincoln (AFP) - Officials from several countries gathered on Thursday.", "Lincoln", ""},
                        want{"ST. PETERSBURG, Russia (AP) \u2014 Officials from several countries gathered.", "St. Petersburg", "Russia"},
                        want{"N'DJAMENA, Chad (AP) \u2014 Officials from several countries gathered.", "N'Djamena", "Chad"},
                        want{"ABUJA, Nigeria, Feb 6 (Reuters) - Officials from several countries gathered.", "Abuja", "Nigeria"}}) {
    const article a = extracted(w.text);
    ASSERT_TRUE(a.dateline) << w.text;
    const entity* place = find_entity(a, w.place);
    ASSERT_NE(place, nullptr) << w.text;
    EXPECT_EQ(place->kind, entity_kind::place) << w.text;
    std::size_t in_dateline = 0;
    for (const entity& e : a.entities) {
      for (const text_span& m : e.mentions) {
        if (m.end > a.dateline->text.end) continue;
        ++in_dateline;
        EXPECT_EQ(e.kind, entity_kind::place) << w.text << ": " << e.name;
        EXPECT_TRUE(e.name == w.place || e.name == w.region) << w.text << ": " << e.name;
      }
    }
    EXPECT_EQ(in_dateline, *w.region ? 2u : 1u) << w.text;
  }
}

// The name compared with ASCII capitals: "SÃO PAULO" stayed in capitals.
TEST(ExtractTest, NamesADatelinesPlaceWithNonAsciiCapitalsAsTheDatelineReads) {
  const article a = extracted("S\u00C3O PAULO, Feb 6 (Reuters) - Officials from several countries gathered on Monday.");
  ASSERT_TRUE(a.dateline);
  EXPECT_EQ(a.dateline->place, "S\u00E3o Paulo");
  EXPECT_NE(find_entity(a, "S\u00E3o Paulo"), nullptr);
  EXPECT_EQ(find_entity(a, "S\u00C3O PAULO"), nullptr);
}

TEST(ExtractTest, GivesTheSameResultWhenRunTwice) {
  article a = extracted(k_two_paragraphs);
  const std::string first = encode_enriched(a).value;
  ASSERT_TRUE(testing::test_extractor().process(a).ok());
  EXPECT_EQ(encode_enriched(a).value, first);
}

TEST(ExtractTest, KeepsSpansRightWhenAnEarlierParagraphIsErased) {
  article a = extracted(k_two_paragraphs);
  ASSERT_NE(find_entity(a, "Olaf Scholz"), nullptr);
  erase_paragraph(a, 0);
  EXPECT_EQ(find_entity(a, "Olaf Scholz"), nullptr) << "its only mention was erased";
  const entity* peskov = find_entity(a, "Dmitry Peskov");
  ASSERT_NE(peskov, nullptr);
  EXPECT_EQ(text_of(a, peskov->mentions.at(0)), "Dmitry Peskov");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(text_of(a, a.quotes[0].text), "The situation is too complex");
  ASSERT_TRUE(a.quotes[0].speaker.has_value());
  EXPECT_EQ(a.entities.at(*a.quotes[0].speaker).name, "Dmitry Peskov");
  ASSERT_EQ(a.figures.size(), 1u);
  EXPECT_EQ(text_of(a, a.figures[0].text), "more than 100,000");
  ASSERT_EQ(a.dates.size(), 1u);
  EXPECT_EQ(text_of(a, a.dates[0].text), "Monday");
}

TEST(ExtractTest, DropsWhatWasFoundInAnErasedParagraph) {
  article a = extracted(k_two_paragraphs);
  erase_paragraph(a, 1);
  EXPECT_TRUE(a.quotes.empty());
  EXPECT_TRUE(a.figures.empty());
  EXPECT_TRUE(a.dates.empty());
  EXPECT_EQ(find_entity(a, "Dmitry Peskov"), nullptr);
}

TEST(ExtractEncodeTest, WritesNinjsEntitiesAndTheWirefeedExtras) {
  const article a = extracted(k_two_paragraphs);
  const auto v = boost::json::parse(encode_enriched(a).value).as_object();
  const auto& people = v.at("people").as_array();
  bool peskov_quoted = false;
  for (const auto& p : people) {
    EXPECT_EQ(p.as_object().size(), 2u) << "ninjs 2.0 person objects allow name, rel, uri, literal";
    peskov_quoted |= p.at("name") == "Dmitry Peskov" && p.at("rel") == "quoted";
  }
  EXPECT_TRUE(peskov_quoted);
  const auto& wf = v.at("wirefeed").as_object();
  const auto& q = wf.at("quotes").as_array().at(0).as_object();
  EXPECT_EQ(q.at("speaker"), "Dmitry Peskov");
  EXPECT_EQ(q.at("verb"), "told");
  EXPECT_EQ(q.at("attribution"), "direct");
  const auto& f = wf.at("figures").as_array().at(0).as_object();
  EXPECT_EQ(f.at("value").as_int64(), 100000);
  EXPECT_EQ(f.at("counted"), "troops");
  EXPECT_EQ(wf.at("dates").as_array().at(0).at("value"), "2022-02-07");
  EXPECT_EQ(wf.at("fingerprint").at("minhash").as_string().size(), 344u);  // 256 bytes in base64
}

TEST(ExtractEncodeTest, WritesSpansInCodePoints) {
  const article a = extracted("\u201CGood,\u201D Zelensky said. Zelensky left.");
  const auto v = boost::json::parse(encode_enriched(a).value).as_object();
  const auto& entities = v.at("wirefeed").at("entities").as_array();
  ASSERT_FALSE(entities.empty());
  const auto& span = entities.at(0).at("mentions").as_array().at(0).as_array();
  EXPECT_EQ(span.at(0).as_int64(), 8);  // after “Good,” and a space: 7 code points, 11 bytes
  EXPECT_EQ(span.at(1).as_int64(), 16);
}

}  // namespace
}  // namespace wirefeed
