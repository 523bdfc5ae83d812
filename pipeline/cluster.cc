#include "pipeline/cluster.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <unordered_set>

#include <boost/container/small_vector.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include "pipeline/base64.h"
#include "pipeline/changelog_json.h"
#include "pipeline/checkpoint.h"
#include "pipeline/extract_lexicon.h"
#include "pipeline/heap_bytes.h"
#include "pipeline/json_writer.h"
#include "pipeline/minhash.h"
#include "pipeline/name_anchors.h"
#include "pipeline/ner/feature_hash.h"
#include "pipeline/text_fold.h"
#include "pipeline/word_table.h"

namespace wirefeed {
namespace {

// The model's constants (docs/clustering.md says why these values).
constexpr double join_threshold = 0.2;
constexpr double merge_threshold = 0.6;
// A story's similarity is multiplied by this once per figure of the article it reported only with
// other values, beyond those it reported with the same (23 pirates against 26: another event).
constexpr double figure_conflict_factor = 0.9;
constexpr double copy_jaccard = 0.6;            // shingle Jaccard of a verbatim-ish copy
constexpr double copy_paragraph_jaccard = 0.35;  // two paragraphs are one paragraph, reworded
constexpr double copy_alignment = 0.6;          // share of the article's words in such paragraphs
// An article joins a story all in other languages when they share at least this many name anchors
// and this share of the fewer of the two's (name_anchors.h).
constexpr std::size_t cross_language_anchors = 6;
constexpr double cross_language_overlap = 0.5;
// What a shared name anchor adds to a story's rank among the candidates (a tenth of a typical
// shared word's weight): enough to be looked at, never ahead of shared words.
constexpr float anchor_lookup_weight = 0.01f;
constexpr std::int64_t same_day_ms = 24LL * 3600 * 1000;
constexpr double decay_ms = 72.0 * 3600 * 1000;
constexpr std::int64_t developing_ms = 72LL * 3600 * 1000;  // a story's figures still move
// An article time further ahead of the wall clock than this is a clock or date error (a producer
// with a wrong clock, a typo'd year): trusted, one such time would move stream time years ahead
// and expire every story at once. A day covers publication times written in the wrong time zone.
constexpr std::int64_t future_tolerance_ms = 24LL * 3600 * 1000;
constexpr std::size_t article_features = 96;
constexpr std::size_t index_features = 24;
constexpr std::size_t scored_candidates = 32;
constexpr std::size_t posting_scan_limit = 4096;  // the most recent stories of a very common feature
constexpr std::size_t lsh_bands = 16;
constexpr std::size_t lsh_rows = 4;
constexpr std::size_t copy_check_stories = 3;
constexpr std::size_t copy_check_members = 64;
constexpr std::size_t df_width = 1 << 16;
constexpr std::uint64_t df_half_life = 50000;
// The document frequencies go to the changelog every this many articles (checkpoint.h: 16 records
// of a few tens of KB for the 262,144 counters), and each article counted since as a record of its
// own ("df-article:<n mod every>": its number and its feature hashes), so a restarted daemon
// weighs words exactly as the uninterrupted one would: the checkpoint, then the articles after
// it, in order.
constexpr std::uint64_t df_checkpoint_every = 10000;
constexpr std::string_view df_key_prefix = "df-sketch:";
constexpr std::string_view df_article_prefix = "df-article:";

// The first article's uri and time: an article sent again once its story has expired opens a
// story of another id, where the uri alone gave the expired story's id back (its key on
// wire.stories then went from the last version to 1).
std::string story_id_for(std::string_view uri, std::optional<std::int64_t> time_ms) {
  const std::string key = time_ms ? std::string(uri) + "@" + std::to_string(*time_ms) : std::string(uri);
  char buf[32];
  std::snprintf(buf, sizeof buf, "story-%016llx", static_cast<unsigned long long>(ner::hash_bytes(key)));
  return buf;
}

constexpr std::size_t max_headline_word_bytes = 64;

// Headline words (folded, three letters or more, not stopwords: English ones, and those of the
// article's language, "dans", "les", "sagte" of a French or German headline).
std::vector<std::string> headline_words(std::string_view headline, std::string_view language) {
  const word_table::mask stop = word_table::stopword_bit(language);
  const std::string folded = fold_text(headline);
  std::vector<std::string> out;
  std::size_t i = 0;
  const auto word_byte = [&](std::size_t k) {
    const auto c = static_cast<unsigned char>(folded[k]);
    return std::isalnum(c) || c >= 0x80 || c == '\'';
  };
  while (i < folded.size()) {
    while (i < folded.size() && !word_byte(i)) ++i;
    const std::size_t start = i;
    while (i < folded.size() && word_byte(i)) ++i;
    // As the extract stage's tokens: no apostrophe at either end ("'hunger games'"), no clitic
    // ("palin's": "palin").
    std::size_t from = start, to = i;
    while (from < to && folded[from] == '\'') ++from;
    while (from < to && folded[to - 1] == '\'') --to;
    if (to - from > 2 && folded.compare(to - 2, 2, "'s") == 0) to -= 2;
    std::string w = folded.substr(from, to - from);
    const bool letters = std::any_of(w.begin(), w.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    // No longer than the extract stage's terms (a run of letters is no word).
    if (w.size() >= 3 && w.size() <= max_headline_word_bytes && letters && !extract_lexicon::is_stopword(w) &&
        (stop == 0 || (word_table::instance().lookup(w) & stop) == 0)) {
      out.push_back(std::move(w));
    }
  }
  return out;
}

// The article's vector: weights (1 + ln tf) x idf, the `keep` heaviest, as a unit vector sorted by
// hash. Terms (headline words count twice more) and entities ("person:emmanuel macron", counted by
// mentions) in one vector: an entity weighs what its IDF says, so a place every article names (one
// "Moscow" in a Moscow feed) adds little while a rare name adds much. Only the kept features'
// texts are read and copied.
feature_vector article_vector(const article& a, const cluster_features& input, const df_sketch& df, std::size_t keep) {
  struct weighted {
    double weight;
    std::uint64_t hash;
    std::size_t index;
  };
  const auto& features = input.features;
  std::vector<weighted> w;
  w.reserve(features.size());
  for (const auto& f : features) df.prefetch(f.hash);
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto& f = features[i];
    w.push_back({f.tf * df.idf(f.hash), f.hash, i});
  }
  const auto heavier = [](const weighted& x, const weighted& y) {
    const auto fx = static_cast<float>(x.weight), fy = static_cast<float>(y.weight);
    return fx != fy ? fx > fy : x.hash < y.hash;
  };
  if (w.size() > keep) {
    std::nth_element(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(keep), w.end(), heavier);
    w.resize(keep);
  }
  const auto text = [&](std::uint32_t t) -> const std::string& {
    return t < input.terms ? a.terms[t].term : input.texts[t - input.terms];
  };
  // Sorted by hash before any text is copied. Two texts with one hash (never seen in practice):
  // the heavier is kept (then the first).
  std::sort(w.begin(), w.end(), [](const weighted& x, const weighted& y) {
    const auto fx = static_cast<float>(x.weight), fy = static_cast<float>(y.weight);
    return x.hash != y.hash ? x.hash < y.hash : fx != fy ? fx > fy : x.index < y.index;
  });
  w.erase(std::unique(w.begin(), w.end(), [](const weighted& x, const weighted& y) { return x.hash == y.hash; }), w.end());
  feature_vector v;
  v.reserve(w.size());
  for (const auto& x : w) v.push_back({x.hash, static_cast<float>(x.weight), text(features[x.index].text)});
  const double n = norm(v);
  if (n > 0) {
    for (auto& e : v) e.weight = static_cast<float>(e.weight / n);
  }
  return v;
}

double cosine_to(const feature_vector& unit, const feature_vector& centroid) {
  const double n = norm(centroid);
  return n > 0 ? dot(unit, centroid) / n : 0;
}

double time_factor(const std::optional<std::int64_t>& t, const story& s) {
  if (!t || !s.first_seen_ms || !s.last_updated_ms) return 1;
  const std::int64_t gap = *t < *s.first_seen_ms ? *s.first_seen_ms - *t
                           : *t > *s.last_updated_ms ? *t - *s.last_updated_ms
                                                     : 0;
  return gap <= same_day_ms ? 1 : std::exp(-static_cast<double>(gap - same_day_ms) / decay_ms);
}

// How much of the article `m` (the newer; `paragraphs` indexes its paragraphs) the member `old`
// explains: 0 when it is no copy.
double copy_score(const story_member& m, const paragraph_index& paragraphs, paragraph_index::scratch& scratch,
                  const story_member& old) {
  const double jaccard = minhash::similarity(m.minhash, old.minhash);
  if (jaccard >= copy_jaccard) return jaccard;
  const double aligned = paragraphs.alignment(old.paragraphs, copy_paragraph_jaccard, scratch);
  if (aligned < copy_alignment) return 0;
  // Both ways: a copy (reordered, translated and back) is the other's text paragraph for
  // paragraph; another outlet's report of the event shares its lead and quotes, not the rest.
  const double back = paragraph_index(old.paragraphs).alignment(m.paragraphs, copy_paragraph_jaccard, scratch);
  return back >= copy_alignment ? std::min(aligned, back) : 0;
}

// Article `n`'s feature hashes (two 32-bit halves each, low first), as counted into the sketch.
output_record df_article_record(std::uint64_t n, const std::vector<std::uint64_t>& hashes) {
  std::vector<std::uint32_t> halves;
  halves.reserve(2 * hashes.size());
  for (const auto h : hashes) {
    halves.push_back(static_cast<std::uint32_t>(h));
    halves.push_back(static_cast<std::uint32_t>(h >> 32));
  }
  std::string value;
  value.reserve(base64_u32_size(halves.size()) + 48);
  json_writer(value).begin_object().key("article").value(n).key("hashes").base64(halves).end_object();
  return output_record{output_kind::changelog, std::string(df_article_prefix) + std::to_string(n % df_checkpoint_every),
                       std::move(value), {}};
}

result<std::pair<std::uint64_t, std::vector<std::uint64_t>>> parse_df_article(std::string_view text) {
  try {
    const simdjson::dom::object o = parse_object(text);
    const auto halves = hash_values(o["hashes"]);
    if (halves.size() % 2 != 0) throw std::invalid_argument("hashes are not 64-bit values");
    std::vector<std::uint64_t> hashes;
    hashes.reserve(halves.size() / 2);
    for (std::size_t i = 0; i < halves.size(); i += 2) hashes.push_back(halves[i] | (static_cast<std::uint64_t>(halves[i + 1]) << 32));
    return std::pair{unsigned_of<std::uint64_t>(o["article"]), std::move(hashes)};
  } catch (const std::exception& e) {
    return stage_error{"cluster", "bad_changelog_record", std::string("counted article does not parse: ") + e.what()};
  }
}

output_record fingerprint_tombstone(const std::string& uri) {
  return output_record{output_kind::changelog, fingerprint_key(uri), {}, {}, true};
}

std::uint64_t band_key(const std::vector<std::uint32_t>& sig, std::size_t band) {
  std::uint64_t h = ner::hash_seed + band;
  for (std::size_t r = 0; r < lsh_rows; ++r) h = ner::hash_combine(h, sig[band * lsh_rows + r]);
  return h;
}

// A posting list: most hold one value (a band of one member, a feature of one story), kept inline.
using posting_list = boost::container::small_vector<std::uint64_t, 1>;

void erase_value(posting_list& v, std::uint64_t x) {
  if (auto it = std::find(v.begin(), v.end(), x); it != v.end()) v.erase(it);
}

// A candidate story and the article's similarity to it.
struct scored {
  double similarity;
  std::uint64_t seq;
};

}  // namespace

struct cluster_stage::state {
  cluster_options options;
  df_sketch df{df_width, df_half_life};
  std::uint64_t next_seq = 1;
  std::uint64_t df_articles = 0;  // articles counted into `df`, ever (restored)
  std::int64_t stream_now = std::numeric_limits<std::int64_t>::min();
  story_event_counts events{};
  void count(story_event e) { ++events[static_cast<std::size_t>(e)]; }

