#include "pipeline/extract_lexicon.h"

#include "pipeline/word_set.h"
#include "pipeline/word_table.h"

namespace wirefeed::extract_lexicon {

bool is_stopword(std::string_view folded) {
  static const word_table::mask en = word_table::stopword_bit("en");
  return (word_table::instance().lookup(folded) & en) != 0;
}

bool is_title_word(std::string_view folded) {
  static const word_set s{
      "president", "president-elect", "vice-president", "chancellor", "minister", "secretary", "secretary-general",
      "spokesman", "spokeswoman", "spokesperson", "spokesmen", "adviser", "advisor", "leader", "premier", "king",
      "queen", "prince", "princess", "pope", "general", "gen.", "commander", "ambassador", "envoy", "governor",
      "gov.", "senator", "sen.", "rep.", "representative", "mayor", "chief", "head", "director", "director-general",
      "chairman", "chairwoman", "chair", "ceo", "cfo", "official", "officer", "prosecutor", "judge", "justice",
      "attorney", "attorney-general", "lawyer", "mr.", "mrs.", "ms.", "dr.", "prof.", "professor", "lt.", "col.",
      "maj.", "capt.", "sgt.", "adm.", "admiral", "colonel", "major", "captain", "lieutenant", "sergeant",
      "marshal", "commissioner", "inspector", "sheriff", "negotiator", "diplomat", "emperor", "dictator",
      "coach", "manager", "founder", "economist", "analyst", "correspondent", "editor", "lawmaker",
      "legislator", "congressman", "congresswoman", "councillor", "councilor", "speaker", "monarch", "sultan",
      "emir", "sheikh", "ayatollah", "cardinal", "bishop", "archbishop", "rev.", "imam", "rabbi", "patriarch",
      "treasurer", "aide", "striker", "midfielder", "defender", "goalkeeper", "quarterback", "champion",
      "candidate", "nominee", "activist", "journalist", "commander-in-chief", "superintendent", "warden",
      "dean", "rector", "chancellor", "mp", "mep", "deputy", "boss", "owner", "actor", "actress", "singer",
      "rapper", "star", "author", "novelist", "producer", "designer", "architect", "scientist", "researcher",
      "physician", "doctor", "nurse", "pilot", "astronaut", "rebel", "militant", "separatist"};
  return s.contains(folded);
}

bool is_office_title(std::string_view folded) {
  static const word_set s{
      "gov.", "gov", "sen.", "sen", "rep.", "gen.", "lt.", "col.", "maj.", "capt.", "sgt.", "sgt", "adm.", "insp.",
      "insp", "det.", "det", "supt.", "supt", "const.", "cpl.", "pvt.", "prof.", "governor", "senator", "inspector",
      "detective", "sheriff", "officer", "mayor", "president", "judge", "constable", "sergeant", "lieutenant",
      "captain", "colonel", "commissioner", "superintendent", "deputy"};
  return s.contains(folded);
}

bool is_role_modifier(std::string_view folded) {
  static const word_set s{
      "national", "security", "deputy", "vice", "former", "foreign", "defense", "defence", "interior", "finance",
      "economy", "economic", "prime", "senior", "chief", "top", "acting", "press", "state", "general", "first",
      "lady", "house", "health", "justice", "trade", "energy", "education", "home", "federal", "regional",
      "military", "army", "navy", "opposition", "party", "executive", "managing", "assistant", "associate",
      "communications", "intelligence", "affairs", "outgoing", "incoming", "longtime", "veteran", "special",
      "presidential", "government", "cabinet", "civil", "rights", "human", "environment", "agriculture",
      "transport", "labour", "labor", "development", "budget", "treasury", "police", "fire", "county", "city",
      "district", "provincial", "local", "separatist", "rebel", "commerce", "industry", "culture", "sports",
      "information", "emergency", "emergencies", "public", "policy", "climate", "technology", "science",
      "operating", "financial", "marketing", "digital", "head"};
  return s.contains(folded);
}

bool is_reporting_verb(std::string_view folded) {
  static const word_set s{
      "say",         "says",        "said",       "saying",     "tell",        "tells",       "told",
      "telling",     "add",         "adds",       "added",      "adding",      "note",        "notes",
      "noted",       "noting",      "warn",       "warns",      "warned",      "warning",     "state",
      "stated",      "declare",     "declares",   "declared",   "declaring",   "insist",      "insists",
      "insisted",    "insisting",   "explain",    "explains",   "explained",   "explaining",  "ask",
      "asks",        "asked",       "asking",     "reply",      "replies",     "replied",     "write",
      "writes",      "wrote",       "writing",    "argue",      "argues",      "argued",      "arguing",
      "claim",       "claims",      "claimed",    "claiming",   "urge",        "urges",       "urged",
      "urging",      "call",        "calls",      "called",     "calling",     "describe",    "describes",
      "described",   "describing",  "reiterate",  "reiterates", "reiterated",  "reiterating", "stress",
      "stresses",    "stressed",    "stressing",  "acknowledge", "acknowledged", "announce",  "announced",
      "announcing",  "suggest",     "suggests",   "suggested",  "suggesting",  "admit",       "admitted",
      "recall",      "recalled",    "tweet",      "tweeted",    "posted",      "predicted",   "cautioned",
      "vowed",       "promised",    "pledged",    "conceded",   "remarked",    "observed",    "complained",
      "quipped",     "joked",       "countered",  "responded",  "confirmed",   "denied",      "emphasised",
      "emphasized",  "concluded",   "assured",    "boasted",    "lamented",    "shouted",     "testified",
      "alleged",     "maintained",  "insist",     "wrote",      "continued",   "recounted",   "explained",
      "declaring",   "commented",   "announces",  "asserted",   "added",       "warns",
      "repeated",    "repeats",     "screamed",   "yelled",     "whispered",   "sighed",      "mused",
      "wondered",    "texted",      "emailed",    "recalls",    "predicts",    "vows",        "promises"};
  return s.contains(folded);
}

}  // namespace wirefeed::extract_lexicon
