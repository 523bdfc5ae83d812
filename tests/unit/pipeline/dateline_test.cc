#include "pipeline/dateline.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

TEST(DatelineTest, ReadsPlaceAndAgencyInCapitalsWithAnEmDash) {
  const std::string p = "MOSCOW (AP) \xE2\x80\x94 International efforts to defuse the standoff.";
  const auto d = find_dateline(p, true);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "Moscow");
  EXPECT_EQ(d->agency, "AP");
  EXPECT_EQ(p.substr(d->length), "International efforts to defuse the standoff.");
}

TEST(DatelineTest, ReadsAPlaceWithAHyphenSeparator) {
  const auto d = find_dateline("PARIS - French President Emmanuel Macron was headed to Moscow.", false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "Paris");
  EXPECT_EQ(d->agency, "");
}

TEST(DatelineTest, ReadsMultiWordPlacesAndARegion) {
  EXPECT_EQ(find_dateline("NEW YORK (Reuters) - Stocks fell.", false)->place, "New York");
  EXPECT_EQ(find_dateline("ST. LOUIS (AP) \xE2\x80\x94 Rain.", false)->place, "St. Louis");
  // A particle inside a name in capitals is in lower case, as the name is written.
  EXPECT_EQ(find_dateline("RIO DE JANEIRO (AP) \xE2\x80\x94 Rain.", false)->place, "Rio de Janeiro");
  EXPECT_EQ(find_dateline("FRANKFURT AM MAIN (dpa) - Regen.", false)->place, "Frankfurt am Main");
  const auto d = find_dateline("KYIV, Ukraine (AP) \xE2\x80\x94 The country said.", false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "Kyiv, Ukraine");
  EXPECT_EQ(d->agency, "AP");
}

TEST(DatelineTest, ReadsTheDateOfAReutersDateline) {
  const auto d = find_dateline("MOSCOW, Feb 7 (Reuters) - Talks began.", false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "Moscow");
  EXPECT_EQ(d->agency, "Reuters");
  EXPECT_EQ(d->month, 2);
  EXPECT_EQ(d->day, 7);
}

TEST(DatelineTest, ReadsAnAgencyAlone) {
  const auto d = find_dateline("(AFP) - Talks began.", false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "");
  EXPECT_EQ(d->agency, "AFP");
}

TEST(DatelineTest, ReadsTheWeakFormOnlyInTheFirstParagraph) {
  const std::string p = "Moscow: French President Emmanuel Macron was in Moscow on Monday.";
  ASSERT_TRUE(find_dateline(p, true));
  EXPECT_EQ(find_dateline(p, true)->place, "Moscow");
  EXPECT_FALSE(find_dateline(p, false));
}

// AFP and dpa write the place in title case before the agency; AFP puts the year after the date.
TEST(DatelineTest, ReadsATitleCasePlaceWithAnAgencyAndADateWithItsYear) {
  for (const char* p : {"Paris (AFP) - French President Emmanuel Macron spoke.", "Berlin (dpa) - Die Regierung tagte."}) {
    const auto d = find_dateline(p, true);
    ASSERT_TRUE(d) << p;
    EXPECT_EQ(d->agency, std::string_view(p).starts_with("Paris") ? "AFP" : "dpa");
    EXPECT_FALSE(find_dateline(p, false)) << p;  // the first paragraph only, as the weak form
  }
  const auto caps = find_dateline("ANKARA, Feb 6, 2023 (AFP) - Rescuers searched.", false);
  ASSERT_TRUE(caps);
  EXPECT_EQ(caps->place, "Ankara");
  EXPECT_EQ(caps->month, 2);
  EXPECT_EQ(caps->day, 6);
  EXPECT_EQ(caps->year, 2023);
  EXPECT_EQ(caps->agency, "AFP");
  const auto day_first = find_dateline("WASHINGTON, 7 February 2023 (AFP) - Talks began.", false);
  ASSERT_TRUE(day_first);
  EXPECT_EQ(day_first->year, 2023);
  EXPECT_EQ(day_first->month, 2);
  const auto titled = find_dateline("Ankara, Feb 6 (AFP) - Rescuers searched.", true);
  ASSERT_TRUE(titled);
  EXPECT_EQ(titled->place, "Ankara");
  EXPECT_FALSE(find_dateline("Ankara, Feb 6 - Rescuers searched.", true));  // a date without an agency: no
}