  std::unordered_map<std::uint64_t, story> stories;  // by seq
  std::unordered_map<std::string, std::uint64_t> by_id;
  // Recency for the capacity limit: seqs, least recently updated first (a restore inserts in
  // changelog order, which is the order of their last updates), and where each sits in it.
  std::list<std::uint64_t> by_touch;
  boost::unordered_flat_map<std::uint64_t, std::list<std::uint64_t>::iterator> touched;
  std::set<std::pair<std::int64_t, std::uint64_t>> by_time;    // (last_updated_ms, seq), timed stories
  // Inverted index: feature hash -> stories (seq) that index it, oldest first.
  boost::unordered_flat_map<std::uint64_t, posting_list> postings;
  boost::unordered_flat_map<std::uint64_t, std::vector<std::uint64_t>> indexed;  // seq -> its features
  // Members: uri hash -> story seq; per band, LSH band key -> member uri hashes. A table per band:
  // under steady churn an open-addressing table now and then rehashes to the same size (Boost
  // 1.81's anti-drift rule), holding old and new at once and stopping the strand while it moves
  // every entry; sixteen tables each do that with a sixteenth of the entries (81 MB for one table
  // at 100,000 stories, bench/README.md, memory_bound.py).
  boost::unordered_flat_map<std::uint64_t, std::uint64_t> member_story;
  std::array<boost::unordered_flat_map<std::uint64_t, posting_list>, lsh_bands> bands;

