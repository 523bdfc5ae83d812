#include "pipeline/story.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <set>
#include <span>
#include <stdexcept>
#include <utility>

#include "pipeline/changelog_json.h"
#include "pipeline/encode.h"
#include "pipeline/iso_time.h"
#include "pipeline/json_writer.h"
#include "pipeline/name_anchors.h"
#include "pipeline/ner/feature_hash.h"
#include "pipeline/text_fold.h"
#include "pipeline/url_host.h"

namespace wirefeed {
namespace {

// "https://www.ewn.co.za/2022/..." -> "ewn.co.za".
std::string site_of(std::string_view url) {
  std::string_view host = url_host(url);
  if (host.starts_with("www.")) host.remove_prefix(4);
  return std::string(host);
}

// std::tolower's "C" locale, without its call per byte (wirefeed sets no locale).
char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// "Russian troops" -> "troops" -> "troop": the last word, a plural 's' dropped, as written.
std::string_view head_word(std::string_view counted) {
  const auto space = counted.rfind(' ');
  std::string_view last = space == std::string_view::npos ? counted : counted.substr(space + 1);
  if (last.size() > 3 && lower_ascii(last.back()) == 's' && lower_ascii(last[last.size() - 2]) != 's') last.remove_suffix(1);
  return last;
}

// Head words (in lower case, a plural 's' dropped) of one quantity, each with the word its group
// goes by: "25,000 troops" in one copy of a wire story is "25,000 soldiers" in its translation; a
// toll is "30 dead", "30 killed" or "30 deaths" as outlets write it.
constexpr auto k_head_synonyms = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"soldier", "troop"},     {"serviceman", "troop"}, {"servicemen", "troop"}, {"servicemember", "troop"},
    {"dead", "death"},        {"killed", "death"},     {"fatalitie", "death"},  {"fatality", "death"},
    {"wounded", "injured"},   {"injurie", "injured"},  {"injury", "injured"},   {"hurt", "injured"},
    {"person", "people"},
});

std::string_view synonym_head(std::string_view head) {
  for (const auto& [word, group] : k_head_synonyms) {
    if (word == head) return group;
  }
  return head;
}

// The head word in lower case, as its synonyms' first: what figures are grouped and matched by.
std::string counted_head(std::string_view counted) {
  std::string head(head_word(counted));
  for (char& c : head) c = lower_ascii(c);
  if (const std::string_view synonym = synonym_head(head); synonym != head) return std::string(synonym);
  return head;
}

// counted_head(counted) == head, without building the head on the heap (on the strand, per story
// figure).
bool has_head(std::string_view counted, std::string_view head) {
  const std::string_view last = head_word(counted);
  std::array<char, 24> lowered;
  if (last.size() > lowered.size()) return counted_head(counted) == head;
  std::transform(last.begin(), last.end(), lowered.begin(), lower_ascii);
  return synonym_head(std::string_view(lowered.data(), last.size())) == head;
}

}  // namespace

std::vector<std::uint32_t> quote_words(std::string_view text) {
  const std::string folded = fold_text(text);
  std::vector<std::uint32_t> out;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !std::isalnum(static_cast<unsigned char>(folded[i])) &&
           static_cast<unsigned char>(folded[i]) < 0x80)
      ++i;
    const std::size_t start = i;
    while (i < folded.size() && (std::isalnum(static_cast<unsigned char>(folded[i])) ||
                                 static_cast<unsigned char>(folded[i]) >= 0x80))
      ++i;
    if (i > start) out.push_back(static_cast<std::uint32_t>(ner::hash_bytes(std::string_view(folded).substr(start, i - start))));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

// Two quotations are the same when they share half their words, or one holds 80% of the other's
// (a quote trimmed by one outlet), given `common` words in common.
bool same_quote(std::size_t common, std::size_t x, std::size_t y) {
  const std::size_t smaller = std::min(x, y);
  return 2 * common >= x + y - common || (smaller > 0 && 5 * common >= 4 * smaller);
}

// A bit per word (its hash mod 64): two quotes' common words sit on the bits both masks have.
std::uint64_t word_mask(const std::vector<std::uint32_t>& words) {
  std::uint64_t mask = 0;
  for (const auto w : words) mask |= std::uint64_t{1} << (w & 63);
  return mask;
}

// An article's quote as matched against a story's variants: its words, their mask, and how many
// of its words sit on each bit. The words another quote has in common with it lie on the bits
// the two masks share, at most as many on a bit as this quote has there: an upper bound of the
// count from a few bits instead of a pass over the other quote's words. Most pairs of quotes
// are different quotations, and the bound rules them out.
struct quote_probe {
  explicit quote_probe(const std::vector<std::uint32_t>& w) : words(w), mask(word_mask(w)) {
    for (const auto x : w) ++on_bit[x & 63];
  }
  std::size_t at_most_common(std::uint64_t other_mask) const {
    std::size_t n = 0;
    for (std::uint64_t m = mask & other_mask; m != 0; m &= m - 1) n += on_bit[std::countr_zero(m)];
    return n;
  }
  // same_quote() with the variant `v` (its mask worked out).
  bool same_as(const quote_variant& v) const {
    return same_quote(at_most_common(v.mask), words.size(), v.words.size()) &&
           same_quote(common_count(words, v.words), words.size(), v.words.size());
  }

  const std::vector<std::uint32_t>& words;
  std::uint64_t mask;
  std::array<std::uint32_t, 64> on_bit{};
};

constexpr std::size_t min_quote_words = 5;
// A quotation's text as a story keeps it: at most this many bytes (cut at a character, "…"
// added). A story holds up to 32 x 16 variants, and its update and state must stay well under the
// largest record the producer sends (1,000,000 bytes by default); a quote running on over
// paragraphs of a statement would otherwise take a story over it.
constexpr std::size_t max_quote_bytes = 600;

// At most `max_bytes` of `text`, cut at a character with "…" added.
std::string kept_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a character
  return std::string(text.substr(0, end)) + "\u2026";
}

std::string kept_quote_text(std::string_view text) { return kept_text(text, max_quote_bytes); }

std::string figure_label(const figure_report& r, const figure_group& g) {
  return r.text + (g.counted.empty() ? "" : " " + g.counted);
}

// The same quantity, as sources report it: within 25% of each other (100,000 and 110,000 troops
// are one figure in conflict; 3,000 and 100,000 troops are two figures).
bool close(double x, double y) {
  if (x <= 0 || y <= 0) return x == y;
  return std::max(x, y) <= 1.25 * std::min(x, y);
}

bool same_value(const figure_report& x, const figure_report& y) { return x.value == y.value && x.high == y.high; }

// The group of `figures` (`heads` their counted_head) a value of `unit` counting `head` belongs
// in, among those `open` admits: the one holding this very value first (Garrard's 329 yards and
// Manning's 364 are two groups, and a source giving both agrees with each); else one holding a
// value close to it.
template <typename Open>
std::vector<figure_group>::iterator group_for(std::vector<figure_group>& figures, const std::vector<std::string>& heads,
                                              std::string_view unit, std::string_view head, double value,
                                              const std::optional<double>& high, const Open& open) {
  auto near = figures.end();  // the first group with a close value, while looking for the very one
  for (auto g = figures.begin(); g != figures.end(); ++g) {
    if (g->unit != unit || heads[static_cast<std::size_t>(g - figures.begin())] != head) continue;
    bool very = false, closer = false;
    for (const figure_report& y : g->reports) {
      very = very || (y.value == value && y.high == high);
      closer = closer || close(y.value, value);
    }
    if (!very && (!closer || near != figures.end())) continue;
    if (!open(*g)) continue;
    if (very) return g;
    near = g;
  }
  return near;
}

// Figures worth consolidating: something counted, or a currency / measure unit.
bool consolidates(const figure& f) { return !f.counted.empty() || (!f.unit.empty() && f.unit != "percent"); }

// `tally_shared`: an article giving a value its source's report holds under another uri counts
// into it; false for a new version of a member (update_member), which was counted when it joined
// and would be once more with every version.
void add_figures(story& s, const article& a, const std::string& source, const story_limits& limits,
                 std::vector<story_change>& changes, bool tally_shared = true) {
  std::set<std::pair<std::size_t, std::size_t>> tallied;  // (group, report) this article was counted in
  std::vector<std::string> heads;  // counted_head of each group, once per article
  heads.reserve(s.figures.size());
  for (const auto& g : s.figures) heads.push_back(counted_head(g.counted));
  for (const figure& f : a.figures) {
    if (!consolidates(f)) continue;
    const std::string head = counted_head(f.counted);
    // Not a group this article gave another value to: one article's 79 and 77 seats (two
    // parties), $1.2 billion stolen and $1.1 billion forfeited, are two figures, not a conflict.
    const auto own_other_value = [&](const figure_report& y) {
      return y.uri == a.uri && (y.value != f.value || y.high != f.high);
    };
    const auto g = group_for(s.figures, heads, f.unit, head, f.value, f.high, [&](const figure_group& x) {
      return std::none_of(x.reports.begin(), x.reports.end(), own_other_value);
    });
    const auto report = [&] {
      return figure_report{source, a.uri, a.body.substr(f.text.begin, f.text.size()), f.value, f.high, f.qualifier};
    };
    if (g == s.figures.end()) {
      if (s.figures.size() >= limits.figure_groups) continue;
      figure_group& added = s.figures.emplace_back(figure_group{f.counted, f.unit, {}});
      added.reports.push_back(report());
      heads.push_back(head);
      changes.push_back({"new_figure", figure_label(added.reports.back(), added)});
      continue;
    }
    // One report per source and value: a story told by hundreds of articles lists each source's
    // figure once, with a count, not once per article. Articles of unknown source are each their own.
    const auto same_as_this = [&](const figure_report& x) { return x.value == f.value && x.high == f.high; };
    const auto same = std::find_if(g->reports.begin(), g->reports.end(), [&](const figure_report& x) {
      return same_as_this(x) && (x.uri == a.uri || (!source.empty() && x.source == source));
    });
    if (same != g->reports.end()) {
      // Counted once per article, however often the article repeats the figure.
      const std::pair at{static_cast<std::size_t>(g - s.figures.begin()), static_cast<std::size_t>(same - g->reports.begin())};
      if (tally_shared && same->uri != a.uri && tallied.insert(at).second) ++same->articles;
      continue;
    }
    if (g->reports.size() >= limits.reports_per_figure) continue;
    const bool was_conflict = g->conflict();
    const bool new_value = std::none_of(g->reports.begin(), g->reports.end(), same_as_this);
    const figure_report& r = g->reports.emplace_back(report());
    if (new_value) changes.push_back({"new_figure", figure_label(r, *g)});
    if (!was_conflict && g->conflict()) changes.push_back({"figure_conflict", figure_label(r, *g)});
  }
}