// AFP's French, dpa's and EFE's datelines put the day first and name the month in their language;
// EFE ends the dateline with ".-".
TEST(DatelineTest, ReadsADayFirstDateInFrenchGermanOrSpanish) {
  struct want {
    const char* text;
    const char* place;
    const char* agency;
    int month, day;
  };
  for (const auto& w : {want{"PARIS, 7 f\xC3\xA9vrier (AFP) - Le pr\xC3\xA9sident a parl\xC3\xA9.", "Paris", "AFP", 2, 7},
                        want{"PARIS, 7 f\xC3\xA9vr. 2022 (AFP) - Le pr\xC3\xA9sident a parl\xC3\xA9.", "Paris", "AFP", 2, 7},
                        want{"MADRID, 7 feb (EFE).- El Gobierno aprob\xC3\xB3 el plan.", "Madrid", "EFE", 2, 7},
                        want{"BERLIN, 7. Februar (dpa) - Die Regierung tagte.", "Berlin", "dpa", 2, 7},
                        want{"Z\xC3\x9CRICH, 12. M\xC3\xA4rz (SDA) - Der Rat tagte.", "Z\xC3\xBCrich", "SDA", 3, 12},
                        want{"LISBOA, 3 de dezembro de 2023 (Lusa) - O Governo aprovou.", "Lisboa", "Lusa", 12, 3},
                        want{"LONDON, 7 October (Reuters) - Shares fell.", "London", "Reuters", 10, 7},
                        want{"PARIS, 15 aout (AFP) - Le texte.", "Paris", "AFP", 8, 15}}) {
    const auto d = find_dateline(w.text, false);
    ASSERT_TRUE(d) << w.text;
    EXPECT_EQ(d->place, w.place) << w.text;
    EXPECT_EQ(d->agency, w.agency) << w.text;
    EXPECT_EQ(d->month, w.month) << w.text;
    EXPECT_EQ(d->day, w.day) << w.text;
  }
  const auto no_month = find_dateline("PARIS, 7 hommes (AFP) - Texte.", false);  // "hommes" is no month
  EXPECT_TRUE(!no_month || no_month->month == 0);
  // Without an agency the day-first form is a sentence: "out" and "set" are Portuguese months too.
  for (const char* sentence : {"WASHINGTON, 10 out - of 12 states voted.", "NEW YORK, 3 set - the market opened."}) {
    const auto d = find_dateline(sentence, false);
    EXPECT_TRUE(!d || d->month == 0) << sentence;
  }
}

TEST(DatelineTest, IgnoresOrdinarySentencesAndHeadings) {
  EXPECT_FALSE(find_dateline("Moscow has accused the West, in particular Washington.", true));
  EXPECT_FALSE(find_dateline("Update: the talks are over.", true));
  EXPECT_FALSE(find_dateline("The U.S. - Russia talks ended.", true));
  EXPECT_FALSE(find_dateline("UPDATE: the talks are over.", true));
  EXPECT_FALSE(find_dateline("Moscow: the talks are over.", true));  // no capital after the colon
  EXPECT_FALSE(find_dateline("'APOCALYPTIC PREDICTIONS' Such a force would be capable.", false));
  EXPECT_FALSE(find_dateline("", true));
}