  void index(const story& s) {
    std::vector<const centroid_entry*> terms;
    for (const auto& e : s.terms) terms.push_back(&e);
    const auto heaviest = [](std::vector<const centroid_entry*>& v, std::size_t n) {
      const auto by_weight = [](const centroid_entry* x, const centroid_entry* y) {
        return x->weight != y->weight ? x->weight > y->weight : x->hash < y->hash;
      };
      if (v.size() > n) {
        std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), v.end(), by_weight);
        v.resize(n);
      }
    };
    heaviest(terms, index_features);
    auto& features = indexed[s.seq];
    for (const auto* e : terms) features.push_back(e->hash);
    for (const auto f : features) postings[f].push_back(s.seq);
  }

  void unindex(std::uint64_t seq) {
    auto it = indexed.find(seq);
    if (it == indexed.end()) return;
    for (const auto f : it->second) {
      auto p = postings.find(f);
      if (p == postings.end()) continue;
      erase_value(p->second, seq);
      if (p->second.empty()) postings.erase(p);
    }
    indexed.erase(it);
  }

  void add_member_keys(const story_member& m, std::uint64_t seq) {
    const std::uint64_t key = ner::hash_bytes(m.uri);
    member_story[key] = seq;
    if (m.minhash.size() != lsh_bands * lsh_rows) return;
    for (std::size_t b = 0; b < lsh_bands; ++b) bands[b][band_key(m.minhash, b)].push_back(key);
  }

  void remove_member_keys(const story_member& m) {
    member_story.erase(ner::hash_bytes(m.uri));
    remove_bands(m);
  }

  // Drops a member's fingerprints and their LSH postings (it stays a member).
  void forget_fingerprints(story_member& m) {
    remove_bands(m);
    m.minhash.clear();
    m.minhash.shrink_to_fit();
    m.paragraphs.clear();
    m.paragraphs.shrink_to_fit();
    m.anchors.clear();
    m.anchors.shrink_to_fit();
  }

  void remove_bands(const story_member& m) {
    const std::uint64_t key = ner::hash_bytes(m.uri);
    if (m.minhash.size() != lsh_bands * lsh_rows) return;
    for (std::size_t b = 0; b < lsh_bands; ++b) {
      auto it = bands[b].find(band_key(m.minhash, b));
      if (it == bands[b].end()) continue;
      erase_value(it->second, key);
      if (it->second.empty()) bands[b].erase(it);
    }
  }

  void touch(const story& s) {
    if (auto it = touched.find(s.seq); it != touched.end()) {
      by_touch.splice(by_touch.end(), by_touch, it->second);
    } else {
      touched.emplace(s.seq, by_touch.insert(by_touch.end(), s.seq));
    }
  }

  // Takes a story out of every structure (not out of `stories`).
  void forget(const story& s, bool with_members) {
    unindex(s.seq);
    if (auto it = touched.find(s.seq); it != touched.end()) {
      by_touch.erase(it->second);
      touched.erase(it);
    }
    if (s.last_updated_ms) by_time.erase({*s.last_updated_ms, s.seq});
    if (with_members) {
      for (const auto& m : s.members) remove_member_keys(m);
    }
    by_id.erase(s.id);
  }

  void insert(story s) {
    const std::uint64_t seq = s.seq;
    next_seq = std::max(next_seq, seq + 1);
    by_id[s.id] = seq;
    for (const auto& m : s.members) add_member_keys(m, seq);
    if (s.last_updated_ms) by_time.insert({*s.last_updated_ms, seq});
    index(s);
    touch(s);
    stories.emplace(seq, std::move(s));
  }

  void remove(std::uint64_t seq, std::vector<output_record>& out) {
    auto it = stories.find(seq);
    if (it == stories.end()) return;
    forget(it->second, true);
    out.push_back(output_record{output_kind::changelog, it->second.id, {}, {}, true});
    for (const auto& m : it->second.members) {
      if (!m.minhash.empty() || !m.paragraphs.empty()) out.push_back(fingerprint_tombstone(m.uri));
    }
    stories.erase(it);
  }

  // Fingerprints restored before the stories that list their members (finish_restore joins them).
  std::unordered_map<std::string, story_member> restored_fingerprints;
  // The checkpoint's parts restored (by their first counter) and the articles counted since, by
  // record key (article number, hashes): finish_restore replays them.
  std::map<std::size_t, sketch_part> restored_df_parts;
  std::unordered_map<std::string, std::pair<std::uint64_t, std::vector<std::uint64_t>>> restored_df_articles;
  // The highest article number of the story states read (the last article whose state was
  // written; 0 if no state has one): an article counted after it was cut short by a crash.
  std::uint64_t restored_last_article = 0;
  // Stories a restored merge absorbed with no tombstone after it (a crash between the survivor's
  // state and the tombstone): the tombstones go out with the next article's records.
  std::set<std::string> absorbed_without_tombstone;
  std::vector<output_record> pending;

  // The document frequencies as the uninterrupted stage had them: the checkpoint, then the
  // articles counted after it, in order.
  //
  // A crash while the checkpoint's parts are written leaves some parts one checkpoint behind the
  // others (or missing, at the first checkpoint: nothing counted). A term's counters all lie in
  // one part, so the parts are independent but for the document counts: the parts behind are
  // brought forward by the articles counted in between, and a whole checkpoint is written again
  // (`pending`: ahead of the next article's records, so before any record it needed is
  // overwritten). Parts that did not record their article count (an older build's), or records
  // that do not reach back to them, are taken as they are and nothing is replayed.
  void replay_df_articles() {
    std::vector<const std::pair<std::uint64_t, std::vector<std::uint64_t>>*> records;
    for (const auto& [key, record] : restored_df_articles) {
      // Counted, but a crash came before its story state: it is consumed again, and counted then
      // under the same number, as the uninterrupted stage counted it once.
      if (restored_last_article != 0 && record.first > restored_last_article) continue;
      records.push_back(&record);
    }
    std::sort(records.begin(), records.end(), [](const auto* x, const auto* y) { return x->first < y->first; });
    const std::uint64_t last = records.empty() ? 0 : records.back()->first;

    const std::size_t parts = (df.counters().size() + sketch_part_counters - 1) / sketch_part_counters;
    std::map<std::uint64_t, std::vector<const sketch_part*>> by_count;  // article count -> its parts
    bool counted = true;
    for (const auto& [from, part] : restored_df_parts) {
      counted = counted && part.articles.has_value();
      by_count[part.articles.value_or(0)].push_back(&part);
    }
    if (!restored_df_parts.empty() && restored_df_parts.size() < parts) by_count[0];  // missing: nothing counted yet
    const std::uint64_t lowest = by_count.empty() ? 0 : by_count.begin()->first;
    std::size_t after_lowest = 0;
    for (const auto* r : records) after_lowest += r->first > lowest;
    // Numbers are unique, so the records reach back to the lowest count when there are as many.
    // With no checkpoint, the records there are, are all there is: the stream's first 10,000
    // articles (or the latest 10,000, when the checkpoint was of another size).
    const bool replayable = by_count.empty() || (counted && after_lowest == last - std::min(last, lowest));

    df_articles = std::max({df_articles, last, by_count.empty() ? 0 : by_count.rbegin()->first});
    if (!replayable) {
      for (const auto& [from, part] : restored_df_parts) restore_sketch_part(df, part);
    } else {
      auto next = records.begin();
      for (const auto& [count, group] : by_count) {
        for (; next != records.end() && (*next)->first <= count; ++next) {
          if ((*next)->first > lowest) df.add_document((*next)->second);
        }
        for (const auto* part : group) restore_sketch_part(df, *part);
      }
      for (; next != records.end(); ++next) df.add_document((*next)->second);
      // A checkpoint cut short, or not written at all (the crash came after the state of the
      // article that writes it, which is not counted again), is written now: the records it
      // needs are overwritten from the next article on.
      const std::uint64_t due = last / df_checkpoint_every * df_checkpoint_every;
      const bool whole = by_count.size() == 1 && restored_df_parts.size() == parts;
      if (due > 0 && (!whole || by_count.begin()->first < due)) write_sketch_parts(df, df_articles, df_key_prefix, pending);
    }
    restored_df_parts.clear();
    restored_df_articles.clear();
  }

  void expire(std::vector<output_record>& out) {
    while (!by_time.empty() && stream_now != std::numeric_limits<std::int64_t>::min() &&
           by_time.begin()->first < stream_now - options.story_ttl_ms) {
      remove(by_time.begin()->second, out);
      count(story_event::expired);
    }
  }

  // Room for one more story: the least recently updated go.
  void make_room(std::vector<output_record>& out) {
    while (stories.size() >= options.max_live_stories && !by_touch.empty()) {
      remove(by_touch.front(), out);
      count(story_event::evicted);
    }
  }

  // Takes in `a`, a new version of member `k` of `s` (update_member). The member moves to the end
  // of the list (the latest, by its new time) and its fingerprints become the new version's, so a
  // copy of the update is found as one; a member that leaves the window of the latest members
  // with fingerprints drops its own, as when an article joins. A copy whose new version gives
  // numbers its original does not is a copy no longer (contradicts_member, as for a copy joining).
  // Counts no document: the article was counted when it joined.
  void take_version(story& s, std::size_t k, article& a, const cluster_features& in, std::optional<std::int64_t> time,
                    std::vector<output_record>& out) {
    count(story_event::updated);
    unindex(s.seq);
    if (s.last_updated_ms) by_time.erase({*s.last_updated_ms, s.seq});
    std::rotate(s.members.begin() + static_cast<std::ptrdiff_t>(k), s.members.begin() + static_cast<std::ptrdiff_t>(k) + 1,
                s.members.end());
    const std::size_t keep = options.limits.fingerprinted_members;
    if (keep > 0 && s.members.size() > keep) {
      story_member& left = s.members[s.members.size() - 1 - keep];
      if (!left.minhash.empty() || !left.paragraphs.empty()) {
        out.push_back(fingerprint_tombstone(left.uri));
        forget_fingerprints(left);
      }
    }
    story_member& m = s.members.back();
    const bool had_fingerprints = !m.minhash.empty() || !m.paragraphs.empty();
    forget_fingerprints(m);
    if (keep > 0) {
      m.minhash = a.minhash;
      m.paragraphs = a.paragraph_words;
      m.anchors = a.paragraph_anchors;
      add_member_keys(m, s.seq);
    }
    if (keep > 0 && !in.fingerprint.empty()) {
      out.push_back(output_record{output_kind::changelog, fingerprint_key(m.uri), in.fingerprint, {}});
    } else if (had_fingerprints) {
      out.push_back(fingerprint_tombstone(m.uri));
    }
    if (m.duplicate_of && contradicts_member(s, *m.duplicate_of, in.figures)) {
      m.duplicate_of.reset();
      m.duplicate_similarity = 0;
    }
    a.duplicate_of = m.duplicate_of;
    a.duplicate_similarity = m.duplicate_similarity;
    auto changes = update_member(s, a, s.members.size() - 1, time, in.quote_words, options.limits);
    std::uint64_t seq = s.seq;
    std::vector<std::string> dropped_fingerprints;  // of members a merge left out
    // A flash's body. The story knew the member by its headline's words alone: a story a flash
    // started would keep a headline's centroid, which the event's next reports (long texts) do not
    // reach. Its first version with a body counts as the article (add_body), and into the
    // document frequencies (which counted the headline), once.
    std::vector<std::uint64_t> seen;  // the body's features, as an article's are counted
    const bool body = m.headline_only && !a.terms.empty();
    if (body) {
      feature_vector words = article_vector(a, in, df, article_features);
      for (const auto& e : words) seen.push_back(e.hash);
      // A story of the flash alone was a placeholder: a headline's few words found no story of
      // the event (another outlet's report may have started one). The story the body's words
      // reach at the join threshold, as an article's would, and the placeholder merge.
      std::optional<std::uint64_t> found;
      if (s.members.size() == 1) {
        for (const auto& c : candidates_for(a, words, in, time)) {
          if (c.seq == seq) continue;
          if (c.similarity >= join_threshold) found = c.seq;
          break;
        }
      }
      add_body(s, a, s.members.size() - 1, std::move(words), options.limits, in.entity_keys, changes);
      if (found) seq = merge(seq, *found, a.uri, changes, dropped_fingerprints, out);
    }
    finish(seq, a, changes, body ? &seen : nullptr, dropped_fingerprints, out);
  }

  // Story `seq` as article `a` changed it (`changes`): a new version, indexed again, the article's
  // story id. Then the article's records after its fingerprint's, in an order a crash can cut
  // anywhere (one partition keeps it): its count into the document frequencies (`seen`, its
  // features, when it counts: a new version counts none but a flash's body), its story's state
  // (which names that count), only then the absorbed story's tombstone, those of the fingerprints
  // of members that lost theirs (`dropped_fingerprints`: left out by a merge, or out of the window
  // of the latest) and the checkpoint. A restore then sees an article counted without its state
  // (and counts it when it comes again), a merge without its tombstone (and deletes the absorbed
  // story), fingerprints the state says a member no longer has (and deletes them), and a
  // checkpoint only of articles whose states are written.
  void finish(std::uint64_t seq, article& a, const std::vector<story_change>& changes, const std::vector<std::uint64_t>* seen,
              const std::vector<std::string>& dropped_fingerprints, std::vector<output_record>& out) {
    story& result = stories.at(seq);
    ++result.version;
    if (result.last_updated_ms) by_time.insert({*result.last_updated_ms, seq});
    index(result);
    touch(result);
    a.story_id = result.id;
    if (seen) {
      df.add_document(*seen);
      out.push_back(df_article_record(++df_articles, *seen));
    }
    auto [update, full_state] = story_update_and_state(result, changes, df_articles, options.max_record_bytes);
    out.push_back(output_record{output_kind::stories, result.id, std::move(update), {}});
    out.push_back(output_record{output_kind::changelog, result.id, std::move(full_state), {}});
    for (const auto& c : changes) {
      if (c.kind == "merge") out.push_back(output_record{output_kind::changelog, c.detail, {}, {}, true});
    }
    for (const auto& uri : dropped_fingerprints) out.push_back(fingerprint_tombstone(uri));
    if (seen && df_articles % df_checkpoint_every == 0) write_sketch_parts(df, df_articles, df_key_prefix, out);
  }

  // Merges stories `seq` (the one article `uri` just changed, `changes` what it changed there) and
  // `other`: the older survives and takes the other in (story.h, absorb). Publishes the absorbed
  // story's redirect; `changes` becomes what the survivor gained, and the members the merge left
  // out are added to `dropped_fingerprints`. The absorbed story's tombstone and those
  // fingerprints' are written after the survivor's state (finish). Returns the survivor.
  std::uint64_t merge(std::uint64_t seq, std::uint64_t other, const std::string& uri, std::vector<story_change>& changes,
                      std::vector<std::string>& dropped_fingerprints, std::vector<output_record>& out) {
    const std::uint64_t keep = std::min(seq, other), gone = std::max(seq, other);
    story& survivor = stories.at(keep);
    story& absorbed = stories.at(gone);
    forget(absorbed, false);
    unindex(keep);
    if (survivor.last_updated_ms) by_time.erase({*survivor.last_updated_ms, keep});
    for (const auto& m : survivor.members) remove_member_keys(m);
    for (const auto& m : absorbed.members) remove_member_keys(m);
    const std::string absorbed_id = absorbed.id;
    count(story_event::merged);
    out.push_back(output_record{output_kind::stories, absorbed.id, redirect_json(absorbed.id, survivor.id), {}});
    std::vector<std::string> fingerprinted;
    for (const story* from : {&survivor, &absorbed}) {
      for (const auto& m : from->members) {
        if (!m.minhash.empty() || !m.paragraphs.empty()) fingerprinted.push_back(m.uri);
      }
    }
    // What changed is what the survivor gained: the article's own changes hold when it joined the
    // survivor; when it joined the absorbed story they are that story's, and are listed again
    // against the survivor (what the merge kept of them, and what the absorbed story brought).
    const story_contents before(survivor);
    absorb(survivor, std::move(absorbed), options.limits, uri);
    if (keep != seq) changes.erase(changes.begin() + 1, changes.end());  // [0]: the article's own
    before.changes_since(survivor, changes);
    changes.push_back({"merge", absorbed_id});
    for (const auto& m : survivor.members) add_member_keys(m, keep);
    // Members beyond the limit are gone from the merged story: so are their fingerprint records.
    std::unordered_set<std::string_view> kept;
    for (const auto& m : survivor.members) kept.insert(m.uri);
    for (auto& member : fingerprinted) {
      if (!kept.contains(member)) dropped_fingerprints.push_back(std::move(member));
    }
    stories.erase(gone);
    return keep;
  }

  // The candidate stories of article `a` (vector `terms`): those the index gives by the article
  // weight they share, the best `scored_candidates` of them scored exactly (cosine to the
  // centroid, time decay, the counted figures held against those at the threshold), best first.
  std::vector<scored> candidates_for(const article& a, const feature_vector& terms, const cluster_features& input,
                                     const std::optional<std::int64_t>& time) const {
    boost::unordered_flat_map<std::uint64_t, double> shared;
    // All lookups first (independent: their cache misses overlap), then the sums.
    std::vector<std::pair<const posting_list*, float>> lists;
    lists.reserve(terms.size());
    for (const auto& e : terms) {
      if (auto p = postings.find(e.hash); p != postings.end()) lists.emplace_back(&p->second, e.weight);
    }
    // An article without entities (in a language the tagger does not read) finds stories by its
    // names too ("macron", "ukraine": its name anchors hash as those words' terms do). Its own
    // heaviest words are the rarest in the stream, and a translation's seldom reach a story's
    // indexed ones.
    if (a.entities.empty()) {
      lists.reserve(lists.size() + a.anchors.size());
      for (const auto h : a.anchors) {
        if (auto p = postings.find(h); p != postings.end()) lists.emplace_back(&p->second, anchor_lookup_weight);
      }
    }
    for (const auto& [list, weight] : lists) {
      const auto& seqs = *list;
      const std::size_t from = seqs.size() > posting_scan_limit ? seqs.size() - posting_scan_limit : 0;
      for (std::size_t i = from; i < seqs.size(); ++i) shared[seqs[i]] += weight;
    }
    std::vector<std::pair<double, std::uint64_t>> ranked;
    ranked.reserve(shared.size());
    for (const auto& [seq, weight] : shared) ranked.emplace_back(weight, seq);
    const auto keep = std::min(ranked.size(), scored_candidates);
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end(),
                      [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
    ranked.resize(keep);
    std::vector<scored> candidates;
    for (const auto& [weight, seq] : ranked) {
      const story& s = stories.at(seq);
      double sim = cosine_to(terms, s.terms) * time_factor(time, s);
      // Figures that differ tell another event of the kind (a second earthquake), but within
      // three days of a story's last update they are also its news (a toll that rises, a new
      // count of the injured and the homes lost): there they cost two steps at most.
      if (sim >= join_threshold) {
        const auto [agreeing, conflicting] = figure_agreement(s, input.figures);
        const bool developing = time && s.last_updated_ms && std::llabs(*time - *s.last_updated_ms) <= developing_ms;
        const std::size_t steps = conflicting > agreeing ? conflicting - agreeing : 0;
        sim *= std::pow(figure_conflict_factor, static_cast<double>(developing ? std::min<std::size_t>(steps, 2) : steps));
      }
      candidates.push_back({sim, seq});
    }
    std::sort(candidates.begin(), candidates.end(), [](const scored& x, const scored& y) {
      return x.similarity != y.similarity ? x.similarity > y.similarity : x.seq < y.seq;
    });
    return candidates;
  }

  // Step 1 of process: the story holding the member that `member` (the article) is a wire copy of,
  // among the LSH candidates and the latest members of the closest stories; sets the article's
  // duplicate_of and similarity. The best copy; ties: the older story, then the earlier member.
  std::optional<std::uint64_t> story_of_copy(story_member& member, const cluster_features& input,
                                             const std::vector<scored>& candidates) const {
    std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> member_keys;  // seq -> uri hashes (stable references)
    const auto keys_of = [&](const story& s) -> const std::vector<std::uint64_t>& {
      auto& keys = member_keys[s.seq];
      if (keys.empty()) {
        keys.reserve(s.members.size());
        for (const auto& m : s.members) keys.push_back(ner::hash_bytes(m.uri));
      }
      return keys;
    };
    std::vector<std::uint64_t> copy_candidates;
    if (member.minhash.size() == lsh_bands * lsh_rows) {
      for (std::size_t b = 0; b < lsh_bands; ++b) {
        if (auto it = bands[b].find(band_key(member.minhash, b)); it != bands[b].end()) {
          copy_candidates.insert(copy_candidates.end(), it->second.begin(), it->second.end());
        }
      }
    }
    for (std::size_t i = 0; i < candidates.size() && i < copy_check_stories; ++i) {
      if (candidates[i].similarity < join_threshold) break;
      const auto& keys = keys_of(stories.at(candidates[i].seq));
      const std::size_t from = keys.size() > copy_check_members ? keys.size() - copy_check_members : 0;
      copy_candidates.insert(copy_candidates.end(), keys.begin() + static_cast<std::ptrdiff_t>(from), keys.end());
    }
    std::sort(copy_candidates.begin(), copy_candidates.end());
    copy_candidates.erase(std::unique(copy_candidates.begin(), copy_candidates.end()), copy_candidates.end());
    std::optional<std::uint64_t> target;
    paragraph_index::scratch scratch;
    double best_copy = 0;
    std::uint64_t best_copy_order = 0;
    for (const std::uint64_t key : copy_candidates) {
      auto owner = member_story.find(key);
      if (owner == member_story.end()) continue;
      const story& s = stories.at(owner->second);
      const auto& keys = keys_of(s);
      for (std::size_t k = 0; k < s.members.size(); ++k) {
        if (keys[k] != key) continue;
        const story_member& old = s.members[k];
        const double score = copy_score(member, input.paragraphs, scratch, old);
        // Not a copy that gives its numbers otherwise: another report of the event (a new toll),
        // however alike its words.
        const std::uint64_t order = (s.seq << 20) | k;
        if (score > 0 && (score > best_copy || (score == best_copy && order < best_copy_order)) &&
            !contradicts_member(s, old.uri, input.figures)) {
          best_copy = score;
          best_copy_order = order;
          target = s.seq;
          member.duplicate_of = old.duplicate_of ? *old.duplicate_of : old.uri;
          member.duplicate_similarity = score;
        }
      }
    }
    return target;
  }

  // Step 1, when the article is no copy: the story holding the member it is a translation of. The
  // members in other languages of the closest stories (by similarity, however low: another
  // language shares few words) are held against the article paragraph by paragraph
  // (name_anchors.h, anchor_alignment); sets its duplicate_of and similarity. The best; ties: the
  // closer story, then the earlier member. Not one that gives its numbers otherwise, as for a copy.
  std::optional<std::uint64_t> story_of_translation(story_member& member, const cluster_features& input,
                                                    const std::vector<scored>& candidates) const {
    if (member.language.empty() || member.anchors.empty()) return std::nullopt;
    std::optional<std::uint64_t> target;
    double best = 0;
    for (std::size_t i = 0; i < candidates.size() && i < copy_check_stories; ++i) {
      const story& s = stories.at(candidates[i].seq);
      const std::size_t from = s.members.size() > copy_check_members ? s.members.size() - copy_check_members : 0;
      for (std::size_t k = from; k < s.members.size(); ++k) {
        const story_member& old = s.members[k];
        if (old.anchors.empty() || old.language.empty() || same_language(old.language, member.language)) continue;
        const anchor_match match = anchor_alignment(member.anchors, old.anchors);
        if (match.translation() && match.paired > best && !contradicts_member(s, old.uri, input.figures)) {
          best = match.paired;
          target = s.seq;
          member.duplicate_of = old.duplicate_of ? *old.duplicate_of : old.uri;
          member.duplicate_similarity = match.paired;
        }
      }
    }
    return target;
  }

  // Step 3 of process: a candidate story at most half of whose members are in the article's
  // language, if they share enough names and numbers: the same story told in another language
  // shares few words (and its centroid few of the words of a language it holds one translation in).
  std::optional<std::uint64_t> story_in_other_languages(const article& a, const std::vector<scored>& candidates,
                                                        const std::optional<std::int64_t>& time) const {
    if (a.language.empty() || a.anchors.size() < cross_language_anchors) return std::nullopt;
    std::optional<std::uint64_t> target;
    double best = 0;
    for (const auto& c : candidates) {
      const story& s = stories.at(c.seq);
      std::uint64_t members = 0, in_language = 0;
      for (const auto& [code, n] : s.languages) {
        members += n;
        if (same_language(code, a.language)) in_language += n;
      }
      if (members == 0 || 2 * in_language > members) continue;
      const std::size_t shared = shared_anchors(s, a.anchors);
      if (shared < cross_language_anchors) continue;
      const double overlap = static_cast<double>(shared) / static_cast<double>(std::min(s.anchors.size(), a.anchors.size()));
      const double score = overlap * time_factor(time, s);
      if (score >= cross_language_overlap && score > best) {
        best = score;
        target = c.seq;
      }
    }
    return target;
  }

  story* member_of(const std::string& uri) {
    auto it = member_story.find(ner::hash_bytes(uri));
    if (it == member_story.end()) return nullptr;
    auto s = stories.find(it->second);
    return s == stories.end() ? nullptr : &s->second;
  }
};