std::vector<std::string_view> words_of(std::string_view name) {
  std::vector<std::string_view> words;
  for (std::size_t at = 0; at <= name.size();) {
    const std::size_t space = std::min(name.find(' ', at), name.size());
    if (space > at) words.push_back(name.substr(at, space - at));
    at = space + 1;
  }
  return words;
}

bool short_names_kind(int kind) {
  return kind == static_cast<int>(entity_kind::person) || kind == static_cast<int>(entity_kind::organisation) ||
         kind == static_cast<int>(entity_kind::place);
}

// Whether an organisation's name may be another's without the one or two words naming its place
// before it ("Red Sox" of "Boston Red Sox", "Justice Department" of "U.S. Justice Department"):
// two words at least, or a capitalised plural of five letters or more (a team's "Yankees"), so
// that "Court" is no "Supreme Court" and "House" no "White House".
bool may_end_a_name(std::string_view name) {
  if (name.find(' ') != std::string_view::npos) return true;
  return name.size() >= 5 && name.back() == 's' && name[0] >= 'A' && name[0] <= 'Z' && !is_acronym_text(name);
}

// Whether `name` is `full_name`'s last words, after one or two others.
bool ends_name(std::string_view name, std::string_view full_name) {
  if (full_name.size() <= name.size() + 1) return false;
  const std::size_t cut = full_name.size() - name.size();
  if (full_name[cut - 1] != ' ' || !same_name(full_name.substr(cut), name)) return false;
  const std::string_view before = full_name.substr(0, cut - 1);
  return std::count(before.begin(), before.end(), ' ') <= 1;
}

// A person's name of one or two words, an acronym, an organisation's name that may end a longer
// one: a name that may stand for a longer one. Asked of every entity of every article on the strand: inlined
// (not, it cost ~1 % of a Join's instructions).
[[gnu::always_inline]] inline bool is_short_name(int kind, std::string_view name) {
  if (kind == static_cast<int>(entity_kind::person)) {
    const auto space = name.find(' ');
    return space == std::string_view::npos || name.find(' ', space + 1) == std::string_view::npos;  // one word or two
  }
  if (kind == static_cast<int>(entity_kind::organisation) && may_end_a_name(name)) return true;
  return short_names_kind(kind) && is_acronym_text(name);  // no space in an acronym
}

// Whether `short_name` stands for `full_name` of kind `kind`: a person's last word (not the
// first: "Charles" is not "Charles Michel") or first and last words, an organisation's or place's
// initials as an acronym, an organisation's name without its place (may_end_a_name: "Red Sox",
// "Boston Red Sox").
bool stands_for(int kind, std::string_view short_name, std::string_view full_name) {
  if (kind == static_cast<int>(entity_kind::organisation) && may_end_a_name(short_name) && ends_name(short_name, full_name)) {
    return true;
  }
  // A person's first and last names, the middle ones left out: "Mark Heller" of "Mark Jay
  // Heller", "Raymond Kelly" of "Raymond W. Kelly".
  const auto space = short_name.find(' ');
  if (kind == static_cast<int>(entity_kind::person) && space != std::string_view::npos) {
    const auto full_first = full_name.find(' ');
    if (full_first == std::string_view::npos) return false;
    const auto full_last = full_name.rfind(' ');
    return full_first != full_last && short_name.find(' ', space + 1) == std::string_view::npos &&
           same_name(short_name.substr(space + 1), full_name.substr(full_last + 1)) &&
           same_name(short_name.substr(0, space), full_name.substr(0, full_first));
  }
  if (space != std::string_view::npos || full_name.find(' ') == std::string_view::npos) return false;
  if (kind == static_cast<int>(entity_kind::person)) return same_name(short_name, full_name.substr(full_name.rfind(' ') + 1));
  return is_acronym_text(short_name) && spells_initials(short_name, full_name);
}

// Two names of one quote's speaker: the same name, or one the other's last name ("Meron", "Neil
// Meron"). The longer names the group when it comes.
bool same_speaker(std::string_view x, std::string_view y) {
  constexpr int person = static_cast<int>(entity_kind::person);
  return same_name(x, y) || stands_for(person, x, y) || stands_for(person, y, x);
}
void name_speaker(quote_group& g, std::string_view speaker) {
  if (g.speaker.empty() || stands_for(static_cast<int>(entity_kind::person), g.speaker, speaker)) g.speaker = speaker;
}

constexpr std::size_t top_listed = 10;  // people, organisations, places, keywords in an update

// Counts the article's people, organisations and places into the story's; new ones up to `limit`
// (a full list makes room: entity_counts::make_room), the first-named first. The new ones go in
// with one merge, not one insertion (moving the entries after it) each.
void add_entities(story& s, const article& a, std::size_t limit, const std::vector<name_keys>& given) {
  struct fresh_entity {
    std::uint64_t key;
    int kind;
    std::string_view name;
    std::size_t entity;  // in a.entities
  };
  std::vector<name_keys> computed;  // when not given (a caller outside the cluster stage)
  if (given.size() != a.entities.size()) {
    computed.reserve(a.entities.size());
    for (const entity& e : a.entities) computed.push_back(name_keys::of(static_cast<int>(e.kind), e.name));
  }
  const std::vector<name_keys>& keys = given.size() == a.entities.size() ? given : computed;
  std::vector<fresh_entity> fresh;  // not in the story yet, in the order first named
  std::vector<const entity_counts::entry*> counted;  // held ones this article counted
  const auto now = static_cast<std::uint32_t>(s.articles + 1);  // this article, once added
  counted.reserve(a.entities.size());
  // A short name the article gives beside the full one ("Putin", "Vladimir Putin": the extract
  // stage joins them, a producer's own entities may not): the full one counts the article.
  const auto beside_its_full_name = [&](std::size_t i) {
    const int kind = static_cast<int>(a.entities[i].kind);
    const std::string_view name = a.entities[i].name;
    if (!is_short_name(kind, name)) return false;
    return std::any_of(a.entities.begin(), a.entities.end(), [&](const entity& full) {
      return static_cast<int>(full.kind) == kind && stands_for(kind, name, full.name);
    });
  };
  for (std::size_t i = 0; i < a.entities.size(); ++i) {
    const int kind = static_cast<int>(a.entities[i].kind);
    const std::string_view name = a.entities[i].name;
    // Other names ("Russian", "Nobel Prize") are in no list of the story's: no slot for them.
    if (name.size() > max_story_name_bytes || a.entities[i].kind == entity_kind::other) continue;
    const std::uint64_t key = keys[i].as[static_cast<std::size_t>(kind)];
    if (beside_its_full_name(i)) continue;
    // Once per article: two spellings of one name ("Journal du Dimanche", "Le Journal du
    // Dimanche") are one entry (an article names few dozen entities).
    // A short name ("Putin") counts for the full one the story holds ("Vladimir Putin").
    auto* e = s.entities.find(key, kind, name);
    if (e == nullptr) e = s.entities.find_full(kind, name);
    // A name of several words the story counts as another kind ("Betty Ford Center" a person in
    // one article, a place in another): counted there, under the kind the story gave it first.
    for (int other = 0; other < static_cast<int>(keys[i].as.size()); ++other) {
      if (e != nullptr || name.find(' ') == std::string_view::npos) break;
      if (other != kind) e = s.entities.find(keys[i].as[static_cast<std::size_t>(other)], other, name);
    }
    if (e != nullptr) {
      if (std::find(counted.begin(), counted.end(), e) == counted.end()) {
        counted.push_back(e);
        ++e->articles;
        e->last = now;
      }
      continue;
    }
    // Each new pair once, at its first position.
    const bool listed = std::any_of(fresh.begin(), fresh.end(), [&](const fresh_entity& f) {
      return f.key == key && f.kind == kind && (f.name == name || entity_counts::match_name(kind, f.name) == entity_counts::match_name(kind, name));
    });
    if (!listed) fresh.push_back({key, kind, name, i});
  }
  if (fresh.empty()) return;
  // A full list makes room for the article's new names: a name that comes up again and again late
  // in a story (a suspect named on the second day) is listed, in place of names given once long ago.
  if (s.entities.size() + fresh.size() > limit) s.entities.make_room(s.entities.size() + fresh.size() - limit, now, top_listed);
  if (s.entities.size() >= limit) return;
  fresh.resize(std::min(fresh.size(), limit - s.entities.size()));  // the first-named first
  std::sort(fresh.begin(), fresh.end(), [](const fresh_entity& x, const fresh_entity& y) {
    return x.key != y.key ? x.key < y.key : x.kind != y.kind ? x.kind < y.kind : x.name < y.name;
  });  // as entity_counts keeps them: no entry with its name moved again
  std::vector<entity_counts::entry> added;
  added.reserve(fresh.size());
  for (const auto& f : fresh) added.push_back({f.key, f.kind, std::string(f.name), 1, now});
  s.entities.insert(std::move(added));
  // A full name new to the story takes in the short name it held ("Putin" before "Vladimir Putin"),
  // if the story holds any.
  if (!s.entities.holds_short_names()) return;
  for (const auto& f : fresh) {
    if (f.name.find(' ') != std::string_view::npos) {
      s.entities.fold_short_into(f.kind, f.name, keys[f.entity].short_keys(), s.articles + 1);  // + this one
    }
  }
}

// A restored story's variants get their words when the story is next matched against, not at
// start-up (most restored stories expire without another quote). A stored variant has at least
// min_quote_words words, so empty means not folded yet.
void fold_variants(std::vector<quote_group>& quotes) {
  for (auto& g : quotes) {
    for (auto& v : g.variants) {
      if (v.words.empty()) v.words = quote_words(v.text);
      if (v.mask == 0) v.mask = word_mask(v.words);
    }
  }
}

// The words a variant of quote `i` of `a` is kept with: those of its text as kept (cut to
// kept_quote_text), which a restored story reads back.
std::vector<std::uint32_t> kept_words(const article& a, std::size_t i, const std::vector<std::vector<std::uint32_t>>& words_of) {
  const quote& q = a.quotes[i];
  const std::string text = kept_quote_text(std::string_view(a.body).substr(q.text.begin, q.text.size()));
  return text.size() < q.text.size() ? quote_words(text) : words_of[i];
}

