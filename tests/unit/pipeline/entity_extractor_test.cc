#include "pipeline/entity_extractor.h"

#include <gtest/gtest.h>

#include "extract_support.h"

namespace wirefeed {
namespace {

using testing::extracted;
using testing::find_entity;
using testing::text_of;

TEST(EntityExtractorTest, FindsPeopleOrganisationsAndPlacesWithTheirSpansInTheBody) {
  const article a = extracted("German Chancellor Olaf Scholz met NATO officials in Brussels on Monday.");
  const entity* scholz = find_entity(a, "Olaf Scholz");
  const entity* nato = find_entity(a, "NATO");
  const entity* brussels = find_entity(a, "Brussels");
  ASSERT_NE(scholz, nullptr);
  ASSERT_NE(nato, nullptr);
  ASSERT_NE(brussels, nullptr);
  EXPECT_EQ(scholz->kind, entity_kind::person);
  EXPECT_EQ(nato->kind, entity_kind::organisation);
  EXPECT_EQ(brussels->kind, entity_kind::place);
  EXPECT_EQ(text_of(a, scholz->mentions.at(0)), "Olaf Scholz");
  EXPECT_EQ(text_of(a, brussels->mentions.at(0)), "Brussels");
}

TEST(EntityExtractorTest, HandsTypographicPunctuationToTheTaggerInAscii) {
  std::string arena;
  arena.reserve(64);
  EXPECT_EQ(entity_extractor::tagger_form("\u201C", arena), "\"");
  EXPECT_EQ(entity_extractor::tagger_form("\u2019s", arena), "'s");
  EXPECT_EQ(entity_extractor::tagger_form("\u2014", arena), "--");
  EXPECT_EQ(entity_extractor::tagger_form("Zelensky", arena), "Zelensky");
  EXPECT_EQ(entity_extractor::tagger_form("Mal\u00E9", arena), "Mal\u00E9");
}

// AP's party and state after a lawmaker's name (", R-Maine,") are no entity.
TEST(EntityExtractorTest, DropsAPartyAndStateTag) {
  const article a = extracted(
      "Sen. Susan Collins, R-Maine, and Sen. Rand Paul, R-Ky., opposed it. Rep. Chip Roy, R-Texas, and "
      "Sen. Chris Murphy, D-Conn., did not, nor did Sen. Marco Rubio, R-Fla., or Rep. Nancy Pelosi, D-N.Y.");
  for (const entity& e : a.entities) {
    EXPECT_FALSE(e.name.size() > 2 && e.name[1] == '-') << e.name;
  }
  EXPECT_NE(find_entity(a, "Susan Collins"), nullptr);
}

// A holiday, an offence's acronym, "OK" and the names in "Richter scale" are no person,
// organisation or place; "Tulsa, OK" is.
TEST(EntityExtractorTest, DropsWordsTheTaggerTakesForNames) {
  const article a = extracted(
      "The company fired him days before Christmas, police in Vancouver said. Jackson was arrested on suspicion of "
      "DUI in San Diego. He felt OK after the fight. The quake measured 6.1 on the Richter scale.");
  for (const char* junk : {"Christmas", "DUI", "OK", "Richter"}) EXPECT_EQ(find_entity(a, junk), nullptr) << junk;
  EXPECT_NE(find_entity(a, "Vancouver"), nullptr);
  EXPECT_NE(find_entity(extracted("The office is in Tulsa, OK, near the river."), "OK"), nullptr);
}

// A street the tagger types a person or an organisation is a place; an institution is no person.
TEST(EntityExtractorTest, AStreetIsAPlaceAndAnInstitutionNoPerson) {
  const article a = extracted(
      "Four armed robbers entered the store on the chic Avenue Montaigne in central Paris. He was shot near Lyndale "
      "Avenue in Minneapolis. Lohan checked into the Betty Ford Center on Monday.");
  for (const char* street : {"Avenue Montaigne", "Lyndale Avenue"}) {
    const entity* e = find_entity(a, street);
    ASSERT_NE(e, nullptr) << street;
    EXPECT_EQ(e->kind, entity_kind::place) << street;
  }
  const entity* center = find_entity(a, "Betty Ford Center");
  ASSERT_NE(center, nullptr);
  EXPECT_NE(center->kind, entity_kind::person);
  const article coach = extracted("Coach Bruce Arena said the team was ready.");
  const entity* arena = find_entity(coach, "Bruce Arena");
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena->kind, entity_kind::person);
}

// A person's title inside a name the tagger reads as one organisation splits it: the
// organisation, the person (the title their role).
TEST(EntityExtractorTest, SplitsAnOrganisationFromThePersonAfterATitle) {
  const article a = extracted("California Highway Patrol Officer Ray Scheidnes said the car was speeding.");
  const entity* patrol = find_entity(a, "California Highway Patrol");
  const entity* officer = find_entity(a, "Ray Scheidnes");
  ASSERT_NE(patrol, nullptr);
  ASSERT_NE(officer, nullptr);
  EXPECT_EQ(patrol->kind, entity_kind::organisation);
  EXPECT_EQ(officer->kind, entity_kind::person);
  EXPECT_EQ(find_entity(a, "California Highway Patrol Officer Ray Scheidnes"), nullptr);
}

TEST(EntityExtractorTest, JoinsTwoPartsOfANameLinkedByAParticle) {
  const article a = extracted("Macron, before leaving Paris, told Le Journal du Dimanche that talks would be hard.");
  const entity* paper = find_entity(a, "Le Journal du Dimanche");
  ASSERT_NE(paper, nullptr);
  EXPECT_EQ(find_entity(a, "du Dimanche"), nullptr);
}

TEST(EntityExtractorTest, ExtendsAnOrganisationByTheShortNumberAfterIt) {
  const article a = extracted("The Nord Stream 2 gas pipeline to Germany will not move forward, Biden said.");
  EXPECT_NE(find_entity(a, "Nord Stream 2"), nullptr);
  for (const figure& f : a.figures) EXPECT_NE(f.value, 2) << "the 2 of Nord Stream 2 is not a figure";
}

TEST(EntityExtractorTest, PropagatesALastNameToOccurrencesTheTaggerMissed) {
  const article a = extracted(
      "\"Expectations are low,\" Peskov told reporters.\n\n"
      "Kremlin spokesman Dmitry Peskov said the talks were important.");
  const entity* peskov = find_entity(a, "Dmitry Peskov");
  ASSERT_NE(peskov, nullptr);
  EXPECT_EQ(peskov->mentions.size(), 2u);
}

TEST(EntityExtractorTest, TakesAFamilyNameWrittenFirstAtTheStartOfASentence) {
  // The tagger leaves the unknown first word of a sentence out: "Jinping" alone.
  const article a = extracted(
      "Xi Jinping met European Union leaders in Beijing on Monday. Xi said trade would grow. "
      "The talks with Xi lasted three hours.");
  const entity* xi = find_entity(a, "Xi Jinping");
  ASSERT_NE(xi, nullptr);
  EXPECT_EQ(xi->kind, entity_kind::person);
  ASSERT_EQ(xi->mentions.size(), 3u);
  EXPECT_EQ(text_of(a, xi->mentions.at(0)), "Xi Jinping");
  EXPECT_EQ(text_of(a, xi->mentions.at(1)), "Xi");
  EXPECT_EQ(find_entity(a, "Jinping"), nullptr);
}

TEST(EntityExtractorTest, LeavesARoleOrAnHonorificAtTheStartOfASentenceOutOfTheName) {
  const article a = extracted(
      "Cornerback Vontae Davis was fined on Friday. Mr Guest said the fine was fair, and Peter Guest "
      "would not appeal.");
  EXPECT_NE(find_entity(a, "Vontae Davis"), nullptr);
  EXPECT_EQ(find_entity(a, "Cornerback Vontae Davis"), nullptr);
  EXPECT_EQ(find_entity(a, "Mr Guest"), nullptr);
  const entity* guest = find_entity(a, "Peter Guest");
  ASSERT_NE(guest, nullptr);
  EXPECT_EQ(guest->mentions.size(), 2u);
  EXPECT_EQ(text_of(a, guest->mentions.at(0)), "Guest");
}

// An office's title the tagger takes into a name at a sentence's start is the role, not the name,
// and makes the name a person's however its other mentions are tagged; an honorific before a
// person's last name goes too ("Dr Gupta"), but not one a stage name is known by ("Dr. Dre").
TEST(EntityExtractorTest, LeavesAnOfficesTitleAndAnHonorificOutOfAPersonsName) {
  const article a = extracted(
      "Gov. Palin said on Friday she would resign. Mrs Palin gave no reason. Dr Gupta declined the post. "
      "Insp Gaskin said police were called. Constable Tim Fanning was at the scene. Deputy Sheriff John Smith "
      "arrived later.");
  for (const char* gone : {"Gov. Palin", "Mrs Palin", "Dr Gupta", "Insp Gaskin", "Constable Tim Fanning",
                           "Deputy Sheriff John Smith", "Sheriff John Smith"}) {
    EXPECT_EQ(find_entity(a, gone), nullptr) << gone;
  }
  for (const char* person : {"Palin", "Gupta", "Gaskin", "Tim Fanning", "John Smith"}) {
    const entity* e = find_entity(a, person);
    ASSERT_NE(e, nullptr) << person;
    EXPECT_EQ(e->kind, entity_kind::person) << person;
  }
  const article rapper = extracted("Dr. Dre released a new album on Friday.");
  EXPECT_EQ(find_entity(rapper, "Dre"), nullptr);
}

// What the article names otherwise, a day, or a title written before a name again is not the
// first word of a person's name; an honorific opening a company's name stays in it.
TEST(EntityExtractorTest, TakesNoOtherNameDayOrTitleIntoAPersonsName) {
  const struct {
    const char* text;
    const char* person;
  } cases[] = {
      {"Kremlin Dmitry Peskov said talks were hard. The Kremlin said nothing more.", "Dmitry Peskov"},
      {"Monday Joe Biden travels to Kyiv. On Monday the White House said the trip was planned.", "Joe Biden"},
      {"Reverend Al Sharpton led the march. The Reverend Al Sharpton said the Reverend Jesse Jackson would speak.",
       "Al Sharpton"},
  };
  for (const auto& c : cases) {
    const article a = extracted(c.text);
    const entity* person = find_entity(a, c.person);
    ASSERT_NE(person, nullptr) << c.text;
    EXPECT_EQ(person->kind, entity_kind::person) << c.text;
    EXPECT_EQ(text_of(a, person->mentions.at(0)), c.person) << c.text;
  }
  const article company = extracted("Dr Martens cut its profit forecast on Thursday, and its shares fell.");
  EXPECT_EQ(find_entity(company, "Martens"), nullptr);
  const article drink = extracted("Dr Pepper raised its prices on Monday. Shares of Dr Pepper rose.");
  EXPECT_EQ(find_entity(drink, "Pepper"), nullptr);
}

}  // namespace
}  // namespace wirefeed
