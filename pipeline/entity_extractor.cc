#include "pipeline/entity_extractor.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "pipeline/extract_lexicon.h"
#include "pipeline/ner/feature_hash.h"
#include "pipeline/utf8_cursor.h"
#include "pipeline/word_set.h"

namespace wirefeed {
namespace {

// The ASCII spelling of the typographic punctuation CoNLL text writes in ASCII, or nullptr.
const char* ascii_punctuation(char32_t cp) {
  switch (cp) {
    case U'\u201C': case U'\u201D': case U'\u201E': case U'\u201F': case U'\u00AB': case U'\u00BB':
    case U'\u2033':
      return "\"";
    case U'\u2018': case U'\u2019': case U'\u201A': case U'\u201B': case U'\u2032':
      return "'";
    case U'\u2013': case U'\u2010': case U'\u2011': case U'\u2212':
      return "-";
    case U'\u2014': case U'\u2015':
      return "--";
    default:
      return nullptr;
  }
}

bool has_letter(std::string_view s) {
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (b >= 0x80 || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')) return true;
  }
  return false;
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

// Lower-case words that join two parts of one name: "Le Journal du Dimanche", "Ludwig van Beethoven".
bool is_name_particle(std::string_view f) {
  return f == "du" || f == "de" || f == "des" || f == "di" || f == "da" || f == "del" || f == "della" ||
         f == "van" || f == "von" || f == "der" || f == "la" || f == "le" || f == "al" || f == "bin" || f == "of";
}

// "Jr.", "III": what follows a person's name and makes it another person's (Donald Trump Jr.).
bool is_generational_suffix(std::string_view t) {
  return t == "Jr." || t == "Jr" || t == "Sr." || t == "Sr" || t == "II" || t == "III" || t == "IV";
}

// The last word of a person's name, before a generational suffix ("Trump" of "Donald Trump Jr.").
std::uint32_t family_name_token(const extract_context& c, token_range r) {
  std::uint32_t last = r.end - 1;
  while (last > r.begin && (is_generational_suffix(c.text(last)) || c.text(last) == ",")) --last;
  return last;
}

// "Mr", "Dr.", "Mme": written before a person's name, never part of it.
bool is_honorific(std::string_view f) {
  static const word_set honorifics{"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "dr", "dr.",
                                   "sir", "dame", "madam", "madame", "mme", "herr", "frau"};
  return honorifics.contains(f);
}

// AP's party and state after a lawmaker's name: "R-Maine", "D-Conn.", "I-Vt.", "D-N.Y.", "R-TX".
// The state as AP abbreviates it, its postal code or its name, folded without dots or spaces.
bool is_party_tag(const extract_context& c, token_range r) {
  static const word_set states{
      "alabama", "ala",  "al", "alaska",  "ak",   "arizona", "ariz", "az",  "arkansas", "ark",  "ar",
      "california", "calif", "ca", "colorado", "colo", "co", "connecticut", "conn", "ct", "delaware", "del",
      "de",   "florida", "fla", "fl", "georgia", "ga", "hawaii", "hi", "idaho", "id", "illinois", "ill",
      "il",   "indiana", "ind", "in", "iowa", "ia", "kansas", "kan", "ks", "kentucky", "ky", "louisiana",
      "la",   "maine", "me", "maryland", "md", "massachusetts", "mass", "ma", "michigan", "mich", "mi",
      "minnesota", "minn", "mn", "mississippi", "miss", "ms", "missouri", "mo", "montana", "mont", "mt",
      "nebraska", "neb", "ne", "nevada", "nev", "nv", "newhampshire", "nh", "newjersey", "nj", "newmexico",
      "nm",   "newyork", "ny", "northcarolina", "nc", "northdakota", "nd", "ohio", "oh", "oklahoma", "okla",
      "ok",   "oregon", "ore", "or", "pennsylvania", "pa", "rhodeisland", "ri", "southcarolina", "sc",
      "southdakota", "sd", "tennessee", "tenn", "tn", "texas", "tx", "utah", "ut", "vermont", "vt", "virginia",
      "va",   "washington", "wash", "wa", "westvirginia", "wva", "wv", "wisconsin", "wis", "wi", "wyoming",
      "wyo",  "wy"};
  std::string state;
  for (std::uint32_t i = r.begin; i < r.end; ++i) {
    for (const char ch : c.folded(i)) {
      if (ch != '.') state += ch;
    }
  }
  if (state.size() < 4 || state[1] != '-' || (state[0] != 'd' && state[0] != 'r' && state[0] != 'i')) return false;
  return states.contains(std::string_view(state).substr(2));
}

constexpr std::uint32_t k_longest_name = 4;

std::uint64_t name_hash(const extract_context& c, token_range r) {
  std::uint64_t h = ner::hash_seed;
  for (std::uint32_t i = r.begin; i < r.end; ++i) h = ner::hash_combine(h, ner::hash_bytes(c.folded(i)));
  return h;
}

}  // namespace

entity_extractor::entity_extractor(std::shared_ptr<const ner::tagger> tagger) : tagger_(std::move(tagger)) {
  if (!tagger_) return;
  const ner::gazetteer& lists = tagger_->weights().gazetteer_lists();
  for (std::size_t l = 0; l < lists.list_count(); ++l) {
    if (lists.list_name(l) == "first_name") first_name_list_ = static_cast<std::int64_t>(l);
  }
}

bool entity_extractor::in_list(const extract_context& c, std::uint32_t i, std::int64_t list) const {
  if (!tagger_ || list < 0) return false;
  const ner::gazetteer& lists = tagger_->weights().gazetteer_lists();
  const std::uint64_t word = ner::hash_lower(c.text(i));
  std::array<std::uint8_t, ner::gazetteer::max_lists> positions{};
  lists.match(&word, 1, positions.data());
  return positions[static_cast<std::size_t>(list)] == ner::gazetteer::unit;
}

bool entity_extractor::is_name_word(const extract_context& c, std::uint32_t i) {
  // Days and months open sentences before names ("Monday Joe Biden travels to ...").
  static const word_set calendar{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                                 "january", "february", "march", "april", "may", "june", "july", "august",
                                 "september", "october", "november", "december"};
  const std::string_view f = c.folded(i);
  if (!c.is_word(i) || !c.capitalized(i) || f.size() < 2 || extract_lexicon::is_stopword(f) ||
      extract_lexicon::is_title_word(f) || is_honorific(f) || calendar.contains(f)) {
    return false;
  }
  // No lower-case ASCII letter: an acronym or a shouted word (or another script: English names
  // only); "Dr.", "Sixty-year-old", "Half-brother": no name.
  const std::string_view t = c.text(i);
  if (std::all_of(t.begin(), t.end(), [](char ch) { return ch < 'a' || ch > 'z'; })) return false;
  return std::none_of(t.begin(), t.end(), [](char ch) { return ch == '.' || ch == '-' || (ch >= '0' && ch <= '9'); });
}

// How the article writes each word (folded): alone with a capital inside a sentence somewhere
// (not first, and the next word not capitalised: "President Xi said", not "the Reverend Al
// Sharpton" or "the Conservative Party"), in lower case somewhere. One pass over the tokens, the
// first time a rule asks.
class entity_extractor::word_casing {
 public:
  explicit word_casing(const extract_context& c) : c_(c) {}