// A label that opens a page or a paragraph is no place, in capitals as in title case; "THE HAGUE" is,
// and so is a place whose first word could open a label, with an agency.
TEST(DatelineTest, IgnoresPageLabelsInCapitals) {
  for (const char* p : {"EDITOR\xE2\x80\x99S NOTE \xE2\x80\x94 This story contains graphic descriptions.",
                        "BREAKING \xE2\x80\x94 Police say the suspect has been arrested.",
                        "FILE - In this Feb. 6, 2023, file photo, rescuers search for people.",
                        "CORRECTION \xE2\x80\x94 An earlier version of this story misstated the toll.",
                        "ATTENTION - ADDS quotes, details ///", "Eds: UPDATES with new toll"}) {
    EXPECT_FALSE(find_dateline(p, true)) << p;
  }
  const auto hague = find_dateline("THE HAGUE (Reuters) - The court ruled.", false);
  ASSERT_TRUE(hague);
  EXPECT_EQ(hague->place, "The Hague");
  const auto live_oak = find_dateline("LIVE OAK, Fla. (AP) \xE2\x80\x94 Rain fell.", false);  // a label has no agency
  ASSERT_TRUE(live_oak);
  EXPECT_EQ(live_oak->place, "Live Oak, Fla.");
}

// A web page's publication line opens many a first paragraph ("Posted: Jul 07, 2012 7:40 PM ET"):
// its label is no place (14 of ECB+'s 16 datelines were such labels or headline kickers).
TEST(DatelineTest, APublicationLinesLabelIsNoPlace) {
  for (const char* p : {"Posted: Jul 07, 2012 7:40 PM ET", "Published: Dec. 19, 2005 at 9:44 PM",
                        "First Published: Dec. 19, 2005", "PUBLISHED - Monday"}) {
    EXPECT_FALSE(find_dateline(p, true)) << p;
  }
  const auto moscow = find_dateline("Moscow: French President Emmanuel Macron met Vladimir Putin.", true);
  ASSERT_TRUE(moscow);
  EXPECT_EQ(moscow->place, "Moscow");
}

// A title-case word and a colon open a kicker headline as often as a dateline: after a colon the
// paragraph must end like a sentence, and not in title case (ECB+'s 7 colon datelines were all
// headlines).
TEST(DatelineTest, AKickerHeadlineIsNoColonDateline) {
  for (const char* p : {"Lawyer: Lindsay Lohan checks into rehab facility", "Paris: Jewellery Stolen In Casty Shop Raid",
                        "Arch Madness: Creighton 65, Drake 5", "Herald: Sox Make Offer To Teixeira (8 Years?)"}) {
    EXPECT_FALSE(find_dateline(p, true)) << p;
  }
  for (const char* p : {"New Delhi: The government on Monday announced a new policy.",
                        "Mumbai: Police said the man had fled (according to witnesses).",
                        "Paris: He asked, \u201cWho knew?\u201d",
                        "Mumbai: Prime Minister Narendra Modi on Monday said, \"We will not stop\""}) {
    EXPECT_TRUE(find_dateline(p, true)) << p;
  }
}

// "BP (BP.L): reported record profit" is an item of a Reuters list: an instrument code is no
// agency, and a colon after the parenthesis no dateline's dash.
TEST(DatelineTest, TakesNoTickerForAnAgencyNorAColonAfterTheAgencyForASeparator) {
  EXPECT_FALSE(find_dateline("BP (BP.L): reported record annual profit of $27.7 billion.", true));
  EXPECT_FALSE(find_dateline("TESLA (TSLA.O) - Fell 3.5% in premarket trading.", true));
  EXPECT_FALSE(find_dateline("Apple (AAPL.O): Shares rose 2%.", true));
  EXPECT_FALSE(find_dateline("MOSCOW (Reuters): Talks began.", true));
}

