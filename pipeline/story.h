#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/container/flat_map.hpp>

#include "pipeline/article.h"
#include "pipeline/error.h"

// A story (one real-world event) as the cluster stage keeps it: its members, the centroid used to
// match new articles, and the facts consolidated across its sources. Plain data plus the pure
// functions that fold one article in and write the state out; cluster.h owns the index and the
// decisions.
namespace wirefeed {

// One weighted feature of a story's centroid: a term ("troops", "nord stream") or an entity
// ("person:emmanuel macron"; terms never hold ':'), by 64-bit hash, with its display text.
struct centroid_entry {
  std::uint64_t hash = 0;
  float weight = 0;
  std::string text;
};

// A sparse unit vector of an article (or a story's summed vector): sorted by hash.
using feature_vector = std::vector<centroid_entry>;

struct story_member {
  std::string uri;
  std::string source;  // publisher, URL host or dateline agency; empty when unknown
  std::optional<std::int64_t> time_ms;
  std::optional<std::string> duplicate_of;
  double duplicate_similarity = 0;
  // Near-duplicate fingerprints (minhash.h), kept for the story's latest members only
  // (story_limits::fingerprinted_members): copies arrive within hours of their original.
  std::vector<std::uint32_t> minhash;
  std::vector<std::vector<std::uint32_t>> paragraphs;
  // The version of the article the story holds: the content_key of the last one taken in. 0 when
  // unknown (states written by builds before it): the uri coming again is then a re-delivery.
  std::uint64_t content = 0;
  std::string language;  // BCP 47, as normalize found it; empty when unknown
  // Its paragraphs' names and numbers (article::paragraph_anchors), a fingerprint as those above:
  // a translation of the member pairs up with them.
  std::vector<anchored_paragraph> anchors;
  // The story counted a headline's words only for it: a flash ("FLASH: ..."), whose body comes in
  // a new version under the same uri. That version's words and names are counted then, once
  // (add_body), and this goes false.
  bool headline_only = false;
  // Restore only: the state says the member has no fingerprints (its listed members that have
  // some are named in it), so a fingerprint record of it is one whose tombstone a crash cut off.
  bool without_fingerprints = false;
};

// One source's report of a quantity ("100,000 troops" in the AP copy): the first of its articles
// that gave this value (`uri`, `text`) and how many did.
struct figure_report {
  std::string source;
  std::string uri;
  std::string text;
  double value = 0;
  std::optional<double> high;
  std::string qualifier;
  std::uint32_t articles = 1;
};

// The same quantity as reported across the story's sources: same unit, same counted noun (its
// head word; "soldiers" is "troops", story.cc k_head_synonyms), values within 25% of a report
// already in the group.
struct figure_group {
  std::string counted;  // "troops"
  std::string unit;     // "" for a count, "USD", "percent", ...
  std::vector<figure_report> reports;
  bool conflict() const;  // two sources give different values of what it counts, both written in digits
};

// One wording of a quote as one source carries it: the first article with it (`uri`) and how many.
struct quote_variant {
  std::string text;
  std::string source;
  std::string uri;
  std::vector<std::uint32_t> words;  // sorted distinct folded-word hashes, for matching
  std::uint32_t articles = 1;
  std::uint64_t mask = 0;  // a bit per word (its hash mod 64); 0: not worked out yet
};

// The same quotation as carried by several articles, in its variants (edits, translations).
struct quote_group {
  std::string speaker;  // the canonical name when a member attributed it to a known entity
  std::vector<quote_variant> variants;
};

// What one update changed, published with it.
struct story_change {
  std::string kind;    // new_article, updated_article, new_source, new_figure, figure_conflict, new_quote, merge
  std::string detail;  // the uri, source, "300 troops", quote text or absorbed story id
};

// The keys an entity's name is looked up under in a story's counts (entity_counts): as each kind
// (a name of several words is counted under the kind the story gave it first), and those of the
// short names that may stand for it (a person's last name, initials, an organisation's name
// without its place). Worked out on the thread pool (cluster_stage::prepare) for every entity of
// an article, not on the strand.
struct name_keys {
  std::array<std::uint64_t, 3> as{};  // entity_counts::key_of as a person, an organisation, a place
  std::array<std::uint64_t, 4> shorter{};
  std::size_t shorter_count = 0;
  static name_keys of(int kind, std::string_view name);
  std::span<const std::uint64_t> short_keys() const { return std::span(shorter).first(shorter_count); }
  bool operator==(const name_keys&) const = default;
};

// A story's entity counts: (entity_kind, canonical name) -> articles naming it, a name counting
// whatever its accents (match_name: "Erdoğan" is "Erdogan"; the spelling first counted is the one
// listed), and a short name as the full name the story holds (find_full: an article that names
// only "Putin" counts for "Vladimir Putin"). Kept sorted by a 64-bit hash of the kind and matching name, so finding each of an
// article's few dozen entities compares integers, not names (the name is compared once, on the
// hash that matches).
class entity_counts {
 public:
  struct entry {
    std::uint64_t key = 0;  // key_of(kind, name)
    int kind = 0;
    std::string name;
    std::uint32_t articles = 0;
    std::uint32_t last = 0;  // the story's article that counted it last (story::articles then; 0: unknown)
  };
  static std::uint64_t key_of(int kind, std::string_view name);
  static std::uint64_t key_of_matched(int kind, std::string_view matched);  // of match_name(kind, name)
  // The matching form of an entity's name: fold_name's without full stops, commas and brackets
  // ("U.S." is "US", "Joseph Comeaux, Jr." "Joseph Comeaux Jr."), and an organisation's without a
  // leading article ("The New York Times" is "New York Times", "Le Journal du Dimanche" "Journal
  // du Dimanche"). Places keep theirs: "The Hague", "El Salvador", "Los Angeles".
  static std::string match_name(int kind, std::string_view name);

