#include "pipeline/entity_canonicalizer.h"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "pipeline/extract_lexicon.h"
#include "pipeline/ner/word_shape.h"
#include "pipeline/text_fold.h"
#include "pipeline/word_set.h"

namespace wirefeed {
namespace {

using ner::entity_type;

bool is_possessive(std::string_view folded) { return folded == "'s" || folded == "'"; }

// "u.s." -> "us": letter-dot runs lose their dots.
void append_key_word(std::string_view folded, std::string& key) {
  bool dotted = folded.size() >= 2 && folded.back() == '.';
  for (std::size_t i = 0; dotted && i < folded.size(); ++i) {
    dotted = (i % 2 == 1) ? folded[i] == '.' : folded[i] != '.';
  }
  if (!key.empty()) key += ' ';
  if (!dotted) {
    key.append(folded);
    return;
  }
  for (const char ch : folded) {
    if (ch != '.') key += ch;
  }
}

// A person's words without a generational suffix ("donald trump" of "donald trump jr.",
// "martin luther king" of "martin luther king , jr."): how many of them come first.
std::size_t family_words(const std::vector<std::string_view>& words) {
  static const word_set suffixes{"jr.", "jr", "sr.", "sr", "ii", "iii", "iv", ","};
  std::size_t n = words.size();
  while (n > 1 && suffixes.contains(words[n - 1])) --n;
  return n;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64) return 64;
  std::array<std::size_t, 65> row{};
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// A hash of `w` with its byte `skip` left out (none when skip >= w.size()). Two words one edit
// apart (a letter changed, added or dropped) share such a variant: the index of step 2.
std::uint64_t variant_hash(std::string_view w, std::size_t skip) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (k == skip) continue;
    h ^= static_cast<unsigned char>(w[k]);
    h *= 0x100000001b3ULL;
  }
  return h;
}

constexpr std::size_t min_fuzzy_bytes = 5;  // shorter surnames are matched exactly only

entity_kind kind_of(entity_type t) {
  switch (t) {
    case entity_type::per: return entity_kind::person;
    case entity_type::org: return entity_kind::organisation;
    case entity_type::loc: return entity_kind::place;
    default: return entity_kind::other;
  }
}

// One distinct spelling (key) of the article's mentions.
struct spelling {
  std::string key;                              // folded words joined by ' '
  std::vector<std::string_view> words;          // views into `key`
  std::vector<std::uint32_t> mentions;          // indices into c.mentions, in order
  std::array<std::uint32_t, ner::entity_type_count> votes{};
  std::array<std::uint32_t, ner::entity_type_count> first_vote{};  // mention order of the first vote
  entity_type type = entity_type::none;
  std::int32_t parent = -1;  // the spelling this one joins
  bool acronym_of = false;   // joined as an acronym or a cut word: the full name is the name
  bool company_of = false;   // joined as a company's name without its legal form: this is the name
};

std::int32_t root(std::vector<spelling>& s, std::int32_t i) {
  while (s[static_cast<std::size_t>(i)].parent >= 0) i = s[static_cast<std::size_t>(i)].parent;
  return i;
}