  // Capitalised wherever it occurs, once at least alone inside a sentence.
  bool written_as_name(std::uint32_t i) {
    if (casing_.empty()) {
      for (std::uint32_t j = 0; j < c_.size(); ++j) {
        if (!c_.is_word(j)) continue;
        auto& [alone, lower] = casing_[c_.folded(j)];
        const token_range sentence = c_.sentence(c_.sentence_of(j));
        if (!c_.capitalized(j)) {
          lower = true;
        } else if (j != sentence.begin && (j + 1 >= sentence.end || !c_.is_word(j + 1) || !c_.capitalized(j + 1))) {
          alone = true;
        }
      }
    }
    const auto it = casing_.find(c_.folded(i));
    return it != casing_.end() && it->second.first && !it->second.second;
  }

 private:
  const extract_context& c_;
  std::unordered_map<std::string_view, std::pair<bool, bool>> casing_;  // (alone inside, lower)
};

void entity_extractor::refine(const extract_context& c, std::vector<entity_mention>& mentions) const {
  using ner::entity_type;
  word_casing casing(c);
  // Joined: "Le Journal" + "du Dimanche".
  std::vector<entity_mention> joined;
  joined.reserve(mentions.size());
  for (const entity_mention& m : mentions) {
    if (!joined.empty() && c.sentence_of(m.tokens.begin) == c.sentence_of(joined.back().tokens.begin)) {
      entity_mention& last = joined.back();
      // "Le Journal" + "du Dimanche", or "Le Journal" + du + "Dimanche".
      const bool adjacent = last.tokens.end == m.tokens.begin && is_name_particle(c.text(m.tokens.begin));
      const bool across = last.tokens.end + 1 == m.tokens.begin && is_name_particle(c.text(last.tokens.end)) &&
                          c.text(last.tokens.end) != "of";
      if (adjacent || across) {
        last.tokens.end = m.tokens.end;
        continue;
      }
    }
    joined.push_back(m);
  }
  // Extended: "Nord Stream" + "2"; a person's "Jr." or "III" ("Donald Trump Jr.", "Martin Luther
  // King, Jr."), which the tagger leaves out: without it, the son was counted as his father.
  for (entity_mention& m : joined) {
    const std::uint32_t next = m.tokens.end;
    if (m.type == entity_type::per && next < c.size() && c.sentence_of(next) == c.sentence_of(m.tokens.begin)) {
      const std::uint32_t suffix = c.text(next) == "," && next + 1 < c.size() ? next + 1 : next;
      if (is_generational_suffix(c.text(suffix)) && c.sentence_of(suffix) == c.sentence_of(m.tokens.begin)) {
        m.tokens.end = suffix + 1;
        continue;
      }
    }
    if ((m.type == entity_type::org || m.type == entity_type::misc) && next < c.size() &&
        c.sentence_of(next) == c.sentence_of(m.tokens.begin) && c.is_number(next) && c.text(next).size() <= 3 &&
        is_digits(c.text(next))) {
      m.tokens.end = next + 1;
    }
  }
  // Dropped: a title tagged as a name before a person ("U.S. National Security Advisor Jake
  // Sullivan"); the canonicalizer reads it as the person's role. And a lawmaker's party and state
  // ("Sen. Susan Collins, R-Maine, said"): no name of its own.
  std::vector<entity_mention> kept;
  kept.reserve(joined.size());
  for (std::size_t k = 0; k < joined.size(); ++k) {
    const entity_mention& m = joined[k];
    if (is_party_tag(c, m.tokens)) continue;
    const bool before_person = k + 1 < joined.size() && joined[k + 1].tokens.begin == m.tokens.end &&
                               joined[k + 1].type == entity_type::per;
    if (m.type != entity_type::per && before_person && extract_lexicon::is_title_word(c.folded(m.tokens.end - 1))) {
      continue;
    }
    // A currency's code, with or without its amount ("CHF 12 billion", "INR 45"): the figure's.
    static const word_set currency_codes{"chf", "inr", "usd", "eur", "gbp", "jpy", "cny", "rmb"};
    if (m.type != entity_type::per && currency_codes.contains(c.folded(m.tokens.begin)) &&
        (m.tokens.size() == 1 || c.is_number(m.tokens.begin + 1))) {
      continue;
    }
    // Words the tagger takes for names that are none: a holiday ("days before Christmas"), an
    // award ("the Oscars"; "Oscar" is a footballer too), an offence's, a test's or a format's acronym ("arrested for DUI", "DNA
    // evidence"), "OK" (but "Tulsa, OK", Oklahoma, after a name and a comma); nor is the name in
    // "Richter scale" or "Molotov cocktail" anyone's. Other names (MISC) keep them.
    static const word_set not_names{"christmas", "easter", "thanksgiving", "halloween", "hanukkah", "ramadan",
                                    "oscars",    "emmy",   "emmys",        "grammy",    "grammys",  "dui",     "dwi",
                                    "dna",       "cpr",    "cctv",         "html",      "sql",      "ok",      "ko",
                                    "kos"};
    if (m.type != entity_type::misc && m.tokens.size() == 1) {
      const std::uint32_t t = m.tokens.begin;
      const bool after_name = t >= 2 && c.text(t - 1) == "," && c.capitalized(t - 2);
      if (not_names.contains(c.folded(t)) && !(c.folded(t) == "ok" && after_name)) continue;
      if (t + 1 < c.size() && (c.folded(t + 1) == "scale" || c.folded(t + 1).starts_with("cocktail"))) continue;
    }
    // A person's title inside an organisation's name: "California Highway Patrol Officer Ray
    // Scheidnes", "Bank of England Governor Andrew Bailey" are an organisation, the title (the
    // canonicalizer reads it as the person's role) and a person. Not "Prime Minister ..." alone:
    // titles and their modifiers before it are no organisation.
    if (m.type == entity_type::org || m.type == entity_type::misc) {
      std::uint32_t title = m.tokens.end;
      for (std::uint32_t k = m.tokens.begin + 1; k + 1 < m.tokens.end; ++k) {
        if (c.capitalized(k) && extract_lexicon::is_title_word(c.folded(k))) {
          title = k;
          break;
        }
      }
      bool person_after = title + 1 < m.tokens.end;
      for (std::uint32_t k = title + 1; k < m.tokens.end && person_after; ++k) person_after = c.is_word(k) && c.capitalized(k);
      if (person_after) {
        bool named = false;  // a word of the organisation's own before the title
        for (std::uint32_t k = m.tokens.begin; k < title && !named; ++k) {
          const std::string_view f = c.folded(k);
          named = c.capitalized(k) && !extract_lexicon::is_title_word(f) && !extract_lexicon::is_role_modifier(f);
        }
        if (named) kept.push_back({{m.tokens.begin, title}, m.type, -1});
        kept.push_back({{title + 1, m.tokens.end}, entity_type::per, -1});
        continue;
      }
    }
    kept.push_back(m);
  }
  // What the tagger found: the words of its other names ("The Kremlin said", "the Conservative
  // Party": no family names), and the last words of its people's names (not "Mr Guest"'s).
  std::unordered_set<std::string_view> other_words, last_names;
  for (const entity_mention& m : kept) {
    if (m.type != entity_type::per) {
      for (std::uint32_t i = m.tokens.begin; i < m.tokens.end; ++i) other_words.insert(c.folded(i));
    } else if (m.tokens.size() >= 2 && !is_honorific(c.folded(m.tokens.begin))) {
      last_names.insert(c.folded(family_name_token(c, m.tokens)));
    }
  }
  // Honorific: "Mr Guest" is the person Guest, if the article names a person Guest or the tagger
  // says a person (it types "Mr Guest" ORG as often as PER); "Dr Sanjay Gupta" is Sanjay Gupta.
  // Not "Dr Martens" (a company), "Dr Pepper" (one, typed PER), "MS Columbus" (a ship) or the
  // contest "Miss Universe" (MISC).
  for (entity_mention& m : kept) {
    const std::string_view first = c.text(m.tokens.begin);
    if (m.tokens.size() < 2 || m.type == entity_type::misc || !is_honorific(c.folded(m.tokens.begin)) ||
        first.size() < 2 || first[1] < 'a' || first[1] > 'z') {
      continue;
    }
    // Typed a person, "Dr Gupta" is Gupta too, unless the honorific is part of a stage name or a
    // brand's ("Dr. Dre", "Dr. Oz", "Mr. T", "Dr Pepper").
    static const word_set known_as{"dre", "oz", "seuss", "phil", "ruth", "t", "bean", "pepper", "martens", "who",
                                   "no", "strangelove", "evil", "universe", "world", "america"};
    const bool named = m.tokens.size() == 2 && last_names.contains(c.folded(m.tokens.end - 1));
    const bool person = named || (m.type == entity_type::per && m.tokens.size() >= 3) ||
                        (m.type == entity_type::per && m.tokens.size() == 2 && c.capitalized(m.tokens.begin + 1) &&
                         !known_as.contains(c.folded(m.tokens.begin + 1)));
    if (!person) continue;
    ++m.tokens.begin;
    m.type = entity_type::per;
  }
  // An office's title the tagger took into the name, as at a sentence's start ("Gov. Palin said",
  // "Insp Gaskin said"): the title is the person's role, the rest the name. Not a monarch's or a
  // cleric's ("Queen Elizabeth", "Pope Francis"), which the name is known by.
  // Titles in a row go together ("Deputy Sheriff John Smith").
  for (entity_mention& m : kept) {
    if (m.type != entity_type::per) continue;
    std::uint32_t name = m.tokens.begin;
    while (name < m.tokens.end && extract_lexicon::is_office_title(c.folded(name))) ++name;
    if (name == m.tokens.begin || name == m.tokens.end || !c.is_word(name)) continue;
    bool names_after = true;
    for (std::uint32_t k = name; k < m.tokens.end && names_after; ++k) {
      names_after = (c.is_word(k) && c.capitalized(k)) || c.text(k) == "," || c.text(k) == ".";
    }
    if (names_after) m.tokens.begin = name;
  }
  // Family name first: "Xi" + "Jinping" at the start of a sentence.
  for (std::size_t k = 0; k < kept.size(); ++k) {
    entity_mention& m = kept[k];
    const std::uint32_t first = c.sentence(c.sentence_of(m.tokens.begin)).begin;
    const bool free = k == 0 || kept[k - 1].tokens.end <= first;
    if (m.type == entity_type::per && m.tokens.begin == first + 1 && free && is_name_word(c, first) &&
        !other_words.contains(c.folded(first)) &&
        (in_list(c, first, first_name_list_) || casing.written_as_name(first))) {
      m.tokens.begin = first;
    }
  }
  // Propagated: a name the tagger found somewhere is a name wherever else it is written with a
  // capital ("Peskov" before "Kremlin spokesman Dmitry Peskov"); so is a person's last name, and
  // the first word of a person's name that is no first name ("Xi" of "Xi Jinping").
  std::unordered_map<std::uint64_t, entity_type> names;
  for (const entity_mention& m : kept) {
    if (m.type == entity_type::misc || m.tokens.size() > k_longest_name) continue;
    names.emplace(name_hash(c, m.tokens), m.type);
  }
  for (const entity_mention& m : kept) {
    if (m.type != entity_type::per || m.tokens.size() < 2) continue;
    const std::uint32_t last = family_name_token(c, m.tokens);
    if (c.text(last).size() >= 3 && c.capitalized(last)) {
      names.emplace(name_hash(c, {last, last + 1}), entity_type::per);
    }
    const std::uint32_t first = m.tokens.begin;
    if (is_name_word(c, first) && !other_words.contains(c.folded(first)) && !in_list(c, first, first_name_list_) &&
        casing.written_as_name(first)) {
      names.emplace(name_hash(c, {first, first + 1}), entity_type::per);
    }
  }
  std::vector<bool> covered(c.size(), false);
  for (const entity_mention& m : kept) {
    for (std::uint32_t i = m.tokens.begin; i < m.tokens.end; ++i) covered[i] = true;
  }
  std::vector<entity_mention> found;
  for (std::uint32_t i = 0; i < c.size(); ++i) {
    if (covered[i] || !c.is_word(i) || !c.capitalized(i)) continue;
    const token_range sentence = c.sentence(c.sentence_of(i));
    if (i == sentence.begin && extract_lexicon::is_stopword(c.folded(i))) continue;
    for (std::uint32_t len = k_longest_name; len >= 1; --len) {
      const std::uint32_t end = i + len;
      if (end > sentence.end) continue;
      bool free = true;
      for (std::uint32_t j = i; j < end && free; ++j) free = !covered[j];
      if (!free || !c.capitalized(end - 1)) continue;
      const auto it = names.find(name_hash(c, {i, end}));
      if (it == names.end()) continue;
      found.push_back({{i, end}, it->second, -1});
      for (std::uint32_t j = i; j < end; ++j) covered[j] = true;
      i = end - 1;
      break;
    }
  }
  kept.insert(kept.end(), found.begin(), found.end());
  std::sort(kept.begin(), kept.end(),
            [](const entity_mention& a, const entity_mention& b) { return a.tokens.begin < b.tokens.begin; });
  mentions = std::move(kept);
}

std::string_view entity_extractor::tagger_form(std::string_view text, std::string& arena) {
  bool ascii = true;
  for (const char ch : text) ascii &= static_cast<unsigned char>(ch) < 0x80;
  if (ascii) return text;
  bool changed = false;
  for (std::size_t i = 0; i < text.size();) {
    if (ascii_punctuation(utf8::next(text, i))) changed = true;
  }
  if (!changed || arena.size() + text.size() > arena.capacity()) return text;
  const std::size_t start = arena.size();
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    const char32_t cp = utf8::next(text, i);
    if (const char* a = ascii_punctuation(cp)) {
      arena += a;
    } else {
      arena.append(text.substr(at, i - at));
    }
  }
  return std::string_view(arena).substr(start);
}

std::vector<entity_mention> entity_extractor::find(const extract_context& c) const {
  std::vector<entity_mention> out;
  if (c.size() == 0 || !tagger_) return out;
  // Every replacement is no longer than what it replaces, so the body's size bounds the arena and
  // it never reallocates (the views into it stay valid).
  std::string arena;
  arena.reserve(c.doc().body.size());
  std::vector<std::vector<std::string_view>> sentences;
  sentences.reserve(c.sentences().size());
  for (const token_range& r : c.sentences()) {
    std::vector<std::string_view>& s = sentences.emplace_back();
    s.reserve(r.size());
    for (std::uint32_t i = r.begin; i < r.end; ++i) s.push_back(tagger_form(c.text(i), arena));
  }
  const auto labels = tagger_->tag_document(sentences);
  for (std::size_t si = 0; si < labels.size() && si < c.sentences().size(); ++si) {
    const token_range r = c.sentence(static_cast<std::uint32_t>(si));
    for (const ner::entity_span& span : ner::to_spans(labels[si])) {
      std::uint32_t b = r.begin + static_cast<std::uint32_t>(span.begin);
      std::uint32_t e = r.begin + static_cast<std::uint32_t>(span.end);
      // Punctuation, and a capitalised function word ("Our Western interlocutors"), are not names.
      while (b < e && (c.is_punct(b) || (e - b > 1 && extract_lexicon::is_stopword(c.folded(b))))) ++b;
      while (e > b && c.is_punct(e - 1)) --e;
      if (b >= e || !has_letter(c.span_text({b, e}))) continue;
      out.push_back({{b, e}, span.type, -1});
    }
  }
  refine(c, out);
  return out;
}

}  // namespace wirefeed