  const entry* find(int kind, std::string_view name) const { return find(key_of(kind, name), kind, name); }
  entry* find(std::uint64_t key, int kind, std::string_view name);
  const entry* find(std::uint64_t key, int kind, std::string_view name) const;
  // The held entry a short name stands for, if any (story.cc, stands_for): a person's whose last
  // name it is ("Putin": "Vladimir Putin") or whose first and last names it is ("Mark Heller":
  // "Mark Jay Heller"), the organisation or place whose initials an acronym spells ("EU":
  // "European Union"), the organisation whose name it is without its place ("Red Sox": "Boston
  // Red Sox"; only when the story holds one such); of several, the most counted, none when two
  // are counted most alike. Scans the entries.
  entry* find_full(int kind, std::string_view name);
  // Folds the held short names that might stand for `full_name` (a name of several words new to
  // the story; found by their keys, `short_keys`: name_keys::short_keys of the full name, not by a
  // scan) into the entry each stands for (find_full: this one or a name counted more): counts
  // summed, no more than `most` (a story's articles).
  void fold_short_into(int kind, std::string_view full_name, std::span<const std::uint64_t> short_keys, std::uint64_t most);
  // Whether a short name (a person's name of one or two words, an acronym, an organisation's name
  // that may end a longer one) is held (a scan).
  bool holds_short_names() const;
  // Folds every held short name into the entry it stands for (a merge, a restore).
  void fold_short_names(std::uint64_t most);
  // Adds entries for pairs not held yet (each pair once, two spellings of one name summed into
  // one; `key` set by the caller), in one merge.
  void insert(std::vector<entry> fresh);
  // No count above `most` (a story's articles).
  void cap(std::uint64_t most);
  // Drops up to `n` entries to make room for new names: the least counted, of those the longest
  // not counted again (`last`), then by name; never one counted by article `now` nor one of the
  // `listed` most counted of its kind, which the story's updates show. Returns how many it dropped.
  std::size_t make_room(std::size_t n, std::uint32_t now, std::size_t listed);

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::vector<entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<entry> entries_;  // sorted by (key, kind, name)
};

struct story {
  std::string id;
  std::uint64_t seq = 0;  // creation order: breaks ties, orders the index
  // Of the earliest member with one, until another language is the story's most common: then of
  // the first member in that language (a French flash, then English reports: an English headline).
  std::string headline;
  std::string headline_uri;       // that member's uri: its next version's headline replaces it
  std::string headline_language;  // that member's language ("" when unknown: the headline stays)
  std::optional<std::int64_t> first_seen_ms, last_updated_ms;  // member times (stream time)
  std::uint64_t version = 0;                                   // updates published so far
  std::uint64_t articles = 0;                                  // members ever (members lists the latest)
  std::vector<story_member> members;
  // Small sorted maps in one block each (no node per entry: cheaper to fill and to free).
  boost::container::flat_map<std::string, std::uint32_t> sources;  // source -> articles
  std::uint32_t unknown_sources = 0;                                // members without a known source
  boost::container::flat_map<std::string, std::uint32_t> languages;
  entity_counts entities;
  feature_vector terms;  // centroid: summed unit vectors of terms and entities, sorted by hash
  std::vector<figure_group> figures;
  std::vector<quote_group> quotes;
  // The members' name anchors (name_anchors.h) with the members holding each, sorted by hash; the
  // story_limits::anchors most held. What an article in another language is matched against.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> anchors;