std::shared_ptr<const cluster_features> cluster_stage::prepare(const article& a) {
  auto in = std::make_shared<cluster_features>();
  in->terms = a.terms.size();
  in->features.reserve(a.terms.size() + a.entities.size() + 16);
  for (std::size_t i = 0; i < a.terms.size(); ++i) {
    in->features.push_back({ner::hash_bytes(a.terms[i].term), a.terms[i].count, static_cast<std::uint32_t>(i)});
  }
  const auto next_text = [&] { return static_cast<std::uint32_t>(in->terms + in->texts.size()); };
  for (auto& w : headline_words(a.headline, a.language)) {
    const std::uint64_t h = ner::hash_bytes(w);
    const auto end = in->features.begin() + static_cast<std::ptrdiff_t>(in->terms);
    if (auto it = std::find_if(in->features.begin(), end,
                               [&](const cluster_features::feature& f) { return f.hash == h && a.terms[f.text].term == w; });
        it != end) {
      it->count += 2;
    } else {
      in->features.push_back({h, 2, next_text()});
      in->texts.push_back(std::move(w));
    }
  }
  // Entities, one feature per name as matched (two spellings of one name, "Journal du Dimanche"
  // and "Le Journal du Dimanche", sum their mentions), and each one's key in the story's counts.
  const std::size_t entities_from = in->features.size();
  in->entity_keys.reserve(a.entities.size());
  for (const auto& e : a.entities) {
    const int kind = static_cast<int>(e.kind);
    const std::string matched = entity_counts::match_name(kind, e.name);
    in->entity_keys.push_back(name_keys::of(kind, e.name));
    if (e.name.size() > max_story_name_bytes) continue;  // no feature, as the story counts no such name
    std::string key = std::string(to_string(e.kind)) + ":" + matched;
    const std::uint64_t h = ner::hash_bytes(key);
    const auto mentions = static_cast<std::uint32_t>(e.mentions.size());
    const auto from = in->features.begin() + static_cast<std::ptrdiff_t>(entities_from);
    if (auto it = std::find_if(from, in->features.end(), [&](const cluster_features::feature& f) { return f.hash == h; });
        it != in->features.end()) {
      it->count += mentions;
      continue;
    }
    in->features.push_back({h, mentions, next_text()});
    in->texts.push_back(std::move(key));
  }
  // The dateline's place ("KYIV, Ukraine (AP) —": Kyiv) is where the story was filed: one more
  // mention of that place.
  if (a.dateline && !a.dateline->place.empty() && a.dateline->place.size() <= max_story_name_bytes) {
    const std::string_view place = std::string_view(a.dateline->place).substr(0, a.dateline->place.find(','));
    std::string key = std::string(to_string(entity_kind::place)) + ":" +
                      entity_counts::match_name(static_cast<int>(entity_kind::place), place);
    const std::uint64_t h = ner::hash_bytes(key);
    const auto entities = in->features.begin() + static_cast<std::ptrdiff_t>(entities_from);
    if (auto it = std::find_if(entities, in->features.end(), [&](const cluster_features::feature& f) { return f.hash == h; });
        it != in->features.end()) {
      ++it->count;
    } else {
      in->features.push_back({h, 1, next_text()});
      in->texts.push_back(std::move(key));
    }
  }
  for (auto& f : in->features) f.tf = 1 + std::log(static_cast<double>(std::max<std::uint32_t>(f.count, 1)));
  in->quote_words.reserve(a.quotes.size());
  for (const auto& q : a.quotes) in->quote_words.push_back(quote_words(std::string_view(a.body).substr(q.text.begin, q.text.size())));
  in->paragraphs = paragraph_index(a.paragraph_words);
  if (!a.minhash.empty() || !a.paragraph_words.empty()) {
    in->fingerprint = fingerprint_json(a.minhash, a.paragraph_words, a.paragraph_anchors);
  }
  in->figures = counted_figures(a);
  return in;
}