// `tally_shared`: as for add_figures.
void add_quotes(story& s, const article& a, const std::vector<std::vector<std::uint32_t>>& words_of,
                const std::string& source, const story_limits& limits, std::vector<story_change>& changes,
                bool tally_shared = true) {
  fold_variants(s.quotes);
  std::set<std::pair<std::size_t, std::size_t>> tallied;  // (group, variant) this article was counted in
  for (std::size_t i = 0; i < a.quotes.size() && i < words_of.size(); ++i) {
    const quote& q = a.quotes[i];
    if (words_of[i].size() < min_quote_words) continue;
    const std::string text = kept_quote_text(std::string_view(a.body).substr(q.text.begin, q.text.size()));
    // A cut text's words are those a restored story reads back from it.
    const bool cut = text.size() < q.text.size();
    const std::vector<std::uint32_t> cut_words = cut ? quote_words(text) : std::vector<std::uint32_t>();
    const auto& words = cut ? cut_words : words_of[i];
    const quote_probe probe(words);
    const std::string_view speaker =
        q.speaker && *q.speaker < a.entities.size() ? std::string_view(a.entities[*q.speaker].name) : std::string_view();
    const auto variant = [&] { return quote_variant{text, source, a.uri, words, 1, probe.mask}; };
    // Not a group of another speaker's, when the article names the speaker at the quote ("said
    // Arteta"; a "he said" can be misread): "It was a clear penalty" (Tuchel) and "It was never a
    // penalty" (Arteta) share most words and say the opposite.
    const bool named_here = q.how == attribution::direct && !speaker.empty();
    auto g = std::find_if(s.quotes.begin(), s.quotes.end(), [&](const quote_group& x) {
      // The words first: most groups are other quotations, which their masks rule out cheaply.
      return std::any_of(x.variants.begin(), x.variants.end(), [&](const quote_variant& v) { return probe.same_as(v); }) &&
             !(named_here && !x.speaker.empty() && !same_speaker(x.speaker, speaker));
    });
    if (g == s.quotes.end()) {
      // A speaker's last name alone, as an article names them ("Putin"), is the full name the story
      // holds ("Vladimir Putin").
      std::string_view named = speaker;
      constexpr int person = static_cast<int>(entity_kind::person);
      if (!speaker.empty() && speaker.find(' ') == std::string_view::npos) {
        if (const auto* full = s.entities.find_full(person, speaker)) named = full->name;
      }
      if (s.quotes.size() >= limits.quote_groups) {
        // A full list makes room for a quote with its speaker, in place of one quote that one
        // article gave: the first no one was found to say (a story's first articles can fill the
        // list with fragments and quotes whose attribution was not read), else one of the speaker
        // with the most quotes, if they have two more than this speaker: a story's quotes are of
        // as many voices as they can be (the Kremlin's reply, not a ninth quote of the briefing).
        if (named.empty()) continue;
        const auto quotes_of = [&](std::string_view who) {
          return std::count_if(s.quotes.begin(), s.quotes.end(), [&](const quote_group& x) { return x.speaker == who; });
        };
        auto leaving = s.quotes.end();
        std::ptrdiff_t most = quotes_of(named) + 1;
        for (auto x = s.quotes.begin(); x != s.quotes.end(); ++x) {
          if (x->variants.size() != 1 || x->variants[0].articles != 1 || x->variants[0].uri == a.uri) continue;
          if (x->speaker.empty()) {
            leaving = x;
            break;
          }
          if (const std::ptrdiff_t n = quotes_of(x->speaker); n > most) {
            most = n;
            leaving = x;
          }
        }
        if (leaving == s.quotes.end()) continue;
        const auto gone = static_cast<std::size_t>(leaving - s.quotes.begin());
        s.quotes.erase(leaving);
        std::set<std::pair<std::size_t, std::size_t>> shifted;
        for (const auto& [group, v] : tallied) {
          if (group != gone) shifted.insert({group > gone ? group - 1 : group, v});
        }
        tallied = std::move(shifted);
      }
      changes.push_back({"new_quote", text});
      s.quotes.emplace_back(quote_group{std::string(named), {}}).variants.push_back(variant());
      continue;
    }
    if (!speaker.empty()) name_speaker(*g, speaker);
    // One variant per source and wording (same folded words), with a count. Articles of unknown
    // source are each their own.
    const auto same = std::find_if(g->variants.begin(), g->variants.end(), [&](const quote_variant& v) {
      return v.uri == a.uri || (!source.empty() && v.source == source && v.words == words);
    });
    if (same != g->variants.end()) {
      const std::pair at{static_cast<std::size_t>(g - s.quotes.begin()), static_cast<std::size_t>(same - g->variants.begin())};
      if (tally_shared && same->uri != a.uri && tallied.insert(at).second) ++same->articles;  // once per article
    } else if (g->variants.size() < limits.variants_per_quote) {
      g->variants.push_back(variant());
    }
  }
}

// A merge: the absorbed story's figure reports filed into `into`'s groups as an article's are
// (group_for: same unit and counted noun, the very value, else a close one), one report per source
// and value (their article counts added), rather than its groups appended beside `into`'s.
void merge_figures(story& into, std::vector<figure_group>&& groups, const story_limits& limits) {
  std::vector<std::string> heads;
  heads.reserve(into.figures.size());
  for (const auto& x : into.figures) heads.push_back(counted_head(x.counted));
  for (auto& g : groups) {
    const std::string head = counted_head(g.counted);
    for (auto& r : g.reports) {
      auto target = group_for(into.figures, heads, g.unit, head, r.value, r.high, [](const figure_group&) { return true; });
      if (target == into.figures.end()) {
        if (into.figures.size() >= limits.figure_groups) continue;
        target = into.figures.insert(into.figures.end(), figure_group{g.counted, g.unit, {}});
        heads.push_back(head);
      }
      const auto same = std::find_if(target->reports.begin(), target->reports.end(), [&](const figure_report& y) {
        return same_value(y, r) && !r.source.empty() && y.source == r.source;
      });
      if (same != target->reports.end()) same->articles += r.articles;
      else if (target->reports.size() < limits.reports_per_figure) target->reports.push_back(std::move(r));
    }
  }
}

// The same for quotations: each absorbed variant joins the group holding the same quote (one
// variant per source and wording), else a group of its own.
void merge_quotes(story& into, std::vector<quote_group>&& groups, const story_limits& limits) {
  fold_variants(into.quotes);
  fold_variants(groups);
  for (auto& g : groups) {
    for (auto& v : g.variants) {
      const quote_probe probe(v.words);
      auto target = std::find_if(into.quotes.begin(), into.quotes.end(), [&](const quote_group& x) {
        return std::any_of(x.variants.begin(), x.variants.end(), [&](const quote_variant& y) { return probe.same_as(y); });
      });
      if (target == into.quotes.end()) {
        if (into.quotes.size() >= limits.quote_groups) continue;
        target = into.quotes.insert(into.quotes.end(), quote_group{g.speaker, {}});
      }
      if (!g.speaker.empty()) name_speaker(*target, g.speaker);
      const auto same = std::find_if(target->variants.begin(), target->variants.end(), [&](const quote_variant& y) {
        return !v.source.empty() && y.source == v.source && y.words == v.words;
      });
      if (same != target->variants.end()) same->articles += v.articles;
      else if (target->variants.size() < limits.variants_per_quote) target->variants.push_back(std::move(v));
    }
  }
}

void write_time(json_writer& w, const std::optional<std::int64_t>& ms) {
  if (ms) w.value(format_utc(*ms));
  else w.null();
}

// The first `N` of a sequence by `before` (ties: the earlier first), kept as it is read: no
// allocation, and a story's lists are short (64 entities, 96 terms) against N = 10.
template <class T, std::size_t N>
class top_n {
 public:
  template <class Before>
  void offer(const T& x, Before before) {
    std::size_t at = size_;
    while (at > 0 && before(x, items_[at - 1])) --at;
    if (at == N) return;
    for (std::size_t i = std::min(size_, N - 1); i > at; --i) items_[i] = items_[i - 1];
    items_[at] = x;
    size_ = std::min(size_ + 1, N);
  }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + size_; }

 private:
  std::array<T, N> items_{};
  std::size_t size_ = 0;
};

// The most named of a kind; ties by name.
void write_top_entities(json_writer& w, const story& s, entity_kind kind) {
  top_n<const entity_counts::entry*, top_listed> top;
  for (const auto& e : s.entities) {
    if (e.kind != static_cast<int>(kind)) continue;
    top.offer(&e, [](const entity_counts::entry* x, const entity_counts::entry* y) {
      return x->articles != y->articles ? x->articles > y->articles : x->name < y->name;
    });
  }
  w.begin_array();
  for (const auto* e : top) w.begin_object().key("name").value(e->name).key("count").value(e->articles).end_object();
  w.end_array();
}

// The heaviest centroid terms, as keywords; a pair listed takes the place of its words ("red sox",
// not "red", "sox" and "red sox"), as the article's keywords do, and the list is that much
// shorter (no second pass over the terms: this runs on the strand with every update).
void write_keywords(json_writer& w, const story& s) {
  top_n<const centroid_entry*, top_listed> top;
  for (const auto& e : s.terms) {
    if (e.text.find(':') != std::string::npos) continue;  // entities have their own lists
    top.offer(&e, [](const centroid_entry* x, const centroid_entry* y) {
      return x->weight != y->weight ? x->weight > y->weight : x->text < y->text;
    });
  }
  const auto word_of = [](std::string_view word, std::string_view pair) {
    const auto space = pair.find(' ');
    return space != std::string_view::npos && (pair.substr(0, space) == word || pair.substr(space + 1) == word);
  };
  std::array<std::string_view, top_listed> listed;
  std::size_t n = 0;
  for (const auto* e : top) {
    if (n == top_listed) break;
    const std::string_view term = e->text;
    if (term.find(' ') != std::string_view::npos) {
      n = static_cast<std::size_t>(std::remove_if(listed.begin(), listed.begin() + static_cast<std::ptrdiff_t>(n),
                                                  [&](std::string_view x) { return word_of(x, term); }) -
                                   listed.begin());
    } else if (std::any_of(listed.begin(), listed.begin() + static_cast<std::ptrdiff_t>(n),
                           [&](std::string_view x) { return word_of(term, x); })) {
      continue;
    }
    listed[n++] = term;
  }
  w.begin_array();
  for (std::size_t k = 0; k < n; ++k) w.value(listed[k]);
  w.end_array();
}