  std::size_t source_count() const { return sources.size() + unknown_sources; }
};

// What a story keeps of a name (an entity's, a feature's) and of its headline: a longer name is
// not counted (no real name is that long; a run of letters the tagger took for one would take the
// story's update past the largest record the producer sends), a longer headline is kept cut.
inline constexpr std::size_t max_story_name_bytes = 200;
inline constexpr std::size_t max_story_headline_bytes = 600;
// The highest story number a state may hold: a count of stories no stream reaches (2^53, exact
// in any JSON reader), far from the wrap of the 64-bit counter that numbers the next story.
inline constexpr std::uint64_t max_story_seq = std::uint64_t{1} << 53;

// Bounds on what a story keeps, so memory per story is bounded whatever its size.
struct story_limits {
  std::size_t centroid_terms = 96;
  std::size_t members = 200;             // the latest; `articles` counts them all
  std::size_t fingerprinted_members = 32;  // the latest members keep their fingerprints (copy detection)
  std::size_t entities = 64;
  std::size_t figure_groups = 32;
  std::size_t reports_per_figure = 32;
  std::size_t quote_groups = 32;
  std::size_t variants_per_quote = 16;
  std::size_t anchors = 128;
};

// Where an article comes from, for "sources": publisher, else URL host, else dateline agency.
std::string source_of(const article& a);

// The article's time for the cluster stage: its record timestamp (when it entered the stream:
// one clock for every article, and what a replay sees again), else its publication time (files),
// else none. Publication times alone would mix clocks: an old article re-sent today, or one feed
// dating its copy and another not, would look years apart.
std::optional<std::int64_t> article_time(const article& a);

// Sorted distinct hashes of the folded words of a quotation (how quote variants are matched).
std::vector<std::uint32_t> quote_words(std::string_view text);

// Folds member `m` (the article `a`, whose feature vector and quote_words() of each of a.quotes
// are given, and entity_counts::key_of of each of a.entities if at hand) into `s`; returns what
// changed. Pure apart from `s`.
std::vector<story_change> add_member(story& s, const article& a, story_member m, feature_vector terms,
                                     const std::vector<std::vector<std::uint32_t>>& words_of_quotes,
                                     const story_limits& limits, const std::vector<name_keys>& entity_keys = {});

// Takes in `a`, the first version with a body of member `s.members[member]`, which the story
// counted a headline only for (story_member::headline_only; call update_member first): counts its
// words (`terms`, its feature vector) into the centroid, its names into the entity counts and the
// name anchors, and its language as the member's (a headline's dozen words are no language to go
// by), once, as add_member counts an article's; the flag goes false. The headline's words count
// twice for this member (with the flash and in `terms`). Appends `new_language` to `changes` when
// the language is new to the story. Pure apart from `s`.
void add_body(story& s, const article& a, std::size_t member, feature_vector terms, const story_limits& limits,
              const std::vector<name_keys>& entity_keys, std::vector<story_change>& changes);

// Takes in `a`, a new version of member `s.members[member]` (same uri, another content_key) at
// `time` (its article_time, as the caller trusts it): its figures and quotes replace those the
// member reported (a report or variant other articles of its source share keeps them, one
// article fewer, under another member's uri; a quote named at the quote to another speaker leaves
// the group), and are never counted again into a report another article of its source holds (it
// may have been when it joined); its time and key become the member's, and the story's headline
// follows when it was this member's. Its words, names, source and language stay counted as the
// first version's (the story's centroid and entity counts are sums that cannot take one
// article's part back out), unless the first was a headline only (then add_body).
// Returns what changed, "updated_article" first. Its place in the list and its fingerprints are
// the caller's (they are indexed). Pure apart from `s`.
std::vector<story_change> update_member(story& s, const article& a, std::size_t member, std::optional<std::int64_t> time,
                                        const std::vector<std::vector<std::uint32_t>>& words_of_quotes,
                                        const story_limits& limits);

// Counts an article's name anchors (sorted, distinct) into the story's; beyond `limit`, the most
// held stay (ties: the lower hash).
void add_anchors(story& s, const std::vector<std::uint64_t>& anchors, std::size_t limit);

// How many of the article's name anchors (sorted, distinct) the story holds.
std::size_t shared_anchors(const story& s, const std::vector<std::uint64_t>& anchors);

// An article's counted figure ("23 pirates") as the cluster stage holds it against a story's:
// the counted noun's head ("pirate"), the unit, the value.
struct counted_figure {
  std::string head;
  std::string unit;
  double value = 0;
};

// The article's figures with a counted noun and a value of at least 2, each (head, unit, value) once.
std::vector<counted_figure> counted_figures(const article& a);

// Whether `figures` (an article's) give more values the member `uri` reported in `s` (its figure
// reports: the first of its source with each value) only otherwise, for the same noun and unit,
// than values it reported too: "killed at least 21 people and injured 290" against the member's
// 18 and 230. A copy keeps its numbers (a translated one most of them: nouns change on the way).
bool contradicts_member(const story& s, std::string_view uri, const std::vector<counted_figure>& figures);

// How many of `figures` the story's reports give with the same value (agreeing), and how many
// only with other values (conflicting), among those whose noun and unit the story reported at all.
std::pair<std::size_t, std::size_t> figure_agreement(const story& s, const std::vector<counted_figure>& figures);

// Asks the cache for the blocks a story keeps its text and word lists in (members, quotes,
// figures, entities), all at once: a story not touched for a while is cold, and folding an article
// in and writing the state out would otherwise miss the cache once per string, one after another.
// Changes nothing.
void prefetch(const story& s);

// The same language, whatever the region or script: "en" and "en-GB" are one, "pt-BR" and "pt".
bool same_language(std::string_view x, std::string_view y);

// What a story holds that an update lists as changes when it is new: sources, languages, figure
// values (as labelled in changes) and quote wordings. A merge lists what the surviving story
// gained by it, against what it held before.
struct story_contents {
  explicit story_contents(const story& s);
  // Appends to `changes` what `now` holds and this did not: new_headline, new_source,
  // new_language, new_figure (a value, once), figure_conflict (a group in conflict none of whose
  // reports was in one), new_quote (a group none of whose wordings was held).
  void changes_since(const story& now, std::vector<story_change>& changes) const;