cluster_stage::cluster_stage(cluster_options options) : s_(std::make_unique<state>()) {
  s_->options = options;
  if (s_->options.max_live_stories == 0) s_->options.max_live_stories = 1;
}
cluster_stage::cluster_stage(cluster_stage&&) noexcept = default;
cluster_stage& cluster_stage::operator=(cluster_stage&&) noexcept = default;
cluster_stage::~cluster_stage() = default;

void cluster_stage::finish_restore(std::optional<std::int64_t> now_ms) {
  state& st = *s_;
  for (auto& [seq, s] : st.stories) {
    // Stream time resumes at the latest story time, less any written before times far ahead of
    // the wall clock were distrusted (process()): one would expire every story at the first article.
    if (s.last_updated_ms && (!now_ms || *s.last_updated_ms <= *now_ms + future_tolerance_ms)) {
      st.stream_now = std::max(st.stream_now, *s.last_updated_ms);
    }
    for (auto& m : s.members) {
      // A member whose state says it has none: its record's tombstone was not written (below).
      if (std::exchange(m.without_fingerprints, false)) continue;
      auto it = st.restored_fingerprints.find(m.uri);
      if (it == st.restored_fingerprints.end()) continue;
      m.minhash = std::move(it->second.minhash);
      m.paragraphs = std::move(it->second.paragraphs);
      m.anchors = std::move(it->second.anchors);
      st.restored_fingerprints.erase(it);
      st.add_member_keys(m, seq);
    }
  }
  // Fingerprints no story lists a member with: a crash between a story's tombstone and its
  // members' (remove) or between a state and the tombstones of the fingerprints its members lost
  // (finish), or an article's fingerprint written without its state (it comes again, and writes
  // it again after this). Deleted, with the next article's records.
  std::vector<std::string> orphans;
  for (const auto& [uri, m] : st.restored_fingerprints) orphans.push_back(uri);
  std::sort(orphans.begin(), orphans.end());  // in the same order on every restore
  st.restored_fingerprints.clear();
  for (const auto& uri : orphans) st.pending.push_back(fingerprint_tombstone(uri));
  st.replay_df_articles();
  for (const auto& id : st.absorbed_without_tombstone) {
    st.pending.push_back(output_record{output_kind::changelog, id, {}, {}, true});
  }
  st.absorbed_without_tombstone.clear();
}