// How a one-word organisation name is short for a longer one: as a company's name without its
// legal form ("Microsoft" of "Microsoft Corp.", "Interoute" of "Interoute Plc"), or as a name news
// cuts short ("Fed" of "Federal Reserve" or "U.S. Federal Reserve", "Met" of "Metropolitan
// Police"; a list: "Ford" is no cut of "Fordham University"). Not a first word before other words
// ("Microsoft" of "Microsoft Word", "Chiefs" of "Chiefs QB", "Deutsche" of "Deutsche Bank AG",
// "American" of "American Express Co.").
enum class short_form { none, company, cut };
short_form short_form_of(std::string_view word, const std::vector<std::string_view>& full) {
  static const word_set legal_forms{"inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "ltd", "ltd.",
                                    "plc", "llc", "ag", "sa", "s.a.", "nv", "n.v.", "se", "gmbh", "limited"};
  static const std::array<std::pair<std::string_view, std::string_view>, 2> cuts{{
      {"fed", "federal reserve"},
      {"met", "metropolitan police"},
  }};
  if (full.size() < 2 || word.size() < 3) return short_form::none;
  if (full.front() == word) {
    return full.size() == 2 && legal_forms.contains(full.back()) ? short_form::company : short_form::none;
  }
  // "U.S. Federal Reserve", as Reuters and AFP write it: the country's is the same institution.
  static const word_set countries{"u.s.", "us", "u.k.", "uk"};
  const std::size_t first = full.size() == 3 && countries.contains(full.front()) ? 1 : 0;
  if (full.size() - first != 2) return short_form::none;
  for (const auto& [cut, name] : cuts) {
    if (word == cut && name.size() == full[first].size() + 1 + full[first + 1].size() && name.starts_with(full[first]) &&
        name.ends_with(full[first + 1])) {
      return short_form::cut;
    }
  }
  return short_form::none;
}

bool is_all_caps_word(std::string_view t) {
  std::size_t upper = 0;
  for (const char ch : t) {
    if (ch >= 'a' && ch <= 'z') return false;
    upper += ch >= 'A' && ch <= 'Z';
  }
  return upper >= 2;
}

}  // namespace

entity_canonicalizer::entity_canonicalizer(const ner::gazetteer* gazetteer) : gazetteer_(gazetteer) {
  if (gazetteer_ == nullptr) return;
  for (std::size_t l = 0; l < gazetteer_->list_count(); ++l) {
    const std::string& name = gazetteer_->list_name(l);
    if (name == "country" || name == "subdivision" || name == "city" || name == "wn_location") {
      place_lists_.push_back(l);
    }
    if (name == "country" || name == "subdivision") region_lists_.push_back(l);
    if (name == "first_name") first_name_list_ = static_cast<std::int64_t>(l);
  }
}

bool entity_canonicalizer::looks_like_title_of_work(const extract_context& c, token_range r) const {
  if (gazetteer_ == nullptr || first_name_list_ < 0 || r.size() < 3) return false;
  bool particle = false;
  for (std::uint32_t i = r.begin + 1; i + 1 < r.end; ++i) {
    const std::string_view t = c.text(i);
    particle |= t == "du" || t == "de" || t == "des" || t == "la" || t == "le";
  }
  if (!particle) return false;
  const std::uint64_t first = ner::hash_lower(c.text(r.begin));
  std::array<std::uint8_t, ner::gazetteer::max_lists> positions{};
  gazetteer_->match(&first, 1, positions.data());
  return positions[static_cast<std::size_t>(first_name_list_)] != ner::gazetteer::unit;
}

bool entity_canonicalizer::is_known_place(const extract_context& c, token_range r) const {
  return in_lists(c, r, place_lists_);
}

bool entity_canonicalizer::in_lists(const extract_context& c, token_range r, const std::vector<std::size_t>& lists_of) const {
  if (gazetteer_ == nullptr || lists_of.empty() || r.empty()) return false;
  if (r.size() > ner::gazetteer::max_phrase_tokens) return false;
  std::array<std::uint64_t, ner::gazetteer::max_phrase_tokens> hashes{};
  const std::size_t n = r.size();
  for (std::size_t k = 0; k < n; ++k) hashes[k] = ner::hash_lower(c.text(r.begin + static_cast<std::uint32_t>(k)));
  const std::size_t lists = gazetteer_->list_count();
  std::array<std::uint8_t, ner::gazetteer::max_phrase_tokens * ner::gazetteer::max_lists> positions{};
  gazetteer_->match(hashes.data(), n, positions.data());
  for (const std::size_t l : lists_of) {
    const auto at = [&](std::size_t k) { return positions[k * lists + l]; };
    if (n == 1 && at(0) == ner::gazetteer::unit) return true;
    if (n > 1 && at(0) == ner::gazetteer::begin && at(n - 1) == ner::gazetteer::last) return true;
  }
  return false;
}