// The public story state (docs/output-contract.md), without the closing brace: the update adds
// `changes`, the changelog state adds the internal fields too. `shown` bounds each list of
// members (the latest), sources, figures and their reports, quotes and their variants (the first):
// unbounded but for a story too large for one record (story_update_and_state).
void write_public_state(json_writer& w, const story& s, std::size_t shown) {
  w.begin_object();
  w.key("id").value(s.id);
  w.key("version").value(s.version);
  w.key("headline").value(s.headline);
  w.key("first_seen");
  write_time(w, s.first_seen_ms);
  w.key("last_updated");
  write_time(w, s.last_updated_ms);
  w.key("articles").value(s.articles);
  w.key("members").begin_array();
  for (const auto& m : std::span(s.members).last(std::min(shown, s.members.size()))) {
    w.begin_object().key("uri").value(m.uri).key("source").string_or_null(m.source).key("language").string_or_null(m.language);
    w.key("time");
    write_time(w, m.time_ms);
    w.key("duplicate_of");
    if (m.duplicate_of) w.value(*m.duplicate_of);
    else w.null();
    w.key("similarity");
    if (m.duplicate_of) w.value(std::round(m.duplicate_similarity * 1000) / 1000);
    else w.null();
    w.end_object();
  }
  w.end_array();
  w.key("sources").value(s.source_count());
  w.key("source_names").begin_array();
  std::size_t named = 0;
  for (const auto& [name, count] : s.sources) {
    if (named++ == shown) break;
    w.value(name);
  }
  w.end_array();
  w.key("people");
  write_top_entities(w, s, entity_kind::person);
  w.key("organisations");
  write_top_entities(w, s, entity_kind::organisation);
  w.key("places");
  write_top_entities(w, s, entity_kind::place);
  w.key("keywords");
  write_keywords(w, s);
  w.key("languages").begin_object();
  std::size_t languages = 0;
  for (const auto& [code, count] : s.languages) {
    if (languages++ == shown) break;
    w.name(code).value(count);
  }
  w.end_object();
  w.key("figures").begin_array();
  for (const auto& g : std::span(s.figures).first(std::min(shown, s.figures.size()))) {
    w.begin_object().key("counted").value(g.counted).key("unit").value(g.unit).key("conflict").value(g.conflict());
    w.key("reports").begin_array();
    for (const auto& r : std::span(g.reports).first(std::min(shown, g.reports.size()))) {
      w.begin_object().key("source").string_or_null(r.source).key("uri").value(r.uri).key("articles").value(r.articles);
      w.key("text").value(r.text);
      w.key("value").number(r.value).key("high");
      if (r.high) w.number(*r.high);
      else w.null();
      w.key("qualifier").value(r.qualifier).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("quotes").begin_array();
  for (const auto& g : std::span(s.quotes).first(std::min(shown, s.quotes.size()))) {
    std::uint64_t articles = 0;
    for (const auto& v : g.variants) articles += v.articles;
    w.begin_object().key("speaker").string_or_null(g.speaker).key("text").value(g.variants.front().text);
    w.key("articles").value(articles).key("variants").begin_array();
    for (const auto& v : std::span(g.variants).first(std::min(shown, g.variants.size()))) {
      w.begin_object().key("text").value(v.text).key("source").string_or_null(v.source).key("uri").value(v.uri);
      w.key("articles").value(v.articles).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
}

// The first `shown` changes (a merge lists every source the survivor gained).
void write_changes(json_writer& w, const std::vector<story_change>& changes, std::size_t shown) {
  w.key("changes").begin_array();
  for (const auto& c : std::span(changes).first(std::min(shown, changes.size()))) {
    w.begin_object().key("kind").value(c.kind).key("detail").value(c.detail).end_object();
  }
  w.end_array();
}

// Reading the changelog's records back: changelog_json.h.
using element = simdjson::dom::element;

// The centroid as the state holds it: {"hashes", "weights", "texts"} (story_update_and_state), or
// the "terms" array of [hash as a decimal string, weight, text] that states written before hold.
feature_vector centroid_from(simdjson::dom::object o) {
  feature_vector out;
  if (element c; o.at_key("centroid").get(c) == simdjson::SUCCESS) {
    const auto hashes = hash_values(c["hashes"]);
    const auto weights = hash_values(c["weights"]);
    const simdjson::dom::array texts = c["texts"];
    if (hashes.size() != 2 * texts.size() || weights.size() != texts.size()) {
      throw std::invalid_argument("centroid hashes, weights and texts differ in number");
    }
    out.reserve(texts.size());
    std::size_t i = 0;
    for (element text : texts) {
      out.push_back({hashes[2 * i] | (static_cast<std::uint64_t>(hashes[2 * i + 1]) << 32), std::bit_cast<float>(weights[i]),
                     text_of(text)});
      ++i;
    }
  } else {
    for (element e : simdjson::dom::array(o["terms"])) {
      const simdjson::dom::array a = e;
      const std::string hash = text_of(a.at(0));
      std::uint64_t h = 0;
      if (const auto [end, ec] = std::from_chars(hash.data(), hash.data() + hash.size(), h);
          ec != std::errc() || end != hash.data() + hash.size()) {
        throw std::invalid_argument("centroid term hash " + hash);
      }
      out.push_back({h, static_cast<float>(double(a.at(1))), text_of(a.at(2))});
    }
  }
  // What dot() and add_vectors() take for granted: sorted by hash, each once, finite weights (an
  // infinite one would make every similarity to the story NaN, which no threshold turns away).
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!std::isfinite(out[i].weight)) throw std::invalid_argument("centroid weight not finite");
    if (i > 0 && out[i].hash <= out[i - 1].hash) throw std::invalid_argument("centroid hashes out of order");
  }
  return out;
}

std::optional<std::int64_t> optional_ms(element v) {
  if (v.is_null()) return std::nullopt;
  return std::int64_t(v);
}

std::optional<std::string> optional_text(element v) {
  if (v.is_null()) return std::nullopt;
  return text_of(v);
}

}  // namespace

std::size_t common_count(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) {
  std::size_t n = 0;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] == y[j]) ++n, ++i, ++j;
    else if (x[i] < y[j]) ++i;
    else ++j;
  }
  return n;
}

namespace {

// Marks a name is written with and without ("U.S." and "US", "Joseph Comeaux, Jr.", "Mt. Cook",
// a bracket a scrape left in, "Dennis [Northcutt"): no part of the matching form.
bool name_mark(char c) { return c == '.' || c == ',' || c == '(' || c == ')' || c == '[' || c == ']'; }

// An organisation's folded name without a leading article ("the new york times": "new york times").
std::string_view without_article(int kind, std::string_view folded) {
  if (kind != static_cast<int>(entity_kind::organisation)) return folded;
  for (const std::string_view article : {"the ", "le ", "la ", "les ", "il ", "der ", "die ", "das "}) {
    if (folded.size() > article.size() && folded.starts_with(article)) return folded.substr(article.size());
  }
  return folded;
}

}  // namespace

std::string entity_counts::match_name(int kind, std::string_view name) {
  std::string folded = fold_name(name);
  std::size_t n = 0;
  for (const char c : folded) {  // marks out, spaces single, none at either end
    if (name_mark(c) || (c == ' ' && (n == 0 || folded[n - 1] == ' '))) continue;
    folded[n++] = c;
  }
  while (n > 0 && folded[n - 1] == ' ') --n;
  folded.resize(n);
  return std::string(without_article(kind, folded));
}

std::uint64_t entity_counts::key_of_matched(int kind, std::string_view matched) {
  return ner::hash_combine(ner::hash_bytes(matched), static_cast<std::uint64_t>(kind));
}

std::uint64_t entity_counts::key_of(int kind, std::string_view name) {
  // Without allocating for a name in ASCII (most): fold_name of ASCII is its lower case, with '`'
  // as '\''; then as match_name.
  std::array<char, 64> folded;
  if (name.size() <= folded.size()) {
    bool ascii = true;
    std::size_t n = 0;
    for (std::size_t i = 0; i < name.size() && ascii; ++i) {
      const char c = name[i];
      ascii = static_cast<unsigned char>(c) < 0x80;
      if (name_mark(c) || (c == ' ' && (n == 0 || folded[n - 1] == ' '))) continue;
      folded[n++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c == '`' ? '\'' : c;
    }
    while (n > 0 && folded[n - 1] == ' ') --n;
    if (ascii) return key_of_matched(kind, without_article(kind, std::string_view(folded.data(), n)));
  }
  return key_of_matched(kind, match_name(kind, name));
}

const entity_counts::entry* entity_counts::find(std::uint64_t key, int kind, std::string_view name) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key, [](const entry& e, std::uint64_t k) { return e.key < k; });
  for (; it != entries_.end() && it->key == key; ++it) {
    if (it->kind == kind && (it->name == name || match_name(kind, it->name) == match_name(kind, name))) return &*it;
  }
  return nullptr;
}

void entity_counts::cap(std::uint64_t most) {
  for (auto& e : entries_) e.articles = static_cast<std::uint32_t>(std::min<std::uint64_t>(e.articles, most));
}

std::size_t entity_counts::make_room(std::size_t n, std::uint32_t now, std::size_t listed) {
  if (n == 0) return 0;
  const auto shown_before = [](const entry* x, const entry* y) {
    return x->articles != y->articles ? x->articles > y->articles : x->name < y->name;
  };
  std::vector<const entry*> order;
  order.reserve(entries_.size());
  for (const entry& e : entries_) order.push_back(&e);
  std::sort(order.begin(), order.end(), [&](const entry* x, const entry* y) {
    return x->kind != y->kind ? x->kind < y->kind : shown_before(x, y);
  });
  std::vector<const entry*> candidates;
  for (std::size_t i = 0, rank = 0; i < order.size(); ++i) {
    rank = i > 0 && order[i]->kind == order[i - 1]->kind ? rank + 1 : 0;
    if (rank >= listed && order[i]->last != now) candidates.push_back(order[i]);
  }
  std::sort(candidates.begin(), candidates.end(), [](const entry* x, const entry* y) {
    return x->articles != y->articles ? x->articles < y->articles
           : x->last != y->last      ? x->last < y->last
           : x->kind != y->kind      ? x->kind < y->kind
                                     : x->name < y->name;
  });
  candidates.resize(std::min(n, candidates.size()));
  std::sort(candidates.begin(), candidates.end());  // by address: entries_ order
  std::size_t kept = 0, next = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (next < candidates.size() && &entries_[i] == candidates[next]) {
      ++next;
      continue;
    }
    if (kept != i) entries_[kept] = std::move(entries_[i]);
    ++kept;
  }
  entries_.resize(kept);
  return candidates.size();
}

entity_counts::entry* entity_counts::find(std::uint64_t key, int kind, std::string_view name) {
  return const_cast<entry*>(std::as_const(*this).find(key, kind, name));
}

