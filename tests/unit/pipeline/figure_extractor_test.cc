#include "pipeline/figure_extractor.h"

#include <gtest/gtest.h>

#include "extract_support.h"
#include "pipeline/number_words.h"

namespace wirefeed {
namespace {

using testing::extracted;
using testing::text_of;

// The only figure of `body`.
figure only_figure(const std::string& body) {
  const article a = extracted(body);
  EXPECT_EQ(a.figures.size(), 1u) << body;
  return a.figures.empty() ? figure{} : a.figures[0];
}

TEST(FigureExtractorTest, KeepsTheQualifierAndWhatIsCounted) {
  const article a = extracted("Moscow has deployed more than 100,000 Russian troops along the border.");
  ASSERT_EQ(a.figures.size(), 1u);
  const figure& f = a.figures[0];
  EXPECT_EQ(text_of(a, f.text), "more than 100,000");
  EXPECT_EQ(f.value, 100000);
  EXPECT_EQ(f.qualifier, "more than");
  EXPECT_EQ(f.counted, "troops");
  EXPECT_EQ(f.unit, "");
}

// "100m" is 100 million, but a race in "the 100m final" and "won the 400m": metres.
// What is counted ends at a verb without "-ed" ("struck"); "-ing" after an adjective is the noun;
// a list's numbers ("1.", "2.") count nothing.
TEST(FigureExtractorTest, EndsWhatIsCountedAtAVerbAndSkipsListNumbers) {
  EXPECT_EQ(only_figure("A 7.8 magnitude earthquake struck southeastern Turkey on Monday.").counted, "magnitude earthquake");
  EXPECT_EQ(only_figure("Erdogan declared seven days of national mourning.").counted, "national mourning");
  EXPECT_EQ(only_figure("The 500 troops camping near the border left.").counted, "troops");
  const article list = extracted("Officials listed the steps.\n\n1. Rescue teams arrived.\n\n2. Aid was sent.");
  EXPECT_TRUE(list.figures.empty());
}

// "rose 0.5% to 6.4%": a change and a level, each with its unit; "grew 5 to 7 percent" a range.
TEST(FigureExtractorTest, AChangeWithItsUnitBeforeTheLevelIsNoRange) {
  const article a = extracted("Shares rose 0.5% to 6.4% on Monday, and prices rose by 2% to 5%.");
  ASSERT_EQ(a.figures.size(), 4u);
  for (const figure& f : a.figures) EXPECT_FALSE(f.high.has_value());
  EXPECT_EQ(only_figure("The economy grew 5 to 7 percent.").high, 7);
  EXPECT_EQ(only_figure("Yields were between 4% and 5% last year.").high, 5);
}

// The old value of a change written bare takes the new one's scale and unit.
TEST(FigureExtractorTest, AnOldValueTakesTheNewOnesScaleAndUnit) {
  const article a = extracted("The unemployment rate fell from 3.6 to 3.4 percent in March.");
  ASSERT_EQ(a.figures.size(), 2u);
  EXPECT_EQ(a.figures[0].value, 3.6);
  EXPECT_EQ(a.figures[0].unit, "percent");
  const article b = extracted("The club raised its offer from 36 to 57 million francs.");
  ASSERT_EQ(b.figures.size(), 2u);
  EXPECT_EQ(b.figures[0].value, 36e6);
  EXPECT_EQ(b.figures[0].unit, "CHF");
}

TEST(FigureExtractorTest, ReadsARaceDistanceAsMetres) {
  const figure sprint = only_figure("Jamaica's Shericka Jackson won the 100m final in Budapest.");
  EXPECT_EQ(sprint.value, 100);
  EXPECT_EQ(sprint.unit, "m");
  const figure lap = only_figure("Kenya's Mary Moraa won the 800m with a late surge.");
  EXPECT_EQ(lap.value, 800);
  EXPECT_EQ(lap.unit, "m");
  const figure money = only_figure("The club paid 100m euros for the striker.");
  EXPECT_EQ(money.value, 1e8);
}

TEST(FigureExtractorTest, ReadsACurrencyAmountWithItsScale) {
  const figure f = only_figure("Biden sent $500 million in military assistance to the Kyiv government.");
  EXPECT_EQ(f.value, 5e8);
  EXPECT_EQ(f.unit, "USD");
  EXPECT_EQ(f.counted, "military assistance");
}

// A currency's code before the number, and Indian English's lakh (100,000) and crore (ten million).
TEST(FigureExtractorTest, ReadsCurrencyCodesAndIndianScaleWords) {
  const figure chf = only_figure("The bank lent CHF 200 million to the club.");
  EXPECT_EQ(chf.value, 2e8);
  EXPECT_EQ(chf.unit, "CHF");
  const figure crore = only_figure("The state set aside Rs 1,000 crore for relief.");
  EXPECT_EQ(crore.value, 1e10);
  EXPECT_EQ(crore.unit, "INR");
  const figure lakh = only_figure("Officials moved 1.5 lakh families to shelters.");
  EXPECT_EQ(lakh.value, 150000);
  EXPECT_EQ(lakh.counted, "families");
  EXPECT_EQ(only_figure("He was fined 5,000 rupees by the court.").unit, "INR");
  // Reuters' "Swiss francs"; the tagger's "CHF 12" is no organisation; "lakh crore" multiplies.
  const figure francs = only_figure("The deal was worth 3.5 billion Swiss francs, the company said.");
  EXPECT_EQ(francs.value, 3.5e9);
  EXPECT_EQ(francs.unit, "CHF");
  const article tagged = extracted("Analysts valued the group at CHF 12 billion.");
  ASSERT_EQ(tagged.figures.size(), 1u);
  EXPECT_EQ(tagged.figures[0].unit, "CHF");
  for (const entity& e : tagged.entities) EXPECT_EQ(e.name.find("CHF"), std::string::npos) << e.name;
  EXPECT_EQ(only_figure("The budget set aside INR 10 lakh crore for roads.").value, 1e13);
}

// "HK$" is no US dollar and "500 pounds of cocaine" no money.
TEST(FigureExtractorTest, ReadsTheDollarAPrefixNamesAndPoundsOfSomethingAsAWeight) {
  const article a = extracted("The firm raised HK$10 billion and C$5 million, not US$3 million.");
  ASSERT_EQ(a.figures.size(), 3u);
  EXPECT_EQ(text_of(a, a.figures[0].text), "HK$10 billion");
  EXPECT_EQ(a.figures[0].unit, "HKD");
  EXPECT_EQ(a.figures[0].value, 1e10);
  EXPECT_EQ(a.figures[1].unit, "CAD");
  EXPECT_EQ(a.figures[2].unit, "USD");
  const figure weight = only_figure("Police seized 500 pounds of cocaine.");
  EXPECT_EQ(weight.unit, "lb");
  EXPECT_EQ(weight.counted, "cocaine");
  EXPECT_EQ(only_figure("They found a 200-pound bale.").unit, "lb");
  EXPECT_EQ(only_figure("The club paid 5 million pounds for him.").unit, "GBP");
}

// A percent sign after each number of a range split it in two figures.
// "pounds" is money unless it weighs something: "of" after it, or a word of weight or build just
// before it (a suspect's description).
TEST(FigureExtractorTest, ReadsPoundsInADescriptionAsAWeight) {
  EXPECT_EQ(only_figure("The suspect is 5-foot-10 and about 135 pounds.").unit, "lb");
  EXPECT_EQ(only_figure("He was described as weighing approximately 200 pounds.").unit, "lb");
  EXPECT_EQ(only_figure("Police said the man, who weighs 200 pounds, fled.").unit, "lb");
  EXPECT_EQ(only_figure("The club was fined 500 pounds.").unit, "GBP");
  EXPECT_EQ(only_figure("It weighed on the market as 5 million pounds left the country.").unit, "GBP");  // a scale: money
  EXPECT_EQ(only_figure("The council is weighing a bid of 900,000 pounds for the land.").unit, "GBP");
  EXPECT_EQ(only_figure("Raising 500,000 pounds is a tall order.").unit, "GBP");
}

TEST(FigureExtractorTest, ReadsARangeWithTheUnitAfterEachNumber) {
  const article a = extracted("Rates held at between 5.25% and 5.50%, with 4.3% to 4.4% expected.");
  ASSERT_EQ(a.figures.size(), 2u);
  EXPECT_EQ(text_of(a, a.figures[0].text), "between 5.25% and 5.50%");
  EXPECT_EQ(a.figures[0].value, 5.25);
  EXPECT_EQ(a.figures[0].high, 5.5);
  EXPECT_EQ(a.figures[0].unit, "percent");
  EXPECT_EQ(text_of(a, a.figures[1].text), "4.3% to 4.4%");
  EXPECT_EQ(a.figures[1].high, 4.4);
  EXPECT_EQ(only_figure("Unemployment rose 5% to a record.").unit, "percent");  // no range: as before
}

// A range's sides agree on the unit: "rose 1.2% to $84.31" is a change and the level it reached.
TEST(FigureExtractorTest, ReadsAChangeAndTheLevelItReachedAsTwoFigures) {
  const article oil = extracted("Brent crude rose 1.2% to $84.31 a barrel.");
  ASSERT_EQ(oil.figures.size(), 2u);
  EXPECT_EQ(text_of(oil, oil.figures[0].text), "1.2%");
  EXPECT_EQ(oil.figures[0].unit, "percent");
  EXPECT_FALSE(oil.figures[0].high.has_value());
  EXPECT_EQ(text_of(oil, oil.figures[1].text), "$84.31");
  EXPECT_EQ(oil.figures[1].value, 84.31);
  EXPECT_EQ(oil.figures[1].unit, "USD");
  const article sales = extracted("Revenue grew 5% to $117.2 billion.");
  ASSERT_EQ(sales.figures.size(), 2u);
  EXPECT_EQ(sales.figures[0].unit, "percent");
  EXPECT_EQ(sales.figures[1].value, 117.2e9);
  EXPECT_EQ(sales.figures[1].unit, "USD");
  const article index = extracted("The tech-heavy index added 1.1% to 11,512.41.");
  ASSERT_EQ(index.figures.size(), 2u);
  EXPECT_FALSE(index.figures[0].high.has_value());
  EXPECT_EQ(index.figures[1].value, 11512.41);
  EXPECT_EQ(index.figures[1].unit, "");
}

// After a verb of change, "from 36 to 57" is the old and the new value.
TEST(FigureExtractorTest, ReadsFromAndToAfterAVerbOfChangeAsTwoFigures) {
  const article a = extracted("The death toll rose from 36 to 57 on Monday.");
  ASSERT_EQ(a.figures.size(), 2u);
  EXPECT_EQ(a.figures[0].value, 36);
  EXPECT_FALSE(a.figures[0].high.has_value());
  EXPECT_EQ(a.figures[1].value, 57);
  const figure range = only_figure("Estimates ranged from 36 to 57 deaths.");
  EXPECT_EQ(range.high, 57);
}

// A low side without a unit takes the high side's.
TEST(FigureExtractorTest, ReadsARangeWithTheUnitAfterItsHighSideOnly) {
  const figure pct = only_figure("Sales should grow 5 to 7% next year.");
  EXPECT_EQ(pct.value, 5);
  EXPECT_EQ(pct.high, 7);
  EXPECT_EQ(pct.unit, "percent");
  const figure usd = only_figure("The repairs cost $5 to $7 million.");
  EXPECT_EQ(usd.high, 7e6);
  EXPECT_EQ(usd.unit, "USD");
}

// Numbers that name something are no quantity a story should group.
TEST(FigureExtractorTest, SkipsIndexNamesRanksClockTimesAndAges) {
  for (const char* body : {"The S&P 500 index fell on Monday.", "He became the No. 2 official in May.",
                           "Talks resume at 1400 GMT on Monday.", "Student Maria Lopez, 16, said she ran.",
                           "The 36-year-old Klitschko won.", "A six-month-old baby was found.", "Lopez is 45 years old.",
                           "It was posted on January 5, 2011, 3: 37 PM EDT.", "The page was updated April 30, 2008 at 8: 33 AM.",
                           "It was at about 7 p. m. when she was struck.", "It was at 7 p.m. when she was struck.",
                           "He was shot in the 12000 block of East 223rd Street."}) {
    EXPECT_TRUE(extracted(body).figures.empty()) << body;
  }
  EXPECT_EQ(only_figure("Smith said 45 people were hurt.").value, 45);
  EXPECT_EQ(only_figure("A 40-minute call ended it.").counted, "call");
  EXPECT_EQ(only_figure("They found 12 blocks of ice.").counted, "blocks");
  EXPECT_EQ(only_figure("He scored with four minutes left in the game.").counted, "");
  // A distance's direction is nothing counted.
  EXPECT_EQ(only_figure("The quake struck 1,500 kilometers south of the capital.").counted, "");
}

// A model year, an identifier's number and a gun's calibre are no quantities.
TEST(FigureExtractorTest, SkipsYearsAfterADeterminerIdentifiersAndCalibres) {
  for (const char* body : {"He was driving a 2008 Bentley when he crashed.", "Sabathia struggled in the 2010 season.",
                           "Flight 93 crashed in a field.", "A Category 5 storm hit the coast.",
                           "He pointed a .38 caliber revolver at them.", "He carried a 12 gauge shotgun.",
                           "She returned with a .357 Magnum."}) {
    EXPECT_TRUE(extracted(body).figures.empty()) << body;
  }
  EXPECT_EQ(only_figure("The company recalled 2000 cars.").counted, "cars");
}

// A year before a singular noun ("a 1999 incident"), or after a word that follows the determiner
// ("a gray 2013 Toyota"); a product's version ("Windows 2000 users"); a phone number's groups.
// Counts stay counts: plural nouns, "its 1900 staff".
TEST(FigureExtractorTest, SkipsYearsBeforeASingularNounVersionsAndPhoneNumbers) {
  for (const char* body : {"He recalled a 1999 incident in Ohio.", "In his 2006 memoir he wrote about it.",
                           "She drove a gray 2013 Toyota Camry.", "The flaw affects Windows 2000 users.",
                           "Patches for Windows Server 2008 R2 came out.", "Call the line on 0845 125 222 today."}) {
    EXPECT_TRUE(extracted(body).figures.empty()) << body;
  }
  EXPECT_EQ(only_figure("About 2000 Americans were there.").value, 2000);
  EXPECT_EQ(only_figure("The firm cut its 1900 staff.").counted, "staff");
  EXPECT_EQ(only_figure("The army sent its 2000 remaining soldiers home.").counted, "remaining soldiers");
  EXPECT_EQ(only_figure("Officials said an estimated 2000 Palestinians marched.").value, 2000);
  EXPECT_EQ(only_figure("On Monday 2000 workers walked out of the plant.").counted, "workers");
  EXPECT_EQ(only_figure("In Syria 1900 civilians were killed last month.").counted, "civilians");
  EXPECT_TRUE(extracted("Windows 2000 users were told to upgrade.").figures.empty());
  EXPECT_EQ(only_figure("It had 0.5 percent of the vote.").value, 0.5);
}

// "two dozen" is 24, "a dozen" 12 with the qualifier before "a", "half a dozen" 6.
TEST(FigureExtractorTest, ReadsDozens) {
  const article a = extracted("More than two dozen pieces were stolen.");
  ASSERT_EQ(a.figures.size(), 1u);
  EXPECT_EQ(a.figures[0].value, 24);
  EXPECT_EQ(a.figures[0].qualifier, "more than");
  EXPECT_EQ(a.figures[0].counted, "pieces");
  EXPECT_EQ(text_of(a, a.figures[0].text), "More than two dozen");
  const article b = extracted("At least a dozen people were hurt.");
  ASSERT_EQ(b.figures.size(), 1u);
  EXPECT_EQ(b.figures[0].value, 12);
  EXPECT_EQ(b.figures[0].qualifier, "at least");
  EXPECT_EQ(text_of(b, b.figures[0].text), "At least a dozen");
  EXPECT_EQ(only_figure("Police held half a dozen suspects.").value, 6);
  EXPECT_EQ(only_figure("A half dozen cars burned.").value, 6);
  EXPECT_EQ(only_figure("A few dozen elite troops stayed.").value, 24);
}

// What the rules above leave alone: a count after a date and a colon, after "this week"; a
// rainfall; a name holding a currency's word; foot soldiers; a count before an owner's word;
// people arrested. A height gives no figure.
TEST(FigureExtractorTest, KeepsCountsNearDatesNamesAndUnitsThatLookLikeOthers) {
  EXPECT_EQ(only_figure("Nov. 12: 40 people were killed in the blast.").value, 40);
  EXPECT_EQ(only_figure("Earlier this week 40 people were killed.").value, 40);
  EXPECT_EQ(only_figure("About 120 mm of rain fell overnight.").value, 120);
  EXPECT_EQ(only_figure("The chain runs 300 Dollar General stores.").unit, "");
  EXPECT_EQ(only_figure("Some 2,000 foot soldiers crossed the river.").counted, "foot soldiers");
  EXPECT_EQ(only_figure("Police said 23 arrested after the clashes.").counted, "arrested");
  EXPECT_EQ(only_figure("The firm cut its 2000 employees to half.").counted, "employees");
  EXPECT_TRUE(extracted("The suspect is 6 feet 4 inches tall.").figures.empty());
}

// A toll's word is what is counted, right after the number or as the verb before it; a verb or
// what is left right after the number is not, an adjective before a noun is.
TEST(FigureExtractorTest, ReadsTollsAndTellsVerbsFromAdjectivesAfterTheNumber) {
  EXPECT_EQ(only_figure("At least 30 dead after the quake hit the city.").counted, "dead");
  const article storm = extracted("The storm killed 12 and injured 40.");
  ASSERT_EQ(storm.figures.size(), 2u);
  EXPECT_EQ(storm.figures[0].counted, "killed");
  EXPECT_EQ(storm.figures[1].counted, "injured");
  EXPECT_EQ(only_figure("The attack killing at least 30 people shocked the town.").counted, "people");
  EXPECT_EQ(only_figure("Dozens gathered to remember him.").counted, "");
  EXPECT_EQ(only_figure("He scored with 48 seconds remaining.").counted, "");
  EXPECT_EQ(only_figure("Police seized 12 loaded magazines.").counted, "loaded magazines");
  EXPECT_EQ(only_figure("The 300 remaining hostages were freed.").counted, "remaining hostages");
  EXPECT_EQ(only_figure("Some 30 newly arrived troops took positions.").counted, "arrived troops");
  EXPECT_EQ(only_figure("Two plainclothes officers fired at him.").counted, "plainclothes officers");
  EXPECT_EQ(only_figure("Five other people were hurt.").counted, "people");
  const article games = extracted("The Colts have won 5 of their last 10 games.");
  ASSERT_EQ(games.figures.size(), 2u);
  EXPECT_EQ(games.figures[0].counted, "");  // not "last"
  EXPECT_TRUE(extracted("Police received a 911 call at noon.").figures.empty());
}

// "$140-million", "22 billion Euros" (the currency tagged as a name), "330 feet".
TEST(FigureExtractorTest, ReadsAHyphenatedScaleACapitalisedCurrencyAndFeet) {
  const figure bid = only_figure("The Yankees made a $140-million bid for Sabathia.");
  EXPECT_EQ(bid.value, 140e6);
  EXPECT_EQ(bid.unit, "USD");
  EXPECT_EQ(only_figure("The bank lost 22 billion Euros last year.").unit, "EUR");
  EXPECT_EQ(only_figure("It was 330 feet from a police station.").unit, "ft");
}

TEST(FigureExtractorTest, ReadsAPercentageAndWhatItIsOf) {
  const figure f = only_figure("Moscow has 70% of its strike force in place.");
  EXPECT_EQ(f.value, 70);
  EXPECT_EQ(f.unit, "percent");
  EXPECT_EQ(f.counted, "strike force");
}

TEST(FigureExtractorTest, ReadsNumbersWrittenInWords) {
  const figure f = only_figure("It would trigger a refugee flood of up to five million people.");
  EXPECT_EQ(f.value, 5e6);
  EXPECT_EQ(f.qualifier, "up to");
  EXPECT_EQ(f.counted, "people");
}

TEST(FigureExtractorTest, ReadsANumberWrittenInSeveralWordsAsOne) {
  EXPECT_EQ(only_figure("The fund raised nine hundred ninety-nine dollars.").value, 999);
  EXPECT_EQ(only_figure("Two hundred fifty thousand people marched.").value, 250000);
  EXPECT_EQ(only_figure("Two hundred and ten troops crossed.").value, 210);
  EXPECT_EQ(only_figure("Two million five hundred thousand people fled.").value, 2.5e6);
  EXPECT_EQ(only_figure("Twenty five ships sailed.").value, 25);
  EXPECT_EQ(only_figure("One hundred people came.").value, 100);
  const article a = extracted("Five and six cars burned.");  // two numbers, not 11
  ASSERT_EQ(a.figures.size(), 2u);
  EXPECT_EQ(a.figures[0].value, 5);
  EXPECT_EQ(a.figures[1].value, 6);
}

TEST(FigureExtractorTest, KeepsTheSignOfANegativeNumber) {
  const article a = extracted("Temperatures fell to -5 degrees, and the index fell \xE2\x88\x92" "3.5% on Monday.");
  ASSERT_EQ(a.figures.size(), 2u);
  EXPECT_EQ(a.figures[0].value, -5);
  EXPECT_EQ(text_of(a, a.figures[0].text), "-5");
  EXPECT_EQ(a.figures[1].value, -3.5);
  EXPECT_EQ(a.figures[1].unit, "percent");
  for (const figure& f : extracted("The score was 10-5 at half time.").figures) EXPECT_GE(f.value, 0);
  const figure minus = only_figure("Temperatures fell to minus 15 degrees overnight.");
  EXPECT_EQ(minus.value, -15);
  EXPECT_EQ(minus.counted, "degrees");
  // A poll's margin of error is no negative number.
  EXPECT_EQ(only_figure("The margin of error is plus or minus 3 percentage points.").value, 3);
}

TEST(FigureExtractorTest, DigitsWithALeadingZeroAreNoQuantity) {
  // "100, 000" (a stray space in the thousands) is 100, then "000": not a figure of 0 fans.
  const article a = extracted("Some 100, 000 fans came, and agent 007 watched.");
  for (const figure& f : a.figures) EXPECT_NE(f.value, 0) << text_of(a, f.text);
  for (const figure& f : a.figures) EXPECT_NE(f.value, 7) << text_of(a, f.text);
  EXPECT_EQ(only_figure("It fell 0.5 percent.").value, 0.5);
}

TEST(FigureExtractorTest, ReadsADecimalWrittenWithoutItsLeadingZero) {
  const article a = extracted("Prices rose .5 percent, a loss of .25 million dollars.");
  ASSERT_EQ(a.figures.size(), 2u);
  EXPECT_EQ(a.figures[0].value, 0.5);
  EXPECT_EQ(text_of(a, a.figures[0].text), ".5 percent");
  EXPECT_EQ(a.figures[1].value, 250000);
}

TEST(FigureExtractorTest, ReadsAUnitOfTime) {
  const figure f = only_figure("Such a force could take Kyiv within 48 hours.");
  EXPECT_EQ(f.value, 48);
  EXPECT_EQ(f.unit, "hour");
}

TEST(FigureExtractorTest, ReadsANumberAndUnitJoinedByAHyphen) {
  const figure f = only_figure("He held a 40-minute call with Biden.");
  EXPECT_EQ(f.value, 40);
  EXPECT_EQ(f.unit, "minute");
  EXPECT_EQ(f.counted, "call");
}

TEST(FigureExtractorTest, ReadsARangeWithItsUpperEnd) {
  const figure f = only_figure("Officials expect between 10,000 and 20,000 refugees a day.");
  EXPECT_EQ(f.value, 10000);
  ASSERT_TRUE(f.high.has_value());
  EXPECT_EQ(*f.high, 20000);
  EXPECT_EQ(f.counted, "refugees");
}

// Two numbers in one word with nothing counted, or only a result, are a score, a record, a phone
// number or a span of years (ECB+'s 88 such figures were all of these); with a unit, a scale, a
// qualifier or something counted, a range.
TEST(FigureExtractorTest, AScoreARecordOrAPhoneNumberIsNoRange) {
  for (const char* body : {"Charles tied the game 13-13 heading into the fourth quarter.",
                           "The Sixers (9-14) fired Cheeks, who had a 9-14 record this season.",
                           "Anyone with information should call Sgt. La Croix at 745-4811.",
                           "He was the director of personnel (1999-2003)."}) {
    EXPECT_TRUE(extracted(body).figures.empty()) << body;
  }
  const figure people = only_figure("Police said 14-15 people were hurt.");
  EXPECT_EQ(people.value, 14);
  EXPECT_EQ(people.high, 15);
  EXPECT_EQ(people.counted, "people");
  EXPECT_EQ(only_figure("The sentence could be 10-20 years.").unit, "year");
  EXPECT_EQ(only_figure("The deal is worth 14-15 million.").high, 15e6);
  EXPECT_EQ(only_figure("Forecasters expect about 3-5 storms.").qualifier, "about");
}

TEST(FigureExtractorTest, ReadsAVagueAmountAsARange) {
  const figure f = only_figure("With tens of thousands of Russian troops camped near the border, talks began.");
  EXPECT_EQ(f.value, 20000);
  ASSERT_TRUE(f.high.has_value());
  EXPECT_EQ(*f.high, 99999);
  EXPECT_EQ(f.counted, "troops");
}

TEST(FigureExtractorTest, LeavesDatesAndNamesToTheirOwnExtractors) {
  const article a = extracted("In 2015, Scholz said he will visit Kyiv on February 14-15 to discuss Nord Stream 2.");
  EXPECT_TRUE(a.figures.empty());
}

TEST(NumberWordsTest, ReadsDigitsWithThousandsSeparatorsOnly) {
  EXPECT_EQ(number_words::parse_digits("100,000"), 100000);
  EXPECT_EQ(number_words::parse_digits("5.25"), 5.25);
  EXPECT_EQ(number_words::parse_digits("0.0000000001"), 1e-10);  // the nearest double, no drift
  EXPECT_EQ(number_words::parse_digits("0.3"), 0.3);
  EXPECT_EQ(number_words::parse_digits(".5"), 0.5);
  EXPECT_EQ(number_words::parse_digits("1,000.75"), 1000.75);
  EXPECT_FALSE(number_words::parse_digits("1,00").has_value());
  EXPECT_FALSE(number_words::parse_digits("10:15").has_value());
  EXPECT_EQ(number_words::parse_word("twenty-five"), 25);
  EXPECT_EQ(number_words::parse_ordinal("21st"), 21);
}

}  // namespace
}  // namespace wirefeed