// Cities joined by '/' are one dateline, named by the first: where the story was filed.
TEST(DatelineTest, ReadsCitiesJoinedByASlashAsTheFirstCity) {
  const auto d = find_dateline("ISTANBUL/DAMASCUS, Feb 6 (Reuters) - A major earthquake killed.", false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "Istanbul");
  EXPECT_EQ(d->agency, "Reuters");
  EXPECT_EQ(d->month, 2);
  EXPECT_EQ(d->day, 6);
  EXPECT_EQ(find_dateline("HONG KONG/SINGAPORE, Feb 6 (Reuters) - Shares fell.", false)->place, "Hong Kong");
  EXPECT_EQ(find_dateline("KYIV/MOSCOW, Feb 6 (Reuters) - Talks began.", false)->place, "Kyiv");
  for (const char* p : {"Berlin/Paris (dpa) - Die Regierung tagte.", "Frankfurt/Main (dpa) - Die Bank tagte."}) {
    const auto titled = find_dateline(p, true);
    ASSERT_TRUE(titled) << p;
    EXPECT_EQ(titled->place, std::string_view(p).substr(0, std::string_view(p).find('/'))) << p;
  }
}

TEST(DatelineTest, ReadsATitleCasePlaceWithALowerCaseParticle) {
  for (const char* place : {"Frankfurt am Main", "Rio de Janeiro"}) {
    const auto d = find_dateline(std::string(place) + " (dpa) - Die Bank tagte.", true);
    ASSERT_TRUE(d) << place;
    EXPECT_EQ(d->place, place);
  }
  EXPECT_FALSE(find_dateline("de Gaulle (AFP) - Text.", true));  // a particle only inside
}

// ANSA puts the agency first: "(ANSA) - ROMA, 06 FEB - ".
TEST(DatelineTest, ReadsThePlaceAndDateAfterAnAgencyThatComesFirst) {
  const std::string p = "(ANSA) - ROMA, 06 FEB - Un terremoto ha colpito la Turchia.";
  const auto d = find_dateline(p, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "Roma");
  EXPECT_EQ(d->agency, "ANSA");
  EXPECT_EQ(d->month, 2);
  EXPECT_EQ(d->day, 6);
  EXPECT_EQ(p.substr(d->length), "Un terremoto ha colpito la Turchia.");
  EXPECT_EQ(p.substr(d->place_at, d->place_length), "ROMA");
}

TEST(DatelineTest, ReadsADatelineAfterAnUpdateStampInBrackets) {
  const std::string p = "[UPDATED 10:32 GMT] MOSCOW (Reuters) - Russian President Vladimir Putin said.";
  const auto d = find_dateline(p, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "Moscow");
  EXPECT_EQ(d->agency, "Reuters");
  EXPECT_EQ(p.substr(d->length), "Russian President Vladimir Putin said.");
  EXPECT_EQ(p.substr(d->place_at, d->place_length), "MOSCOW");
  EXPECT_FALSE(find_dateline("[UPDATED 10:32 GMT] Talks began.", true));
}

TEST(DatelineTest, ReportsWhereThePlaceAndTheRegionAreWritten) {
  const std::string p = "ST. PETERSBURG, Russia (AP) \xE2\x80\x94 Officials met.";
  const auto d = find_dateline(p, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "St. Petersburg, Russia");
  EXPECT_EQ(p.substr(d->place_at, d->place_length), "ST. PETERSBURG");
  EXPECT_EQ(p.substr(d->region_at, d->region_length), "Russia");
  EXPECT_EQ(find_dateline("(AP) \xE2\x80\x94 Officials met.", false)->place_length, 0u);
}

TEST(DatelineTest, KeepsTheCapitalAfterAnApostropheBehindOneLetter) {
  EXPECT_EQ(find_dateline("N'DJAMENA, Chad (AP) \xE2\x80\x94 Officials met.", false)->place, "N'Djamena, Chad");
  EXPECT_EQ(find_dateline("L\xE2\x80\x99" "AQUILA (AP) \xE2\x80\x94 Officials met.", false)->place, "L\xE2\x80\x99" "Aquila");
}

}  // namespace
}  // namespace wirefeed