std::size_t cluster_stage::live_stories() const { return s_->stories.size(); }
const story_event_counts& cluster_stage::events() const { return s_->events; }

std::size_t cluster_stage::approximate_bytes() const {
  std::size_t bytes = 0;
  for (const auto& [seq, s] : s_->stories) {
    bytes += sizeof(story) + s.id.capacity() + s.headline.capacity() + s.headline_uri.capacity();
    bytes += s.terms.capacity() * sizeof(centroid_entry);
    for (const auto& e : s.terms) bytes += e.text.capacity() > 15 ? e.text.capacity() : 0;
    for (const auto& m : s.members) {
      bytes += sizeof(story_member) + m.uri.capacity() + m.source.capacity() + m.minhash.capacity() * 4;
      for (const auto& p : m.paragraphs) bytes += sizeof(p) + p.capacity() * 4;
      for (const auto& p : m.anchors) bytes += sizeof(p) + p.anchors.capacity() * 4;
      bytes += m.language.capacity() > 15 ? m.language.capacity() : 0;
      bytes += 2 * lsh_bands * sizeof(std::uint64_t) + 64;  // member and band postings
    }
    bytes += s.entities.size() * 80 + s.sources.size() * 64 + s.languages.size() * 48 + s.anchors.capacity() * 16;
    for (const auto& g : s.figures) bytes += sizeof(g) + g.reports.size() * (sizeof(figure_report) + 64);
    for (const auto& g : s.quotes) {
      for (const auto& v : g.variants) bytes += sizeof(v) + v.text.capacity() + v.uri.capacity() + v.words.capacity() * 4;
    }
    bytes += index_features * 2 * sizeof(std::uint64_t) + 160;  // index and expiry entries
  }
  return bytes;
}

