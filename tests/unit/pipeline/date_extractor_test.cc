#include "pipeline/date_extractor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extract_support.h"

namespace wirefeed {
namespace {

using testing::extracted;
using testing::text_of;

// The dates of `body` (published Monday 2022-02-07 unless said) as "text=value" strings.
std::vector<std::string> dates(const std::string& body, const std::string& published = testing::k_published) {
  const article a = extracted(body, published);
  std::vector<std::string> out;
  for (const date_mention& d : a.dates) {
    out.push_back(std::string(text_of(a, d.text)) + "=" + d.value + (d.relative ? " (relative)" : ""));
  }
  return out;
}

using ::testing::ElementsAre;

TEST(DateExtractorTest, ReadsAnAbsoluteDate) {
  EXPECT_THAT(dates("Macron met Putin in Moscow on Feb. 7, 2022, for talks."), ElementsAre("Feb. 7, 2022=2022-02-07"));
}

// A numeric date in the order the token makes certain, else the one near the publication date,
// else the language's (English without a region or US: month first).
TEST(DateExtractorTest, ReadsNumericDates) {
  EXPECT_THAT(dates("The hearing set for 15/03/2022 moved to 3/16/2022, then to 17.3.2022 and 2022-03-18."),
              ElementsAre("15/03/2022=2022-03-15", "3/16/2022=2022-03-16", "17.3.2022=2022-03-17",
                          "2022-03-18=2022-03-18"));
  // Published 2022-02-07: 07/02 is the day of publication, 02/07 too; far from it, the language decides.
  EXPECT_THAT(dates("The vote of 07/02/2022 and that of 02/07/2022."),
              ElementsAre("07/02/2022=2022-02-07", "02/07/2022=2022-02-07"));
  EXPECT_THAT(dates("Hearings on 04/05/2019 and 04.05.2019.", ""),
              ElementsAre("04/05/2019=2019-04-05", "04.05.2019=2019-05-04"));
  article uk = testing::extracted("Hearings on 04/05/2019 and 11/10/2019.", "");
  uk.language = "en-GB";
  ASSERT_TRUE(testing::test_extractor().process(uk).ok());
  ASSERT_EQ(uk.dates.size(), 2u);
  EXPECT_EQ(uk.dates[0].value, "2019-05-04");
  EXPECT_EQ(uk.dates[1].value, "2019-10-11");
  // Not dates: no day 30 in February, a two-digit year, a fraction, a score.
  EXPECT_THAT(dates("On 2/30/2022 and 3/4/22 it rose 3/4 of a point, a 2-1 win."), ElementsAre());
}

// In another language: numeric dates, and the day first with the month's name.
TEST(DateExtractorTest, ReadsTheDayFirstDatesOfOtherLanguages) {
  const auto dates_in = [](const std::string& language, const std::string& body) {
    article a;
    a.uri = "urn:test";
    a.format = feed_format::text;
    a.body = body;
    a.language = language;
    a.published = testing::k_published;
    EXPECT_TRUE(testing::default_normalizer().process(a).ok());
    EXPECT_TRUE(testing::test_extractor().process(a).ok());
    std::vector<std::string> out;
    for (const date_mention& d : a.dates) out.push_back(std::string(text_of(a, d.text)) + "=" + d.value);
    return out;
  };
  EXPECT_THAT(dates_in("fr", "La réunion du 7 février 2022 est reportée au 1er mars, puis au 15/03/2022. Il a 3 ans."),
              ElementsAre("7 février 2022=2022-02-07", "1er mars=2022-03-01", "15/03/2022=2022-03-15"));
  EXPECT_THAT(dates_in("de", "Am 3. Oktober 2021 feierte man. Das Treffen am 12. März folgt am 7.3.2022."),
              ElementsAre("3. Oktober 2021=2021-10-03", "12. März=2022-03-12", "7.3.2022=2022-03-07"));
  EXPECT_THAT(dates_in("es", "La reunión del 7 de febrero de 2022 fue aplazada al 3 de marzo."),
              ElementsAre("7 de febrero de 2022=2022-02-07", "3 de marzo=2022-03-03"));
  // A month cut short only with a year: "3 set" is three sets, "5 mar" five seas.
  EXPECT_THAT(dates_in("it", "Sinner ha vinto in 3 set il 12 set 2021."), ElementsAre("12 set 2021=2021-09-12"));
  EXPECT_THAT(dates_in("es", "Navegaron 5 mar adentro."), ElementsAre());
  // Only the article's language's names: "mai" is "never" in Italian, "marco" a Portuguese word;
  // in Romanian only numeric dates. A numeric date there is read day first whatever the
  // publication date (2022-02-07): 02/07 is 2 July.
  EXPECT_THAT(dates_in("it", "Sono 5 mai più tornati, il 3 maggio."), ElementsAre("3 maggio=2022-05-03"));
  EXPECT_THAT(dates_in("pt", "Um 2 marco importante, em 4 de maio."), ElementsAre("4 de maio=2022-05-04"));
  // The first of the month as an ordinal: "1º", "1.º", "1°".
  EXPECT_THAT(dates_in("pt", "A greve do 1\xC2\xBA de maio e a do 1.\xC2\xBA de junho."),
              ElementsAre("1\xC2\xBA de maio=2022-05-01", "1.\xC2\xBA de junho=2022-06-01"));
  EXPECT_THAT(dates_in("es", "La huelga del 1\xC2\xB0 de mayo."), ElementsAre("1\xC2\xB0 de mayo=2022-05-01"));
  EXPECT_THAT(dates_in("ro", "Cele 3 mai mari bănci, pe 02/07/2022."), ElementsAre("02/07/2022=2022-07-02"));
  // English words and times are read in English only: no "Monday", no "10:15" here.
  EXPECT_THAT(dates_in("fr", "Monday à 10:15, le 31 avril et 40 mai: rien."), ElementsAre());
}

TEST(DateExtractorTest, ReadsADayRangeInTheYearNearestThePublicationTime) {
  EXPECT_THAT(dates("Scholz will visit Kyiv and Moscow on February 14-15."),
              ElementsAre("February 14-15=2022-02-14/2022-02-15"));
  // The day first, as British and European English write it.
  EXPECT_THAT(dates("The summit will be held on 14-15 February in Vilnius."),
              ElementsAre("14-15 February=2022-02-14/2022-02-15"));
  EXPECT_THAT(dates("The summit will be held on 14-15 February 2023."), ElementsAre("14-15 February 2023=2023-02-14/2023-02-15"));
  EXPECT_THAT(dates("The vote was 30-31 February."), ElementsAre("February=2022-02"));  // no such days: the month
}

// Reuters and AFP write the month without its period ("LONDON, Jan 5 (Reuters) -"); March and May
// with a day range. Without a day or a year such a word is a name or a word ("Jan Smith", "Mar").
TEST(DateExtractorTest, ReadsAbbreviationsWithoutAPeriodAndDayRangesAfterMarchOrMay) {
  EXPECT_THAT(dates("The talks on Feb 9 follow those of 5 Jan 2022. More are set for May 3-5 and March 12-14."),
              ElementsAre("Feb 9=2022-02-09", "5 Jan 2022=2022-01-05", "May 3-5=2022-05-03/2022-05-05",
                          "March 12-14=2022-03-12/2022-03-14"));
  EXPECT_THAT(dates("Jan Smith and Dec Jones met in Mar del Plata."), ElementsAre());
}

TEST(DateExtractorTest, PutsAMonthInTheNearestYear) {
  EXPECT_THAT(dates("The crisis began in December and elections are due in April."),
              ElementsAre("December=2021-12", "April=2022-04"));
}

TEST(DateExtractorTest, ReadsAWeekdayByTheTenseAroundIt) {
  EXPECT_THAT(dates("Sullivan warned on Sunday that Macron will travel to Kyiv on Tuesday."),
              ElementsAre("Sunday=2022-02-06 (relative)", "Tuesday=2022-02-08 (relative)"));
  EXPECT_THAT(dates("Scholz said he met Biden on Friday."), ElementsAre("Friday=2022-02-04 (relative)"));
}

TEST(DateExtractorTest, ResolvesRelativeWeeksAndWeekends) {
  EXPECT_THAT(dates("Scholz will be in Moscow next week.", "2022-02-07T08:00:00Z"),
              ElementsAre("next week=2022-02-14/2022-02-20 (relative)"));
  EXPECT_THAT(dates("Officials met this weekend."), ElementsAre("this weekend=2022-02-05/2022-02-06 (relative)"));
}

// "the weekend" on a Thursday: the coming one, unless the sentence tells of it as past.
TEST(DateExtractorTest, ReadsTheWeekendByTheTenseAroundIt) {
  const std::string thursday = "2022-02-10T08:00:00Z";
  EXPECT_THAT(dates("Talks will resume over the weekend.", thursday),
              ElementsAre("the weekend=2022-02-12/2022-02-13 (relative)"));
  EXPECT_THAT(dates("Police arrested two men over the weekend.", thursday),
              ElementsAre("the weekend=2022-02-05/2022-02-06 (relative)"));
  EXPECT_THAT(dates("Crowds expected for the weekend.", thursday),
              ElementsAre("the weekend=2022-02-12/2022-02-13 (relative)"));
  EXPECT_THAT(dates("Fans will gather this weekend.", "2022-02-07T08:00:00Z"),
              ElementsAre("this weekend=2022-02-12/2022-02-13 (relative)"));
}

TEST(DateExtractorTest, ResolvesAnAmountOfTimeAgo) {
  EXPECT_THAT(dates("Scholz became chancellor nearly two months ago."),
              ElementsAre("two months ago=2021-12 (relative)"));
}

TEST(DateExtractorTest, LeavesRelativeDatesEmptyWithoutAPublicationTime) {
  EXPECT_THAT(dates("Sullivan spoke on Sunday about February 14.", ""),
              ElementsAre("Sunday= (relative)", "February 14=XXXX-02-14"));
}

TEST(DateExtractorTest, PutsATimeOnTheDayNamedInItsSentence) {
  EXPECT_THAT(dates("The talks start on Feb. 8, 2022 at 10:30 a.m. in Kyiv."),
              ElementsAre("Feb. 8, 2022=2022-02-08", "10:30 a.m.=2022-02-08T10:30"));
}

TEST(DateExtractorTest, ReadsAYearAfterAPreposition) {
  EXPECT_THAT(dates("In 2015, France and Germany helped broker a deal after the annexation of Crimea in 2014."),
              ElementsAre("2015=2015", "2014=2014"));
}

// Clock times as some sites print them, spaced out: the hour, a colon, the minutes ("8: 12 PM" is
// no "12 PM"), and "a. m.". A game's clock is no time of day ("with 7:42 left", "the 2:15 mark").
TEST(DateExtractorTest, ReadsSpacedClockTimesAndNoGameClocks) {
  EXPECT_THAT(dates("Posted Feb. 7, 2022, 8: 12 PM. The quake struck on Feb. 8, 2022 at 3: 33 a. m. local time."),
              ElementsAre("Feb. 7, 2022=2022-02-07", "8: 12 PM=2022-02-07T20:12", "Feb. 8, 2022=2022-02-08",
                          "3: 33 a. m.=2022-02-08T03:33"));
  EXPECT_THAT(dates("He scored with 7:42 left, and again at the 2:15 mark with 1:10 to play."), ElementsAre());
  EXPECT_THAT(dates("He woke at 6:30 to go to work on Feb. 8, 2022."),
              ElementsAre("6:30=2022-02-08T06:30", "Feb. 8, 2022=2022-02-08"));
  EXPECT_THAT(dates("He quoted John 3: 16 at 9:30 on Feb. 8, 2022."),
              ElementsAre("9:30=2022-02-08T09:30", "Feb. 8, 2022=2022-02-08"));
}

// A weekday before a full date names that date: one date, not a weekday near the publication time
// beside it.
TEST(DateExtractorTest, ReadsAWeekdayBeforeADateAsPartOfIt) {
  EXPECT_THAT(dates("The concert is at 8 p.m. Saturday, Feb. 12, the organisers said."),
              ElementsAre("8 p.m.=2022-02-12T20:00", "Saturday, Feb. 12=2022-02-12"));
  EXPECT_THAT(dates("THURSDAY, DECEMBER 3, 2009. He was born on Tuesday, Oct. 10, 1972, and died Saturday 8 June 2013."),
              ElementsAre("THURSDAY, DECEMBER 3, 2009=2009-12-03", "Tuesday, Oct. 10, 1972=1972-10-10",
                          "Saturday 8 June 2013=2013-06-08"));
}

// "last October" is the one before the publication month, "next March" the one after it.
TEST(DateExtractorTest, ReadsLastAndNextBeforeAMonth) {
  EXPECT_THAT(dates("He took office last October, left last February and returns next March and next January."),
              ElementsAre("last October=2021-10 (relative)", "last February=2021-02 (relative)",
                          "next March=2022-03 (relative)", "next January=2023-01 (relative)"));
  EXPECT_THAT(dates("He was arrested last October 12 in Miami."), ElementsAre("last October 12=2021-10-12 (relative)"));
}

TEST(DateExtractorTest, ReadsADayWrittenAsAnOrdinalBeforeItsMonth) {
  EXPECT_THAT(dates("He died on 6th June, a year after the 18th of September 2013."),
              ElementsAre("6th June=2022-06-06", "18th of September 2013=2013-09-18"));
}

TEST(DateExtractorTest, ReadsDecades) {
  EXPECT_THAT(dates("Prices rose in the 1980's and the 1950s, fell in the '90s and the late '70s, and were calm in the mid-1960s."),
              ElementsAre("1980's=1980/1989", "1950s=1950/1959", "'90s=1990/1999", "'70s=1970/1979",
                          "mid-1960s=1960/1969"));
  EXPECT_THAT(dates("Highs will be in the mid 70s; the man, in his late 50s, left."), ElementsAre());
}

// Names of days that are no day of this week: "Patch Tuesday", "Fox News Sunday", "Black Friday".
TEST(DateExtractorTest, ReadsNoWeekdayInTheNameOfADay) {
  EXPECT_THAT(dates("The fix comes on Patch Tuesday; she said so on Fox News Sunday."), ElementsAre());
  EXPECT_THAT(dates("They celebrated Easter Sunday."), ElementsAre("Sunday=2022-02-06 (relative)"));
}

TEST(DateExtractorTest, ReadsAMonthWithItsYearAfterACommaOrOf) {
  EXPECT_THAT(dates("He moved there in February, 2003 and left in January of 1955."),
              ElementsAre("February, 2003=2003-02", "January of 1955=1955-01"));
  EXPECT_THAT(dates("By March, 2021 had become the deadliest year."), ElementsAre("March=2022-03"));
}

TEST(DateExtractorTest, ReadsARangeOfYears) {
  EXPECT_THAT(dates("The plant ran from 1974 to 1978 and between 1991 and 1998."),
              ElementsAre("1974 to 1978=1974/1978", "1991 and 1998=1991/1998"));
  EXPECT_THAT(dates("2014."), ElementsAre("2014=2014"));  // a year first in the text
}

// Published on a Monday: a passive infinitive looks ahead, an irregular past back, "until" ahead.
TEST(DateExtractorTest, ReadsAWeekdayByTheTenseOfPassivesIrregularVerbsAndUntil) {
  EXPECT_THAT(dates("The bill is to be voted on Thursday."), ElementsAre("Thursday=2022-02-10 (relative)"));
  EXPECT_THAT(dates("Woodward, who would speak once the source died, could not be reached Thursday."),
              ElementsAre("Thursday=2022-02-03 (relative)"));
  EXPECT_THAT(dates("Police shot the teenager on Saturday."), ElementsAre("Saturday=2022-02-05 (relative)"));
  EXPECT_THAT(dates("The man died Saturday."), ElementsAre("Saturday=2022-02-05 (relative)"));
  EXPECT_THAT(dates("The judge postponed the testimony until Friday."), ElementsAre("Friday=2022-02-11 (relative)"));
  EXPECT_THAT(dates("The judge postponed it until Friday, Feb. 18."), ElementsAre("Friday, Feb. 18=2022-02-18"));
  EXPECT_THAT(dates("The suspect remained in hiding until Friday, when police found him."),
              ElementsAre("Friday=2022-02-04 (relative)"));
  EXPECT_THAT(dates("Workers will be paid on Friday."), ElementsAre("Friday=2022-02-11 (relative)"));
  EXPECT_THAT(dates("The Fed meets Wednesday."), ElementsAre("Wednesday=2022-02-09 (relative)"));
  EXPECT_THAT(dates("A protest followed the next night, and another on Wednesday night."),
              ElementsAre("Wednesday=2022-02-02 (relative)"));
}

// "the past year" is the twelve months to the publication date, as "the past week" is its seven
// days; "last year" the calendar year before.
TEST(DateExtractorTest, ReadsThePastYearAsTheTwelveMonthsBefore) {
  EXPECT_THAT(dates("Sales fell over the past year and the past month, after last year."),
              ElementsAre("the past year=2021-02-07/2022-02-06 (relative)",
                          "the past month=2022-01-07/2022-02-06 (relative)", "last year=2021 (relative)"));
}

// "the last year" is "the past year"; "the last year of his term" is no date known.
TEST(DateExtractorTest, ReadsTheLastYearAsThePastYearUnlessAFinalOne) {
  EXPECT_THAT(dates("Prices rose over the last year and the last week."),
              ElementsAre("the last year=2021-02-07/2022-02-06 (relative)",
                          "the last week=2022-01-31/2022-02-06 (relative)"));
  EXPECT_THAT(dates("He stayed on for the last year of his term and left last week."),
              ElementsAre("last week=2022-01-31/2022-02-06 (relative)"));
  EXPECT_THAT(dates("It was the last year that the plant made a profit, the last week before the war."), ::testing::IsEmpty());
}

}  // namespace
}  // namespace wirefeed
