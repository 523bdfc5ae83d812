#include "pipeline/feed_time.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

constexpr std::int64_t k_feb7 = 1644192000000;  // 2022-02-07T00:00:00Z

TEST(FeedTimeTest, ParsesIso8601WithZone) {
  EXPECT_EQ(parse_feed_time_ms("2022-02-07T10:15:00Z"), k_feb7 + 36'900'000);
  EXPECT_EQ(parse_feed_time_ms("2022-02-07T11:15:00+01:00"), k_feb7 + 36'900'000);
}

TEST(FeedTimeTest, AnOffsetNoZoneHasIsNoTime) {
  EXPECT_EQ(parse_feed_time_ms("2022-02-07T08:00:00+99:99"), std::nullopt);
  EXPECT_EQ(parse_feed_time_ms("2022-02-07T08:00:00+24:00"), std::nullopt);
  EXPECT_EQ(parse_feed_time_ms("2022-02-07T08:00:00+05:60"), std::nullopt);
  EXPECT_EQ(parse_feed_time_ms("2022-02-07T08:00:00+01:"), std::nullopt);  // cut short
  EXPECT_EQ(parse_feed_time_ms("2024-02-30T10:00:00Z"), std::nullopt);     // no such day
  EXPECT_EQ(parse_feed_time_ms("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_feed_time_ms("2024-02-29"), 1709164800000);  // a leap year's
  EXPECT_EQ(parse_feed_time_ms("2022-02-07T08:00:00+0100"), k_feb7 + 7 * 3'600'000);
  EXPECT_EQ(parse_feed_time_ms("2022-02-07T10:15:00-23:59"), k_feb7 + 36'900'000 + (23 * 60 + 59) * 60'000);
}

TEST(FeedTimeTest, ParsesCompactAndPlainDates) {
  EXPECT_EQ(parse_feed_time_ms("20220207"), k_feb7);
  // ISO 8601's basic format writes the time without colons too (IPTC feeds, file names).
  EXPECT_EQ(parse_feed_time_ms("20220207T101500Z"), k_feb7 + 36'900'000);
  EXPECT_EQ(parse_feed_time_ms("20220207T1115+0100"), k_feb7 + 36'900'000);
  EXPECT_EQ(parse_feed_time_ms("20220207T101500.250Z"), k_feb7 + 36'900'250);
  EXPECT_EQ(parse_feed_time_ms("20220207T10Z"), std::nullopt);
  EXPECT_EQ(parse_feed_time_ms("2022-02-07"), k_feb7);
  EXPECT_EQ(parse_feed_time_ms("  2022-02-07  "), k_feb7);
}

TEST(FeedTimeTest, ParsesRfc2822WithWeekdayAndOffset) {
  EXPECT_EQ(parse_feed_time_ms("Mon, 07 Feb 2022 10:15:00 +0000"), k_feb7 + 36'900'000);
  EXPECT_EQ(parse_feed_time_ms("Mon, 07 Feb 2022 05:15:00 -0500"), k_feb7 + 36'900'000);
}

TEST(FeedTimeTest, ParsesRfc2822NamedZonesAndNoSeconds) {
  EXPECT_EQ(parse_feed_time_ms("7 Feb 2022 10:15 GMT"), k_feb7 + 36'900'000);
  EXPECT_EQ(parse_feed_time_ms("7 Feb 2022 05:15 EST"), k_feb7 + 36'900'000);
  EXPECT_EQ(parse_feed_time_ms("07 Feb 22 10:15 UT"), k_feb7 + 36'900'000);
}

TEST(FeedTimeTest, ParsesWrittenDates) {
  EXPECT_EQ(parse_feed_time_ms("February 7, 2022"), k_feb7);
  EXPECT_EQ(parse_feed_time_ms("Feb. 7, 2022"), k_feb7);
  EXPECT_EQ(parse_feed_time_ms("7 February 2022"), k_feb7);
  EXPECT_EQ(parse_feed_time_ms("February 7th, 2022"), k_feb7);
}

// Forms US and European feeds write (found by a review, 2026-12-06).
TEST(FeedTimeTest, ParsesAWeekdayBeforeTheMonthATwelveHourClockAndMoreZones) {
  constexpr std::int64_t hour = 3'600'000;
  EXPECT_EQ(parse_feed_time_ms("Monday, February 7, 2022"), k_feb7);
  EXPECT_EQ(parse_feed_time_ms("February 7, 2022 10:15 AM EST"), k_feb7 + 15 * hour + 15 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("Feb. 7, 2022 3:45 p.m. EST"), k_feb7 + 20 * hour + 45 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("Feb 7, 2022 12:05 am GMT"), k_feb7 + 5 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("Feb 7, 2022 3:45 P.M."), k_feb7 + 15 * hour + 45 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("Feb 7, 2022 3:45 p.m"), k_feb7 + 15 * hour + 45 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("Mon, 07 Feb 2022 10:15:00 CET"), k_feb7 + 9 * hour + 15 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("7 Feb 2022 14:32 GMT+1"), k_feb7 + 13 * hour + 32 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("2022-02-07 10:15:00 UTC"), k_feb7 + 10 * hour + 15 * 60'000);
  EXPECT_FALSE(parse_feed_time_ms("Feb 7, 2022 13:05 PM GMT"));  // no 13 o'clock on a twelve-hour clock
  EXPECT_FALSE(parse_feed_time_ms("Feb 7, 2022 10:15 ET"));      // standard or daylight: not known
}

// "Uhr" is German time: Central European, summer time from the last Sunday of March to the last
// of October (01:00 UTC both), unless a zone follows. A German site's "14:35 Uhr" was taken as
// UTC, an hour or two late.
TEST(FeedTimeTest, AGermanClockTimeIsCentralEuropeanTimeByTheDate) {
  constexpr std::int64_t hour = 3'600'000, minute = 60'000;
  const auto utc = [](int y, int m, int d, int h, int min) { return *civil_date_ms(y, m, d) + h * hour + min * minute; };
  EXPECT_EQ(parse_feed_time_ms("06.07.2023, 14:35 Uhr"), utc(2023, 7, 6, 12, 35));   // summer: +2
  EXPECT_EQ(parse_feed_time_ms("06.12.2023, 14:35 Uhr"), utc(2023, 12, 6, 13, 35));  // winter: +1
  // 2023's changes: Sunday 26 March (02:00 -> 03:00) and Sunday 29 October (03:00 -> 02:00).
  EXPECT_EQ(parse_feed_time_ms("26.03.2023, 01:59 Uhr"), utc(2023, 3, 26, 0, 59));
  EXPECT_EQ(parse_feed_time_ms("26.03.2023, 03:00 Uhr"), utc(2023, 3, 26, 1, 0));
  EXPECT_EQ(parse_feed_time_ms("29.10.2023, 02:30 Uhr"), utc(2023, 10, 29, 0, 30));  // the first 02:30
  EXPECT_EQ(parse_feed_time_ms("29.10.2023, 03:00 Uhr"), utc(2023, 10, 29, 2, 0));
  EXPECT_EQ(parse_feed_time_ms("25.03.2023, 12:00 Uhr"), utc(2023, 3, 25, 11, 0));   // the day before
  // Before 1996 summer time ended in September; it began in 1980 (6 April), none before.
  EXPECT_EQ(parse_feed_time_ms("15.10.1990, 12:00 Uhr"), utc(1990, 10, 15, 11, 0));
  EXPECT_EQ(parse_feed_time_ms("06.04.1980, 03:00 Uhr"), utc(1980, 4, 6, 1, 0));
  EXPECT_EQ(parse_feed_time_ms("15.07.1980, 12:00 Uhr"), utc(1980, 7, 15, 10, 0));
  EXPECT_EQ(parse_feed_time_ms("05.04.1980, 12:00 Uhr"), utc(1980, 4, 5, 11, 0));
  EXPECT_EQ(parse_feed_time_ms("15.07.1975, 12:00 Uhr"), utc(1975, 7, 15, 11, 0));
  // A zone written after it wins, in German or English; no "Uhr", no guess (UTC).
  EXPECT_EQ(parse_feed_time_ms("06.07.2023, 14:35 Uhr MEZ"), utc(2023, 7, 6, 13, 35));
  EXPECT_EQ(parse_feed_time_ms("06.12.2023 14:35 Uhr MESZ"), utc(2023, 12, 6, 12, 35));
  EXPECT_EQ(parse_feed_time_ms("06.07.2023 14:35 Uhr UTC"), utc(2023, 7, 6, 14, 35));
  EXPECT_EQ(parse_feed_time_ms("06.07.2023 14:35"), utc(2023, 7, 6, 14, 35));
  EXPECT_EQ(parse_feed_time_ms("6 Jul 2023 14:35 CEST"), utc(2023, 7, 6, 12, 35));
}

// Web pages' forms (a review, 2026-12-06, later): German numeric dates, the Guardian's dotted
// time, AP's time before its date, "at" before the time, an ISO date with a named zone.
TEST(FeedTimeTest, ParsesNumericDatesTimesBeforeTheDateAndIsoWithANamedZone) {
  constexpr std::int64_t hour = 3'600'000;
  EXPECT_EQ(parse_feed_time_ms("07.02.2022, 14:35 Uhr"), k_feb7 + 13 * hour + 35 * 60'000);  // German time
  EXPECT_EQ(parse_feed_time_ms("7.2.2022 14:35"), k_feb7 + 14 * hour + 35 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("07.02.2022"), k_feb7);
  EXPECT_EQ(parse_feed_time_ms("07.02.2022 14:35 CET"), k_feb7 + 13 * hour + 35 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("17/02/2022 14:35"), k_feb7 + 10 * 24 * hour + 14 * hour + 35 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("02/17/2022"), k_feb7 + 10 * 24 * hour);
  EXPECT_FALSE(parse_feed_time_ms("07/02/2022 14:35"));  // 7 February or July 2: not known
  EXPECT_EQ(parse_feed_time_ms("7 Feb 2022 14.34 GMT"), k_feb7 + 14 * hour + 34 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("9:15 AM EST, February 7, 2022"), k_feb7 + 14 * hour + 15 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("February 7, 2022 at 9:15 a.m. EST"), k_feb7 + 14 * hour + 15 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("2022-02-07 14:34 CET"), k_feb7 + 13 * hour + 34 * 60'000);
  EXPECT_EQ(parse_feed_time_ms("7 Feb 2022 GMT"), k_feb7);
  EXPECT_FALSE(parse_feed_time_ms("7.2.2022 at noon"));
  EXPECT_FALSE(parse_feed_time_ms("14:35, the talks"));
}

TEST(FeedTimeTest, ParsesUnixSecondsAndMilliseconds) {
  EXPECT_EQ(parse_feed_time_ms("1644192000"), k_feb7);
  EXPECT_EQ(parse_feed_time_ms("1644192000123"), k_feb7 + 123);
}

TEST(FeedTimeTest, RefusesWhatIsNotATime) {
  for (const char* bad : {"", "yesterday", "2022-13-01", "Feb 30, 2022", "31 Apr 2022", "12345", "Mon, 07 Feb 2022 25:00",
                          "7 Feb 2022 10:15 XYZ", "1800-01-01", "99999999999999999999"}) {
    EXPECT_FALSE(parse_feed_time_ms(bad).has_value()) << bad;
  }
}

TEST(FeedTimeTest, KnowsMonthNamesAndAbbreviations) {
  EXPECT_EQ(month_from_name("Feb"), 2);
  EXPECT_EQ(month_from_name("feb."), 2);
  EXPECT_EQ(month_from_name("September"), 9);
  EXPECT_EQ(month_from_name("Sept"), 9);
  EXPECT_EQ(month_from_name("Ma"), 0);
  EXPECT_EQ(month_from_name("Monday"), 0);
}

TEST(FeedTimeTest, CivilDateRefusesDaysThatDoNotExist) {
  EXPECT_EQ(civil_date_ms(2022, 2, 7), k_feb7);
  EXPECT_TRUE(civil_date_ms(2024, 2, 29).has_value());
  EXPECT_FALSE(civil_date_ms(2023, 2, 29).has_value());
  EXPECT_FALSE(civil_date_ms(2022, 4, 31).has_value());
}

}  // namespace
}  // namespace wirefeed