entity_counts::entry* entity_counts::find_full(int kind, std::string_view name) {
  if (!is_short_name(kind, name)) return nullptr;
  // An organisation's name without its place stands for one only when the story holds just one
  // such ("Supreme Court": the Texas one or the U.S. one is not for counts to decide).
  const bool without_place = kind == static_cast<int>(entity_kind::organisation) && may_end_a_name(name);
  entry* best = nullptr;
  bool tied = false;
  std::size_t found = 0;
  for (entry& e : entries_) {
    if (e.kind != kind || !stands_for(kind, name, e.name)) continue;
    ++found;
    if (best != nullptr && e.articles < best->articles) continue;
    tied = best != nullptr && e.articles == best->articles;
    if (!tied) best = &e;
  }
  return tied || (without_place && found > 1) ? nullptr : best;
}

name_keys name_keys::of(int kind, std::string_view name) {
  name_keys k;
  for (std::size_t as = 0; as < k.as.size(); ++as) k.as[as] = entity_counts::key_of(static_cast<int>(as), name);
  if (!short_names_kind(kind) || name.find(' ') == std::string_view::npos) return k;
  // The keys its short names would be held under.
  if (kind == static_cast<int>(entity_kind::person)) {
    const auto first = name.find(' '), last = name.rfind(' ');
    k.shorter[k.shorter_count++] = entity_counts::key_of(kind, name.substr(last + 1));
    // Without the middle names: "Mark Heller" of "Mark Jay Heller".
    if (first != last) {
      std::string two(name.substr(0, first));
      two.append(name.substr(last));
      k.shorter[k.shorter_count++] = entity_counts::key_of(kind, two);
    }
    return k;
  }
  // Its initials ("EU", and "E.U.", matched without its stops).
  k.shorter[k.shorter_count++] = entity_counts::key_of(kind, initials(words_of(name)));
  // An organisation's name without its first one or two words ("Red Sox" of "Boston Red Sox").
  if (kind == static_cast<int>(entity_kind::organisation)) {
    std::string_view rest = name;
    for (int dropped = 0; dropped < 2; ++dropped) {
      const auto space = rest.find(' ');
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
      if (may_end_a_name(rest)) k.shorter[k.shorter_count++] = entity_counts::key_of(kind, rest);
    }
  }
  return k;
}

void entity_counts::fold_short_into(int kind, std::string_view full_name, std::span<const std::uint64_t> short_keys,
                                    std::uint64_t most) {
  if (!short_names_kind(kind) || full_name.find(' ') == std::string_view::npos) return;
  for (const std::uint64_t key : short_keys) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key, [](const entry& e, std::uint64_t k) { return e.key < k; });
    while (it != entries_.end() && it->key == key) {
      entry* full = it->kind == kind && stands_for(kind, it->name, full_name) ? find_full(kind, it->name) : nullptr;
      if (full == nullptr) {
        ++it;
        continue;
      }
      full->articles = static_cast<std::uint32_t>(std::min<std::uint64_t>(full->articles + it->articles, most));
      it = entries_.erase(it);
    }
  }
}

void entity_counts::fold_short_names(std::uint64_t most) {
  std::vector<entry> shorts;
  for (const entry& e : entries_) {
    if (is_short_name(e.kind, e.name)) shorts.push_back({e.key, e.kind, e.name, 0});
  }
  for (const entry& s : shorts) {
    entry* full = find_full(s.kind, s.name);
    if (full == nullptr) continue;
    const auto it = std::find_if(entries_.begin(), entries_.end(),
                                 [&](const entry& e) { return e.key == s.key && e.kind == s.kind && e.name == s.name; });
    if (it == entries_.end()) continue;
    full->articles = static_cast<std::uint32_t>(std::min<std::uint64_t>(full->articles + it->articles, most));
    entries_.erase(it);
  }
}

bool entity_counts::holds_short_names() const {
  return std::any_of(entries_.begin(), entries_.end(), [](const entry& e) { return is_short_name(e.kind, e.name); });
}

