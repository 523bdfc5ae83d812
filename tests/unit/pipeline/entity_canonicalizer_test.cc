#include "pipeline/entity_canonicalizer.h"

#include <gtest/gtest.h>

#include "extract_support.h"

namespace wirefeed {
namespace {

using testing::extracted;
using testing::find_entity;

TEST(EntityCanonicalizerTest, GroupsALastNameWithTheFullNameAndKeepsTheTitleAsRole) {
  const article a = extracted(
      "French President Emmanuel Macron arrived in Moscow. Macron met Putin.\n\n"
      "Emmanuel Macron said the talks were useful.");
  const entity* macron = find_entity(a, "Emmanuel Macron");
  ASSERT_NE(macron, nullptr);
  EXPECT_EQ(macron->kind, entity_kind::person);
  EXPECT_EQ(macron->role, "French President");
  EXPECT_EQ(macron->mentions.size(), 3u);
  EXPECT_EQ(find_entity(a, "Macron"), nullptr);
}

// A one-word name the tagger typed a place, which no place list holds, joins the person whose last
// name it is ("Governor Palin" of "Sarah Palin").
TEST(EntityCanonicalizerTest, ASurnameTypedAPlaceJoinsItsPerson) {
  const article a = testing::normalized("Sarah Palin spoke on Friday. Governor Palin visited the church.");
  extract_context c(a);
  std::vector<std::uint32_t> palin;
  for (std::uint32_t i = 0; i < c.size(); ++i) {
    if (c.folded(i) == "palin") palin.push_back(i);
  }
  ASSERT_EQ(palin.size(), 2u);
  c.mentions = {{{palin[0] - 1, palin[0] + 1}, ner::entity_type::per, -1}, {{palin[1], palin[1] + 1}, ner::entity_type::loc, -1}};
  const std::vector<entity> entities = entity_canonicalizer().group(c);
  ASSERT_EQ(entities.size(), 1u);
  EXPECT_EQ(entities[0].name, "Sarah Palin");
  EXPECT_EQ(entities[0].kind, entity_kind::person);
  EXPECT_EQ(entities[0].mentions.size(), 2u);
}

// A surname two people share is the one named first, whoever is named more often.
TEST(EntityCanonicalizerTest, GivesASharedSurnameToThePersonNamedFirst) {
  const article b = extracted(
      "President Joe Biden and his son Hunter Biden attended the ceremony.\n\n"
      "Biden told reporters he was proud of his son. Hunter Biden did not comment.");
  const entity* joe = find_entity(b, "Joe Biden");
  ASSERT_NE(joe, nullptr);
  EXPECT_EQ(joe->mentions.size(), 2u);
  const entity* hunter = find_entity(b, "Hunter Biden");
  ASSERT_NE(hunter, nullptr);
  EXPECT_EQ(hunter->mentions.size(), 2u);
}

// Names the tagger has not seen as places, typed persons: the text places them.
TEST(EntityCanonicalizerTest, ANameTheTextPlacesIsAPlace) {
  const article a = extracted(
      "A magnitude 6.1 earthquake struck western Iran's Kermanshah province early Thursday, state media reported.\n\n"
      "The quake hit near the town of Sarpol-e Zahab, the Iranian Seismological Center said. Kermanshah governor "
      "Bahman Nadimi said rescuers were on their way.");
  for (const char* name : {"Kermanshah", "Sarpol-e Zahab"}) {
    const entity* e = find_entity(a, name);
    ASSERT_NE(e, nullptr) << name;
    EXPECT_EQ(e->kind, entity_kind::place) << name;
  }
  const entity* nadimi = find_entity(a, "Bahman Nadimi");
  ASSERT_NE(nadimi, nullptr);
  EXPECT_EQ(nadimi->kind, entity_kind::person);
}

// A compass word before a known place is a region, whatever the tagger typed it; before anything
// else (an airline, a bank) it is part of that name.
TEST(EntityCanonicalizerTest, ACompassWordBeforeAKnownPlaceIsARegion) {
  const article a = extracted(
      "Russia demands that NATO withdraw its forces from Eastern Europe. Moscow also views the expansion of NATO "
      "into Eastern Europe as an existential threat.\n\n"
      "South African Airways cancelled its flights to Moscow, the airline said. Shares of Western Union fell "
      "after the company said it would stop transfers to Russia.\n\n"
      "Troops were also sent to Northern Ireland.");
  const entity* region = find_entity(a, "Eastern Europe");
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->kind, entity_kind::place);
  for (const char* name : {"South African Airways", "Western Union"}) {
    const entity* company = find_entity(a, name);
    ASSERT_NE(company, nullptr) << name;
    EXPECT_EQ(company->kind, entity_kind::organisation) << name;
  }
  const entity* ireland = find_entity(a, "Northern Ireland");
  ASSERT_NE(ireland, nullptr);
  EXPECT_EQ(ireland->kind, entity_kind::place);
}

// Family names written first: the one-word mention is the full name's first word.
TEST(EntityCanonicalizerTest, JoinsAFamilyNameWrittenFirstToTheFullName) {
  const article a = extracted(
      "North Korean leader Kim Jong Un fired a missile on Thursday, officials in Seoul said.\n\n"
      "Kim said the launch was a warning to the United States.");
  const entity* kim = find_entity(a, "Kim Jong Un");
  ASSERT_NE(kim, nullptr);
  EXPECT_EQ(kim->mentions.size(), 2u);
  EXPECT_EQ(find_entity(a, "Kim"), nullptr);
}

TEST(EntityCanonicalizerTest, JoinsALastNameMisspeltByOneLetter) {
  const article a = extracted(
      "French President Emmanuel Macron was in Moscow on Monday.\n\n"
      "Makron, who will continue to Kyiv on Tuesday, told reporters he was optimistic.");
  const entity* macron = find_entity(a, "Emmanuel Macron");
  ASSERT_NE(macron, nullptr);
  EXPECT_EQ(macron->mentions.size(), 2u);
}

TEST(EntityCanonicalizerTest, JoinsALastNameWithALetterMoreOrLess) {
  // A letter added, a letter dropped.
  for (const auto& [full, last] : {std::pair{"Olaf Scholz", "Scholtz"}, std::pair{"Volodymyr Zelenskyy", "Zelensky"},
                                   std::pair{"Antony Blinken", "Blinkn"}}) {
    const article a = extracted(std::string("The leader ") + full + " was in Kyiv on Monday.\n\n" + last +
                                ", who spoke to reporters, said he was optimistic.");
    const entity* e = find_entity(a, full);
    ASSERT_NE(e, nullptr) << full;
    EXPECT_EQ(e->mentions.size(), 2u) << full;
  }
}

TEST(EntityCanonicalizerTest, JoinsAnAcronymToTheNameItAbbreviates) {
  const article a = extracted(
      "France currently heads the European Union. Macron wants to be the key EU figure in the talks.");
  const entity* eu = find_entity(a, "European Union");
  ASSERT_NE(eu, nullptr);
  EXPECT_EQ(eu->mentions.size(), 2u);
}

// A son is not his father: "Donald Trump Jr." (the tagger leaves "Jr." out) is a person of his
// own, "Trump Jr." is him, "Trump" the one named first; "King" of "Martin Luther King, Jr." is him.
TEST(EntityCanonicalizerTest, AGenerationalSuffixNamesAnotherPerson) {
  const article a = extracted("WASHINGTON (AP) - Former President Donald Trump criticized the decision. Donald Trump Jr. "
                              "also posted about it. Trump Jr. said the ruling was unfair. Trump said he would appeal.");
  const entity* father = find_entity(a, "Donald Trump");
  const entity* son = find_entity(a, "Donald Trump Jr.");
  ASSERT_NE(father, nullptr);
  ASSERT_NE(son, nullptr);
  EXPECT_EQ(father->mentions.size(), 2u);
  EXPECT_EQ(son->mentions.size(), 2u);
  const article k = extracted("The Rev. Martin Luther King, Jr. spoke in Washington in 1963. King was 34.");
  const entity* king = find_entity(k, "Martin Luther King, Jr.");
  ASSERT_NE(king, nullptr);
  EXPECT_EQ(king->mentions.size(), 2u);
}

TEST(EntityCanonicalizerTest, JoinsAWordCutShortToTheNameItStartsAndNamesItInFull) {
  const article a = extracted("The Federal Reserve raised rates on Wednesday. The Fed said inflation was high.");
  const entity* fed = find_entity(a, "Federal Reserve");
  ASSERT_NE(fed, nullptr);
  EXPECT_EQ(fed->mentions.size(), 2u);
  EXPECT_EQ(find_entity(a, "Fed"), nullptr);
  // With the country, as Reuters and AFP write it.
  const article u = extracted("WASHINGTON (Reuters) - The U.S. Federal Reserve held interest rates steady on Wednesday. "
                              "The Fed said inflation had eased.");
  const entity* us_fed = find_entity(u, "U.S. Federal Reserve");
  ASSERT_NE(us_fed, nullptr);
  EXPECT_EQ(us_fed->mentions.size(), 2u);
  EXPECT_EQ(find_entity(u, "Fed"), nullptr);
}

TEST(EntityCanonicalizerTest, NamesACompanyWithoutItsLegalForm) {
  const article a = extracted(
      "Microsoft Corp. released a patch on Tuesday. Microsoft said the flaw in Microsoft Word was "
      "being exploited, and Microsoft urged users to update.");
  const entity* microsoft = find_entity(a, "Microsoft");
  ASSERT_NE(microsoft, nullptr);
  EXPECT_EQ(microsoft->mentions.size(), 3u);
  EXPECT_EQ(find_entity(a, "Microsoft Corp."), nullptr);
  // A name that goes on with other words is another entity: a product, a unit, a law.
  EXPECT_NE(find_entity(a, "Microsoft Word"), nullptr);
}

TEST(EntityCanonicalizerTest, JoinsNoOtherOrganisationThatStartsLikeAShortName) {
  const article a = extracted(
      "Ford announced a recall on Monday. Students at Fordham University protested. Ford shares fell. "
      "Deutsche Bank AG reported a loss. Deutsche Bank said costs rose. Deutsche said it would cut jobs.");
  const entity* ford = find_entity(a, "Ford");
  ASSERT_NE(ford, nullptr);
  EXPECT_EQ(ford->mentions.size(), 2u);
  EXPECT_NE(find_entity(a, "Fordham University"), nullptr);
  // "Deutsche" is no name of "Deutsche Bank AG" without its legal form.
  const entity* deutsche = find_entity(a, "Deutsche");
  ASSERT_NE(deutsche, nullptr);
  EXPECT_EQ(deutsche->mentions.size(), 1u);
  EXPECT_NE(find_entity(a, "Deutsche Bank AG"), nullptr);
}

TEST(EntityCanonicalizerTest, TreatsDottedAndPlainAcronymsAsOneSpelling) {
  const article a = extracted("The U.S. sent troops. The US also sent money to Ukraine.");
  int us = 0;
  for (const entity& e : a.entities) us += e.name == "U.S." || e.name == "US";
  EXPECT_EQ(us, 1);
}

TEST(EntityCanonicalizerTest, ReadsAPossessiveOwnerAsPartOfTheRole) {
  const article a = extracted("Putin's spokesman Dmitry Peskov called the visit very important.");
  const entity* peskov = find_entity(a, "Dmitry Peskov");
  ASSERT_NE(peskov, nullptr);
  EXPECT_EQ(peskov->role, "Putin's spokesman");
}

TEST(EntityCanonicalizerTest, ReadsLowerCaseTitleWordsIntoTheRole) {
  const article a = extracted("White House national security adviser Jake Sullivan warned on Sunday.");
  const entity* sullivan = find_entity(a, "Jake Sullivan");
  ASSERT_NE(sullivan, nullptr);
  EXPECT_EQ(sullivan->role, "White House national security adviser");
}

TEST(EntityCanonicalizerTest, PutsTheMostMentionedEntityFirst) {
  const article a = extracted("Ukraine and Russia talked. Ukraine said no. Ukraine will wait. Russia waits.");
  ASSERT_GE(a.entities.size(), 2u);
  EXPECT_EQ(a.entities[0].name, "Ukraine");
  EXPECT_EQ(a.entities[1].name, "Russia");
}

}  // namespace
}  // namespace wirefeed