std::vector<output_record> cluster_stage::process(article& a, std::optional<std::int64_t> now_ms) {
  state& st = *s_;
  std::vector<output_record> out = std::exchange(st.pending, {});
  auto time = article_time(a);
  if (time && now_ms && *time > *now_ms + future_tolerance_ms) time.reset();  // clustered as undated
  st.expire(out);  // by the stream time so far (after a restore, what the restored time expires)

  // At-least-once delivery replays the tail after a crash: an article already placed (this version
  // or an older one, which a replay of the tail brings again after the newer) keeps its place and
  // changes nothing; its story's current state is published again (no changes listed). Nor does
  // it move the stream time: no state records it, so a restore could not.
  const auto new_version = [&](const story_member& m) {
    return m.content != 0 && a.content_key != 0 && m.content != a.content_key && !(time && m.time_ms && *time < *m.time_ms);
  };
  if (const story* s = st.member_of(a.uri)) {
    const auto m = std::find_if(s->members.begin(), s->members.end(), [&](const story_member& x) { return x.uri == a.uri; });
    if (m != s->members.end() && !new_version(*m)) {
      a.story_id = s->id;
      a.duplicate_of = m->duplicate_of;
      a.duplicate_similarity = m->duplicate_similarity;
      out.push_back(output_record{output_kind::stories, s->id,
                                  story_update_and_state(*s, {}, st.df_articles, st.options.max_record_bytes).first, {}});
      st.count(story_event::redelivered);
      return out;
    }
  }
  if (time) st.stream_now = std::max(st.stream_now, *time);
  st.expire(out);

  // Prepared on the thread pool; again here when missing, or when the article changed since (a
  // guard: erase_paragraph drops it).
  std::shared_ptr<const cluster_features> input = a.cluster_input;
  if (!input || input->terms != a.terms.size() || input->quote_words.size() != a.quotes.size() ||
      input->paragraphs.paragraphs() != a.paragraph_words.size() || input->entity_keys.size() != a.entities.size()) {
    input = prepare(a);
  }

  // A new version of a member (a wire service updating its copy in place, same uri): it updates
  // the member's figures, quotes, time and headline (unless its story just expired: then it is
  // an article of its own).
  if (story* s = st.member_of(a.uri)) {
    const auto m = std::find_if(s->members.begin(), s->members.end(), [&](const story_member& x) { return x.uri == a.uri; });
    if (m != s->members.end()) {
      a.story_id = s->id;
      st.take_version(*s, static_cast<std::size_t>(m - s->members.begin()), a, *input, time, out);
      return out;
    }
  }
  st.make_room(out);  // not for a member: a re-delivery or a new version adds no story

  feature_vector terms = article_vector(a, *input, st.df, article_features);
  story_member member{a.uri, source_of(a), time, std::nullopt, 0, a.minhash, std::move(a.paragraph_words), a.content_key,
                      a.language, std::move(a.paragraph_anchors), a.terms.empty()};

  const std::vector<scored> candidates = st.candidates_for(a, terms, *input, time);
  // The likely target: its memory comes in while the copy check runs.
  if (!candidates.empty() && candidates.front().similarity >= join_threshold) prefetch(st.stories.at(candidates.front().seq));

  // 1. A wire copy's story; else a translation's; 2. else the most similar story; 3. else a story
  //    told mostly in other languages that shares the article's names.
  std::optional<std::uint64_t> target = st.story_of_copy(member, *input, candidates);
  if (!target) target = st.story_of_translation(member, *input, candidates);
  if (!target && !candidates.empty() && candidates.front().similarity >= join_threshold) {
    target = candidates.front().seq;
  }
  if (!target) target = st.story_in_other_languages(a, candidates, time);

  std::vector<story_change> changes;
  // Fingerprints of members leaving the window of the latest (or left out by a merge): deleted
  // after the story's state (finish), so that a crash before it leaves them to this article's
  // copy check when it comes again, as it had them the first time.
  std::vector<std::string> dropped_fingerprints;
  std::uint64_t seq = 0;
  if (target) {
    st.count(member.duplicate_of ? story_event::copy : story_event::joined);
    seq = *target;
    story& s = st.stories.at(seq);
    st.unindex(seq);
    if (s.last_updated_ms) st.by_time.erase({*s.last_updated_ms, seq});
    if (s.members.size() >= st.options.limits.members) st.remove_member_keys(s.members.front());
    const std::size_t keep = st.options.limits.fingerprinted_members;
    if (keep > 0 && s.members.size() >= keep) {
      story_member& old = s.members[s.members.size() - keep];
      if (!old.minhash.empty() || !old.paragraphs.empty()) dropped_fingerprints.push_back(old.uri);
      st.forget_fingerprints(old);
    }
  } else {
    st.count(story_event::new_story);
    story s;
    s.seq = seq = st.next_seq++;
    s.id = story_id_for(a.uri, time);
    while (st.by_id.count(s.id)) s.id = story_id_for(s.id, std::nullopt);
    st.by_id[s.id] = seq;
    st.stories.emplace(seq, std::move(s));
  }
  story& s = st.stories.at(seq);
  st.add_member_keys(member, seq);
  if (!member.minhash.empty() || !member.paragraphs.empty()) {
    out.push_back(output_record{output_kind::changelog, fingerprint_key(member.uri), input->fingerprint, {}});
  }
  a.duplicate_of = member.duplicate_of;
  a.duplicate_similarity = member.duplicate_similarity;
  std::vector<std::uint64_t> seen;  // the article's features, for the document frequencies below
  seen.reserve(terms.size());
  for (const auto& e : terms) seen.push_back(e.hash);
  changes = add_member(s, a, std::move(member), std::move(terms), input->quote_words, st.options.limits, input->entity_keys);
  add_anchors(s, a.anchors, st.options.limits.anchors);

  // 4. Merge with a candidate story as close to this one as the threshold.
  for (const auto& c : candidates) {
    if (c.seq == seq || c.similarity < join_threshold) continue;
    story& other = st.stories.at(c.seq);
    const double sim = cosine_to(s.terms, other.terms) / std::max(norm(s.terms), 1e-9);
    if (sim < merge_threshold) continue;
    seq = st.merge(seq, c.seq, a.uri, changes, dropped_fingerprints, out);
    break;
  }

  st.finish(seq, a, changes, &seen, dropped_fingerprints, out);
  return out;
}