void entity_counts::insert(std::vector<entry> fresh) {
  if (fresh.empty()) return;
  const auto before = [](const entry& x, const entry& y) {
    return x.key != y.key ? x.key < y.key : x.kind != y.kind ? x.kind < y.kind : x.name < y.name;
  };
  const auto same = [](const entry& x, const entry& y) { return x.key == y.key && x.kind == y.kind && x.name == y.name; };
  if (!std::is_sorted(fresh.begin(), fresh.end(), before)) std::stable_sort(fresh.begin(), fresh.end(), before);
  // A pair given twice (only in a state not written by wirefeed): the last count given counts.
  if (std::adjacent_find(fresh.begin(), fresh.end(), same) != fresh.end()) {
    fresh.erase(fresh.begin(), std::unique(fresh.rbegin(), fresh.rend(), same).base());
  }
  // Two spellings of one name (match_name: from a state written before names were matched so),
  // one entry: counts summed (an article that wrote both counts twice: a restore caps them, see
  // cap()) under the spelling counted more (ties: the first, as sorted).
  for (std::size_t i = 1; i < fresh.size();) {
    entry& first = fresh[i - 1];
    if (fresh[i].key == first.key && fresh[i].kind == first.kind &&
        match_name(first.kind, fresh[i].name) == match_name(first.kind, first.name)) {
      if (fresh[i].articles > first.articles) first.name = std::move(fresh[i].name);
      first.articles += fresh[i].articles;
      fresh.erase(fresh.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  std::vector<entry> merged;
  merged.reserve(entries_.size() + fresh.size());
  std::merge(std::make_move_iterator(entries_.begin()), std::make_move_iterator(entries_.end()),
             std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()), std::back_inserter(merged), before);
  entries_ = std::move(merged);
}

bool figure_group::conflict() const {
  // An amount that counts nothing ("$160 million", "48 hours") names no quantity that another
  // value could contradict: one club's offer and another's are listed together, in no conflict.
  if (counted.empty()) return false;
  // Only figures written with digits can disagree: "tens of thousands" is no claim against 25,000.
  const auto precise = [](const figure_report& r) {
    return std::any_of(r.text.begin(), r.text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (const auto& x : reports) {
    if (!precise(x)) continue;
    for (const auto& y : reports) {
      if (same_value(x, y) || !precise(y)) continue;
      if (x.source != y.source || (x.source.empty() && x.uri != y.uri)) return true;
    }
  }
  return false;
}

std::string source_of(const article& a) {
  if (!a.publisher.empty()) return a.publisher;
  if (auto host = site_of(a.url); !host.empty()) return host;
  if (a.dateline && !a.dateline->agency.empty()) return a.dateline->agency;
  return {};
}

std::optional<std::int64_t> article_time(const article& a) {
  if (a.source.timestamp_ms > 0) return a.source.timestamp_ms;
  return a.published_ms;
}

double dot(const feature_vector& x, const feature_vector& y) {
  double sum = 0;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i].hash == y[j].hash) sum += static_cast<double>(x[i++].weight) * y[j++].weight;
    else if (x[i].hash < y[j].hash) ++i;
    else ++j;
  }
  return sum;
}

double norm(const feature_vector& v) {
  double sum = 0;
  for (const auto& e : v) sum += static_cast<double>(e.weight) * e.weight;
  return std::sqrt(sum);
}

void add_vectors(feature_vector& v, feature_vector w, std::size_t keep) {
  feature_vector out;
  out.reserve(v.size() + w.size());
  std::size_t i = 0, j = 0;
  while (i < v.size() || j < w.size()) {
    if (j == w.size() || (i < v.size() && v[i].hash < w[j].hash)) out.push_back(std::move(v[i++]));
    else if (i == v.size() || w[j].hash < v[i].hash) out.push_back(std::move(w[j++]));
    else {
      out.push_back(std::move(v[i++]));
      out.back().weight += w[j++].weight;
    }
  }
  if (keep == 0) {
    out.clear();
  } else if (out.size() > keep) {
    // The keep-th heaviest (weight, then smaller hash) found among plain pairs, then one pass that
    // keeps it and the entries ranked before it, still sorted by hash: no entry (or text) is moved twice.
    std::vector<std::pair<float, std::uint64_t>> ranks;
    ranks.reserve(out.size());
    for (const auto& e : out) ranks.emplace_back(e.weight, e.hash);
    const auto heavier = [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; };
    std::nth_element(ranks.begin(), ranks.begin() + static_cast<std::ptrdiff_t>(keep - 1), ranks.end(), heavier);
    const auto last = ranks[keep - 1];
    out.erase(std::remove_if(out.begin(), out.end(),
                             [&](const centroid_entry& e) { return heavier(last, std::pair(e.weight, e.hash)); }),
              out.end());
  }
  v = std::move(out);
}

namespace {

// Members ever counted in `language` (any region or script of it).
std::uint32_t members_in(const story& s, std::string_view language) {
  std::uint32_t n = 0;
  for (const auto& [code, count] : s.languages) {
    if (same_language(code, language)) n += count;
  }
  return n;
}

// Whether `language` is another than the headline's and now counts more of the story's members
// (a headline of unknown language counts none: a flash too short to tell gives way to the first
// article in a language).
bool in_more_common_language(const story& s, std::string_view language) {
  if (language.empty()) return false;
  if (s.headline_language.empty()) return true;
  return !same_language(language, s.headline_language) && members_in(s, language) > members_in(s, s.headline_language);
}

// A headline of a word or two ("Deputy Sheriff", a page's section name): the first member's
// stands until a member in its language brings a real one.
bool thin_headline(std::string_view h) {
  std::size_t words = 0;
  for (std::size_t at = 0; at < h.size();) {
    const std::size_t from = h.find_first_not_of(' ', at);
    if (from == std::string_view::npos) break;
    ++words;
    at = h.find(' ', from);
  }
  return words < 3;
}

}  // namespace

bool same_language(std::string_view x, std::string_view y) {
  return x.substr(0, x.find_first_of("-_")) == y.substr(0, y.find_first_of("-_"));
}

std::vector<story_change> add_member(story& s, const article& a, story_member m, feature_vector terms,
                                     const std::vector<std::vector<std::uint32_t>>& words_of_quotes,
                                     const story_limits& limits, const std::vector<name_keys>& entity_keys) {
  std::vector<story_change> changes;
  changes.reserve(8);
  changes.push_back({"new_article", a.uri});
  if (m.time_ms) {
    s.first_seen_ms = s.first_seen_ms ? std::min(*s.first_seen_ms, *m.time_ms) : *m.time_ms;
    s.last_updated_ms = s.last_updated_ms ? std::max(*s.last_updated_ms, *m.time_ms) : *m.time_ms;
  }
  const std::string source = m.source;
  if (source.empty()) {
    ++s.unknown_sources;
    changes.push_back({"new_source", a.uri});
  } else if (s.sources[source]++ == 0) {
    changes.push_back({"new_source", source});
  }
  if (!a.language.empty() && s.languages[a.language]++ == 0 && s.articles > 0) changes.push_back({"new_language", a.language});
  const bool fuller = thin_headline(s.headline) && !thin_headline(a.headline) &&
                      (s.headline_language.empty() || same_language(a.language, s.headline_language));
  if (!a.headline.empty() && (s.headline.empty() || in_more_common_language(s, a.language) || fuller)) {
    s.headline = kept_text(a.headline, max_story_headline_bytes);
    s.headline_uri = a.uri;
    s.headline_language = a.language;
    if (s.articles > 0) changes.push_back({"new_headline", s.headline});  // not a new story's first
  }
  add_entities(s, a, limits.entities, entity_keys);
  add_vectors(s.terms, std::move(terms), limits.centroid_terms);
  add_figures(s, a, source, limits, changes);
  add_quotes(s, a, words_of_quotes, source, limits, changes);
  ++s.articles;
  s.members.push_back(std::move(m));
  if (s.members.size() > limits.members) s.members.erase(s.members.begin());
  return changes;
}

namespace {

// The uri standing for the other articles of `source` once member `uri` leaves a report or
// variant they share: the story's earliest other member of that source (the first of them that
// gave it is not recorded), else `uri` itself (the others are no members any longer).
std::string other_of_source(const story& s, std::string_view source, std::string_view uri) {
  for (const auto& m : s.members) {
    if (m.uri != uri && m.source == source) return m.uri;
  }
  return std::string(uri);
}

// Takes member `uri`'s part out of the figure reports and quote variants it gave, but for those
// its next version (`a`, quote words `words_of`) gives again: a report its source's other
// articles share keeps them, one article fewer; any other goes, and a group left empty with it.
void take_out_version(story& s, const article& a, const std::vector<std::vector<std::uint32_t>>& words_of) {
  const auto still_reported = [&](const figure_group& g, const figure_report& r) {
    const std::string head = counted_head(g.counted);
    return std::any_of(a.figures.begin(), a.figures.end(), [&](const figure& f) {
      return consolidates(f) && f.unit == g.unit && f.value == r.value && f.high == r.high && counted_head(f.counted) == head;
    });
  };
  for (auto& g : s.figures) {
    for (auto& r : g.reports) {
      if (r.uri != a.uri || still_reported(g, r)) continue;
      if (r.articles > 1) r.uri = other_of_source(s, r.source, a.uri);
      --r.articles;
    }
    std::erase_if(g.reports, [](const figure_report& r) { return r.articles == 0; });
  }
  std::erase_if(s.figures, [](const figure_group& g) { return g.reports.empty(); });
  // The next version's quotes: the words kept, and the speaker when named at the quote (a
  // corrected attribution takes the quote out of the other speaker's group).
  std::vector<std::pair<std::vector<std::uint32_t>, std::string_view>> quoted;
  for (std::size_t i = 0; i < a.quotes.size() && i < words_of.size(); ++i) {
    const quote& q = a.quotes[i];
    const bool named_here = q.how == attribution::direct && q.speaker && *q.speaker < a.entities.size();
    quoted.emplace_back(kept_words(a, i, words_of), named_here ? std::string_view(a.entities[*q.speaker].name) : std::string_view());
  }
  fold_variants(s.quotes);
  for (auto& g : s.quotes) {
    for (auto& v : g.variants) {
      const bool still_quoted = std::any_of(quoted.begin(), quoted.end(), [&](const auto& x) {
        return x.first == v.words && (x.second.empty() || g.speaker.empty() || same_speaker(x.second, g.speaker));
      });
      if (v.uri != a.uri || still_quoted) continue;
      if (v.articles > 1) v.uri = other_of_source(s, v.source, a.uri);
      --v.articles;
    }
    std::erase_if(g.variants, [](const quote_variant& v) { return v.articles == 0; });
  }
  std::erase_if(s.quotes, [](const quote_group& g) { return g.variants.empty(); });
}

}  // namespace

std::vector<story_change> update_member(story& s, const article& a, std::size_t member, std::optional<std::int64_t> time,
                                        const std::vector<std::vector<std::uint32_t>>& words_of_quotes,
                                        const story_limits& limits) {
  std::vector<story_change> changes{{"updated_article", a.uri}};
  story_member& m = s.members.at(member);
  if (time) {
    m.time_ms = time;
    s.last_updated_ms = s.last_updated_ms ? std::max(*s.last_updated_ms, *time) : *time;
  }
  m.content = a.content_key;
  if (std::string headline = kept_text(a.headline, max_story_headline_bytes);
      s.headline_uri == a.uri && !headline.empty() && headline != s.headline) {
    s.headline = std::move(headline);
    if (!a.language.empty()) s.headline_language = a.language;
    changes.push_back({"new_headline", s.headline});
  }
  const std::string source = m.source;  // as counted when it joined
  take_out_version(s, a, words_of_quotes);
  add_figures(s, a, source, limits, changes, false);
  add_quotes(s, a, words_of_quotes, source, limits, changes, false);
  return changes;
}

void add_body(story& s, const article& a, std::size_t member, feature_vector terms, const story_limits& limits,
              const std::vector<name_keys>& entity_keys, std::vector<story_change>& changes) {
  story_member& m = s.members.at(member);
  add_entities(s, a, limits.entities, entity_keys);
  add_vectors(s.terms, std::move(terms), limits.centroid_terms);
  add_anchors(s, a.anchors, limits.anchors);  // a flash has none: the extract stage finds none without a body
  if (!a.language.empty() && a.language != m.language) {
    if (auto it = s.languages.find(m.language); it != s.languages.end() && --it->second == 0) s.languages.erase(it);
    if (s.languages[a.language]++ == 0 && s.articles > 1) changes.push_back({"new_language", a.language});
    m.language = a.language;
  }
  m.headline_only = false;
}

bool contradicts_member(const story& s, std::string_view uri, const std::vector<counted_figure>& figures) {
  std::size_t agreeing = 0, contradicting = 0;
  for (const counted_figure& f : figures) {
    bool same = false, other = false;
    for (const auto& g : s.figures) {
      if (g.unit != f.unit || counted_head(g.counted) != f.head) continue;
      for (const auto& r : g.reports) {
        if (r.uri != uri) continue;
        (r.value == f.value ? same : other) = true;
      }
    }
    if (same) ++agreeing;
    else if (other) ++contradicting;
  }
  return contradicting > agreeing;
}

std::vector<counted_figure> counted_figures(const article& a) {
  std::vector<counted_figure> out;
  for (const figure& f : a.figures) {
    if (f.counted.empty() || !(f.value >= 2)) continue;
    counted_figure c{counted_head(f.counted), f.unit, f.value};
    if (std::none_of(out.begin(), out.end(), [&](const counted_figure& x) {
          return x.value == c.value && x.head == c.head && x.unit == c.unit;
        })) {
      out.push_back(std::move(c));
    }
  }
  return out;
}

namespace {

// The `limit` anchors most held (ties: the lower hash), still sorted by hash.
void keep_most_held(std::vector<std::pair<std::uint64_t, std::uint32_t>>& anchors, std::size_t limit) {
  if (anchors.size() <= limit) return;
  std::nth_element(anchors.begin(), anchors.begin() + static_cast<std::ptrdiff_t>(limit), anchors.end(),
                   [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
  anchors.resize(limit);
  std::sort(anchors.begin(), anchors.end());
}

}  // namespace

void add_anchors(story& s, const std::vector<std::uint64_t>& anchors, std::size_t limit) {
  if (anchors.empty()) return;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> merged;
  merged.reserve(s.anchors.size() + anchors.size());
  auto held = s.anchors.begin();
  for (const auto h : anchors) {
    while (held != s.anchors.end() && held->first < h) merged.push_back(*held++);
    if (held != s.anchors.end() && held->first == h) merged.emplace_back(h, held++->second + 1);
    else merged.emplace_back(h, 1);
  }
  merged.insert(merged.end(), held, s.anchors.end());
  s.anchors = std::move(merged);
  keep_most_held(s.anchors, limit);
}

std::size_t shared_anchors(const story& s, const std::vector<std::uint64_t>& anchors) {
  std::size_t n = 0;
  auto i = s.anchors.begin();
  auto j = anchors.begin();
  while (i != s.anchors.end() && j != anchors.end()) {
    if (i->first < *j) {
      ++i;
    } else if (*j < i->first) {
      ++j;
    } else {
      ++n, ++i, ++j;
    }
  }
  return n;
}

std::pair<std::size_t, std::size_t> figure_agreement(const story& s, const std::vector<counted_figure>& figures) {
  std::size_t agreeing = 0, conflicting = 0;
  for (const auto& f : figures) {
    bool reported = false, same = false;
    for (std::size_t i = 0; i < s.figures.size() && !same; ++i) {
      const figure_group& g = s.figures[i];
      if (g.unit != f.unit || !has_head(g.counted, f.head)) continue;
      reported = true;
      same = std::any_of(g.reports.begin(), g.reports.end(), [&](const figure_report& r) { return r.value == f.value; });
    }
    agreeing += same;
    conflicting += reported && !same;
  }
  return {agreeing, conflicting};
}

namespace {

void prefetch_bytes(const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  for (std::size_t i = 0; i < size; i += 64) __builtin_prefetch(p + i);
}
void prefetch_text(const std::string& text) {
  if (text.size() > 15) prefetch_bytes(text.data(), text.size());  // shorter ones sit in the string itself
}

}  // namespace

void prefetch(const story& s) {
  for (const auto& m : s.members) {
    prefetch_text(m.uri);
    prefetch_text(m.source);
  }
  for (const auto& g : s.quotes) {
    for (const auto& v : g.variants) {
      prefetch_text(v.text);
      prefetch_text(v.uri);
      prefetch_bytes(v.words.data(), v.words.size() * sizeof(std::uint32_t));
    }
  }
  for (const auto& g : s.figures) {
    for (const auto& r : g.reports) {
      prefetch_text(r.uri);
      prefetch_text(r.text);
    }
  }
  if (!s.entities.empty()) prefetch_bytes(&*s.entities.begin(), s.entities.size() * sizeof(entity_counts::entry));
  for (const auto& e : s.entities) prefetch_text(e.name);
}

void absorb(story& into, story&& from, const story_limits& limits, std::string_view newest) {
  if (from.first_seen_ms) {
    into.first_seen_ms = into.first_seen_ms ? std::min(*into.first_seen_ms, *from.first_seen_ms) : from.first_seen_ms;
  }
  if (from.last_updated_ms) {
    into.last_updated_ms =
        into.last_updated_ms ? std::max(*into.last_updated_ms, *from.last_updated_ms) : from.last_updated_ms;
  }
  into.articles += from.articles;
  for (auto& m : from.members) into.members.push_back(std::move(m));
  std::stable_sort(into.members.begin(), into.members.end(), [](const story_member& x, const story_member& y) {
    return x.time_ms.value_or(0) < y.time_ms.value_or(0);
  });
  if (auto it = std::find_if(into.members.rbegin(), into.members.rend(),
                             [&](const story_member& m) { return m.uri == newest; });
      it != into.members.rend()) {
    std::rotate(it.base() - 1, it.base(), into.members.end());
  }
  while (into.members.size() > limits.members) into.members.erase(into.members.begin());
  for (const auto& [k, n] : from.sources) into.sources[k] += n;
  into.unknown_sources += from.unknown_sources;
  for (const auto& [k, n] : from.languages) into.languages[k] += n;
  // The absorbed story's headline when the survivor has none or a thin one, or when its language
  // now counts more members (as an article's headline does when it joins).
  const bool fuller = thin_headline(into.headline) && !thin_headline(from.headline) &&
                      (into.headline_language.empty() || same_language(from.headline_language, into.headline_language));
  if (!from.headline.empty() &&
      (into.headline.empty() || in_more_common_language(into, from.headline_language) || fuller)) {
    into.headline = std::move(from.headline);
    into.headline_uri = std::move(from.headline_uri);
    into.headline_language = std::move(from.headline_language);
  }
  // The absorbed story's entities by (kind, name), as they are counted in: which new ones fit
  // under the limit does not depend on their hashes.
  std::vector<const entity_counts::entry*> by_name;
  for (const auto& e : from.entities) by_name.push_back(&e);
  std::sort(by_name.begin(), by_name.end(), [](const auto* x, const auto* y) {
    return x->kind != y->kind ? x->kind < y->kind : x->name < y->name;
  });
  // The one-word short names last, once both stories' full names are in: one counts for the full
  // name counted most in the merged story, whichever story survives (names of several words that
  // stand for longer ones, "Joe Biden", "Red Sox", are folded after: fold_short_names).
  std::vector<entity_counts::entry> added;
  std::vector<const entity_counts::entry*> short_names;
  for (const auto* e : by_name) {
    if (auto* held = into.entities.find(e->key, e->kind, e->name)) held->articles += e->articles;
    else if (is_short_name(e->kind, e->name) && e->name.find(' ') == std::string::npos) short_names.push_back(e);
    else if (into.entities.size() + added.size() < limits.entities) added.push_back(*e);
  }
  into.entities.insert(std::move(added));
  added.clear();
  for (const auto* e : short_names) {
    if (auto* full = into.entities.find_full(e->kind, e->name)) full->articles += e->articles;
    else if (into.entities.size() + added.size() < limits.entities) added.push_back(*e);
  }
  into.entities.insert(std::move(added));
  into.entities.fold_short_names(into.articles);
  into.entities.cap(into.articles);  // a producer's article naming both a short and a full name
  add_vectors(into.terms, std::move(from.terms), limits.centroid_terms);
  for (const auto& [h, n] : from.anchors) {
    auto it = std::lower_bound(into.anchors.begin(), into.anchors.end(), std::pair<std::uint64_t, std::uint32_t>{h, 0});
    if (it != into.anchors.end() && it->first == h) it->second += n;
    else into.anchors.insert(it, {h, n});
  }
  keep_most_held(into.anchors, limits.anchors);
  merge_figures(into, std::move(from.figures), limits);
  merge_quotes(into, std::move(from.quotes), limits);
}

story_contents::story_contents(const story& s) : headline(s.headline) {
  for (const auto& [name, n] : s.sources) sources.insert(name);
  for (const auto& [code, n] : s.languages) languages.insert(code);
  for (const auto& g : s.figures) {
    for (const auto& r : g.reports) {
      figures.insert(figure_label(r, g));
      if (g.conflict()) conflicting.insert(figure_label(r, g));
    }
  }
  for (const auto& g : s.quotes) {
    for (const auto& v : g.variants) quotes.insert(v.text);
  }
}

void story_contents::changes_since(const story& now, std::vector<story_change>& changes) const {
  if (now.headline != headline) {  // the one published: not one the article set before the merge
    std::erase_if(changes, [](const story_change& c) { return c.kind == "new_headline"; });
    changes.push_back({"new_headline", now.headline});
  }
  for (const auto& [name, n] : now.sources) {
    if (!sources.contains(name)) changes.push_back({"new_source", name});
  }
  for (const auto& [code, n] : now.languages) {
    if (!languages.contains(code)) changes.push_back({"new_language", code});
  }
  std::set<std::string> listed;  // a value several sources report is one new figure
  for (const auto& g : now.figures) {
    for (const auto& r : g.reports) {
      if (auto label = figure_label(r, g); !figures.contains(label) && listed.insert(label).second) {
        changes.push_back({"new_figure", std::move(label)});
      }
    }
  }
  // A group in conflict none of whose reports was in a group in conflict (nor listed in `changes`
  // as one already): a new conflict, named by its first report new to the story (else its last).
  for (const auto& g : now.figures) {
    if (!g.conflict()) continue;
    const auto known = [&](const figure_report& r) {
      const std::string label = figure_label(r, g);
      return conflicting.contains(label) || std::any_of(changes.begin(), changes.end(), [&](const story_change& c) {
               return c.kind == "figure_conflict" && c.detail == label;
             });
    };
    if (std::any_of(g.reports.begin(), g.reports.end(), known)) continue;
    const auto fresh = std::find_if(g.reports.begin(), g.reports.end(),
                                    [&](const figure_report& r) { return !figures.contains(figure_label(r, g)); });
    changes.push_back({"figure_conflict", figure_label(fresh != g.reports.end() ? *fresh : g.reports.back(), g)});
  }
  for (const auto& g : now.quotes) {  // a group none of whose wordings was there: a new quote
    if (std::none_of(g.variants.begin(), g.variants.end(), [&](const quote_variant& v) { return quotes.contains(v.text); })) {
      changes.push_back({"new_quote", g.variants.front().text});
    }
  }
}

std::string redirect_json(std::string_view absorbed_id, std::string_view into_id) {
  std::string out;
  json_writer(out).begin_object().key("id").value(absorbed_id).key("merged_into").value(into_id).end_object();
  return out;
}

namespace {

std::pair<std::string, std::string> write_update_and_state(const story& s, const std::vector<story_change>& changes,
                                                           std::uint64_t article, std::size_t shown) {
  // The public state is written once: the update adds what changed, the state (the changelog
  // value) the internal fields (member times and quote word hashes are read back from the public
  // fields; what changed is of no use to a restore).
  std::string state;
  state.reserve(32 * 1024);  // a story's state is 5-50 KB, 20 KB typically: no growth by doubling
  json_writer w(state);
  write_public_state(w, s, shown);
  w.flush();
  std::string update;
  update.reserve(state.size() + 64 + changes.size() * 96);
  update = state;
  json_writer changed(update);
  changed.continue_object();
  write_changes(changed, changes, shown);
  changed.end_object();
  json_writer internal(state);
  internal.continue_object();
  internal.key("seq").value(s.seq);
  internal.key("article").value(article);
  internal.key("absorbed").begin_array();
  for (const auto& c : changes) {
    if (c.kind == "merge") internal.value(c.detail);
  }
  internal.end_array();
  internal.key("unknown_sources").value(s.unknown_sources);
  internal.key("source_counts").begin_object();
  std::size_t counted = 0;
  for (const auto& [k, n] : s.sources) {
    if (counted++ == shown) break;
    internal.name(k).value(n);
  }
  internal.end_object();
  internal.key("entity_counts").begin_array();
  for (const auto& e : s.entities) {
    internal.begin_array().value(e.kind).value(e.name).value(e.articles).value(e.last).end_array();
  }
  internal.end_array();
  // The centroid: hashes (two 32-bit halves, low first) and weights (their bits) as base64, for
  // a fraction of the cost of decimal numbers to write and to read; the texts as strings.
  std::vector<std::uint32_t> hashes, weights;
  hashes.reserve(2 * s.terms.size());
  weights.reserve(s.terms.size());
  for (const auto& e : s.terms) {
    hashes.push_back(static_cast<std::uint32_t>(e.hash));
    hashes.push_back(static_cast<std::uint32_t>(e.hash >> 32));
    weights.push_back(std::bit_cast<std::uint32_t>(e.weight));
  }
  internal.key("centroid").begin_object().key("hashes").base64(hashes).key("weights").base64(weights);
  internal.key("texts").begin_array();
  for (const auto& e : s.terms) internal.value(e.text);
  internal.end_array().end_object();
  // The name anchors: hash (two halves, low first) and members holding it, three values each.
  std::vector<std::uint32_t> anchors;
  anchors.reserve(3 * s.anchors.size());
  for (const auto& [h, n] : s.anchors) {
    anchors.push_back(static_cast<std::uint32_t>(h));
    anchors.push_back(static_cast<std::uint32_t>(h >> 32));
    anchors.push_back(n);
  }
  internal.key("anchors").base64(anchors);
  // The members' version keys (two halves each, low first), for the members listed above.
  std::vector<std::uint32_t> contents;
  const auto listed = std::span(s.members).last(std::min(shown, s.members.size()));
  contents.reserve(2 * listed.size());
  for (const auto& m : listed) {
    contents.push_back(static_cast<std::uint32_t>(m.content));
    contents.push_back(static_cast<std::uint32_t>(m.content >> 32));
  }
  internal.key("member_contents").base64(contents);
  // The positions in the list of the listed members `named` names.
  const auto positions = [&](json_writer::literal key, const auto& named) {
    internal.key(key).begin_array();
    for (std::size_t i = 0; i < listed.size(); ++i) {
      if (named(listed[i])) internal.value(i);
    }
    internal.end_array();
  };
  // The members the story counted a headline only for, when any.
  const auto headline_only = [](const story_member& m) { return m.headline_only; };
  if (std::any_of(listed.begin(), listed.end(), headline_only)) positions("headline_only", headline_only);
  // The members with fingerprints, when not all have some: a restore then knows that a
  // fingerprint record of another is stale (a crash cut off its tombstone).
  const auto fingerprinted = [](const story_member& m) { return !m.minhash.empty() || !m.paragraphs.empty(); };
  if (!std::all_of(listed.begin(), listed.end(), fingerprinted)) positions("fingerprinted", fingerprinted);
  internal.key("headline_uri").value(s.headline_uri);
  internal.key("headline_language").value(s.headline_language);
  internal.key("first_seen_ms");
  if (s.first_seen_ms) internal.value(*s.first_seen_ms);
  else internal.null();
  internal.key("last_updated_ms");
  if (s.last_updated_ms) internal.value(*s.last_updated_ms);
  else internal.null();
  internal.end_object();
  return {std::move(update), std::move(state)};
}

}  // namespace

std::pair<std::string, std::string> story_update_and_state(const story& s, const std::vector<story_change>& changes,
                                                           std::uint64_t article, std::size_t max_bytes) {
  // Room for the record's key and headers beside the value (record_bytes).
  const auto fits = [&](const std::pair<std::string, std::string>& written) {
    return std::max(written.first.size(), written.second.size()) + s.id.size() + 1024 <= max_bytes;
  };
  auto written = write_update_and_state(s, changes, article, std::numeric_limits<std::size_t>::max());
  // Too large for one record (long uris, thousands of sources): fewer of each list, down to none.
  for (const std::size_t shown : {64, 16, 4, 1, 0}) {
    if (fits(written)) break;
    written = write_update_and_state(s, changes, article, shown);
  }
  return written;
}

std::string fingerprint_json(const std::vector<std::uint32_t>& minhash, const std::vector<std::vector<std::uint32_t>>& paragraphs,
                             const std::vector<anchored_paragraph>& anchors) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("minhash").base64(minhash).key("paragraphs").begin_array();
  for (const auto& p : paragraphs) w.base64(p);
  w.end_array().key("anchors").begin_array();
  for (const auto& p : anchors) w.base64(packed(p));
  w.end_array().end_object();
  return out;
}

result<story_member> parse_fingerprint(std::string_view text) {
  try {
    const simdjson::dom::object o = parse_object(text);
    story_member m;
    m.minhash = hash_values(o["minhash"]);
    for (element p : simdjson::dom::array(o["paragraphs"])) m.paragraphs.push_back(hash_values(p));
    if (element a; o.at_key("anchors").get(a) == simdjson::SUCCESS) {  // absent in records of builds before it
      for (element p : simdjson::dom::array(a)) {
        if (m.anchors.size() < max_anchor_paragraphs) m.anchors.push_back(unpacked(hash_values(p)));
      }
    }
    return m;
  } catch (const std::exception& e) {
    return stage_error{"cluster", "bad_changelog_record", std::string("fingerprint record does not parse: ") + e.what()};
  }
}

result<restored_story> parse_story_state(std::string_view text, const story_limits& limits) {
  try {
    const simdjson::dom::object o = parse_object(text);
    restored_story restored;
    // Both absent from the states of builds before them.
    if (element n; o.at_key("article").get(n) == simdjson::SUCCESS) restored.article = unsigned_of<std::uint64_t>(n);
    if (element a; o.at_key("absorbed").get(a) == simdjson::SUCCESS) {
      for (element id : simdjson::dom::array(a)) restored.absorbed.push_back(text_of(id));
    }
    story& s = restored.s;
    s.id = text_of(o["id"]);
    // One near 2^64 would wrap the next story's number onto a live one's.
    s.seq = unsigned_of<std::uint64_t>(o["seq"]);
    if (s.seq > max_story_seq) throw std::invalid_argument("seq " + std::to_string(s.seq) + " out of range");
    s.version = std::uint64_t(o["version"]);
    s.headline = kept_text(text_of(o["headline"]), max_story_headline_bytes);  // states written before the cut
    s.first_seen_ms = optional_ms(o["first_seen_ms"]);
    s.last_updated_ms = optional_ms(o["last_updated_ms"]);
    s.articles = std::uint64_t(o["articles"]);
    for (const simdjson::dom::object m : simdjson::dom::array(o["members"])) {
      story_member member;
      member.uri = text_of(m["uri"]);
      member.source = optional_text(m["source"]).value_or("");
      if (element l; m.at_key("language").get(l) == simdjson::SUCCESS && !l.is_null()) member.language = text_of(l);  // absent before it
      if (const element t = m["time"]; !t.is_null()) {
        member.time_ms = parse_iso8601_ms(std::string_view(t));
        if (!member.time_ms) throw std::invalid_argument("member time " + text_of(t));
      }
      if (const element d = m["duplicate_of"]; !d.is_null()) {
        member.duplicate_of = text_of(d);
        member.duplicate_similarity = double(m["similarity"]);
      }
      s.members.push_back(std::move(member));
    }
    // Both absent from the states of builds before them: no version known (a re-delivery), the
    // headline kept whatever comes.
    if (element c; o.at_key("member_contents").get(c) == simdjson::SUCCESS) {
      const auto values = hash_values(c);
      if (values.size() != 2 * s.members.size()) throw std::invalid_argument("member_contents do not match the members");
      for (std::size_t i = 0; i < s.members.size(); ++i) {
        s.members[i].content = values[2 * i] | (static_cast<std::uint64_t>(values[2 * i + 1]) << 32);
      }
    }
    if (element h; o.at_key("headline_only").get(h) == simdjson::SUCCESS) {  // absent when none
      for (const element i : simdjson::dom::array(h)) {
        const auto at = unsigned_of<std::size_t>(i);
        if (at >= s.members.size()) throw std::invalid_argument("headline_only names no member");
        s.members[at].headline_only = true;
      }
    }
    if (element f; o.at_key("fingerprinted").get(f) == simdjson::SUCCESS) {  // absent when all are (or before it)
      for (auto& m : s.members) m.without_fingerprints = true;
      for (const element i : simdjson::dom::array(f)) {
        const auto at = unsigned_of<std::size_t>(i);
        if (at >= s.members.size()) throw std::invalid_argument("fingerprinted names no member");
        s.members[at].without_fingerprints = false;
      }
    }
    if (s.members.size() > limits.members) {
      s.members.erase(s.members.begin(), s.members.end() - static_cast<std::ptrdiff_t>(limits.members));
    }
    if (element h; o.at_key("headline_uri").get(h) == simdjson::SUCCESS) s.headline_uri = text_of(h);
    for (const auto [k, n] : simdjson::dom::object(o["source_counts"])) s.sources[std::string(k)] = unsigned_of<std::uint32_t>(n);
    s.unknown_sources = unsigned_of<std::uint32_t>(o["unknown_sources"]);
    for (const auto [k, n] : simdjson::dom::object(o["languages"])) s.languages[std::string(k)] = unsigned_of<std::uint32_t>(n);
    // Absent from the states of builds before it: taken for the story's most common language (the
    // headline's, most likely), so that a restart changes no headline by itself.
    if (element l; o.at_key("headline_language").get(l) == simdjson::SUCCESS) {
      s.headline_language = text_of(l);
    } else {
      std::uint32_t most = 0;
      for (const auto& [code, n] : s.languages) {
        if (n > most) std::tie(most, s.headline_language) = std::pair{n, code};
      }
    }
    std::vector<entity_counts::entry> entities;
    for (element e : simdjson::dom::array(o["entity_counts"])) {
      const simdjson::dom::array a = e;
      const int kind = unsigned_of<std::uint8_t>(a.at(0));
      std::string name = text_of(a.at(1));
      if (kind == static_cast<int>(entity_kind::other)) continue;  // in states before such were left out
      const std::uint64_t key = entity_counts::key_of(kind, name);
      const std::uint32_t last = a.size() > 3 ? unsigned_of<std::uint32_t>(a.at(3)) : 0;  // absent before it was kept
      entities.push_back({key, kind, std::move(name), unsigned_of<std::uint32_t>(a.at(2)), last});
    }
    if (entities.size() > limits.entities) {  // the most counted, in the order given
      std::stable_sort(entities.begin(), entities.end(), [](const auto& x, const auto& y) { return x.articles > y.articles; });
      entities.resize(limits.entities);
    }
    s.entities.insert(std::move(entities));
    s.entities.cap(s.articles);  // spellings summed (insert) count no more articles than the story has
    s.entities.fold_short_names(s.articles);  // states written before short names counted so
    s.terms = centroid_from(o);
    if (s.terms.size() > limits.centroid_terms) add_vectors(s.terms, {}, limits.centroid_terms);
    if (element a; o.at_key("anchors").get(a) == simdjson::SUCCESS) {  // absent from states before them
      const auto values = hash_values(a);
      if (values.size() % 3 != 0) throw std::invalid_argument("anchors are not (hash, hash, count) triples");
      for (std::size_t i = 0; i < values.size(); i += 3) {
        const std::uint64_t h = values[i] | (static_cast<std::uint64_t>(values[i + 1]) << 32);
        if (!s.anchors.empty() && h <= s.anchors.back().first) throw std::invalid_argument("anchors out of order");
        s.anchors.emplace_back(h, values[i + 2]);
      }
      keep_most_held(s.anchors, limits.anchors);
    }
    for (const simdjson::dom::object g : simdjson::dom::array(o["figures"])) {
      if (s.figures.size() == limits.figure_groups) break;
      figure_group group{text_of(g["counted"]), text_of(g["unit"]), {}};
      for (const simdjson::dom::object r : simdjson::dom::array(g["reports"])) {
        if (group.reports.size() == limits.reports_per_figure) break;
        figure_report report;
        report.source = optional_text(r["source"]).value_or("");
        report.uri = text_of(r["uri"]);
        report.text = text_of(r["text"]);
        report.value = double(r["value"]);
        if (const element high = r["high"]; !high.is_null()) report.high = double(high);
        report.qualifier = text_of(r["qualifier"]);
        if (element n; r.at_key("articles").get(n) == simdjson::SUCCESS) report.articles = unsigned_of<std::uint32_t>(n);  // older states: 1
        group.reports.push_back(std::move(report));
      }
      s.figures.push_back(std::move(group));
    }
    for (const simdjson::dom::object q : simdjson::dom::array(o["quotes"])) {
      if (s.quotes.size() == limits.quote_groups) break;
      quote_group group;
      group.speaker = optional_text(q["speaker"]).value_or("");
      for (const simdjson::dom::object v : simdjson::dom::array(q["variants"])) {
        if (group.variants.size() == limits.variants_per_quote) break;
        quote_variant variant;
        variant.text = text_of(v["text"]);
        variant.source = optional_text(v["source"]).value_or("");
        variant.uri = text_of(v["uri"]);  // words: folded when first needed (add_quotes)
        if (element n; v.at_key("articles").get(n) == simdjson::SUCCESS) variant.articles = unsigned_of<std::uint32_t>(n);  // older states: 1
        group.variants.push_back(std::move(variant));
      }
      if (!group.variants.empty()) s.quotes.push_back(std::move(group));
    }
    return restored;
  } catch (const std::exception& e) {
    return stage_error{"cluster", "bad_changelog_record", std::string("story state does not parse: ") + e.what()};
  }
}

}  // namespace wirefeed