bool entity_canonicalizer::is_region_of_known_place(const extract_context& c, token_range r) const {
  static const word_set compass{"eastern", "western", "northern", "southern", "central", "east", "west", "north", "south"};
  // The place lists hold countries, their subdivisions and cities, not continents.
  static const word_set continents{"europe", "asia", "africa", "america", "americas", "balkans", "caucasus", "mediterranean"};
  if (r.size() < 2 || !compass.contains(c.folded(r.begin))) return false;
  // Countries and their subdivisions only: cities and other places are often common words too
  // ("Western Union": Union, New Jersey).
  return (r.size() == 2 && continents.contains(c.folded(r.begin + 1))) || in_lists(c, {r.begin + 1, r.end}, region_lists_);
}

token_range entity_canonicalizer::role_before(const extract_context& c, std::uint32_t name_begin) {
  if (name_begin == 0) return {};
  const token_range sentence = c.sentence(c.sentence_of(name_begin));
  const auto is_title = [&](std::uint32_t i) { return extract_lexicon::is_title_word(c.folded(i)); };
  std::uint32_t start = name_begin;
  bool has_title = false;
  for (std::uint32_t i = name_begin; i > sentence.begin && name_begin - i < 8;) {
    const std::uint32_t j = i - 1;
    const std::string_view f = c.folded(j);
    const entity_mention* m = c.mention_at[j] >= 0 ? &c.mentions[static_cast<std::size_t>(c.mention_at[j])] : nullptr;
    if (is_title(j)) {
      has_title = true;
    } else if (is_possessive(f) && j > sentence.begin && c.mention_ending_at(j) != nullptr && has_title) {
      // "Putin's spokesman": the owner's name and the clitic belong to the title.
      const entity_mention* owner = c.mention_ending_at(j);
      start = owner->tokens.begin;
      i = owner->tokens.begin;
      break;
    } else if (m != nullptr && m->type != entity_type::per) {
      // "Kremlin", "White House", "US", "Russian": an entity inside the title.
    } else if (c.is_word(j) && c.capitalized(j) && !extract_lexicon::is_stopword(f) && m == nullptr) {
      // "Foreign", "Defense", "National".
    } else if (c.is_word(j) && !c.capitalized(j) && extract_lexicon::is_role_modifier(f) && has_title) {
      // "national security adviser".
    } else {
      break;
    }
    start = j;
    i = j;
  }
  if (!has_title || start == name_begin) return {};
  // The word right before the name must be a title word or a capitalised word, not a modifier.
  const std::uint32_t last = name_begin - 1;
  if (!is_title(last) && !c.capitalized(last)) return {};
  // Leading modifiers and entities without a title after them are not part of it: "told German
  // Chancellor" starts at "German" already; trim leading lower-case modifiers.
  while (start < last && !c.capitalized(start) && !is_title(start) && c.mention_at[start] < 0) ++start;
  return {start, name_begin};
}

