#include "pipeline/boilerplate_learner.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string_view>

#include "pipeline/article_edit.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {
namespace {

constexpr std::size_t k_window = 8;
constexpr std::size_t k_min_line_bytes = 4;

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (char c : s) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

boilerplate_learner::boilerplate_learner(boilerplate_learner_options options) : options_(options) {
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(options_.capacity, k_window));
  if (options_.enabled) table_.resize(capacity);
  // Linear counting: n distinct articles set about 128 * (1 - e^(-n/128)) of the 128 bits.
  const double n = static_cast<double>(std::max<std::size_t>(options_.min_articles, 1));
  required_bits_ = std::clamp(static_cast<int>(std::lround(128.0 * (1.0 - std::exp(-n / 128.0)))), 2, 128);
}

boilerplate_learner::slot& boilerplate_learner::find_or_insert(std::uint64_t key) {
  const std::size_t mask = table_.size() - 1;
  const std::size_t start = static_cast<std::size_t>(key) & mask;
  slot* victim = nullptr;
  for (std::size_t k = 0; k < k_window; ++k) {
    slot& s = table_[(start + k) & mask];
    if (s.key == key) return s;
    if (s.key == 0) {
      if (!victim || victim->key != 0) victim = &s;
    } else if (!victim || (victim->key != 0 && s.last_used < victim->last_used)) {
      victim = &s;
    }
  }
  *victim = slot{};
  victim->key = key;
  return *victim;
}

std::vector<std::uint32_t> boilerplate_learner::slot_words(std::size_t from, std::size_t count) const {
  std::vector<std::uint32_t> words;
  if (from > table_.size()) return words;
  count = std::min(count, table_.size() - from);
  words.reserve(8 * count);
  for (std::size_t i = from; i < from + count; ++i) {
    const slot& s = table_[i];
    for (const std::uint64_t v : {s.key, s.seen[0], s.seen[1], s.last_used}) {
      words.push_back(static_cast<std::uint32_t>(v));
      words.push_back(static_cast<std::uint32_t>(v >> 32));
    }
  }
  return words;
}

bool boilerplate_learner::restore_slots(std::size_t from, const std::vector<std::uint32_t>& words, std::uint64_t clock) {
  if (words.size() % 8 != 0 || from > table_.size() || words.size() / 8 > table_.size() - from) return false;
  const auto word64 = [&](std::size_t i) { return words[i] | (static_cast<std::uint64_t>(words[i + 1]) << 32); };
  for (std::size_t i = 0; i < words.size(); i += 8) {
    table_[from + i / 8] = slot{word64(i), {word64(i + 2), word64(i + 4)}, word64(i + 6)};
  }
  clock_ = std::max(clock_, clock);  // parts of different ages: uses stay ordered
  return true;
}

status boilerplate_learner::process(article& a) {
  if (!options_.enabled || a.paragraphs.empty()) return ok_status();
  const std::string_view source = a.publisher.empty() ? std::string_view(a.source.topic) : std::string_view(a.publisher);
  const std::uint64_t source_hash = fnv1a(source);
  // Which article this is, for counting different ones: the first two values of its text's
  // MinHash (equal with probability J² for texts of shingle similarity J: a re-send or a version
  // that repeats its paragraphs under a new headline ("UPDATE 3: ...") is the same article, two
  // stories that share a footer are not); without a signature (no extract stage), the headline.
  const std::uint64_t article_hash =
      a.minhash.size() >= 2 ? mix(a.minhash[0] | (static_cast<std::uint64_t>(a.minhash[1]) << 32))
                            : mix(fnv1a(a.headline.empty() ? std::string_view(a.uri) : std::string_view(a.headline)));
  const unsigned bit = static_cast<unsigned>(article_hash & 127);

  std::vector<std::size_t> learned;
  for (std::size_t i = 0; i < a.paragraphs.size(); ++i) {
    const paragraph& p = a.paragraphs[i];
    const std::string_view folded = std::string_view(a.folded).substr(p.folded.begin, p.folded.size());
    if (folded.size() < k_min_line_bytes || folded.size() > options_.max_line_chars * 4) continue;
    if (utf8::count_code_points(std::string_view(a.body).substr(p.text.begin, p.text.size())) > options_.max_line_chars) {
      continue;
    }
    const std::uint64_t key = mix(fnv1a(folded, source_hash)) | 1;
    slot& s = find_or_insert(key);
    s.seen[bit >> 6] |= 1ULL << (bit & 63);
    s.last_used = ++clock_;
    if (std::popcount(s.seen[0]) + std::popcount(s.seen[1]) >= required_bits_) learned.push_back(i);
  }
  if (learned.empty()) return ok_status();
  if (learned.size() == a.paragraphs.size()) {
    return stage_error{"normalize", "no_body_after_normalize",
                       "every paragraph is a line this source repeats in many articles (learned boilerplate)"};
  }
  for (std::size_t i : learned) {
    const paragraph& p = a.paragraphs[i];
    a.removed.push_back({removal_kind::learned, a.body.substr(p.text.begin, p.text.size())});
  }
  for (auto it = learned.rbegin(); it != learned.rend(); ++it) erase_paragraph(a, *it);
  return ok_status();
}

}  // namespace wirefeed