status cluster_stage::restore(std::string_view key, const std::optional<std::string>& value) {
  state& st = *s_;
  if (key.starts_with(df_key_prefix)) {
    if (!value) return ok_status();
    auto parsed = parse_sketch_part(*value, st.df.counters().size());
    if (!parsed) return parsed.error();
    if (*parsed) st.restored_df_parts[(*parsed)->from] = std::move(**parsed);
    return ok_status();
  }
  if (key.starts_with(df_article_prefix)) {
    if (!value) return ok_status();
    auto parsed = parse_df_article(*value);
    if (!parsed) return parsed.error();
    st.restored_df_articles[std::string(key)] = std::move(*parsed);
    return ok_status();
  }
  if (key.starts_with(fingerprint_key_prefix)) {
    const std::string uri(key.substr(fingerprint_key_prefix.size()));
    if (!value) {
      st.restored_fingerprints.erase(uri);
      return ok_status();
    }
    auto parsed = parse_fingerprint(*value);
    if (!parsed) return parsed.error();
    st.restored_fingerprints[uri] = std::move(*parsed);
    return ok_status();
  }
  st.absorbed_without_tombstone.erase(std::string(key));
  if (auto it = st.by_id.find(std::string(key)); it != st.by_id.end()) {
    const std::uint64_t seq = it->second;
    st.forget(st.stories.at(seq), true);
    st.stories.erase(seq);
  }
  if (!value) return ok_status();
  auto parsed = parse_story_state(*value, st.options.limits);
  if (!parsed) return parsed.error();
  if (parsed->s.id != key) {
    return stage_error{"cluster", "bad_changelog_record", "changelog key " + std::string(key) + " holds story " + parsed->s.id};
  }
  st.restored_last_article = std::max(st.restored_last_article, parsed->article);
  for (const auto& id : parsed->absorbed) {
    if (auto it = st.by_id.find(id); it != st.by_id.end()) {
      const std::uint64_t seq = it->second;
      st.forget(st.stories.at(seq), true);
      st.stories.erase(seq);
      st.absorbed_without_tombstone.insert(id);  // until its tombstone follows
    }
  }
  // Two live stories of one number: a run with cluster.restore off numbered its stories from 1
  // again beside the old ones' keys (or two owners wrote at once). The later-read takes a new
  // number: one of the two silently replaced the other in every index.
  if (st.stories.contains(parsed->s.seq)) parsed->s.seq = st.next_seq;
  st.insert(std::move(parsed->s));
  return ok_status();
}

std::size_t heap_bytes(const cluster_features& f) {
  using heap::of;
  // make_shared (cluster_stage::prepare): the features and a 16-byte control block in one allocation.
  std::size_t n = heap::allocation(16 + sizeof(cluster_features)) + of(f.features) + of(f.entity_keys);
  n += of(f.texts, [](const std::string& t) { return of(t); });
  n += of(f.quote_words, [](const auto& words) { return of(words); });
  n += f.paragraphs.heap_bytes() + of(f.fingerprint);
  n += of(f.figures, [](const counted_figure& c) { return of(c.head) + of(c.unit); });
  return n;
}

}  // namespace wirefeed