namespace {

// Whether the text places the mention `r`: a lower-case administrative noun right after it
// ("Kermanshah province", "the Kurdistan region") or "the town of" before it ("the town of
// Sarpol-e Zahab"). A name the tagger has not seen as a place is often typed a person or an
// organisation; these words say what it is.
bool placed_by_context(const extract_context& c, token_range r) {
  static const word_set after{"province", "provinces", "region", "county", "district", "governorate",
                              "prefecture", "oblast", "municipality", "canton"};
  static const word_set before{"town", "city", "village", "province", "region", "county", "district"};
  if (r.end < c.size() && !c.capitalized(r.end) && after.contains(c.folded(r.end))) return true;
  return r.begin >= 2 && c.is(r.begin - 1, "of") && !c.capitalized(r.begin - 2) && before.contains(c.folded(r.begin - 2));
}

// A street's name, as its words (folded): "Avenue Montaigne", "Lyndale Avenue", "Nostrand Ave.",
// "American Boulevard". The tagger types many a street a person or an organisation.
bool is_street(const std::vector<std::string_view>& words) {
  static const word_set last{"avenue", "ave", "ave.", "street", "boulevard", "blvd", "blvd.", "road", "highway",
                             "parkway", "expressway", "freeway", "turnpike"};
  static const word_set first{"avenue", "rue", "boulevard"};
  // Streets that name an institution: "Wall Street" (the markets), "Downing Street" (the British
  // government), "Fleet Street" (the press), "Madison Avenue" (advertising).
  static const word_set institutions{"wall", "downing", "fleet", "madison"};
  if (words.size() == 2 && institutions.contains(words.front())) return false;
  return words.size() >= 2 && (last.contains(words.back()) || first.contains(words.front()));
}

// An institution's name ("Betty Ford Center", "Wasilla Bible Church"): no person's. Three words at
// least: "Bruce Arena" and "Charlotte Church" are people.
bool is_institution(const std::vector<std::string_view>& words) {
  static const word_set last{"center", "centre", "hospital", "church", "university", "college", "school", "clinic",
                             "stadium", "airport", "hotel", "institute", "foundation", "museum"};
  return words.size() >= 3 && last.contains(words.back());
}

}  // namespace