  std::string headline;
  std::set<std::string> sources, languages, figures, quotes;
  std::set<std::string> conflicting;  // labels of the reports of groups in conflict
};

// Folds story `from` into `into` (a merge); `into` keeps its id. Members are ordered by time, but
// for `newest` (the uri of the article whose update this is), last whatever its time (an undated
// article sorted first and was cut by the members limit).
void absorb(story& into, story&& from, const story_limits& limits, std::string_view newest);

// How many values two sorted, duplicate-free vectors share.
std::size_t common_count(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y);

// v += w, both sorted by hash; then keeps the `keep` heaviest entries (ties: smaller hash).
void add_vectors(feature_vector& v, feature_vector w, std::size_t keep);
double dot(const feature_vector& x, const feature_vector& y);
double norm(const feature_vector& v);

// A merged-away story's last value on wire.stories: a redirect to the story that absorbed it.
std::string redirect_json(std::string_view absorbed_id, std::string_view into_id);

// The published state (the wire.stories value, docs/output-contract.md) with what changed, and the
// full state for the changelog topic (the public part is built once); members
// go without their fingerprints, which have changelog records of their own (written once per
// member, not on every story update). The state also records `article`, the number of the
// article that wrote it in the stage's count, and the stories this update absorbed (its "merge"
// changes): what a restore needs to tell the records of an article a crash cut short.
// parse_story_state reads the full state back.
// A story too large for one record of `max_bytes` (the largest the producer sends; value, key and
// headers) is written with each list cut short: the latest 64 members, the first 64 sources, figure
// groups and reports, quote groups and variants, then 16, 4, 1, none, until it fits. Its update is
// then incomplete and a restore reads it as written; the story in memory keeps everything.
std::pair<std::string, std::string> story_update_and_state(const story& s, const std::vector<story_change>& changes,
                                                           std::uint64_t article,
                                                           std::size_t max_bytes = std::numeric_limits<std::size_t>::max());
struct restored_story {
  story s;
  std::uint64_t article = 0;           // 0: written by a build before the number
  std::vector<std::string> absorbed;   // ids of the stories its update absorbed
};
// Lists longer than `limits` (a state not written by this build) are cut as add_member keeps them:
// the latest members, the most counted entities, the heaviest centroid terms and anchors, the
// first figure groups and reports, quote groups and variants. So a restore's work and memory per
// story stay bounded whatever the changelog holds.
result<restored_story> parse_story_state(std::string_view json, const story_limits& limits = {});

// A member's fingerprints on the changelog: key "fingerprint:<uri>".
inline constexpr std::string_view fingerprint_key_prefix = "fingerprint:";
inline std::string fingerprint_key(std::string_view uri) { return std::string(fingerprint_key_prefix) + std::string(uri); }
std::string fingerprint_json(const std::vector<std::uint32_t>& minhash, const std::vector<std::vector<std::uint32_t>>& paragraphs,
                             const std::vector<anchored_paragraph>& anchors);
result<story_member> parse_fingerprint(std::string_view json);  // minhash, paragraphs and anchors set

}  // namespace wirefeed