std::vector<entity> entity_canonicalizer::group(extract_context& c) const {
  auto& mentions = c.mentions;
  if (mentions.empty()) return {};

  // 1. Spellings and their type votes.
  std::vector<spelling> spellings;
  std::unordered_map<std::string, std::uint32_t> by_key;
  std::vector<std::uint32_t> spelling_of(mentions.size());
  std::string key;
  for (std::uint32_t k = 0; k < mentions.size(); ++k) {
    key.clear();
    for (std::uint32_t i = mentions[k].tokens.begin; i < mentions[k].tokens.end; ++i) append_key_word(c.folded(i), key);
    auto [it, inserted] = by_key.try_emplace(key, static_cast<std::uint32_t>(spellings.size()));
    if (inserted) spellings.push_back(spelling{key, {}, {}, {}, {}, entity_type::none, -1, false});
    spelling& s = spellings[it->second];
    const auto t = static_cast<std::size_t>(mentions[k].type);
    if (s.votes[t]++ == 0) s.first_vote[t] = k;
    s.mentions.push_back(k);
    spelling_of[k] = it->second;
  }
  for (spelling& s : spellings) {
    std::string_view rest = s.key;
    while (!rest.empty()) {
      const auto sp = rest.find(' ');
      s.words.push_back(rest.substr(0, sp));
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
    std::size_t best = 1;
    for (std::size_t t = 2; t < ner::entity_type_count; ++t) {
      const bool earlier = s.votes[t] == s.votes[best] && s.votes[t] > 0 && s.first_vote[t] < s.first_vote[best];
      if (s.votes[t] > s.votes[best] || earlier) {
        best = t;
      }
    }
    s.type = static_cast<entity_type>(best);
    // A person by the office written before one of its mentions ("Senator Obama", "Gov. Palin"),
    // whatever the tagger took its other mentions for ("the Obama administration").
    if (std::any_of(s.mentions.begin(), s.mentions.end(), [&](std::uint32_t k) {
          const token_range t = mentions[k].tokens;
          return mentions[k].type == entity_type::per && t.begin > 0 &&
                 c.sentence_of(t.begin - 1) == c.sentence_of(t.begin) && c.capitalized(t.begin - 1) &&
                 extract_lexicon::is_office_title(c.folded(t.begin - 1));
        })) {
      s.type = entity_type::per;
    }
    if (s.type == entity_type::org && (is_known_place(c, mentions[s.mentions.front()].tokens) ||
                                       is_region_of_known_place(c, mentions[s.mentions.front()].tokens))) {
      s.type = entity_type::loc;
    }
    if ((s.type == entity_type::per || s.type == entity_type::org) &&
        std::any_of(s.mentions.begin(), s.mentions.end(), [&](std::uint32_t k) { return placed_by_context(c, mentions[k].tokens); })) {
      s.type = entity_type::loc;
    }
    if (s.type == entity_type::per && looks_like_title_of_work(c, mentions[s.mentions.front()].tokens)) {
      s.type = entity_type::org;
    }
    if ((s.type == entity_type::per || s.type == entity_type::org) && is_street(s.words)) s.type = entity_type::loc;
    if (s.type == entity_type::per && is_institution(s.words)) s.type = entity_type::org;
  }

  // 2. People: shorter names join the longer name they end. The longer names are found through
  // their last word, as written and with each letter left out in turn (one edit apart), never by
  // comparing every pair: an article can name thousands of people.
  const auto n = static_cast<std::int32_t>(spellings.size());
  const auto first_mention_offset = [&](const spelling& s) { return mentions[s.mentions.front()].tokens.begin; };
  std::unordered_map<std::string_view, std::vector<std::int32_t>> by_last_word, by_first_word;
  std::unordered_map<std::uint64_t, std::vector<std::int32_t>> by_variant;
  for (std::int32_t j = 0; j < n; ++j) {
    const spelling& full = spellings[static_cast<std::size_t>(j)];
    if (full.type != entity_type::per || full.words.size() < 2) continue;
    const std::string_view last = full.words.back();
    by_last_word[last].push_back(j);
    // "King" of "Martin Luther King, Jr." (a "Trump" of "Donald Trump" and "Donald Trump Jr."
    // joins the one named first, as below).
    if (const std::size_t family = family_words(full.words); family < full.words.size()) {
      by_last_word[full.words[family - 1]].push_back(j);
    }
    by_first_word[full.words.front()].push_back(j);
    if (last.size() < min_fuzzy_bytes || last.size() > 64) continue;
    for (std::size_t skip = 0; skip <= last.size(); ++skip) by_variant[variant_hash(last, skip)].push_back(j);
  }
  std::vector<std::int32_t> candidates;
  for (std::int32_t i = 0; i < n; ++i) {
    spelling& s = spellings[static_cast<std::size_t>(i)];
    const bool one_word = s.words.size() == 1;
    // A place joins no person, but for a word the tagger typed a place that names none the
    // gazetteer knows and is a person's last name: "Palin" of "Sarah Palin".
    if (s.type == entity_type::loc && !(one_word && !is_known_place(c, mentions[s.mentions.front()].tokens))) continue;
    if (s.type != entity_type::per && !one_word) continue;
    candidates.clear();
    if (const auto it = by_last_word.find(s.words.back()); it != by_last_word.end()) candidates = it->second;
    const std::string_view a = s.words.back();
    if (one_word && s.type == entity_type::per && a.size() >= min_fuzzy_bytes && a.size() <= 64) {
      for (std::size_t skip = 0; skip <= a.size(); ++skip) {
        if (const auto it = by_variant.find(variant_hash(a, skip)); it != by_variant.end()) {
          candidates.insert(candidates.end(), it->second.begin(), it->second.end());
        }
      }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::int32_t best = -1;
    bool fuzzy_best = false;
    for (const std::int32_t j : candidates) {
      const spelling& full = spellings[static_cast<std::size_t>(j)];
      if (j == i || full.type != entity_type::per || full.words.size() <= s.words.size()) continue;
      const std::size_t family = family_words(full.words);
      const auto family_end = full.words.rbegin() + static_cast<std::ptrdiff_t>(full.words.size() - family);
      bool exact = std::equal(s.words.rbegin(), s.words.rend(), full.words.rbegin()) ||
                   (family_words(s.words) == s.words.size() && s.words.size() < family &&
                    std::equal(s.words.rbegin(), s.words.rend(), family_end));
      bool fuzzy = false;
      if (!exact && one_word && s.type == entity_type::per) {
        const std::string_view b = full.words.back();
        fuzzy = a.size() >= min_fuzzy_bytes && b.size() >= min_fuzzy_bytes && a[0] == b[0] && edit_distance(a, b) == 1;
      }
      if (!exact && !fuzzy) continue;
      const spelling* current = best >= 0 ? &spellings[static_cast<std::size_t>(best)] : nullptr;
      // Prefer exact over fuzzy, then the first mentioned: "President Joe Biden and his son Hunter
      // Biden ... Biden told reporters" is the one introduced first, whoever is named more often.
      const bool better = current == nullptr || (exact && fuzzy_best) ||
                          (exact == !fuzzy_best && first_mention_offset(full) < first_mention_offset(*current));
      if (better) {
        best = j;
        fuzzy_best = fuzzy;
      }
    }
    // A one-word name that ends no longer name but starts one: the family name written first
    // ("Xi Jinping ... Xi", "Kim Jong Un ... Kim"), or a first name ("Maria Lopez ... Maria").
    // Of two, the one named first.
    if (best < 0 && one_word && s.type == entity_type::per) {
      if (const auto it = by_first_word.find(s.words.front()); it != by_first_word.end()) {
        for (const std::int32_t j : it->second) {
          if (best < 0 || first_mention_offset(spellings[static_cast<std::size_t>(j)]) <
                              first_mention_offset(spellings[static_cast<std::size_t>(best)])) {
            best = j;
          }
        }
      }
    }
    if (best >= 0) s.parent = best;
  }

  // 3. Acronyms join the name they abbreviate, an organisation's short form its full name (the
  // first named of two).
  for (std::int32_t i = 0; i < n; ++i) {
    spelling& s = spellings[static_cast<std::size_t>(i)];
    if (s.parent >= 0 || s.words.size() != 1 || s.type == entity_type::per) continue;
    const entity_mention& m = mentions[s.mentions.front()];
    const bool acronym = is_acronym_text(c.span_text(m.tokens));
    const std::string_view word = s.words[0];
    for (std::int32_t j = 0; j < n; ++j) {
      const spelling& full = spellings[static_cast<std::size_t>(j)];
      if (j == i || full.words.size() < 2 || full.type == entity_type::per || full.parent >= 0) continue;
      if (acronym && initials(full.words) == word) {
        s.parent = j;
        s.acronym_of = true;
        break;
      }
      if (!acronym && s.type == entity_type::org && full.type == entity_type::org) {
        const short_form form = short_form_of(word, full.words);
        if (form == short_form::none) continue;
        s.parent = j;
        (form == short_form::company ? s.company_of : s.acronym_of) = true;
        break;
      }
    }
  }

  // 4. Groups: the root spellings, with their mentions.
  struct group_info {
    std::vector<std::uint32_t> mentions;
    std::array<std::uint32_t, ner::entity_type_count> votes{};
    std::int32_t root = -1;
    bool has_acronym = false;
    bool has_company = false;
  };
  std::vector<std::int32_t> group_of_root(spellings.size(), -1);
  std::vector<group_info> groups;
  for (std::uint32_t k = 0; k < mentions.size(); ++k) {
    const std::int32_t r = root(spellings, static_cast<std::int32_t>(spelling_of[k]));
    auto& g = group_of_root[static_cast<std::size_t>(r)];
    if (g < 0) {
      g = static_cast<std::int32_t>(groups.size());
      groups.push_back({});
      groups.back().root = r;
    }
    group_info& info = groups[static_cast<std::size_t>(g)];
    info.mentions.push_back(k);
    info.votes[static_cast<std::size_t>(spellings[spelling_of[k]].type)]++;
    info.has_acronym |= spellings[spelling_of[k]].acronym_of;
    info.has_company |= spellings[spelling_of[k]].company_of;
  }

  // 5. Each group's kind, name and role.
  std::vector<entity> entities;
  entities.reserve(groups.size());
  for (const group_info& g : groups) {
    entity e;
    const spelling& r = spellings[static_cast<std::size_t>(g.root)];
    e.kind = kind_of(r.type);
    // Name: count the written forms.
    std::map<std::string_view, std::pair<std::uint32_t, std::uint32_t>> forms;  // text -> (count, first mention)
    for (const std::uint32_t k : g.mentions) {
      const std::string_view text = c.span_text(mentions[k].tokens);
      auto [it, inserted] = forms.try_emplace(text, 0u, k);
      it->second.first++;
    }
    const bool person = r.type == entity_type::per;
    const auto words_in = [](std::string_view t) {
      return static_cast<std::size_t>(std::count(t.begin(), t.end(), ' ')) + 1;
    };
    std::string_view best;
    std::pair<std::uint32_t, std::uint32_t> best_stat{0, 0};
    for (const auto& [text, stat] : forms) {
      if (best.empty()) {
        best = text;
        best_stat = stat;
        continue;
      }
      const auto rank = [&](std::string_view t) {
        int level = 1;
        if (person && words_in(t) >= 2) level = 2;
        if (g.has_acronym && words_in(t) >= 2) level = 2;
        if (g.has_company && words_in(t) == 1) level = 2;
        if (!g.has_acronym && is_all_caps_word(t) && forms.size() > 1) level = 0;  // "PARIS" when "Paris" exists
        return level;
      };
      const int a = rank(text), b = rank(best);
      const bool better = a != b ? a > b
                          : stat.first != best_stat.first ? stat.first > best_stat.first
                          : text.size() != best.size()     ? text.size() > best.size()
                                                           : stat.second < best_stat.second;
      if (better) {
        best = text;
        best_stat = stat;
      }
    }
    e.name = std::string(best);
    for (char& ch : e.name) {
      if (ch == '\n') ch = ' ';
    }
    // Role: the most frequent title before a mention.
    if (person) {
      std::map<std::string_view, std::pair<std::uint32_t, std::uint32_t>> roles;
      for (const std::uint32_t k : g.mentions) {
        const token_range role = role_before(c, mentions[k].tokens.begin);
        if (role.empty()) continue;
        auto [it, inserted] = roles.try_emplace(c.span_text(role), 0u, k);
        it->second.first++;
      }
      std::string_view best_role;
      std::pair<std::uint32_t, std::uint32_t> best_role_stat{0, 0};
      for (const auto& [text, stat] : roles) {
        if (best_role.empty() || stat.first > best_role_stat.first ||
            (stat.first == best_role_stat.first && stat.second < best_role_stat.second)) {
          best_role = text;
          best_role_stat = stat;
        }
      }
      e.role = std::string(best_role);
    }
    e.mentions.reserve(g.mentions.size());
    for (const std::uint32_t k : g.mentions) e.mentions.push_back(c.span(mentions[k].tokens));
    entities.push_back(std::move(e));
  }

  // 6. Most mentioned first, then first mentioned first.
  std::vector<std::uint32_t> order(entities.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto& ea = entities[a];
    const auto& eb = entities[b];
    if (ea.mentions.size() != eb.mentions.size()) return ea.mentions.size() > eb.mentions.size();
    return ea.mentions.front().begin < eb.mentions.front().begin;
  });
  std::vector<std::int32_t> rank(entities.size());
  std::vector<entity> sorted;
  sorted.reserve(entities.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    rank[order[i]] = static_cast<std::int32_t>(i);
    sorted.push_back(std::move(entities[order[i]]));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const std::uint32_t k : groups[g].mentions) mentions[k].entity = rank[g];
  }
  return sorted;
}

}  // namespace wirefeed
